package repository

import (
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
)

// RuleLimit bounds the time one commitment's evaluation may take: a rule
// whose predicates loop over records in loops can run for hours, and expr
// cannot be interrupted, so a commitment over the limit gets an error and
// the others are evaluated (see eval.Input.Limit).
var RuleLimit = 10 * time.Second

// Input is what evaluating promise p for year reads, and the one place
// it is made: the vocabulary, the calendar, the compiled rules, and the
// records p counts (its data: folders; under trust: strict only those it
// trusts, see docs/reference.md §2), as rule tables of every window that
// touches the year, with the recording lags once history has been read
// and the time limit of a rule. The status, the chart series, explain,
// backtests, serve and watch all evaluate through it, so that they agree.
func (r *Repository) Input(p *promise.Promise, year int) eval.Input {
	set := r.scoped(p)
	in := eval.Input{Vocab: r.Vocab, Calendar: r.Calendar, Rules: r.Rules, Limit: RuleLimit}
	if r.trust != nil {
		in.Lags, in.Known = r.trust.prov.Lags, r.trust.prov.Known
		if p.Strict {
			set = r.trustedBy(p).set
		}
	}
	from, to := r.span(year)
	in.Records, in.Tables = set, r.env.Tables(set, from, to)
	return in
}

// EvaluatePromise evaluates one promise of the repository for year at
// asOf, whether or not the promise is in force for year: a backtest
// evaluates next year's promise on this year's records. Problems found
// while evaluating are returned; loading problems are in r.Diags.
func (r *Repository) EvaluatePromise(p *promise.Promise, year int, asOf calendar.Date) (eval.Evaluation, diag.List) {
	var errs diag.List
	ev := eval.Evaluate(r.Input(p, year), p, year, asOf, &errs)
	return ev, errs
}

// Cumulative returns, for each commitment of ev with a rule, the
// cumulative metric of each of its windows (eval.Input.Cumulative): what
// a burn-up chart draws, from the same records as the status. ev must
// come from an evaluation of r.
func (r *Repository) Cumulative(ev eval.Evaluation) map[*promise.Commitment][][]eval.Point {
	in := r.Input(ev.Promise, ev.Year)
	out := map[*promise.Commitment][][]eval.Point{}
	for _, res := range ev.Results {
		if pts := in.Cumulative(res.Commitment, ev.Year, ev.AsOf); pts != nil {
			out[res.Commitment] = pts
		}
	}
	return out
}
