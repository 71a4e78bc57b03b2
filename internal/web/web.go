// Package web is the signed-in side of lofte serve: forms built from the
// activity vocabulary to record an activity or assess a commitment, the
// upload of a CSV file from Excel, "Mina åtaganden" with the pace each
// commitment needs and undo of one's own records, and POST /api/records
// (docs/reference.md §12). It writes nothing itself: a Backend records,
// imports and undoes, validating as the files are validated; this package
// decides who may write what, and shows the outcome.
package web

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/internal/auth"
)

// Backend is what the web pages need of the repository: the current
// evaluation, and writing records as one commit each by the signed-in
// person. Methods that write return *Invalid for a record that does not
// fit (nothing was written), with the messages the file validator gives.
type Backend interface {
	// Live is the current evaluation and vocabulary, one consistent
	// snapshot; after a write it includes what was written.
	Live() Live
	// Record writes the entries as one commit whose author is who.
	Record(ctx context.Context, who auth.Person, entries []record.Entry) (Written, error)
	// Preview reads an uploaded CSV file (name as uploaded) and returns
	// its rows with the problems at their cells; nothing is written.
	Preview(name string, data []byte) (Preview, error)
	// Import writes the rows of an uploaded CSV file as one commit, only
	// when no row has a problem (else *Invalid).
	Import(ctx context.Context, who auth.Person, name string, data []byte) (Written, error)
	// Undo reverts commit, a record commit of who, with a new commit
	// whose hash it returns.
	Undo(ctx context.Context, who auth.Person, commit string) (string, error)
	// Recent lists who's record commits of late, newest first.
	Recent(who auth.Person) []Commit
	// Pending is the number of commits waiting to be pushed.
	Pending() int
}

// Live is one snapshot of the repository as evaluated.
type Live struct {
	Report *eval.Report
	// Repository is the loaded repository Report was evaluated from: the
	// pace needed and which commitments a record counts for come from
	// explaining its commitments. Nil: the figures alone are shown.
	Repository *repository.Repository
	Vocab      *promise.Vocabulary
	Promises   []*promise.Promise
	Today      calendar.Date // today in Europe/Stockholm: the default date
	Repo       string        // the repository's folder name, for the header
}

// Written is where a write went.
type Written struct {
	Commit string // the new commit's hash
	File   string // the record file, slash-separated from the root ("data/2022/hundsok.yaml")
	Line   int    // the line the (first) new record starts on
}

// Commit is one record commit of a person.
type Commit struct {
	Hash     string
	When     time.Time
	Summary  string // the commit message's first line
	Undoable bool   // theirs, of the last 24 hours, and not undone
	Undone   bool   // undone since
}

// Preview is an uploaded CSV file read row by row.
type Preview struct {
	Columns []string     // the header row's names
	Rows    []PreviewRow // the records, in file order
	Errors  []string     // problems of the file as a whole (no header, wrong encoding…)
}

// PreviewRow is one row of an uploaded file.
type PreviewRow struct {
	Line   int
	Cells  []PreviewCell // aligned with Preview.Columns
	Errors []string      // problems of the row not at one cell
}

// PreviewCell is one cell of a row and its problem, if any.
type PreviewCell struct {
	Value string
	Error string
}

// Bad reports whether the file or any row or cell has a problem.
func (p Preview) Bad() bool {
	if len(p.Errors) > 0 {
		return true
	}
	for _, r := range p.Rows {
		if r.bad() {
			return true
		}
	}
	return false
}

func (r PreviewRow) bad() bool {
	if len(r.Errors) > 0 {
		return true
	}
	for _, c := range r.Cells {
		if c.Error != "" {
			return true
		}
	}
	return false
}

// FieldError is a problem with one field of a record ("" for the record
// as a whole). Message is in Swedish, as the file validator says it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Invalid is a record that does not fit: nothing was written.
type Invalid struct {
	Errors []FieldError
}

func (e *Invalid) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, f := range e.Errors {
		msgs[i] = f.Message
	}
	return "posten passar inte: " + strings.Join(msgs, "; ")
}

// FieldErrors maps the problems record.CheckEntry (or record.AppendYAML)
// finds with an entry to the fields they are about: the field the
// validator tagged a problem with, else, from its message, a message
// "plats: …" is about plats, "… kräver fältet \"x\"" about x, an unknown
// party about by. A Backend turns its problems into *Invalid with it.
func FieldErrors(errs diag.List) []FieldError {
	var out []FieldError
	for _, d := range errs {
		if d.Severity != diag.Error {
			continue
		}
		msg := d.Message
		if d.Hint != "" {
			msg += " (" + d.Hint + ")"
		}
		field := d.Field // the validator's own tag
		if field == "" {
			field = fieldOf(d.Message)
		}
		out = append(out, FieldError{Field: field, Message: msg})
	}
	return out
}

func fieldOf(msg string) string {
	if name, _, ok := strings.Cut(msg, ": "); ok && fieldName(name) {
		return name
	}
	if _, rest, ok := strings.Cut(msg, "kräver fältet "); ok {
		return strings.Trim(rest, `"`)
	}
	if strings.HasPrefix(msg, "okänd part") || strings.Contains(msg, "by saknas") {
		return promise.FieldBy
	}
	if strings.Contains(msg, "date saknas") {
		return promise.FieldDate
	}
	return ""
}

// fieldName reports whether s looks like a field name: lower-case letters,
// digits and _.
func fieldName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Conflict is a record that could not be written because of the state of
// the repository on the server (a file with changes not committed):
// nothing was written, and the person can do nothing about it but tell
// whoever runs the server.
type Conflict struct {
	Message string
}

func (e *Conflict) Error() string { return e.Message }

// invalidOf returns the field errors of err when it is an *Invalid.
func invalidOf(err error) ([]FieldError, bool) {
	var inv *Invalid
	if errors.As(err, &inv) {
		return inv.Errors, true
	}
	return nil, false
}
