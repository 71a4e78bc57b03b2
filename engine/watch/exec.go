package watch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lofte/lofte/engine/diag"
)

// DefaultExecTimeout bounds one run of --exec.
const DefaultExecTimeout = 30 * time.Second

// execQueue is how many transitions may wait for --exec; more are
// reported and dropped rather than held without bound.
const execQueue = 256

// runner runs --exec once per transition, one run at a time and in order,
// in its own goroutine, so that a slow or hanging command never holds up
// the watcher. The command line is the user's own, run by the shell; what
// the transition says reaches it only through the environment, never
// through the command line.
type runner struct {
	command string
	timeout time.Duration
	lang    string
	report  func(d *diag.Diagnostic)

	queue chan Transition
	wg    sync.WaitGroup
	stop  context.CancelFunc
	ctx   context.Context
}

func newRunner(command string, timeout time.Duration, lang string, report func(*diag.Diagnostic)) *runner {
	ctx, stop := context.WithCancel(context.Background())
	r := &runner{command: command, timeout: timeout, lang: lang, report: report,
		queue: make(chan Transition, execQueue), ctx: ctx, stop: stop}
	r.wg.Go(r.loop)
	return r
}

// submit queues a run for t; it never blocks.
func (r *runner) submit(t Transition) {
	select {
	case r.queue <- t:
	default:
		r.fail(word(r.lang, "execQueue"), t.Promise, t.Year, t.Commitment, statusWord(t, true, r.lang), statusWord(t, false, r.lang))
	}
}

// stopGrace is how long a run in progress may go on once the watcher
// stops, before it is killed.
var stopGrace = 5 * time.Second

// close lets the run in progress finish (within stopGrace), drops the
// runs still waiting, and returns when the runner has stopped.
func (r *runner) close() {
	close(r.queue)
	r.stop()
	r.wg.Wait()
}

func (r *runner) loop() {
	for t := range r.queue {
		if r.ctx.Err() != nil {
			continue // stopping: what waits is dropped
		}
		r.run(t)
	}
}

// run runs the command for one transition and reports a failure.
func (r *runner) run(t Transition) {
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	stop := context.AfterFunc(r.ctx, func() { time.AfterFunc(stopGrace, cancel) })
	defer stop()
	cmd := shellCommand(ctx, r.command)
	cmd.Env = append(os.Environ(), Env(t, r.lang)...)
	out := &tail{max: 2048}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = time.Second // the command's own children may hold its output open
	err := cmd.Run()
	if err == nil {
		return
	}
	var why string
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil && r.ctx.Err() != nil:
		why = word(r.lang, "execStopped")
	case ctx.Err() != nil:
		why = fmt.Sprintf(word(r.lang, "execTimeout"), r.timeout)
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		why = fmt.Sprintf(word(r.lang, "execStatus"), ee.ExitCode())
	default:
		why = err.Error()
	}
	if s := strings.TrimSpace(out.String()); s != "" {
		why += "; " + fmt.Sprintf(word(r.lang, "execOutput"), s)
	}
	r.fail(word(r.lang, "execFail"), t.Promise, t.Year, t.Commitment, statusWord(t, true, r.lang), statusWord(t, false, r.lang), why)
}

func (r *runner) fail(format string, args ...any) {
	var l diag.List
	l.Add(diag.Pos{}, "", format, args...)
	r.report(l[0])
}

// statusWord is the status before (from) or after a transition in words.
func statusWord(t Transition, from bool, lang string) string {
	switch {
	case from && t.Added:
		return word(lang, "new")
	case !from && t.Removed:
		return word(lang, "gone")
	case from:
		return t.From.Text(lang)
	}
	return t.To.Text(lang)
}

// Env is the environment --exec gets for a transition: LOFTE_PROMISE,
// LOFTE_PERIOD, LOFTE_ID, LOFTE_FROM and LOFTE_TO (statuses as in JSON,
// empty for a new or a removed commitment), LOFTE_VALUE, LOFTE_TARGET and
// LOFTE_EXPECTED (numbers with a decimal point, empty where the rule has
// none), LOFTE_TEXT (the transition in words, as the text output shows
// it), and also LOFTE_REASON, LOFTE_WINDOW, LOFTE_AS_OF, LOFTE_SINCE
// (since when the new status holds, docs/reference.md §10; empty for a
// removed commitment) and LOFTE_COMMITMENT_TEXT (the commitment as
// written in the promise).
func Env(t Transition, lang string) []string {
	from, to := t.From.String(), t.To.String()
	if t.Added {
		from = ""
	}
	if t.Removed {
		to = ""
	}
	return []string{
		"LOFTE_PROMISE=" + t.Promise,
		"LOFTE_PERIOD=" + strconv.Itoa(t.Year),
		"LOFTE_ID=" + t.Commitment,
		"LOFTE_FROM=" + from,
		"LOFTE_TO=" + to,
		"LOFTE_VALUE=" + machineNum(t.Value),
		"LOFTE_TARGET=" + machineNum(t.Target),
		"LOFTE_EXPECTED=" + machineNum(t.Expected),
		"LOFTE_TEXT=" + t.Line(lang),
		"LOFTE_REASON=" + t.Reason,
		"LOFTE_WINDOW=" + t.Window,
		"LOFTE_AS_OF=" + t.AsOf.String(),
		"LOFTE_SINCE=" + sinceOf(t),
		"LOFTE_COMMITMENT_TEXT=" + t.Text,
	}
}

func sinceOf(t Transition) string {
	if t.Since == 0 || t.Removed {
		return ""
	}
	return t.Since.String()
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
