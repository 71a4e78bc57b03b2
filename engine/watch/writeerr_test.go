package watch

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/eval"
)

// closedFile is an output that can no longer be written: a real file,
// closed.
func closedFile(t *testing.T) *os.File {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "ut"))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	return f
}

// An error writing a sink's output is told on its error output, once
// until a write succeeds again, and the sink keeps taking events.
func TestSinkWriteErrors(t *testing.T) {
	at := stockholm(2022, 9, 1, 14, 3, 12)
	tr := Transition{Promise: "p", Year: 2022, Commitment: "c", From: eval.Behind, To: eval.OnTrack, Reason: "r"}
	change := Event{Kind: Change, Time: at, Transition: &tr}
	const told = "2022-09-01 14:03:12 fel: kan inte skriva utdata: write "

	var errs bytes.Buffer
	ts := &TextSink{Out: closedFile(t), Err: &errs}
	ts.Event(change)
	ts.Event(change)
	if n := strings.Count(errs.String(), told); n != 1 || ts.WriteErr() == nil {
		t.Errorf("text sink: told %d times, WriteErr %v:\n%s", n, ts.WriteErr(), errs.String())
	}
	var out bytes.Buffer
	ts.Out = &out
	ts.Event(change)
	if ts.WriteErr() != nil || out.Len() == 0 {
		t.Errorf("text sink after the output came back: WriteErr %v, output %q", ts.WriteErr(), out.String())
	}

	errs.Reset()
	js := &JSONSink{Out: closedFile(t), Err: &errs}
	js.Event(change)
	js.Event(change)
	if n := strings.Count(errs.String(), told); n != 1 || js.WriteErr() == nil {
		t.Errorf("JSON sink: told %d times, WriteErr %v:\n%s", n, js.WriteErr(), errs.String())
	}
}
