// Package wire is the JSON shapes lofte writes, one per concept: a
// window and its figures, a place in a file, a problem, a record, a
// commit (docs/reference.md §10). Every renderer that writes JSON (the
// report, explain, the watcher's events, the web app) builds these from
// the evaluation's types with the constructors here, and adds its own
// keys beside them by embedding, so that a window is written the same way
// everywhere. Figures that are not finite are written null (eval.Number).
package wire

import (
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/source"
)

// Figures are a count window's figures: what it has, what it must reach
// and what the pace expects at the evaluation date. Each is left out
// where the window has none.
type Figures struct {
	Value    *eval.Number `json:"value,omitempty"` // null when not finite (docs/design.md)
	Target   *eval.Number `json:"target,omitempty"`
	Expected *eval.Number `json:"expected,omitempty"`
}

// FiguresOf is the figures of w.
func FiguresOf(w eval.Window) Figures {
	return Figures{Value: eval.NumberOf(w.Value), Target: eval.NumberOf(w.Target), Expected: eval.NumberOf(w.Expected)}
}

// Finite reports whether every figure is finite (or absent): a figure
// that is not is written null, and the renderer says so.
func (f Figures) Finite() bool {
	for _, n := range []*eval.Number{f.Value, f.Target, f.Expected} {
		if n != nil && !eval.Finite(float64(*n)) {
			return false
		}
	}
	return true
}

// Next is what a running window of a `>=` count still needs and where
// its pace so far ends (docs/reference.md §10): all left out in any other
// window. ProjectedLow and ProjectedHigh are a rough 80 % range around
// Projected (eval.Next).
type Next struct {
	Remaining     *eval.Number `json:"remaining,omitempty"`
	DaysLeft      *int         `json:"days_left,omitempty"`
	Projected     *eval.Number `json:"projected,omitempty"`
	ProjectedLow  *eval.Number `json:"projected_low,omitempty"`
	ProjectedHigh *eval.Number `json:"projected_high,omitempty"`
}

// NextOf is n as JSON writes it; empty for nil.
func NextOf(n *eval.Next) Next {
	if n == nil {
		return Next{}
	}
	days := n.DaysLeft
	return Next{Remaining: eval.NumberOf(&n.Remaining), DaysLeft: &days, Projected: eval.NumberOf(&n.Projected),
		ProjectedLow: eval.NumberOf(&n.Low), ProjectedHigh: eval.NumberOf(&n.High)}
}

// Window is one window of a commitment (and, with `per FIELD`, one
// value): docs/reference.md §10's window.
type Window struct {
	Name   string      `json:"name"`
	Start  string      `json:"start"`
	End    string      `json:"end"`
	Group  string      `json:"group,omitempty"`
	Part   string      `json:"part,omitempty"`
	Status eval.Status `json:"status"`
	Figures
	Next
	Error string `json:"error,omitempty"`
	// Provisional: behind only by records typically not recorded yet.
	Provisional bool `json:"provisional,omitempty"`
}

// WindowOf is w as JSON writes it.
func WindowOf(w eval.Window) Window {
	jw := Window{Name: w.Name, Start: w.Start.String(), End: w.End.String(), Group: w.Group, Part: w.Part,
		Status: w.Status, Figures: FiguresOf(w), Next: NextOf(w.Next), Provisional: w.Provisional}
	if w.Err != nil {
		jw.Error = w.Err.Error()
	}
	return jw
}

// Since is the day a status has held since (docs/reference.md §10), ""
// when unknown.
func Since(d calendar.Date) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// Place is a place in a file of the repository: the path relative to the
// root, and the line and column from 1 (left out when unknown).
type Place struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// PlaceOf is p as JSON writes it.
func PlaceOf(p diag.Pos) Place { return Place{File: p.File, Line: p.Line, Column: p.Col} }

// Problem is an error or a warning at its place, with a hint when there
// is one. Lists of problems are split by severity by their container
// ("errors", "warnings") or say it beside (the watcher's events).
type Problem struct {
	Place
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// ProblemOf is d as JSON writes it.
func ProblemOf(d *diag.Diagnostic) Problem {
	return Problem{Place: PlaceOf(d.Pos), Message: d.Message, Hint: d.Hint}
}

// Problems splits diags into errors and warnings; both are empty lists,
// never nil.
func Problems(diags diag.List) (errs, warnings []Problem) {
	errs, warnings = []Problem{}, []Problem{}
	for _, d := range diags {
		if d.Severity == diag.Warning {
			warnings = append(warnings, ProblemOf(d))
		} else {
			errs = append(errs, ProblemOf(d))
		}
	}
	return errs, warnings
}

// Record is a record at its place: date, activity type and parties.
type Record struct {
	Place
	Date string   `json:"date"`
	Type string   `json:"type"`
	By   []string `json:"by"`
}

// RecordOf is r as JSON writes it; By is [] when there are none.
func RecordOf(r *record.Record) Record {
	by := r.By
	if by == nil {
		by = []string{}
	}
	return Record{Place: PlaceOf(r.Pos), Date: r.Date.String(), Type: r.Type, By: by}
}

// Commit is a commit: its hash, author and date (in Sweden), or only
// Uncommitted for what no commit holds.
type Commit struct {
	Hash        string `json:"hash,omitempty"`
	Short       string `json:"short,omitempty"`
	Author      string `json:"author,omitempty"`
	Email       string `json:"email,omitempty"`
	Date        string `json:"date,omitempty"`
	Uncommitted bool   `json:"uncommitted,omitempty"`
}

// CommitOf is c as JSON writes it, dated day (the author's or the
// committer's day, as the caller knows it).
func CommitOf(c source.Commit, day calendar.Date) *Commit {
	return &Commit{Hash: c.Hash, Short: c.Short(), Author: c.Author, Email: c.Email, Date: day.String()}
}

// Uncommitted is the commit of something no commit holds.
func Uncommitted() *Commit { return &Commit{Uncommitted: true} }
