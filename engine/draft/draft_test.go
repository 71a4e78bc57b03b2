package draft

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/internal/docread"
	"github.com/lofte/lofte/internal/docread/docreadtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/docs")

// TestSeed drafts the signed Mullsjö document and compares it with the
// bundled promise (rules/mullsjo.yaml): the same commitments per area,
// the same owners, the rules with numbers in the document the same, and
// manual where the bundled promise is manual.
func TestSeed(t *testing.T) {
	text, err := docread.Read("testdata/mullsjo-2021-2022.txt")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../../rules/mullsjo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want, errs := promise.ParsePromise("rules/mullsjo.yaml", src)
	if errs.Errors() > 0 {
		t.Fatal(errs)
	}
	d := Read(text, Options{Year: 2030})
	if d.First != 2021 || d.Last != 2022 || d.Title != want.Title {
		t.Errorf("title %q, years %d..%d; want %q, 2021..2022", d.Title, d.First, d.Last, want.Title)
	}
	perArea := func(areas []string) map[string]int {
		m := map[string]int{}
		for _, a := range areas {
			m[a]++
		}
		return m
	}
	var got, exp []string
	for _, c := range d.Commitments {
		got = append(got, c.Area)
	}
	for _, c := range want.Commitments {
		exp = append(exp, c.Area)
	}
	if g, w := perArea(got), perArea(exp); !mapsEqual(g, w) {
		t.Fatalf("commitments per area: %v, want %v", g, w)
	}
	// The document's numbers, as the bundled rules have them.
	rules := map[string]string{
		"droger.utvardering":   `count(utvardering, "polisen" in .by && "kommunen" in .by) per tertial >= 1`,
		"droger.hundsok":       `count(hundsok, .plats == "grundskola") per termin >= 1`,
		"droger.ledningsgrupp": `count(ledningsgrupp) >= 4`,
		"trafik.riktade": `count(trafikkontroll, .riktad_mot == "bilburen_ungdom" && .bilinspektor) >= 9 &&
count(trafikkontroll, .riktad_mot == "bilburen_ungdom" && .bilinspektor) per form >= 1`,
		"trafik.kontroller": `count(trafikkontroll) >= 104`,
	}
	right := 0
	for i, w := range want.Commitments {
		c := d.Commitments[i]
		ok := true
		if !slices.Equal(c.Owner, w.Owner) {
			t.Errorf("%s: owner %v, want %v", w.ID, c.Owner, w.Owner)
			ok = false
		}
		if c.Text != clean(w.Text) {
			t.Errorf("%s: text\n%q\nwant\n%q", w.ID, c.Text, w.Text)
			ok = false
		}
		switch r, counted := rules[w.ID]; {
		case w.Manual && !c.Manual:
			t.Errorf("%s: manual in the bundled promise, drafted %q", w.ID, c.Rule)
			ok = false
		case counted && c.Rule != r:
			t.Errorf("%s: rule\n%s\nwant\n%s", w.ID, c.Rule, r)
			ok = false
		case !w.Manual && !counted && !c.Manual:
			// The bundled promise reads a count the text does not give.
			t.Errorf("%s: the text gives no count, drafted %q", w.ID, c.Rule)
			ok = false
		}
		if ok {
			right++
		}
	}
	t.Logf("%d of %d commitments drafted as the bundled promise has them (or manual where the text gives no count)", right, len(want.Commitments))
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// docs are the made-up promise documents of testdata/docs, one style each.
var docs = []struct {
	file  string
	style string
	pdf   bool // the PDF writer of docreadtest has no tables
}{
	{"solby.md", "bullets under a lead line naming the party", true},
	{"ekeberga.md", "numbered lists", true},
	{"norrvik.md", "a table", false},
	{"strandas.md", "prose", true},
	{"bjorkliden.md", "headings naming the party", true},
	{"vasterfors.txt", "the seed's style: – lists, • bullets, headings without #", true},
}

// TestDocuments drafts each made-up document and compares it with its
// golden draft (testdata/docs/*.golden.yaml; -update rewrites them). The
// same document as .docx and as PDF gives the same draft.
func TestDocuments(t *testing.T) {
	for _, doc := range docs {
		t.Run(doc.file, func(t *testing.T) {
			text, err := docread.Read(filepath.Join("testdata/docs", doc.file))
			if err != nil {
				t.Fatal(err)
			}
			d := Read(text, Options{Year: 2030, Source: doc.file})
			got := d.YAML()
			acts, _, err := d.MergeActivities(nil)
			if err != nil {
				t.Fatal(err)
			}
			if errs := Verify("rules/"+d.ID+".yaml", got, acts); len(errs) > 0 {
				t.Fatalf("the draft does not pass check:\n%v\n%s", errs, got)
			}
			golden := filepath.Join("testdata/docs", strings.TrimSuffix(doc.file, filepath.Ext(doc.file))+".golden.yaml")
			full := string(got) + "\n# ==> rules/activities.yaml\n" + string(acts)
			if *update {
				if err := os.WriteFile(golden, []byte(full), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if full != string(want) {
				t.Errorf("draft differs from %s (go test -update to accept):\n%s", golden, full)
			}
			src, _ := os.ReadFile(filepath.Join("testdata/docs", doc.file))
			dir := t.TempDir()
			formats := map[string][]byte{"docx": docreadtest.Docx(string(src))}
			if doc.pdf && hasPdftotext(t) {
				formats["pdf"] = docreadtest.PDF(string(src))
			}
			for ext, data := range formats {
				path := filepath.Join(dir, "doc."+ext)
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				text, err := docread.Read(path)
				if err != nil {
					t.Fatal(err)
				}
				if other := Read(text, Options{Year: 2030, Source: doc.file}).YAML(); string(other) != string(got) {
					t.Errorf("as .%s the draft differs:\n%s\nread text:\n%s", ext, other, text)
				}
			}
		})
	}
}

// hasPdftotext says whether PDFs can be read here; CI (LOFTE_PDF_TEST=1)
// must have it.
func hasPdftotext(t *testing.T) bool {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("LOFTE_PDF_TEST") != "" {
			t.Fatal("LOFTE_PDF_TEST is set but pdftotext is missing")
		}
		t.Log("pdftotext is not installed: the PDF is not tried")
		return false
	}
	return true
}
