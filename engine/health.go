package engine

import (
	"errors"
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
	if rep.Source.DataMissing && counts(rep) {
		return errors.New("mappen data/ saknas, så inga poster kan räknas")
	}
	return nil
}

// counts reports whether a commitment of rep counts records: has a rule.
func counts(rep *Report) bool {
	for _, ev := range rep.Evaluations {
		for _, c := range ev.Promise.Commitments {
			if !c.Manual {
				return true
			}
		}
	}
	return false
}
