package eval

import (
	"math"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/rule"
)

// Lag is how long the records of one activity type take to be recorded:
// the days from a record's date to the commit that added it, over the
// records of the repository's history.
type Lag struct {
	Type    string // activity id
	Title   string // the activity's title
	Median  int    // days
	P90     int    // days: 90 % of the records are recorded within them
	Records int    // records measured
}

// lagging decides whether a Behind window of a lower-bound count is
// behind only because of the records of its last days, which are
// typically still missing: whether it would be on track if the records of
// the days that the slowest counted type's 90th percentile leaves open
// (the P90 lag, less the days since the evaluation date at which the
// records were known) were not yet expected. A window behind because
// its end is near (warn_within) is behind for good reason, and a type
// with no measured lag gives no excuse. It returns the lag that decides,
// or nil.
func (e *evaluator) lagging(c *rule.Compare, w calendar.Window, value, target float64) *Lag {
	if e.in.Known == 0 || len(e.in.Lags) == 0 || !c.Lower() || e.c.Pace.Kind == promise.PaceNone ||
		len(c.Types) == 0 || int(w.End-e.asOf) < e.c.WarnWithin {
		return nil
	}
	var slowest *Lag
	for _, t := range c.Types {
		l, ok := e.in.Lags[t]
		if !ok {
			return nil
		}
		if slowest == nil || l.P90 > slowest.P90 {
			slowest = &l
		}
	}
	open := slowest.P90 - int(e.in.Known-e.asOf)
	if open <= 0 {
		return nil
	}
	need := math.Floor(e.expectedAt(w, target, e.asOf.AddDays(-open))*(1-e.c.Tolerance) + 1e-9)
	if value < need {
		return nil
	}
	return slowest
}

// provisional is a commitment's flag: Behind, and every Behind window
// provisional. It returns the lags of those windows, once each.
func provisional(st Status, ws []Window) (bool, []Lag) {
	if st != Behind {
		return false, nil
	}
	var lags []Lag
	seen := map[string]bool{}
	for _, w := range ws {
		if w.Status != Behind {
			continue
		}
		if !w.Provisional {
			return false, nil
		}
		if !seen[w.Lag.Type] {
			seen[w.Lag.Type] = true
			lags = append(lags, *w.Lag)
		}
	}
	return len(lags) > 0, lags
}
