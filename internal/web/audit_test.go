package web

import (
	"net/http"
	"net/url"
	"testing"
)

// TestNoteOnSeveralLines: the note of an assessment is a box of several
// lines; what is written in it on several lines is kept, on one line (a
// record's value is one line, docs/reference.md §4), not refused.
func TestNoteOnSeveralLines(t *testing.T) {
	f := newFixture(t)
	w := f.form("/registrera/assessment", official, url.Values{"commitment": {"droger.samverkan"}, "status": {"behind"},
		"note": {"Färre möten än planerat.\r\nSkolan byter rektor.\r\n\r\n"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	contains(t, f.file("data/2022/assessment.yaml"), "note: Färre möten än planerat. Skolan byter rektor.")
}
