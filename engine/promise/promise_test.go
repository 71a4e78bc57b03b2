package promise

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/diag"
)

var update = flag.Bool("update", false, "rewrite the .err files")

// TestBadFiles decodes testdata/*.bad.yaml and compares every diagnostic,
// with its place, with the sibling .err file.
func TestBadFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.bad.yaml")
	if len(files) == 0 {
		t.Fatal("no test files")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".bad.yaml")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			rel := filepath.Base(file)
			var errs diag.List
			switch name {
			case "activities":
				_, errs = ParseVocabulary(rel, src)
			case "calendar":
				_, errs = ParseCalendar(rel, src)
			default:
				_, errs = ParsePromise(rel, src)
			}
			errs.Sort()
			got := errs.Error() + "\n"
			want := strings.TrimSuffix(file, ".bad.yaml") + ".err"
			if *update {
				os.WriteFile(want, []byte(got), 0o644)
			}
			w, err := os.ReadFile(want)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(w) {
				t.Errorf("got:\n%swant:\n%s", got, w)
			}
		})
	}
}

// TestRulePositions checks that every character of a rule is placed where
// it stands in the file, for plain, quoted, literal and folded scalars.
func TestRulePositions(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		at   string // a substring of the rule whose place is checked
		line int
		col  int
	}{
		{"plain", "    rule: count(x) >= 104\n", ">=", 7, 20},
		{"double quoted", "    rule: \"count(x, .a == \\\"å\\\") >= 1\"\n", ">=", 7, 34},
		{"single quoted", "    rule: 'count(x) >= 1'\n", ">=", 7, 21},
		{"literal", "    rule: |\n      count(x) >= 9 &&\n        count(y) >= 1\n", "count(y)", 9, 9},
		{"folded", "    rule: >-\n      count(x)\n      per termin >= 1\n", "per", 9, 7},
		{"folded after å", "    rule: >\n      count(x, .å == \"ö\")\n      >= 1\n", ">=", 9, 7},
		{"plain multi-line", "    rule: count(x)\n      >= 1\n", ">=", 8, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "promise: p\nvalid: 2022\ncommitments:\n  - id: a\n    owner: polisen\n    area: x\n" + tt.yaml
			p, errs := ParsePromise("p.yaml", []byte(src))
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			r := p.Commitments[0].Rule
			i := strings.Index(r.Value, tt.at)
			if i < 0 {
				t.Fatalf("%q not in rule %q", tt.at, r.Value)
			}
			pos := r.Pos(len([]rune(r.Value[:i])))
			if pos.Line != tt.line || pos.Col != tt.col {
				t.Errorf("%q at %d:%d, want %d:%d (rule %q)", tt.at, pos.Line, pos.Col, tt.line, tt.col, r.Value)
			}
		})
	}
}

func TestParseGood(t *testing.T) {
	src := `promise: p
title: Löfte
parties:
  polisen: Polisen
  kommunen: Kommunen
areas: {trafik: Trafik}
valid: 2021..2022
commitments:
  - id: trafik.kontroller
    area: trafik
    owner: [polisen, kommunen]
    text: >-
      Minst 104
      kontroller.
    rule: count(x) >= 104
    tolerance: 0.1
    warn_within: 14
    pace: [1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1]
  - id: manuell
    area: trafik
    owner: kommunen
    assess: manual
`
	p, errs := ParsePromise("p.yaml", []byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	c := p.Commitments[0]
	if p.ID != "p" || p.Valid.First != 2021 || p.Valid.Last != 2022 || !p.Governs(2022) || p.Governs(2023) {
		t.Errorf("promise = %+v", p)
	}
	if c.Text != "Minst 104 kontroller." || c.Tolerance != 0.1 || c.WarnWithin != 14 || c.Pace.Kind != PaceMonthly || c.Pace.Weights[6] != 0 {
		t.Errorf("commitment = %+v", c)
	}
	if len(c.Owner) != 2 || p.AreaTitle("trafik") != "Trafik" || p.AreaTitle("droger") != "Droger" {
		t.Errorf("owner %v, areas %v", c.Owner, p.Areas)
	}
	if m := p.Commitments[1]; !m.Manual || m.WarnWithin != DefaultWarnWithin {
		t.Errorf("manual = %+v", m)
	}
}
