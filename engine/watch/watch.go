// Package watch keeps an evaluation live. A Watcher evaluates a
// commitments repository, then watches its rules/ and data/ folders and
// its git HEAD and refs, evaluates again after every change (debounced)
// and when the date changes at midnight, and reports each commitment whose
// status changed, from what to what and why, as an event.
//
// One goroutine does the work: it reads file events, runs the one
// debounce timer, re-reads the repository (through an repository.Loader, so
// that only changed files are parsed), evaluates, decides the transitions
// (decide, the one place that does) and then swaps in the new state. The
// clock and the event sink are injected. Nothing the repository holds
// stops the watcher: a problem is an event, the last good rules of a
// broken promise file are kept, and when the problem is gone a recovery is
// an event too.
package watch

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// DefaultPoll is how often the repository is read again while it cannot
// be watched fully (inotify limit reached) or cannot be read (removed).
const DefaultPoll = 2 * time.Second

// Options configure a Watcher. Dir and Sink are required.
type Options struct {
	Dir string // a folder in the repository (--repo)
	// Open opens it, reading the files once (engine.Open); required.
	Open func(dir string) (Live, error)
	// Period is a year or a range of years ("2022", "2021..2022"); empty
	// means the year of the evaluation date, which follows the date.
	Period string
	// AsOf fixes the evaluation date: a date or a window name ("2022-T2");
	// empty means today in Sweden, by Clock, re-evaluated at midnight.
	AsOf  string
	Lang  string // "sv" (default) or "en"
	Sink  Sink
	Clock Clock // required: where the watcher reads the time
	// Exec is a command line run by the shell once per transition, with
	// the transition in its environment (see Env).
	Exec        string
	ExecTimeout time.Duration // default DefaultExecTimeout
	Quiet       time.Duration // default DefaultQuiet
	MaxWait     time.Duration // default DefaultMaxWait
	Poll        time.Duration // default DefaultPoll

	newFS func() (fsWatcher, error) // tests: a watcher that fails on demand
}

// Live is a repository read again on every change, and evaluated:
// *engine.Engine, which keeps the last good version of a file that broke.
type Live interface {
	Root() string
	Repository() *repository.Repository
	// Reload reads the files again; when they cannot be read, the error
	// says why.
	Reload() (*repository.Repository, error)
	Evaluate(period calendar.Period, asOf calendar.Date) *eval.Report
}

// UsageError is a problem that stops the watcher before it starts: bad
// options, or a repository that cannot be read at all.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Problem keys for what is not a file of the repository.
const (
	keySource = "\x00source" // reading the repository
	keyWatch  = "\x00watch"  // watching it
)

// Watcher watches one repository. Create it with New and start it with Run.
type Watcher struct {
	o           Options
	clock       Clock
	period      *calendar.Period // fixed by Options.Period, else nil
	live        Live
	root        string
	fs          fsWatcher
	layout      layout
	incomplete  bool // some folders could not be watched
	addFailed   []addFailure
	sourceFails bool // the last read failed
	exec        *runner

	// State of the last evaluation.
	started  bool
	asOf     *calendar.Date // fixed by Options.AsOf once the calendar is read
	curAsOf  calendar.Date
	curYear  calendar.Period
	known    map[key]known
	had      map[string]bool // which of rules/ and data/ existed
	problems map[string][]*diag.Diagnostic

	current     atomic.Pointer[eval.Report]
	evaluations atomic.Int64
}

// New checks the options and opens the repository.
func New(o Options) (*Watcher, error) {
	if o.Sink == nil {
		return nil, &UsageError{errors.New("watch: ingen mottagare för händelserna")}
	}
	if o.Open == nil {
		return nil, &UsageError{errors.New("watch: inget sätt att öppna förrådet")}
	}
	if o.newFS == nil {
		o.newFS = newNotify
	}
	if o.Clock == nil {
		return nil, &UsageError{errors.New("watch: ingen klocka")}
	}
	w := &Watcher{o: o, clock: o.Clock, problems: map[string][]*diag.Diagnostic{}}
	w.o.ExecTimeout = or(o.ExecTimeout, DefaultExecTimeout)
	w.o.Quiet, w.o.MaxWait, w.o.Poll = or(o.Quiet, DefaultQuiet), or(o.MaxWait, DefaultMaxWait), or(o.Poll, DefaultPoll)
	if o.Period != "" {
		p, err := calendar.ParsePeriod(o.Period)
		if err != nil {
			return nil, &UsageError{fmt.Errorf("--period: %v", err)}
		}
		w.period = &p
	}
	live, err := o.Open(o.Dir)
	if err != nil {
		return nil, &UsageError{err}
	}
	w.live, w.root = live, live.Root()
	return w, nil
}

func or(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Current returns the last report evaluated, nil before the first.
func (w *Watcher) Current() *eval.Report { return w.current.Load() }

// evaluationCount counts the evaluations made so far.
func (w *Watcher) evaluationCount() int { return int(w.evaluations.Load()) }

// Run evaluates, reports the start, and then watches until ctx is done;
// an evaluation in progress is finished first. It returns a *UsageError
// when the repository cannot be read at the start or --as-of names no
// date; after the start it returns nil, whatever happens to the files.
func (w *Watcher) Run(ctx context.Context) error {
	// Watch first, then read: a change made in between is seen.
	w.rescan()
	defer func() {
		if w.fs != nil {
			_ = w.fs.Close()
		}
	}()
	r, err := w.live.Reload()
	if err != nil {
		return &UsageError{err}
	}
	if w.o.AsOf != "" {
		d, err := r.Calendar.ParseAsOf(w.o.AsOf)
		if err != nil {
			return &UsageError{fmt.Errorf("--as-of: %v", err)}
		}
		w.asOf = &d
	}
	w.evaluate(r)
	if w.o.Exec != "" {
		w.exec = newRunner(w.o.Exec, w.o.ExecTimeout, w.o.Lang, w.problem)
		defer w.exec.close()
	}
	w.loop(ctx)
	return nil
}

// loop is the watcher's one goroutine: file events, the debounce timer,
// the date check and, while watching is incomplete, polling.
func (w *Watcher) loop(ctx context.Context) {
	deb := debouncer{quiet: w.o.Quiet, maxWait: w.o.MaxWait}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	var settle, poll <-chan time.Time
	dates := w.dateCheck()
	changed := func() {
		timer.Reset(deb.touch(w.clock.Now()))
		settle = timer.C
	}
	for {
		var events <-chan fsnotify.Event
		var errs <-chan error
		if w.fs != nil {
			events, errs = w.fs.Events(), w.fs.Errors()
		}
		if poll == nil && w.degraded() {
			poll = w.clock.After(w.o.Poll)
		}
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				w.lostWatcher()
			} else {
				switch w.handle(ev) {
				case content:
					changed()
				case gitRef:
					if !w.layout.moved(ev.Name) {
						changed()
						break
					}
					// HEAD or a local branch moves in one rename, after
					// git has written the objects and the working tree:
					// a new commit, a checkout or a merge is whole, and is
					// evaluated without the quiet period that editors'
					// saves need, once no further commit follows at once.
					timer.Reset(deb.touchRef(w.clock.Now()))
					settle = timer.C
				}
			}
		case err, ok := <-errs:
			if !ok {
				w.lostWatcher()
			} else if w.watchError(err) {
				changed()
			}
		case <-settle:
			settle = nil
			deb.done()
			w.cycle()
		case <-poll:
			poll = nil
			w.cycle()
		case <-dates:
			dates = w.dateCheck()
			if calendar.Today(w.clock.Now()) != w.curAsOf {
				w.cycle()
			}
		}
	}
}

// dateCheck returns when to look at the date next; nil with a fixed date.
func (w *Watcher) dateCheck() <-chan time.Time {
	if w.o.AsOf != "" {
		return nil
	}
	return w.clock.After(untilDateCheck(w.clock.Now()))
}

func (w *Watcher) degraded() bool { return w.fs == nil || w.incomplete || w.sourceFails }

// handle takes one file event and tells what it calls for: nothing
// (ignore), an evaluation once the changes settle (content), or one at
// once (gitRef). A new folder is watched at once, with everything under
// it: files created in it before its watch landed are read by the
// evaluation.
func (w *Watcher) handle(ev fsnotify.Event) relevance {
	if ev.Name == w.root {
		return content // the root itself removed or moved: the read says so
	}
	rel := w.layout.classify(ev)
	if rel != ignore && ev.Has(fsnotify.Create) && isDir(ev.Name) {
		for _, d := range appendTree(nil, ev.Name) {
			w.add(d)
		}
	}
	return rel
}

// moved reports whether the ref at p is HEAD or a local branch: what a
// commit, a checkout or a merge moves last. A remote-tracking branch moves
// at a fetch, before a pull's merge changes the working tree; it waits
// for the quiet period like a saved file.
func (l layout) moved(p string) bool {
	return p == filepath.Join(l.gitDir, "HEAD") || within(p, filepath.Join(l.commonDir, "refs", "heads"))
}

// watchError takes an error of the file watcher and reports whether it
// calls for an evaluation: an overflow means events were lost, so
// everything is read again.
func (w *Watcher) watchError(err error) bool {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		w.problemf("%s", word(w.o.Lang, "overflow"))
		return true
	}
	w.problemf(word(w.o.Lang, "watchError"), err)
	return false
}

// lostWatcher gives up a file watcher that stopped: polling takes over
// and a new one is tried at the next rescan.
func (w *Watcher) lostWatcher() {
	_ = w.fs.Close()
	w.fs = nil
}

// add watches one folder, keeping count of what could not be watched.
func (w *Watcher) add(dir string) {
	if err := w.fs.Add(dir); err != nil && !gone(err) {
		w.addFailed = append(w.addFailed, addFailure{dir, err})
	}
}

type addFailure struct {
	dir string
	err error
}

// rescan watches every folder there is to watch (adding a folder watched
// already costs nothing), and says when some cannot be.
func (w *Watcher) rescan() {
	if w.fs == nil {
		fs, err := w.o.newFS()
		if err != nil {
			w.setOp(keyWatch, fmt.Sprintf(word(w.o.Lang, "noWatcher"), err, w.o.Poll))
			return
		}
		w.fs = fs
	}
	w.layout = findLayout(w.root)
	w.addFailed = w.addFailed[:0]
	for _, d := range w.layout.folders() {
		w.add(d)
	}
	w.incomplete = len(w.addFailed) > 0
	switch {
	case !w.incomplete:
		w.setOp(keyWatch, "")
	case limitReached(w.addFailed[0].err):
		w.setOp(keyWatch, fmt.Sprintf(word(w.o.Lang, "watchLimit"), len(w.addFailed), w.o.Poll))
	default:
		f := w.addFailed[0]
		w.setOp(keyWatch, fmt.Sprintf(word(w.o.Lang, "watchFail"), f.dir, f.err, w.o.Poll))
	}
}

// cycle reads the repository again and evaluates it, unless it cannot be
// read: then the last result stands and the problem is reported.
func (w *Watcher) cycle() {
	w.rescan()
	r, err := w.live.Reload() // opened afresh after a failure: it may have been removed and created again
	if err != nil {
		w.sourceFailed(err.Error())
		return
	}
	for _, d := range []string{"rules", "data"} {
		if w.had[d] && !isDir(filepath.Join(w.root, d)) {
			w.sourceFails = true
			w.setOp(keySource, fmt.Sprintf(word(w.o.Lang, "gone.dir"), d))
			return
		}
	}
	w.sourceFails = false
	w.setOp(keySource, "")
	w.evaluate(r)
}

func (w *Watcher) sourceFailed(msg string) {
	w.sourceFails = true
	w.setOp(keySource, fmt.Sprintf(word(w.o.Lang, "source"), msg, w.o.Poll))
}

// evaluate evaluates a loaded repository, reports what changed and swaps
// in the new state.
func (w *Watcher) evaluate(r *repository.Repository) {
	asOf := calendar.Today(w.clock.Now())
	if w.asOf != nil {
		asOf = *w.asOf
	}
	period := calendar.Period{First: asOf.Year(), Last: asOf.Year()}
	if w.period != nil {
		period = *w.period
	}
	rep := w.live.Evaluate(period, asOf)
	w.evaluations.Add(1)
	w.had = map[string]bool{"rules": isDir(filepath.Join(w.root, "rules")), "data": isDir(filepath.Join(w.root, "data"))}
	if !w.started || period != w.curYear {
		// The start, or a new year without --period: begin afresh.
		w.started, w.curYear, w.curAsOf, w.known = true, period, asOf, states(rep)
		w.current.Store(rep)
		w.emit(Event{Kind: Start, Report: rep})
		w.fileProblems(rep, false)
		return
	}
	ts, known := decide(w.known, rep, w.o.Lang)
	w.known, w.curAsOf = known, asOf
	w.current.Store(rep)
	for i := range ts {
		w.emit(Event{Kind: Change, Transition: &ts[i]})
		if w.exec != nil {
			w.exec.submit(ts[i])
		}
	}
	w.fileProblems(rep, true)
}

// fileProblems compares the problems of a report with those known, file
// by file: a new problem is an event, and a file whose errors are all gone
// has recovered. At the start (emit false) they are only taken note of:
// the start report shows them.
func (w *Watcher) fileProblems(rep *eval.Report, emit bool) {
	byFile := map[string][]*diag.Diagnostic{}
	for _, d := range rep.Diags {
		byFile[d.File] = append(byFile[d.File], d)
	}
	for file := range w.problems {
		if _, ok := byFile[file]; !ok && file != keySource && file != keyWatch {
			byFile[file] = nil
		}
	}
	for _, file := range sortedFiles(byFile) {
		w.update(file, byFile[file], rep.Source, emit)
	}
}

// update sets the problems of one key: a file, or reading or watching the
// repository.
func (w *Watcher) update(k string, now []*diag.Diagnostic, snap *source.Snapshot, emit bool) {
	old := w.problems[k]
	seen := make(map[string]bool, len(old))
	for _, d := range old {
		seen[d.Error()] = true
	}
	if emit {
		for _, d := range now {
			if !seen[d.Error()] {
				w.emit(Event{Kind: Problem, Diag: d, Snippet: diag.Snippet(snap.File(d.File), d.Pos)})
			}
		}
		if errorsIn(old) > 0 && errorsIn(now) == 0 {
			w.emit(Event{Kind: Recovered, File: fileOf(k), Message: w.recovery(k)})
		}
	}
	if len(now) == 0 {
		delete(w.problems, k)
	} else {
		w.problems[k] = now
	}
}

// setOp sets the one problem of reading or watching the repository; ""
// means there is none.
func (w *Watcher) setOp(k, msg string) {
	var now []*diag.Diagnostic
	if msg != "" {
		var l diag.List
		l.Add(diag.Pos{}, "", "%s", msg)
		now = l
	}
	w.update(k, now, nil, true)
}

func (w *Watcher) recovery(k string) string {
	switch k {
	case keySource:
		return word(w.o.Lang, "recoveredSource")
	case keyWatch:
		return word(w.o.Lang, "recoveredWatch")
	case "":
		return word(w.o.Lang, "recoveredOther")
	}
	return fmt.Sprintf(word(w.o.Lang, "recoveredFile"), k)
}

func fileOf(k string) string {
	if k == keySource || k == keyWatch {
		return ""
	}
	return k
}

func errorsIn(ds []*diag.Diagnostic) int { return diag.List(ds).Errors() }

func sortedFiles(m map[string][]*diag.Diagnostic) []string {
	return slices.Sorted(maps.Keys(m))
}

// problem reports a problem that is not remembered: an overflow, an error
// of the file watcher, a failed --exec.
func (w *Watcher) problem(d *diag.Diagnostic) { w.emit(Event{Kind: Problem, Diag: d}) }

func (w *Watcher) problemf(format string, args ...any) {
	var l diag.List
	l.Add(diag.Pos{}, "", format, args...)
	w.problem(l[0])
}

func (w *Watcher) emit(e Event) {
	e.Time = w.clock.Now()
	w.o.Sink.Event(e)
}
