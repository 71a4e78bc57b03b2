package watch

import (
	"time"

	"github.com/lofte/lofte/engine/calendar"
)

// Clock is where the watcher reads the time: the date it evaluates at
// (without a fixed --as-of), the time of its events, and when to look
// again whether the date has changed, and the debounce. The caller gives
// it (the command gives the computer's clock; tests drive one by hand):
// nothing in the engine reads the clock itself. It must be safe for
// concurrent use.
type Clock interface {
	Now() time.Time
	// After sends once on the returned channel when d has passed.
	After(d time.Duration) <-chan time.Time
}

// dateCheck is the longest wait between two looks at the date. A timer
// set for midnight may fire late after the computer has slept, since the
// monotonic clock stops while it sleeps; looking every minute bounds that.
const dateCheck = time.Minute

// untilDateCheck is how long to wait before looking at the date again:
// until just after the next midnight in Sweden, at most dateCheck.
func untilDateCheck(now time.Time) time.Duration {
	today := calendar.Today(now)
	midnight := today.AddDays(1).Time() // midnight in Europe/Stockholm
	d := midnight.Sub(now) + time.Millisecond
	return max(min(d, dateCheck), time.Millisecond)
}
