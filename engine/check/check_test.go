package check

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/ruletest"
	"github.com/lofte/lofte/engine/source"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// snapshot reads a test repository from testdata/name, without git.
func snapshot(t *testing.T, name string) (*source.Snapshot, map[string][]byte) {
	t.Helper()
	root := filepath.Join("testdata", name)
	snap := &source.Snapshot{Root: root}
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(p)
		snap.Files = append(snap.Files, source.File{Path: rel, Data: data})
		files[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap, files
}

func run(t *testing.T, name string) (text, json string, errors int) {
	t.Helper()
	snap, files := snapshot(t, name)
	r := repository.Load(snap)
	_, testErrs := ruletest.Parse(files, r)
	diags := Check(Input{Repo: r, Files: files, Today: calendar.NewDate(2022, 9, 1), Extra: testErrs})
	var tb, jb bytes.Buffer
	if err := Text(&tb, diags, files); err != nil {
		t.Fatal(err)
	}
	if err := JSON(&jb, diags); err != nil {
		t.Fatal(err)
	}
	return tb.String(), jb.String(), diags.Errors()
}

func golden(t *testing.T, file, got string) {
	t.Helper()
	p := filepath.Join("testdata", file)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", file, diff)
	}
}

// TestManyMistakes: a repository with many mistakes at once gets every
// one of them, sorted by place, each with its line, caret and hint.
func TestManyMistakes(t *testing.T) {
	text, json, errors := run(t, "many")
	golden(t, "many.golden", text)
	golden(t, "many.json.golden", json)
	if errors == 0 {
		t.Error("no errors")
	}
	for _, want := range []string{
		`okänd aktivitetstyp "trafikkontrol"`,   // unknown activity in a rule
		`har inget fält "from"`,                 // unknown field
		`okänt fönster eller fält "termn"`,      // unknown window
		`okänd part "polisn"`,                   // unknown party of an owner
		`okänd part "polis"`,                    // unknown party of a record
		"ska ge sant eller falskt",              // a non-boolean rule
		`"trafik.kontroller" finns redan`,       // duplicate commitment id
		"saknar nyckeln valid",                  // a promise with no valid
		"löftet demo gäller redan",              // overlapping validity
		"överlappar",                            // overlapping terms
		"före sin början",                       // a term that runs backwards
		`"cvil" är inget tillåtet värde`,        // a record that fails the vocabulary
		"okänd fälttyp",                         // a bad vocabulary
		"personnummer",                          // personal data
		"varning: posten är daterad 2099-01-01", // a record in the future
		"varning: aktivitetstypen samverkansmote används inte",
		"varning: droger.terminer räknar per termin, men 2023-VT och 2023-HT står inte",
		"varning: åtagandet droger.ledning: inga poster av typen ledningsgrupp under 2022",
		`löftet demo har inget åtagande "trafik.kontroler"`, // a bad rule test
		"menade du `trafikkontroll`?",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
}

func TestClean(t *testing.T) {
	text, _, errors := run(t, "clean")
	if errors != 0 || text != "Inga fel och inga varningar.\n" {
		t.Errorf("%d errors:\n%s", errors, text)
	}
}

// snapshotOf is a repository of the given files, without git.
func snapshotOf(files map[string]string) (*source.Snapshot, map[string][]byte) {
	snap := &source.Snapshot{Root: "."}
	data := map[string][]byte{}
	for p, s := range files {
		snap.Files = append(snap.Files, source.File{Path: p, Data: []byte(s)})
		data[p] = []byte(s)
	}
	return snap, data
}

const yearsPromise = `promise: demo
title: Demo
parties:
  polisen: Polisen
  kommunen: Kommunen
valid: 2022..2023
commitments:
  - id: trafik.kontroller
    owner: polisen
    text: Minst tre.
    rule: count(trafikkontroll) >= 3
  - id: droger.samverkan
    owner: kommunen
    text: Samverkan.
    assess: manual
`

// TestYears: a year with no record of any commitment gets one line for
// the promise, not one per commitment; a year that has ended on an
// interim assessment gets a warning for that commitment
// (docs/reference.md §7, closed period).
func TestYears(t *testing.T) {
	cases := []struct {
		name  string
		data  string
		today calendar.Date
		want  []string
		not   []string
	}{
		{"a year not begun: one line", `- {date: 2022-02-01, type: trafikkontroll, by: polisen}
- {date: 2022-12-20, type: assessment, by: kommunen, commitment: droger.samverkan, status: met}
`, calendar.NewDate(2023, 1, 10),
			[]string{"varning: löftet demo har inga poster alls under 2023: inget av dess 2 åtaganden har något att räkna än"},
			[]string{"inga poster av typen trafikkontroll", "ingen bedömning under"}},
		{"one commitment without records: its own line", `- {date: 2023-01-05, type: trafikkontroll, by: polisen}
- {date: 2022-02-01, type: trafikkontroll, by: polisen}
- {date: 2022-12-20, type: assessment, by: kommunen, commitment: droger.samverkan, status: met}
`, calendar.NewDate(2023, 1, 10),
			[]string{"varning: åtagandet droger.samverkan har ingen bedömning under 2023"},
			[]string{"inga poster alls", "delbedömning"}},
		{"an ended year on an interim assessment", `- {date: 2022-02-01, type: trafikkontroll, by: polisen}
- {date: 2022-04-26, type: assessment, by: kommunen, commitment: droger.samverkan, status: met}
- {date: 2022-09-01, type: assessment, by: kommunen, commitment: droger.samverkan, status: on_track}
- {date: 2023-01-05, type: trafikkontroll, by: polisen}
- {date: 2023-01-05, type: assessment, by: kommunen, commitment: droger.samverkan, status: on_track}
`, calendar.NewDate(2023, 1, 10),
			[]string{"varning: åtagandet droger.samverkan: 2022 är slut, men den senaste bedömningen (2022-09-01, on_track) är en delbedömning: slutbedömning saknas, och åtagandet är ej bedömt för 2022",
				"lägg till en slutbedömning (met, missed eller unassessed) daterad senast 2022-12-31"},
			[]string{"2023 är slut"}},
		{"a final assessment closes the year", `- {date: 2022-02-01, type: trafikkontroll, by: polisen}
- {date: 2022-09-01, type: assessment, by: kommunen, commitment: droger.samverkan, status: on_track}
- {date: 2022-12-20, type: assessment, by: kommunen, commitment: droger.samverkan, status: unassessed}
`, calendar.NewDate(2023, 1, 10),
			nil, []string{"delbedömning"}},
		{"a running year may end on an interim assessment", `- {date: 2022-02-01, type: trafikkontroll, by: polisen}
- {date: 2022-09-01, type: assessment, by: kommunen, commitment: droger.samverkan, status: on_track}
`, calendar.NewDate(2022, 12, 31),
			nil, []string{"delbedömning"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			act, err := os.ReadFile("testdata/clean/rules/activities.yaml")
			if err != nil {
				t.Fatal(err)
			}
			snap, files := snapshotOf(map[string]string{"rules/activities.yaml": string(act), "rules/demo.yaml": yearsPromise, "data/poster.yaml": c.data})
			r := repository.Load(snap)
			var b bytes.Buffer
			if err := Text(&b, Check(Input{Repo: r, Files: files, Today: c.today}), files); err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("no %q in\n%s", w, b.String())
				}
			}
			for _, w := range c.not {
				if strings.Contains(b.String(), w) {
					t.Errorf("%q in\n%s", w, b.String())
				}
			}
		})
	}
}
