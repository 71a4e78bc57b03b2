package watch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/report"
	"github.com/lofte/lofte/engine/source"
	"github.com/lofte/lofte/engine/wire"
)

// Kind is the kind of an event.
type Kind int

const (
	// Start is the full evaluation the watcher begins with (and begins
	// again with when the evaluated period changes at New Year).
	Start Kind = iota
	// Change is a commitment whose status changed.
	Change
	// Problem is an error or a warning: in the files, in reading the
	// repository, in watching it, or in running --exec.
	Problem
	// Recovered says that the problems of a file, or of reading or
	// watching the repository, are gone.
	Recovered
)

var kindNames = [...]string{"start", "transition", "error", "recovered"}

// String is the kind's name in JSON.
func (k Kind) String() string { return kindNames[k] }

// Event is one thing the watcher reports.
type Event struct {
	Kind Kind
	Time time.Time
	// Report is the evaluation, for Start.
	Report *eval.Report
	// Transition is the change, for Change.
	Transition *Transition
	// Diag is the problem, for Problem; Snippet is the line of the file
	// with a caret under the place, when known.
	Diag    *diag.Diagnostic
	Snippet string
	// File is what has recovered, for Recovered: a file of the repository,
	// or "" for reading or watching the repository; Message says it in
	// words.
	File    string
	Message string
}

// Sink receives the watcher's events. The watcher calls it from its own
// goroutine, and from the one that runs --exec: it must be safe for
// concurrent use.
type Sink interface {
	Event(Event)
}

// SinkFunc is a function as a Sink.
type SinkFunc func(Event)

// Event calls f.
func (f SinkFunc) Event(e Event) { f(e) }

// TextSink writes events for people: the start as `lofte evaluate` writes
// its report (problems on Err, the report on Out), then one line per
// transition on Out and problems and recoveries on Err, each with the
// time in Swedish time. An error writing Out is told on Err, once until a
// write succeeds again, and the watcher goes on; WriteErr returns it.
type TextSink struct {
	Out, Err io.Writer
	Lang     string // "sv" (default) or "en"
	Color    bool   // colour in the start report
	mu       sync.Mutex
	failed   writeFailure
}

// Event writes e.
func (s *TextSink) Event(e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	at := stamp(e.Time)
	var err error
	switch e.Kind {
	case Start:
		writeDiags(s.Err, e.Report.Diags, e.Report.Source)
		err = report.Text(s.Out, e.Report, report.TextOptions{Lang: s.Lang, Color: s.Color})
		fmt.Fprintf(s.Err, "%s %s\n", at, fmt.Sprintf(word(s.Lang, "watching"), e.Report.Source.Root))
	case Change:
		_, err = fmt.Fprintf(s.Out, "%s %s\n", at, e.Transition.Line(s.Lang))
	case Problem:
		prefix := word(s.Lang, "fail") + ": "
		if e.Diag.Severity == diag.Warning {
			prefix = "" // the message says "varning:"
		}
		fmt.Fprintf(s.Err, "%s %s%s\n", at, prefix, e.Diag.ErrorIn(s.Lang))
		if e.Snippet != "" {
			fmt.Fprintln(s.Err, e.Snippet)
		}
	case Recovered:
		fmt.Fprintf(s.Err, "%s %s: %s\n", at, word(s.Lang, "recovered"), e.Message)
	default:
		return
	}
	s.failed.note(err, s.Err, s.Lang, e.Time)
}

// WriteErr returns the error of the last write to Out, nil when it
// succeeded.
func (s *TextSink) WriteErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed.err
}

// writeFailure is the state of a sink's output: an error writing it is
// told once, until a write succeeds again.
type writeFailure struct {
	err error
}

// note records the outcome of a write, telling to on a new failure.
func (f *writeFailure) note(err error, to io.Writer, lang string, at time.Time) {
	told := f.err != nil
	f.err = err
	if err == nil || told || to == nil {
		return
	}
	fmt.Fprintf(to, "%s %s: %s\n", stamp(at), word(lang, "fail"), fmt.Sprintf(word(lang, "writeFailed"), err))
}

// writeDiags writes problems with their place, the line and a caret, as
// `lofte evaluate` does.
func writeDiags(w io.Writer, diags diag.List, snap *source.Snapshot) {
	_ = diag.Print(w, diags, snap.File)
}

// JSONSink writes one JSON object per line and event, for other programs.
// Every object has "event" (start, transition, error or recovered) and
// "time"; the start carries the full report as `lofte evaluate --format
// json` writes it. Reasons and messages are in the watcher's language
// (Options.Lang); keys and statuses are English. An error writing Out is
// told on Err when it is set, once until a write succeeds again, and the
// watcher goes on; WriteErr returns it.
type JSONSink struct {
	Out    io.Writer
	Err    io.Writer // optional: where an error writing Out is told
	Lang   string    // of that message: "sv" (default) or "en"
	mu     sync.Mutex
	failed writeFailure
}

// WriteErr returns the error of the last write to Out, nil when it
// succeeded.
func (s *JSONSink) WriteErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed.err
}

type (
	jsonStart struct {
		Event  string          `json:"event"`
		Time   string          `json:"time"`
		AsOf   string          `json:"as_of"`
		Report json.RawMessage `json:"report"`
	}
	jsonTransition struct {
		Event      string  `json:"event"`
		Time       string  `json:"time"`
		AsOf       string  `json:"as_of"`
		Promise    string  `json:"promise"`
		Period     string  `json:"period"`
		Commitment string  `json:"commitment"`
		From       *string `json:"from"`
		To         *string `json:"to"`
		Since      string  `json:"since,omitempty"`
		Window     string  `json:"window,omitempty"`
		wire.Figures
		Reason string `json:"reason"`
		Text   string `json:"text,omitempty"`
	}
	jsonProblem struct {
		Event    string `json:"event"`
		Time     string `json:"time"`
		Severity string `json:"severity"`
		// File is left out for a problem of no file, as the events have
		// always written it; it hides the common shape's File.
		File string `json:"file,omitempty"`
		wire.Problem
	}
	jsonRecovered struct {
		Event   string `json:"event"`
		Time    string `json:"time"`
		File    string `json:"file,omitempty"`
		Message string `json:"message"`
	}
)

// Event writes e as one line of JSON.
func (s *JSONSink) Event(e Event) {
	var v any
	at := e.Time.In(calendar.Stockholm).Format(time.RFC3339)
	switch e.Kind {
	case Start:
		var full, compact bytes.Buffer
		if err := report.JSON(&full, e.Report); err != nil || json.Compact(&compact, full.Bytes()) != nil {
			return
		}
		v = jsonStart{Event: "start", Time: at, AsOf: e.Report.AsOf.String(), Report: compact.Bytes()}
	case Change:
		t := e.Transition
		jt := jsonTransition{Event: "transition", Time: at, AsOf: t.AsOf.String(), Promise: t.Promise,
			Period: strconv.Itoa(t.Year), Commitment: t.Commitment, Window: t.Window,
			Figures: wire.Figures{Value: eval.NumberOf(t.Value), Target: eval.NumberOf(t.Target), Expected: eval.NumberOf(t.Expected)},
			Reason:  t.Reason, Text: t.Text}
		if !t.Added {
			from := t.From.String()
			jt.From = &from
		}
		if !t.Removed {
			to := t.To.String()
			jt.To = &to
		}
		if t.Since != 0 {
			jt.Since = t.Since.String()
		}
		v = jt
	case Problem:
		d := e.Diag
		v = jsonProblem{Event: "error", Time: at, Severity: d.Severity.String(), File: d.File, Problem: wire.ProblemOf(d)}
	case Recovered:
		v = jsonRecovered{Event: "recovered", Time: at, File: e.File, Message: e.Message}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.Out.Write(b.Bytes())
	s.failed.note(err, s.Err, s.Lang, e.Time)
}
