package main

import (
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
)

// snapshotFlags choose which version of the files to read (docs/reference.md §8).
type snapshotFlags struct {
	rev      string
	knownAt  string
	promises []string // --promise: the promises to evaluate (globs); none is all
}

// addPromiseFlag registers --promise, repeatable, into dst.
func addPromiseFlag(cmd *cobra.Command, dst *[]string) {
	cmd.Flags().StringArrayVar(dst, "promise", nil, "bara löftet med detta id (kan upprepas; mönster som mullsjo* går bra)")
}

// open opens the repository through the engine, reading the files the
// flags name; history as h says; keep keeps every file's bytes.
func (g *globals) open(f snapshotFlags, h engine.History, keep bool) (*engine.Engine, error) {
	e, err := engine.Open(g.repo, engine.Options{
		Rev: f.rev, KnownAt: f.knownAt, Promises: f.promises, MaxFileSize: int64(g.maxFileSize),
		History: h, KeepFiles: keep, Today: today,
	})
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return e, nil
}

// dates reads --as-of and --period with the repository's calendar.
func dates(e *engine.Engine, asOf, period string) (calendar.Date, calendar.Period, error) {
	d, p, err := e.Dates(asOf, period)
	if err != nil {
		return 0, calendar.Period{}, usageErr("%v", err)
	}
	return d, p, nil
}

// today is the date in Sweden now: the only place lofte reads the clock.
func today() calendar.Date { return calendar.Today(time.Now()) }

// printDiags writes problems to w in lang, each with its place, the line
// of the file (from file) and a caret under the place.
func printDiags(w io.Writer, diags diag.List, file func(string) []byte, lang string) {
	_ = diag.PrintIn(w, diags, file, lang) // stderr: nowhere to say it failed
}

// isTerminal reports whether w is a terminal that may get colour.
func isTerminal(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return terminal(w)
}

// textOrJSON accepts text or json.
func textOrJSON(format string) error {
	if format != "text" && format != "json" {
		return usageErr("okänt format %q: välj text eller json", format)
	}
	return nil
}

// fileOf looks files up in m.
func fileOf(m map[string][]byte) func(string) []byte {
	return func(p string) []byte { return m[p] }
}
