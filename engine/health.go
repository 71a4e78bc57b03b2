package engine

import (
	"errors"
	"slices"

	"github.com/lofte/lofte/engine/eval"
)

// Health says whether rep is an evaluation worth serving
// (docs/reference.md §9): nil while it evaluates the promises in force,
// a promise file that broke counting at its last good version; an error
// when no promise could be evaluated, or data/ is missing while a promise
// counts records (every value would read 0). Problems in records are in
// the report, not here.
func (e *Engine) Health(rep *Report) error {
	if len(rep.Evaluations) == 0 {
		return errors.New("inget löfte kunde utvärderas")
	}
	if rep.Source.DataMissing && slices.ContainsFunc(rep.Evaluations, func(ev eval.Evaluation) bool { return ev.Promise.CountsRecords() }) {
		return errors.New("mappen data/ saknas, så inga poster kan räknas")
	}
	return nil
}
