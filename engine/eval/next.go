package eval

import (
	"math"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/rule"
)

// z80 is the normal quantile that leaves 10 % on each side: an 80 % range.
const z80 = 1.2816

// next is what a window of a `>=` count still needs at the evaluation
// date, and where its pace so far ends: only for a window that has
// started, has not ended and is not met (docs/reference.md §10).
func (e *evaluator) next(c *rule.Compare, w calendar.Window, st Status, value, target float64) *Next {
	if c.Op != ">=" || !c.Lower() || e.asOf < w.Start || e.asOf > w.End || st == Met || value >= target {
		return nil
	}
	elapsed, days := float64(e.asOf-w.Start+1), float64(w.Days())
	n := &Next{Remaining: target - value, DaysLeft: int(w.End - e.asOf)}
	n.Projected, n.Low, n.High = project(value, elapsed, days)
	return n
}

// project is where a count of value in elapsed days of a window of days
// ends if records keep coming at the same rate: floor(value × days /
// elapsed), and a rough 80 % range around it. The range takes the
// records as coming at random at a steady rate (a Poisson process) whose
// rate is estimated from the records so far: the count of the days left
// then varies by its own randomness (variance rate × left) and by the
// uncertainty of the estimated rate (variance (left/elapsed)² × value).
// The range is Projected ± 1.28 standard deviations, rounded outwards,
// and never below value. It says how much the pace so far tells, not
// what a party will do.
func project(value, elapsed, days float64) (proj, low, high float64) {
	if elapsed <= 0 || !Finite(value) {
		return value, value, value
	}
	left := days - elapsed
	mean := value * left / elapsed
	proj = math.Floor(value*days/elapsed + 1e-9)
	sd := math.Sqrt(math.Max(0, mean+(left/elapsed)*(left/elapsed)*value))
	low = math.Max(value, math.Floor(value+mean-z80*sd))
	high = math.Ceil(value + mean + z80*sd - 1e-9)
	return proj, low, max(high, proj)
}

// final reports an assessment that may close a year: met, missed or
// unassessed (docs/reference.md §7, closed period).
func final(s Status) bool { return s == Met || s == Missed || s == Unassessed }

// manualSince is since for a manual commitment: the status of a day is
// that of the latest assessment dated on or before it, under the rule of
// the closed period after the year.
func (in Input) manualSince(c *promise.Commitment, w calendar.Window, asOf calendar.Date, st Status) calendar.Date {
	if asOf < w.Start {
		return asOf
	}
	act := in.Vocab.Activity(promise.Assessment)
	ci, si := act.FieldIndex("commitment"), act.FieldIndex("status")
	type mark struct {
		day calendar.Date
		st  Status
	}
	var marks []mark
	for _, r := range in.Records.Between(promise.Assessment, w.Start, min(w.End, asOf)) {
		if id, _ := r.Values[ci].(string); id != c.ID {
			continue
		}
		s, _ := r.Values[si].(string)
		if ms, err := ParseStatus(s); err == nil {
			marks = append(marks, mark{r.Date, ms})
		}
	}
	on := func(d calendar.Date) Status {
		out, assessed := Unassessed, false
		for _, m := range marks {
			if m.day <= d {
				out, assessed = m.st, true
			}
		}
		if assessed && d > w.End && !final(out) {
			return Unassessed
		}
		return out
	}
	for d := min(asOf, w.End+1); d > w.Start; d-- {
		if on(d-1) != st {
			return d
		}
	}
	return w.Start
}
