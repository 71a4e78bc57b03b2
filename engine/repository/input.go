package repository

import (
	"time"

	"github.com/lofte/lofte/engine/eval"
)

// RuleLimit bounds the time one commitment's evaluation may take: a rule
// whose predicates loop over records in loops can run for hours, and expr
// cannot be interrupted, so a commitment over the limit gets an error and
// the others are evaluated (see eval.Input.Limit).
var RuleLimit = 10 * time.Second

// input is what evaluating year reads: the records of every window that
// touches the year, and the compiled rules.
func (r *Repository) input(year int) eval.Input {
	from, to := r.span(year)
	return eval.Input{
		Vocab: r.Vocab, Calendar: r.Calendar, Tables: r.env.Tables(r.Records, from, to),
		Records: r.Records, Rules: r.Rules, Limit: RuleLimit,
	}
}
