package repository

import (
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
)

// Input returns what eval reads to evaluate the repository's rules for
// year: the vocabulary, the calendar, the records (as rule tables of the
// year's span, fresh for each call) and the compiled rules. Explanations,
// backtests and rule tests start from it.
func (r *Repository) Input(year int) eval.Input { return r.input(year) }

// EvaluatePromise evaluates one promise of the repository for year at
// asOf, whether or not the promise is in force for year: a backtest
// evaluates next year's promise on this year's records. Problems found
// while evaluating are returned; loading problems are in r.Diags.
func (r *Repository) EvaluatePromise(p *promise.Promise, year int, asOf calendar.Date) (eval.Evaluation, diag.List) {
	var errs diag.List
	ev := eval.Evaluate(r.inputFor(p, year, r.input(year)), p, year, asOf, &errs)
	return ev, errs
}
