package draft

import (
	"os"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/promise"
)

// TestMergeKeepsEverything merges the seed's activity types into the
// bundled activities.yaml: every line there stays, the types it has are
// used as they are, and the draft compiles against the result.
func TestMergeKeepsEverything(t *testing.T) {
	existing, err := os.ReadFile("../../rules/activities.yaml")
	if err != nil {
		t.Fatal(err)
	}
	voc, _ := promise.ParseVocabulary(promise.ActivitiesFile, existing)
	text, _ := os.ReadFile("testdata/mullsjo-2021-2022.txt")
	d := Read(string(text), Options{Year: 2030, Vocabulary: voc})
	merged, added, err := d.MergeActivities(existing)
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 0 || string(merged) != string(existing) {
		t.Errorf("added %v to a vocabulary that has every type", added)
	}

	// A small file with one of the types and another top-level key after
	// activities: the new types go between, nothing else moves.
	small := "# mina typer\nactivities:\n    hundsok:\n        title: Hundsök   # behåll\n        fields:\n            plats: string\nextra: 1\n"
	voc, _ = promise.ParseVocabulary(promise.ActivitiesFile, []byte(small))
	d = Read(string(text), Options{Year: 2030, Vocabulary: voc})
	merged, added, err = d.MergeActivities([]byte(small))
	if err == nil {
		t.Fatalf("a file with a key beside activities: is an error in activities.yaml; merged:\n%s", merged)
	}
	small = strings.Replace(small, "extra: 1\n", "", 1)
	merged, added, err = d.MergeActivities([]byte(small))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(merged), small) {
		t.Errorf("the old lines changed:\n%s", merged)
	}
	if strings.Join(added, ",") != "utvardering,ledningsgrupp,trafikkontroll" {
		t.Errorf("added %v", added)
	}
	if !strings.Contains(string(merged), "\n    trafikkontroll:\n      title: Trafikkontroll\n") {
		t.Errorf("new types not at the file's indent:\n%s", merged)
	}
	if errs := Verify("rules/mullsjo.yaml", d.YAML(), merged); len(errs) > 0 {
		t.Errorf("draft against the merged file: %v", errs)
	}
	// hundsok has plats as a string: the condition on grundskola is left
	// out, with a comment, rather than changing the type.
	for _, c := range d.Commitments {
		if c.ID == "droger.hundsok" && (c.Rule != "count(hundsok) per termin >= 1" || !strings.Contains(strings.Join(c.Notes, "\n"), "utelämnat")) {
			t.Errorf("hundsok: %q %q", c.Rule, c.Notes)
		}
	}
}

// TestNextYear copies the bundled promise to 2023: new id, title and
// valid, everything else (commitment ids, rules, comments) the same.
func TestNextYear(t *testing.T) {
	src, err := os.ReadFile("../../rules/mullsjo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out, id, err := NextYear(src, "rules/mullsjo.yaml", 2023)
	if err != nil {
		t.Fatal(err)
	}
	if id != "mullsjo-2023" {
		t.Errorf("id %q", id)
	}
	p, errs := promise.ParsePromise("rules/mullsjo-2023.yaml", out)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	old, _ := promise.ParsePromise("rules/mullsjo.yaml", src)
	if p.ID != "mullsjo-2023" || p.Title != "Medborgarlöfte Mullsjö 2023" || p.Valid.First != 2023 || p.Valid.Last != 2023 {
		t.Errorf("promise %q %q %v", p.ID, p.Title, p.Valid)
	}
	if len(p.Commitments) != len(old.Commitments) {
		t.Fatalf("%d commitments, want %d", len(p.Commitments), len(old.Commitments))
	}
	for i, c := range p.Commitments {
		if c.ID != old.Commitments[i].ID || c.Rule.Value != old.Commitments[i].Rule.Value {
			t.Errorf("commitment %d: %s %q, want %s %q", i, c.ID, c.Rule.Value, old.Commitments[i].ID, old.Commitments[i].Rule.Value)
		}
	}
	// Every line but the three changed stays.
	a, b := strings.Split(string(src), "\n"), strings.Split(string(out), "\n")
	b = b[len(b)-len(a):]
	changed := 0
	for i := range a {
		if a[i] != b[i] {
			changed++
		}
	}
	if changed != 3 {
		t.Errorf("%d lines changed, want 3 (promise, title, valid)", changed)
	}
	// A promise already for a year: its year suffix is replaced.
	out2, id2, err := NextYear(out, "rules/mullsjo-2023.yaml", 2024)
	if err != nil || id2 != "mullsjo-2024" || !strings.Contains(string(out2), "valid: 2024\n") {
		t.Errorf("%q %v", id2, err)
	}
}

// FuzzRead drafts any text: never a panic, and the draft always passes
// the compile check against its own activity types.
func FuzzRead(f *testing.F) {
	seed, _ := os.ReadFile("testdata/mullsjo-2021-2022.txt")
	f.Add(string(seed))
	for _, d := range docs {
		b, _ := os.ReadFile("testdata/docs/" + d.file)
		f.Add(string(b))
	}
	f.Add("- Polisen ska 3 gånger per termin\n| a | b |\n# \n1. ")
	f.Fuzz(func(t *testing.T, text string) {
		d := Read(text, Options{Year: 2024})
		y := d.YAML()
		acts, _, err := d.MergeActivities(nil)
		if err != nil {
			t.Fatal(err)
		}
		if errs := Verify("rules/x.yaml", y, acts); errs.Errors() > 0 {
			t.Fatalf("draft fails check: %v\n%s\n%s", errs, y, acts)
		}
	})
}
