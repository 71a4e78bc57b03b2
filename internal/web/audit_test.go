package web

import (
	"net/http"
	"net/url"
	"regexp"
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

// TestDoubleSubmission: a form sent twice (a double click, or sent again
// after the answer was lost) is recorded once: the second sending leads
// to the confirmation of the first, and no second commit is made.
func TestDoubleSubmission(t *testing.T) {
	f := newFixture(t)
	w := f.do("GET", "/registrera/hundsok", officer, "", nil)
	m := regexp.MustCompile(`name="engang" value="([^"]+)"`).FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("no one-time key in the form:\n%s", w.Body)
	}
	v := url.Values{"engang": {m[1]}, "by": {"polisen"}, "plats": {"annan"}, "skola": {"Centralskolan"}}
	before := len(f.b.log())
	first := f.form("/registrera/hundsok", officer, v)
	second := f.form("/registrera/hundsok", officer, v)
	if first.Code != http.StatusSeeOther || second.Code != http.StatusSeeOther {
		t.Fatalf("answers %d, %d", first.Code, second.Code)
	}
	if a, b := first.Header().Get("Location"), second.Header().Get("Location"); a != b {
		t.Errorf("second sending leads to %q, not to the first's %q", b, a)
	}
	if n := len(f.b.log()) - before; n != 1 {
		t.Errorf("%d commits, want 1", n)
	}
	// Another person's sending with the same key is theirs.
	v.Set("by", "kommunen")
	if w := f.form("/registrera/hundsok", official, v); w.Code != http.StatusSeeOther {
		t.Errorf("another person: %d", w.Code)
	}
	// A form sent with an error keeps its key, and is recorded once put right.
	w = f.do("GET", "/registrera/hundsok", officer, "", nil)
	key := regexp.MustCompile(`name="engang" value="([^"]+)"`).FindStringSubmatch(w.Body.String())[1]
	w = f.form("/registrera/hundsok", officer, url.Values{"engang": {key}, "by": {"polisen"}})
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("without plats: %d", w.Code)
	}
	contains(t, w.Body.String(), `name="engang" value="`+key+`"`)
	if w := f.form("/registrera/hundsok", officer, url.Values{"engang": {key}, "by": {"polisen"}, "plats": {"annan"}}); w.Code != http.StatusSeeOther {
		t.Errorf("put right: %d %s", w.Code, w.Body)
	}
}

// TestUploadConfirmedTwice: the confirmation of an uploaded file sent
// twice saves the file once.
func TestUploadConfirmedTwice(t *testing.T) {
	f := newFixture(t)
	ct, body := upload(t, "hundsok.csv", "date;type;by;plats\n2022-08-01;hundsok;polisen;grundskola\n")
	w := f.do("POST", "/ladda-upp", officer, ct, body)
	if w.Code != 200 {
		t.Fatalf("preview: %d %s", w.Code, w.Body)
	}
	form := url.Values{}
	for _, m := range hiddenRe.FindAllStringSubmatch(w.Body.String(), -1) {
		form.Set(m[1], m[2])
	}
	before := len(f.b.log())
	first := f.form("/ladda-upp/spara", officer, form)
	second := f.form("/ladda-upp/spara", officer, form)
	if first.Code != http.StatusSeeOther || second.Code != http.StatusSeeOther {
		t.Fatalf("answers %d, %d: %s", first.Code, second.Code, second.Body)
	}
	if a, b := first.Header().Get("Location"), second.Header().Get("Location"); a != b {
		t.Errorf("second confirmation leads to %q, not %q", b, a)
	}
	if n := len(f.b.log()) - before; n != 1 {
		t.Errorf("%d commits, want 1", n)
	}
}
