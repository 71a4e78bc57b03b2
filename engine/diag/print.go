package diag

import (
	"fmt"
	"io"
)

// Print writes each problem of l to w with its place, then, when file
// gives the bytes of the problem's file, the line with a caret under the
// place (Snippet). It is how every command and the watcher show problems.
func Print(w io.Writer, l List, file func(path string) []byte) error {
	for _, d := range l {
		if _, err := fmt.Fprintln(w, d.Error()); err != nil {
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
