package eval

import (
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/source"
)

// Report is the outcome of evaluating a period at a date.
type Report struct {
	AsOf        calendar.Date
	Period      calendar.Period
	Source      *source.Snapshot
	Evaluations []Evaluation
	Diags       diag.List // loading problems, then evaluation problems
}

// Bad reports whether any commitment of the report is behind or missed.
func (rep *Report) Bad() bool {
	for _, ev := range rep.Evaluations {
		for _, res := range ev.Results {
			if res.Status.Bad() {
				return true
			}
		}
	}
	return false
}
