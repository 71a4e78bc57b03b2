package ruletest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

const activities = `activities:
  hundsok:
    fields:
      plats: {enum: [grundskola, gymnasium], required: true}
  trafikkontroll:
    fields:
      form: {enum: [civil, uniformerad]}
`

const demo = `promise: demo
title: Demo
parties:
  polisen: Polisen
valid: 2022
commitments:
  - id: hundsok
    owner: polisen
    text: Ett hundsök per termin.
    rule: count(hundsok, .plats == "grundskola") per termin >= 1
  - id: kontroller
    owner: polisen
    text: Tolv kontroller.
    rule: count(trafikkontroll) >= 12
  - id: bedoms
    owner: polisen
    text: Bedöms.
    assess: manual
`

func repo(t *testing.T, tests map[string]string) (*repository.Repository, map[string][]byte) {
	t.Helper()
	files := map[string][]byte{"rules/activities.yaml": []byte(activities), "rules/demo.yaml": []byte(demo)}
	for p, s := range tests {
		files[p] = []byte(s)
	}
	snap := &source.Snapshot{Root: "/x"}
	for _, p := range []string{"rules/activities.yaml", "rules/demo.yaml"} {
		snap.Files = append(snap.Files, source.File{Path: p, Data: files[p]})
	}
	r := repository.Load(snap)
	if r.Diags.Errors() > 0 {
		t.Fatal(r.Diags)
	}
	return r, files
}

const passing = `tests:
  - name: hundsök båda terminerna
    promise: demo
    period: 2022
    records:
      - {date: 2022-02-01, type: hundsok, by: polisen, plats: grundskola}
      - {date: 2022-09-01, type: hundsok, by: polisen, plats: grundskola}
    expect:
      hundsok: {status: met, windows: {2022-VT: uppfyllt, 2022-HT: met}}
  - name: kontroller i augusti
    promise: demo
    period: 2022
    as_of: 2022-08-31
    records:
      - {date: 2022-02-01, type: trafikkontroll, by: polisen, repeat: 8}
    expect:
      kontroller: {status: i fas, value: 8}
      bedoms: ej bedömt
  - name: egna åtaganden
    commitments:
      - id: tak
        owner: polisen
        text: Högst två.
        rule: count(trafikkontroll, .form == "civil") <= 2
    as_of: 2022-06-30
    records:
      - {date: 2022-02-01, type: trafikkontroll, by: polisen, form: civil}
      - {date: 2022-02-02, type: trafikkontroll, by: polisen, form: uniformerad, repeat: 5}
    expect:
      tak: {status: on_track, value: 1}
`

const failing = `tests:
  - name: fel förväntan
    promise: demo
    period: 2022
    records:
      - {date: 2022-02-01, type: hundsok, by: polisen, plats: grundskola}
      - {date: 2022-09-01, type: hundsok, by: polisen, plats: gymnasium}
    expect:
      hundsok: {status: met, windows: {2022-HT: met}}
      kontroller: {status: missed, value: 3}
  - name: går igenom
    promise: demo
    period: 2022
    expect:
      kontroller: missed
`

func TestPassingSuite(t *testing.T) {
	r, files := repo(t, map[string]string{"rules/demo_test.yaml": passing})
	tests, errs := Parse(files, r)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	results := Run(r, tests)
	var b bytes.Buffer
	if err := Text(&b, results, "sv"); err != nil {
		t.Fatal(err)
	}
	want := `ok    rules/demo_test.yaml:2:5  hundsök båda terminerna
ok    rules/demo_test.yaml:10:5  kontroller i augusti
ok    rules/demo_test.yaml:19:5  egna åtaganden
3 tester: alla godkända.
`
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestFailingSuite(t *testing.T) {
	r, files := repo(t, map[string]string{"rules/sub/demo_test.yml": failing, "rules/demo_test.yaml": passing})
	tests, errs := Parse(files, r)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	results := Run(r, tests)
	if passed, failed := Summary(results); passed != 4 || failed != 1 {
		t.Errorf("passed %d, failed %d", passed, failed)
	}
	var b bytes.Buffer
	if err := Text(&b, results[3:], "sv"); err != nil {
		t.Fatal(err)
	}
	want := `FAIL  rules/sub/demo_test.yml:2:5  fel förväntan
        hundsok: väntade uppfyllt, fick ej uppfyllt (2022-VT: 1 av 1; 2022-HT: 0 av 1)  [rules/sub/demo_test.yml:9:7]
        hundsok: 2022-HT väntade uppfyllt, fick ej uppfyllt (0 av 1)  [rules/sub/demo_test.yml:9:40]
          räknade poster: rules/sub/demo_test.yml:6:9 (2022-02-01)
        kontroller: värde väntade 3, fick 0 (0 av 12)  [rules/sub/demo_test.yml:10:7]
          räknade poster: inga
ok    rules/sub/demo_test.yml:11:5  går igenom
2 tester: 1 godkända, 1 underkända.
`
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	b.Reset()
	if err := Text(&b, results[3:], "en"); err != nil {
		t.Fatal(err)
	}
	wantEn := `FAIL  rules/sub/demo_test.yml:2:5  fel förväntan
        hundsok: expected met, got missed (2022-VT: 1 of 1; 2022-HT: 0 of 1)  [rules/sub/demo_test.yml:9:7]
        hundsok: 2022-HT expected met, got missed (0 of 1)  [rules/sub/demo_test.yml:9:40]
          counted records: rules/sub/demo_test.yml:6:9 (2022-02-01)
        kontroller: value expected 3, got 0 (0 of 12)  [rules/sub/demo_test.yml:10:7]
          counted records: none
ok    rules/sub/demo_test.yml:11:5  går igenom
2 tests: 1 passed, 1 failed.
`
	if d := cmp.Diff(wantEn, b.String()); d != "" {
		t.Errorf("English (-want +got)\n%s", d)
	}
	b.Reset()
	if err := JSON(&b, results, nil); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"passed": 4`, `"failed": 1`, `"what": "2022-HT"`, `"want": "3"`} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("no %s in %s", s, b.String())
		}
	}
}

func TestBadFiles(t *testing.T) {
	r, files := repo(t, map[string]string{
		"rules/a_test.yaml": `tests:
  - name: okänt löfte
    promise: dem
    period: 2022
    expect: {x: met}
  - name: okänt åtagande och status
    promise: demo
    period: 2022
    expect:
      hundsk: met
      kontroller: klar
  - name: dålig post
    promise: demo
    period: 2022
    records:
      - {date: 2022-13-01, type: hundsok, by: polisen, plats: grundskola}
      - {date: 2022-02-01, type: hundsok, by: polis, plats: grundskola, repeat: noll}
    expect:
      hundsok: met
  - name: egen regel med fel
    commitments:
      - {id: x, owner: polisen, text: X, rule: count(trafikkontrol) >= 1}
    period: 2022
    expect:
      x: met
  - name: utan period
    promise: demo
    expect:
      hundsok: met
  - name: går att köra
    promise: demo
    period: 2022
    expect:
      kontroller: missed
  - name: går att köra
    promise: demo
    period: 2022
    expect:
      kontroller: missed
  - tanke: nej
`,
		"rules/b_test.yaml": "tests: [\n",
	})
	tests, errs := Parse(files, r)
	if len(tests) != 1 || tests[0].Name != "går att köra" {
		t.Errorf("%d tests can run", len(tests))
	}
	got := errs.Error()
	for _, want := range []string{
		`rules/a_test.yaml:3:14: okänt löfte "dem" (menade du ` + "`demo`" + `?)`,
		`rules/a_test.yaml:10:7: löftet demo har inget åtagande "hundsk" (menade du ` + "`hundsok`" + `?)`,
		`rules/a_test.yaml:11:19: okänd status "klar"`,
		`rules/a_test.yaml:16:16: date: "2022-13-01"`,
		`rules/a_test.yaml:17:47: okänd part "polis"`,
		`rules/a_test.yaml:17:81: repeat ska vara ett heltal`,
		`rules/a_test.yaml:22:54: åtagandet x: okänd aktivitetstyp "trafikkontrol"`,
		`rules/a_test.yaml:26:5: testet saknar period`,
		`rules/a_test.yaml:35:5: testet "går att köra" finns redan på rad 30`,
		`rules/a_test.yaml:40:5: okänd nyckel "tanke" i testet`,
		`rules/b_test.yaml:1:1: YAML-fel`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
}

// TestWordInEnglish: the figures and texts of a failure in English.
func TestWordInEnglish(t *testing.T) {
	for sv, en := range map[string]string{
		"uppfyllt":                           "met",
		"5, högst 3":                         "5, at most 3",
		"1 av 10, förväntat 6":               "1 of 10, expected 6",
		"2022-VT: 1 av 1; 2022-HT: 0,5 av 1": "2022-VT: 1 of 1; 2022-HT: 0.5 of 1",
		"fönstren är inga":                   "the windows are none",
		"fönstren är 2022-VT, 2022-HT":       "the windows are 2022-VT, 2022-HT",
		"fel: regeln kunde inte beräknas: sum av en lista med ett tomt värde: skriv t.ex. .antal ?? 0": "error: the rule could not be computed: sum of a list with an empty value: write e.g. .antal ?? 0",
	} {
		if got := word("en", sv); got != en {
			t.Errorf("word(en, %q) = %q, want %q", sv, got, en)
		}
		if got := word("sv", sv); got != sv {
			t.Errorf("word(sv, %q) = %q", sv, got)
		}
	}
}
