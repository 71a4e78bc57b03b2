package watch

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
)

// The repository the integration tests start from, evaluated at 31
// August 2022: twelve controls a year are expected to be at 7 (243 of 365
// days), and six are recorded, so trafik.kontroller is behind; one more
// lifts it to on track.
const (
	testVocab = `activities:
  trafikkontroll:
    fields:
      form: {enum: [civil, uniformerad]}
  hundsok:
    fields:
      plats: {enum: [grundskola, gymnasium], required: true}
`
	testPromise = `promise: p
title: Testlöfte
parties:
  polisen: Polisen
valid: 2022
commitments:
  - id: trafik.kontroller
    area: trafik
    owner: polisen
    text: Minst tolv trafikkontroller under året.
    rule: count(trafikkontroll) >= 12
  - id: droger.hundsok
    area: droger
    owner: polisen
    text: Ett hundsök per termin.
    rule: count(hundsok) per termin >= 1
`
	testControls = `date,type,by,form
2022-01-10,trafikkontroll,polisen,civil
2022-02-10,trafikkontroll,polisen,civil
2022-03-10,trafikkontroll,polisen,uniformerad
2022-04-10,trafikkontroll,polisen,civil
2022-05-10,trafikkontroll,polisen,uniformerad
2022-06-10,trafikkontroll,polisen,civil
`
	testSearches = "- {date: 2022-03-02, type: hundsok, by: polisen, plats: grundskola}\n"
	oneControl   = "date,type,by,form\n2022-07-05,trafikkontroll,polisen,civil\n"
)

var testAsOf = "2022-08-31"

// haveGit skips a test without the git command line.
func haveGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
}

// newRepo writes the test repository and commits it.
func newRepo(t *testing.T) string {
	t.Helper()
	haveGit(t)
	dir := t.TempDir()
	writeFile(t, dir, "rules/activities.yaml", testVocab)
	writeFile(t, dir, "rules/p.yaml", testPromise)
	writeFile(t, dir, "data/2022/kontroller.csv", testControls)
	writeFile(t, dir, "data/2022/hundsok.yaml", testSearches)
	git(t, dir, "init", "-q")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "Löfte och registreringar")
	return dir
}

func writeFile(t *testing.T, dir, rel, data string) {
	t.Helper()
	name := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// git runs the git command line in dir, apart from the user's settings.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "init.defaultBranch=main", "-c", "commit.gpgSign=false",
		"-c", "gc.auto=0", "-c", "core.autocrlf=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.org",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.org")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// harness runs a Watcher on a repository and collects its events.
type harness struct {
	t      *testing.T
	dir    string
	w      *Watcher
	cancel context.CancelFunc
	done   chan error

	mu     sync.Mutex
	events []Event
	seen   int // events already looked at by wait
	signal chan struct{}
}

// start starts a watcher on dir with the options given (Dir, Sink and,
// unless set, AsOf are filled in) and waits for its start event.
func start(t *testing.T, dir string, o Options) *harness {
	t.Helper()
	h := &harness{t: t, dir: dir, done: make(chan error, 1), signal: make(chan struct{}, 1)}
	o.Dir, o.Sink = dir, SinkFunc(h.add)
	if o.AsOf == "" && o.Clock == nil {
		o.AsOf = testAsOf
	}
	if o.Clock == nil {
		o.Clock = realClock{}
	}
	if o.Open == nil {
		o.Open = openEngine(engine.Options{})
	}
	w, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	h.w = w
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- w.Run(ctx) }()
	t.Cleanup(h.stop)
	h.wait("the start", func(e Event) bool { return e.Kind == Start })
	return h
}

func (h *harness) add(e Event) {
	h.mu.Lock()
	h.events = append(h.events, e)
	h.mu.Unlock()
	select {
	case h.signal <- struct{}{}:
	default:
	}
}

// stop stops the watcher and checks that Run returned nil.
func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("Run returned %v", err)
		}
	case <-time.After(10 * time.Second):
		h.t.Error("the watcher did not stop within 10 s of being asked to")
	}
}

// waitTimeout bounds every wait for an event: the watcher reacts within
// its debounce (a quarter of a second), so this is ample even under -race.
const waitTimeout = 8 * time.Second

// wait waits for the first event after those already looked at for which
// ok holds, and returns it; the events passed over are looked at too.
func (h *harness) wait(what string, ok func(Event) bool) Event {
	h.t.Helper()
	deadline := time.After(waitTimeout)
	for {
		h.mu.Lock()
		for h.seen < len(h.events) {
			e := h.events[h.seen]
			h.seen++
			if ok(e) {
				h.mu.Unlock()
				return e
			}
		}
		h.mu.Unlock()
		select {
		case <-h.signal:
		case <-deadline:
			h.t.Fatalf("no event for %s within %s; events:\n%s", what, waitTimeout, h.log())
		}
	}
}

// waitFor waits until cond holds, looking every few milliseconds.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("%s: not within %s; events:\n%s", what, waitTimeout, h.log())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// since returns the events after the i-th.
func (h *harness) since(i int) []Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Event(nil), h.events[i:]...)
}

func (h *harness) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.events)
}

func (h *harness) log() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var b strings.Builder
	for _, e := range h.events {
		b.WriteString("  " + describe(e) + "\n")
	}
	return b.String()
}

func describe(e Event) string {
	switch e.Kind {
	case Start:
		return "start"
	case Change:
		return "transition " + e.Transition.Line("sv")
	case Problem:
		return "error " + e.Diag.Error()
	}
	return "recovered " + e.File + ": " + e.Message
}

// change matches the transition of commitment id from one status to
// another.
func change(id string, from, to eval.Status) func(Event) bool {
	return func(e Event) bool {
		return e.Kind == Change && e.Transition.Commitment == id && !e.Transition.Added &&
			!e.Transition.Removed && e.Transition.From == from && e.Transition.To == to
	}
}

// problem matches an error event whose message holds text.
func problem(text string) func(Event) bool {
	return func(e Event) bool { return e.Kind == Problem && strings.Contains(e.Diag.Error(), text) }
}

// noChanges fails if any of events is a transition.
func noChanges(t *testing.T, events []Event) {
	t.Helper()
	for _, e := range events {
		if e.Kind == Change {
			t.Errorf("unexpected %s", describe(e))
		}
	}
}

// fakeClock is a clock the test sets by hand.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	c  chan time.Time
}

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{now: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, fakeWaiter{c.now.Add(d), ch})
	return ch
}

// set moves the clock to t and wakes those waiting until then.
func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(t) {
			w.c <- t
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

func (c *fakeClock) waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// testFS is a real fsnotify watcher that a test can make fail: refuse a
// folder as a full inotify table does, lose events, or report an error.
type testFS struct {
	real   fsWatcher
	refuse atomic.Pointer[func(string) error]
	mute   atomic.Bool
	hold   chan bool // true: keep the events; false: send those kept, in order
	events chan fsnotify.Event
	errs   chan error
	inject chan error
}

func newTestFS() (*testFS, error) {
	real, err := newNotify()
	if err != nil {
		return nil, err
	}
	f := &testFS{real: real, hold: make(chan bool), events: make(chan fsnotify.Event), errs: make(chan error), inject: make(chan error, 4)}
	go func() {
		defer close(f.events)
		var held bool
		var kept []fsnotify.Event
		for {
			select {
			case ev, ok := <-real.Events():
				switch {
				case !ok:
					return
				case f.mute.Load():
				case held:
					kept = append(kept, ev)
				default:
					f.events <- ev
				}
			case held = <-f.hold:
				if !held {
					for _, ev := range kept {
						f.events <- ev
					}
					kept = nil
				}
			}
		}
	}()
	go func() {
		defer close(f.errs)
		for {
			select {
			case err, ok := <-real.Errors():
				if !ok {
					return
				}
				f.errs <- err
			case err := <-f.inject:
				f.errs <- err
			}
		}
	}()
	return f, nil
}

func (f *testFS) Add(p string) error {
	if r := f.refuse.Load(); r != nil {
		if err := (*r)(p); err != nil {
			return err
		}
	}
	return f.real.Add(p)
}

func (f *testFS) Close() error                  { return f.real.Close() }
func (f *testFS) Events() <-chan fsnotify.Event { return f.events }
func (f *testFS) Errors() <-chan error          { return f.errs }

func (f *testFS) setRefuse(r func(string) error) {
	if r == nil {
		f.refuse.Store(nil)
		return
	}
	f.refuse.Store(&r)
}

// stockholm returns a time in Sweden.
func stockholm(y int, m time.Month, d, hh, mm, ss int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, 0, calendar.Stockholm)
}

// realClock is the computer's clock, for tests that do not drive time.
type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// openEngine opens a repository as lofte watch does.
func openEngine(o engine.Options) func(string) (Live, error) {
	return func(dir string) (Live, error) { return engine.Open(dir, o) }
}
