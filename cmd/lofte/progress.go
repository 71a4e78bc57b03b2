package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress tells, on a terminal, what a slow command is doing: nothing
// for the first second, then one line on standard error rewritten in
// place, and cleared when the work is done so that it never mixes with
// the report. A nil *progress does nothing: pipes, files and JSON get
// none.
type progress struct {
	w     io.Writer
	start time.Time
	mu    sync.Mutex
	msg   string
	shown bool
	ended bool
	stop  chan struct{}
	done  chan struct{}
}

// progressDelay is how long work runs before progress is shown.
const progressDelay = time.Second

// startProgress starts showing progress on w when w is a terminal and
// enabled (not for JSON); otherwise it returns nil.
func startProgress(w io.Writer, enabled bool) *progress {
	if !enabled || !isTTY(w) {
		return nil
	}
	p := &progress{w: w, start: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	return p
}

// isTTY reports whether w is a terminal that understands carriage return
// and erase-line (colour is another matter: see isTerminal).
func isTTY(w io.Writer) bool {
	return os.Getenv("TERM") != "dumb" && terminal(w)
}

// terminal reports whether w is a terminal: a character device such as
// /dev/null is not.
func terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (p *progress) loop() {
	defer close(p.done)
	t := time.NewTimer(progressDelay)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.draw()
			t.Reset(250 * time.Millisecond)
		}
	}
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	secs := time.Since(p.start).Seconds()
	fmt.Fprintf(p.w, "\r\x1b[Klofte: %s … %.1f s", p.msg, secs)
	p.shown = true
}

// set names what is being done now.
func (p *progress) set(format string, args ...any) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.msg = fmt.Sprintf(format, args...)
	p.mu.Unlock()
}

// end stops and clears the progress line; it may be called again.
func (p *progress) end() {
	if p == nil || p.ended {
		return
	}
	p.ended = true
	close(p.stop)
	<-p.done
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
