package repository

import (
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
)

// Cumulative returns, for each commitment of ev with a rule, the
// cumulative metric of each of its windows (eval.Input.Cumulative): what
// a burn-up chart draws. ev must come from an evaluation of r.
func (r *Repository) Cumulative(ev eval.Evaluation) map[*promise.Commitment][][]eval.Point {
	from, to := r.span(ev.Year)
	set := r.scoped(ev.Promise)
	in := eval.Input{Vocab: r.Vocab, Calendar: r.Calendar, Tables: r.env.Tables(set, from, to), Records: set, Rules: r.Rules}
	out := map[*promise.Commitment][][]eval.Point{}
	for _, res := range ev.Results {
		if pts := in.Cumulative(res.Commitment, ev.Year, ev.AsOf); pts != nil {
			out[res.Commitment] = pts
		}
	}
	return out
}
