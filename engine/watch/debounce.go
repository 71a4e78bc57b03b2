package watch

import "time"

// Debounce defaults: an editor's three-step save or a `git pull` of 500
// files is one re-evaluation, and a steady stream of writes still
// re-evaluates at least every MaxWait.
const (
	DefaultQuiet   = 250 * time.Millisecond
	DefaultMaxWait = 2 * time.Second
)

// refQuiet is the quiet period after HEAD or a branch moved: a commit is
// whole when its ref moves, so it is evaluated without the editors' quiet
// period, but commits made faster than that (a script, a rebase, `git
// pull` of many) are one evaluation, not one per commit reporting the
// statuses of the commits in between.
const refQuiet = 100 * time.Millisecond

// debouncer decides when a run of changes has settled: quiet after the
// last change, or maxWait after the first, whichever is sooner. It holds
// no timer of its own: the watcher's loop owns the one timer.
type debouncer struct {
	quiet, maxWait time.Duration
	pending        bool
	first          time.Time
}

// touch records a change at now and returns how long from now to wait
// before evaluating.
func (d *debouncer) touch(now time.Time) time.Duration {
	if !d.pending {
		d.pending, d.first = true, now
	}
	return max(0, min(d.quiet, d.first.Add(d.maxWait).Sub(now)))
}

// touchRef records a moved ref at now and returns how long from now to
// wait: refQuiet at most.
func (d *debouncer) touchRef(now time.Time) time.Duration {
	return min(d.touch(now), refQuiet)
}

// done ends the run: the next change starts a new one.
func (d *debouncer) done() { d.pending = false }
