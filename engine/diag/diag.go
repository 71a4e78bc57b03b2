// Package diag holds positions and lists of problems found in a
// commitments repository, so that every message can name its place as
// file:line:column and all problems can be reported at once.
package diag

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/lofte/lofte/engine/privacy"
)

// Pos is a place in a file of the repository. Line and Col count from 1;
// zero means unknown. Col counts characters (runes), not bytes.
type Pos struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"column,omitempty"`
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Severity tells errors from warnings.
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one problem at one place.
type Diagnostic struct {
	Pos
	Severity Severity
	Message  string
	Hint     string // optional: what to do about it, or "menade du …?"
	// Field is the record field the problem is about ("date", "plats"),
	// when it is about one; a form shows the message at that field.
	Field string `json:"field,omitempty"`
}

func (d *Diagnostic) Error() string { return d.text("varning: ") }

// ErrorIn is Error in lang (sv or en): in English the message and the
// hint are put into English and a warning says "warning:".
func (d *Diagnostic) ErrorIn(lang string) string {
	if lang != "en" {
		return d.Error()
	}
	return d.In(lang).text("warning: ")
}

func (d *Diagnostic) text(warning string) string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.Pos.String())
		b.WriteString(": ")
	}
	if d.Severity == Warning {
		b.WriteString(warning)
	}
	b.WriteString(d.Message)
	if d.Hint != "" {
		b.WriteString(" (")
		b.WriteString(d.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// List collects diagnostics, in the manner of go/scanner.ErrorList.
type List []*Diagnostic

// Add appends an error at pos.
func (l *List) Add(pos Pos, hint, format string, args ...any) {
	*l = append(*l, &Diagnostic{Pos: pos, Severity: Error, Message: fmt.Sprintf(format, args...), Hint: hint})
}

// Warn appends a warning at pos.
func (l *List) Warn(pos Pos, hint, format string, args ...any) {
	*l = append(*l, &Diagnostic{Pos: pos, Severity: Warning, Message: fmt.Sprintf(format, args...), Hint: hint})
}

// Append adds all of other.
func (l *List) Append(other List) { *l = append(*l, other...) }

// Sort orders the list by file, line and column, errors before warnings.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Severity < b.Severity
	})
}

// Errors counts the diagnostics of severity Error.
func (l List) Errors() int {
	n := 0
	for _, d := range l {
		if d.Severity == Error {
			n++
		}
	}
	return n
}

// Err returns the list as an error when it holds at least one error, else nil.
func (l List) Err() error {
	if l.Errors() == 0 {
		return nil
	}
	return l
}

func (l List) Error() string {
	var b strings.Builder
	for i, d := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// Snippet returns the line of src at pos with a caret under the column,
// indented for a terminal, or "" when the line is unknown. An identity
// number on the line is masked character for character, so that no
// excerpt repeats one and the caret still points at its column
// (docs/reference.md §11).
func Snippet(src []byte, pos Pos) string {
	if pos.Line <= 0 || len(src) == 0 {
		return ""
	}
	lines := strings.Split(string(utf8Text(src)), "\n")
	if pos.Line > len(lines) {
		return ""
	}
	line := privacy.Mask(strings.TrimRight(lines[pos.Line-1], "\r"))
	col := max(pos.Col, 1)
	var pad strings.Builder
	for i, r := range []rune(line) {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	return "    " + line + "\n    " + pad.String() + "^"
}

// utf8Text returns src as UTF-8: a file that is not valid UTF-8 is read as
// Windows-1252, as the record reader reads it (Excel's plain "CSV" export),
// so that an excerpt shows the characters the records were read with.
func utf8Text(src []byte) []byte {
	if utf8.Valid(src) {
		return src
	}
	if out, err := charmap.Windows1252.NewDecoder().Bytes(src); err == nil {
		return out
	}
	return src
}
