package diag

import (
	"fmt"
	"io"
)

// Print writes each problem of l to w with its place, then, when file
// gives the bytes of the problem's file, the line with a caret under the
// place (Snippet). It is how every command and the watcher show problems.
func Print(w io.Writer, l List, file func(path string) []byte) error {
	return PrintIn(w, l, file, "sv")
}

// PrintIn is Print in lang (sv or en, see Diagnostic.ErrorIn).
func PrintIn(w io.Writer, l List, file func(path string) []byte, lang string) error {
	for _, d := range l {
		if _, err := fmt.Fprintln(w, d.ErrorIn(lang)); err != nil {
			return err
		}
		if d.File == "" || file == nil {
			continue
		}
		if s := Snippet(file(d.File), d.Pos); s != "" {
			if _, err := fmt.Fprintln(w, s); err != nil {
				return err
			}
		}
	}
	return nil
}
