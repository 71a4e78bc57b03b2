package explain

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// langRepo has a commitment for each kind of sentence explain says. Its
// ids and names have no Swedish letters, so that any Swedish left in the
// English output shows.
const langRepo = `-- rules/activities.yaml --
activities:
  hundsok:
    fields:
      plats: {enum: [grundskola, gymnasium], required: true}
  kontroll:
    fields:
      form: {enum: [civil, uniformerad]}
      alkohol: bool
      med: {list: string}
      antal: number
  utbildning:
    fields:
      deltagare: int
-- rules/calendar.yaml --
terms:
  2021-HT: 2021-08-23..2022-01-10
  2022-VT: 2022-01-11..2022-06-17
  2022-HT: 2022-08-22..2022-12-21
-- rules/demo.yaml --
promise: demo
title: Demo
parties:
  polisen: Polisen
  kommunen: Kommunen
valid: 2022
commitments:
  - id: kontroller
    owner: polisen
    text: Ten.
    rule: count(kontroll, .alkohol) >= 10
    tolerance: 0.1
  - id: med
    owner: polisen
    text: Two.
    rule: count(kontroll, "skola" in (.med ?? []) && (.antal ?? 0) > 1) >= 2
  - id: hundsok
    owner: polisen
    text: One a term.
    rule: count(hundsok, .plats == "grundskola") per termin >= 1
  - id: per-form
    owner: polisen
    text: Two of each.
    rule: count(kontroll) per form >= 2
  - id: tak
    owner: polisen
    text: Few.
    rule: count(kontroll) per kvartal <= 2 && count(hundsok) < 10
  - id: exakt
    owner: polisen
    text: Four.
    rule: count(hundsok) == 4
  - id: deltagare
    owner: kommunen
    text: Thirty.
    rule: sum(map(utbildning, .deltagare ?? 0)) >= 30
    pace: [1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1]
  - id: fler
    owner: kommunen
    text: More than five.
    rule: count(utbildning) > 5
    pace: none
  - id: sent
    owner: polisen
    text: Ten searches.
    rule: count(hundsok) >= 10
    pace: none
    warn_within: 200
  - id: saknas
    owner: kommunen
    text: Thirty, strictly.
    rule: sum(map(utbildning, .deltagare)) >= 30
  - id: uttryck
    owner: polisen
    text: Every form.
    rule: all(kontroll, .form != nil)
  - id: fem
    owner: polisen
    text: Five.
    rule: count(hundsok) == 5
  - id: fler-an
    owner: kommunen
    text: More than five, at a pace.
    rule: count(utbildning) > 5
  - id: vecka
    owner: polisen
    text: Thirty together.
    rule: count(kontroll, "kommunen" in .by && .type == "kontroll" && .alkohol) >= 30
  - id: kvot
    owner: polisen
    text: A quotient.
    rule: count(kontroll) % (count(kontroll) - 6) == 0
  - id: nagon
    owner: polisen
    text: Any.
    rule: any(kontroll, .alkohol)
  - id: manuell
    owner: kommunen
    text: Assessed.
    assess: manual
  - id: utan-anteckning
    owner: kommunen
    text: Assessed without a note.
    assess: manual
  - id: utan
    owner: kommunen
    text: Never assessed.
    assess: manual
-- data/hundsok.yaml --
- {date: 2021-12-01, type: hundsok, by: polisen, plats: grundskola}
- {date: 2022-01-05, type: hundsok, by: polisen, plats: grundskola}
- {date: 2022-02-16, type: hundsok, by: polisen, plats: grundskola}
- {date: 2022-03-01, type: hundsok, by: polisen, plats: gymnasium}
- {date: 2022-07-05, type: hundsok, by: polisen, plats: grundskola}
- {date: 2022-10-19, type: hundsok, by: polisen, plats: grundskola}
-- data/kontroll.csv --
date,type,by,form,alkohol,med,antal
2022-01-10,kontroll,polisen,civil,ja,skola,1.5
2022-02-10,kontroll,polisen+kommunen,civil,ja,,2
2022-03-10,kontroll,polisen,uniformerad,nej,skola+socialtjanst,
2022-04-10,kontroll,polisen,,ja,,
2022-07-05,kontroll,polisen,uniformerad,ja,,
2022-09-10,kontroll,polisen,uniformerad,ja,,
-- data/utbildning.jsonl --
{"date": "2022-03-01", "type": "utbildning", "by": "kommunen", "deltagare": 12}
{"date": "2022-04-01", "type": "utbildning", "by": "kommunen"}
{"date": "2022-05-01", "type": "utbildning", "by": "kommunen", "deltagare": 7}
-- data/bedomningar.jsonl --
{"date": "2022-03-01", "type": "assessment", "by": "kommunen", "commitment": "manuell", "status": "behind"}
{"date": "2022-06-01", "type": "assessment", "by": "kommunen", "commitment": "manuell", "status": "on_track", "note": "Better now"}
{"date": "2022-10-01", "type": "assessment", "by": "kommunen", "commitment": "manuell", "status": "met"}
{"date": "2022-05-01", "type": "assessment", "by": "kommunen", "commitment": "utan-anteckning", "status": "on_track"}
`

func loadLangRepo(t *testing.T) *repository.Repository {
	t.Helper()
	snap := &source.Snapshot{Root: "/x"}
	for _, f := range txtar.Parse([]byte(langRepo)).Files {
		snap.Files = append(snap.Files, source.File{Path: f.Name, Data: f.Data})
	}
	r := repository.Load(snap)
	if r.Diags.Errors() > 0 {
		t.Fatal(r.Diags)
	}
	return r
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s (-want +got; go test -update rewrites it):\n%s", name, d)
	}
}

// swedish finds Swedish letters and words in a text that should be
// English.
var swedish = regexp.MustCompile(`[åäöÅÄÖ]|\b(och|av|inte|inga|ingen|poster|fönstret|målet|regeln|dagar|kvar|hittills|sedan|taket|villkoret|bedömning|utvärderat|Varför|Kvar|Del|Regel)\b`)

// sameShape checks that the English text mirrors the Swedish: as many
// lines, each indented alike, and empty where the Swedish is.
func sameShape(t *testing.T, sv, en string) {
	t.Helper()
	ls, le := strings.Split(sv, "\n"), strings.Split(en, "\n")
	if len(ls) != len(le) {
		t.Fatalf("%d lines in Swedish, %d in English:\n%s\n%s", len(ls), len(le), sv, en)
	}
	indent := func(s string) string { return s[:len(s)-len(strings.TrimLeft(s, " "))] }
	for i := range ls {
		if indent(ls[i]) != indent(le[i]) || (ls[i] == "") != (le[i] == "") {
			t.Errorf("line %d differs in shape:\n%q\n%q", i+1, ls[i], le[i])
		}
	}
}

// TestTextInEnglish writes every kind of explanation in English (golden
// files testdata/*.en.golden), checks that it has the shape of the
// Swedish and no Swedish left, and that the Swedish is what Text writes.
func TestTextInEnglish(t *testing.T) {
	r := loadLangRepo(t)
	aug31, aug1, after := calendar.NewDate(2022, 8, 31), calendar.NewDate(2022, 8, 1), calendar.NewDate(2023, 1, 1)
	hash := "0123456789abcdef0123456789abcdef01234567"
	committed := &Provenance{Commit: hash, Changes: map[string]source.Change{
		"data/hundsok.yaml":     {Hash: "abcdef0123456789abcdef0123456789abcdef01", Author: "Anna Andersson", When: calendar.NewDate(2022, 9, 1).Time()},
		"data/kontroll.csv":     {Hash: "bcdef0123456789abcdef0123456789abcdef012", Author: "Bo Berg", When: calendar.NewDate(2022, 9, 2).Time()},
		"data/utbildning.jsonl": {Hash: "cdef0123456789abcdef0123456789abcdef0123", Author: "Cecilia Ceder", When: calendar.NewDate(2022, 9, 3).Time()},
	}}
	dirty := &Provenance{Commit: hash, Dirty: true, Uncommitted: map[string]bool{"data/kontroll.csv": true}}
	origin := &Provenance{Commit: hash, Origin: func(rec *record.Record) (source.Commit, bool) {
		if rec.Date > calendar.NewDate(2022, 3, 1) {
			return source.Commit{}, false
		}
		return source.Commit{Hash: "def0123456789abcdef0123456789abcdef01234", Author: "Dan Dahl", When: rec.Date.Time()}, true
	}}
	for _, tc := range []struct {
		name, id string
		asOf     calendar.Date
		prov     *Provenance
	}{
		// Below the pace, with a tolerance; a condition false for a record
		// (a bool field); dated after the evaluation date; the file's
		// last commit for each record.
		{"below-pace", "kontroller", aug31, committed},
		// The condition with a list, a number and a missing value; records
		// not committed, in a working tree with changes.
		{"condition-values", "med", aug31, dirty},
		// Met since a day, on pace, one left; between terms, in last
		// year's term; the commit that added each record, or none.
		{"terms", "hundsok", aug31, origin},
		// A window not begun yet.
		{"not-begun", "hundsok", aug1, nil},
		// Per field: a record without the field.
		{"per-field", "per-form", aug31, nil},
		// Two parts; ceilings exceeded, kept, kept so far, not begun, and
		// "fewer than".
		{"ceilings", "tak", aug31, nil},
		// Neither a lower nor an upper bound: judged when the window
		// ends, holding or not.
		{"equal-running", "exakt", aug31, nil},
		{"equal-ended", "exakt", after, nil},
		// Monthly pace, counted values other than 1.
		{"monthly-pace", "deltagare", aug31, nil},
		// No pace, "more than", one every few days.
		{"no-pace", "fler", aug31, nil},
		// Behind because the window ends soon.
		{"near-end", "sent", aug31, nil},
		// The window ended below the target; a rule that fails.
		{"missed", "kontroller", after, nil},
		{"failed", "saknas", aug31, nil},
		// An expression over the year: running, then ended.
		{"expression-running", "uttryck", aug31, nil},
		{"expression-ended", "uttryck", after, nil},
		// Assessed by hand: the assessment used, others superseded or
		// after; none at all.
		{"manual", "manuell", aug31, nil},
		{"manual-none", "utan", aug31, nil},
		{"manual-no-note", "utan-anteckning", aug31, nil},
		// Holds when ended; "more than"; a rate per week; the values of
		// by, type and a true bool; the last day, one day left.
		{"equal-holds", "fem", after, nil},
		{"more-than", "fler-an", after, nil},
		{"per-week", "vecka", aug31, nil},
		{"last-day", "kontroller", calendar.NewDate(2022, 12, 31), nil},
		{"one-day", "med", calendar.NewDate(2022, 12, 30), nil},
		// A rule that fails when the year has ended; one that holds.
		{"expression-failed", "kvot", after, nil},
		{"expression-holds", "nagon", after, nil},
		// Two commitments one after the other.
		{"two", "exakt,fem", after, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var xs []Explanation
			for _, id := range strings.Split(tc.id, ",") {
				x, _, err := Explain(r, id, calendar.Period{First: 2022, Last: 2022}, tc.asOf)
				if err != nil {
					t.Fatal(err)
				}
				xs = append(xs, x...)
			}
			var sv, svText, en bytes.Buffer
			if err := TextIn(&sv, xs, tc.prov, "sv"); err != nil {
				t.Fatal(err)
			}
			if err := Text(&svText, xs, tc.prov); err != nil {
				t.Fatal(err)
			}
			if err := TextIn(&en, xs, tc.prov, "en"); err != nil {
				t.Fatal(err)
			}
			if sv.String() != svText.String() {
				t.Errorf("TextIn sv differs from Text:\n%s\n%s", sv.String(), svText.String())
			}
			golden(t, tc.name+".en.golden", en.String())
			sameShape(t, sv.String(), en.String())
			if m := swedish.FindAllString(en.String(), -1); m != nil {
				t.Errorf("Swedish in the English: %q\n%s", m, en.String())
			}
		})
	}
}

// TestTextInEnglishBroken: a rule that could not be evaluated, and the
// header without any commit.
func TestTextInEnglishBroken(t *testing.T) {
	c := &promise.Commitment{ID: "trasig", Promise: &promise.Promise{ID: "demo", Title: "Demo"}}
	c.Rule.Value = "count(okand) >= 1"
	xs := []Explanation{{Commitment: c, Year: 2022, AsOf: calendar.NewDate(2022, 8, 31), Broken: true}}
	for lang, want := range map[string]string{
		"sv": `trasig · Demo (demo)
Period 2022 · utvärderat 2022-08-31 · ingen commit
Regel: count(okand) >= 1
Status: ! fel: regeln kunde inte utvärderas (se felen)
`,
		"en": `trasig · Demo (demo)
Period 2022 · evaluated 2022-08-31 · no commit
Rule: count(okand) >= 1
Status: ! error: the rule could not be evaluated (see the errors)
`,
	} {
		var b bytes.Buffer
		if err := TextIn(&b, xs, &Provenance{}, lang); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, b.String()); d != "" {
			t.Errorf("%s (-want +got)\n%s", lang, d)
		}
	}
}

// TestNumIn: a decimal comma in Swedish, a point in English.
func TestNumIn(t *testing.T) {
	for _, tc := range []struct {
		f      float64
		sv, en string
	}{{12, "12", "12"}, {2.5, "2,5", "2.5"}, {-0.25, "-0,2", "-0.2"}} {
		if got := NumIn(tc.f, "sv"); got != tc.sv {
			t.Errorf("NumIn(%v, sv) = %q, want %q", tc.f, got, tc.sv)
		}
		if got := NumIn(tc.f, "en"); got != tc.en {
			t.Errorf("NumIn(%v, en) = %q, want %q", tc.f, got, tc.en)
		}
	}
}

// TestFailedOnce: a window whose rule failed says so once, in both
// languages, when the error says it itself.
func TestFailedOnce(t *testing.T) {
	r := loadLangRepo(t)
	for _, tc := range []struct {
		id   string
		asOf calendar.Date
	}{{"saknas", calendar.NewDate(2022, 8, 31)}, {"kvot", calendar.NewDate(2023, 1, 1)}} {
		xs, _, err := Explain(r, tc.id, calendar.Period{First: 2022, Last: 2022}, tc.asOf)
		if err != nil {
			t.Fatal(err)
		}
		w := xs[0].Parts[0].Windows[0]
		for _, lang := range []string{"sv", "en"} {
			why := w.WhyIn(lang)
			if n := strings.Count(why, map[string]string{"sv": "kunde inte beräknas", "en": "could not be computed"}[lang]); n != 1 {
				t.Errorf("%s %s: %q", tc.id, lang, why)
			}
		}
	}
}
