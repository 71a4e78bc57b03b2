package explain

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

const repo = `-- rules/activities.yaml --
activities:
  hundsok:
    fields:
      plats: {enum: [grundskola, gymnasium], required: true}
  trafikkontroll:
    fields:
      form: {enum: [civil, uniformerad]}
  utbildning:
    fields:
      deltagare: int
-- rules/calendar.yaml --
terms:
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
  - id: hundsok
    owner: polisen
    text: Ett hundsök i grundskolan per termin.
    rule: count(hundsok, .plats == "grundskola") per termin >= 1
  - id: kontroller
    owner: polisen
    text: Tio kontroller.
    rule: count(trafikkontroll) >= 10
  - id: per-form
    owner: polisen
    text: Två av varje form.
    rule: count(trafikkontroll) per form >= 2
  - id: deltagare
    owner: kommunen
    text: Trettio deltagare.
    rule: sum(map(utbildning, .deltagare ?? 0)) >= 30
  - id: manuell
    owner: kommunen
    text: Bedöms.
    assess: manual
-- data/hundsok.yaml --
- {date: 2021-12-01, type: hundsok, by: polisen, plats: grundskola}
- {date: 2022-02-16, type: hundsok, by: polisen, plats: grundskola}
- {date: 2022-03-01, type: hundsok, by: polisen, plats: gymnasium}
- {date: 2022-07-05, type: hundsok, by: polisen, plats: grundskola}
- {date: 2022-10-19, type: hundsok, by: polisen, plats: grundskola}
-- data/kontroller.csv --
date,type,by,form
2022-01-10,trafikkontroll,polisen,civil
2022-02-10,trafikkontroll,polisen+kommunen,civil
2022-03-10,trafikkontroll,polisen,uniformerad
2022-04-10,trafikkontroll,polisen,
2022-09-10,trafikkontroll,polisen,uniformerad
-- data/utbildning.jsonl --
{"date": "2022-03-01", "type": "utbildning", "by": "kommunen", "deltagare": 12}
{"date": "2022-04-01", "type": "utbildning", "by": "kommunen"}
{"date": "2022-05-01", "type": "utbildning", "by": "kommunen", "deltagare": 7}
-- data/bedomningar.jsonl --
{"date": "2022-03-01", "type": "assessment", "by": "kommunen", "commitment": "manuell", "status": "behind"}
{"date": "2022-06-01", "type": "assessment", "by": "kommunen", "commitment": "manuell", "status": "on_track", "note": "Bättre nu"}
{"date": "2022-10-01", "type": "assessment", "by": "kommunen", "commitment": "manuell", "status": "met"}
`

func loadRepo(t *testing.T) *repository.Repository {
	t.Helper()
	snap := &source.Snapshot{Root: "/x"}
	for _, f := range txtar.Parse([]byte(repo)).Files {
		snap.Files = append(snap.Files, source.File{Path: f.Name, Data: f.Data})
	}
	r := repository.Load(snap)
	if r.Diags.Errors() > 0 {
		t.Fatal(r.Diags)
	}
	return r
}

// listing renders an explanation as lines: each window with its status and
// its counted records, then the excluded records with their reasons.
func listing(x Explanation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "status %s\n", x.Status)
	for _, p := range x.Parts {
		for _, w := range p.Windows {
			fmt.Fprintf(&b, "%s %s %s:", w.Name, w.Group, w.Status)
			for _, c := range w.Counted {
				fmt.Fprintf(&b, " %s", c.Record.Pos)
				if c.Value != 1 {
					fmt.Fprintf(&b, "=%s", Num(c.Value))
				}
			}
			b.WriteString("\n")
		}
		for _, e := range p.Excluded {
			fmt.Fprintf(&b, "- %s %s %s\n", e.Record.Pos, e.Reason, e.Window)
		}
	}
	if m := x.Manual; m != nil {
		if m.Used != nil {
			fmt.Fprintf(&b, "used %s %q\n", m.Used.Pos, m.Note)
		}
		for _, e := range m.Excluded {
			fmt.Fprintf(&b, "- %s %s\n", e.Record.Pos, e.Reason)
		}
	}
	return b.String()
}

func TestCountedAndExcluded(t *testing.T) {
	r := loadRepo(t)
	asOf := calendar.NewDate(2022, 8, 31)
	for _, tc := range []struct{ id, want string }{
		{"hundsok", `status on_track
2022-VT  met: data/hundsok.yaml:2:3
2022-HT  on_track:
- data/hundsok.yaml:3:3 predicate_false 2022-VT
- data/hundsok.yaml:4:3 outside_window 
- data/hundsok.yaml:5:3 after_as_of 2022-HT
`},
		{"kontroller", `status behind
2022  behind: data/kontroller.csv:2 data/kontroller.csv:3 data/kontroller.csv:4 data/kontroller.csv:5
- data/kontroller.csv:6 after_as_of 2022
`},
		{"per-form", `status on_track
2022 civil met: data/kontroller.csv:2 data/kontroller.csv:3
2022 uniformerad on_track: data/kontroller.csv:4
- data/kontroller.csv:5 no_group 
- data/kontroller.csv:6 after_as_of 2022
`},
		{"deltagare", `status on_track
2022  on_track: data/utbildning.jsonl:1:1=12 data/utbildning.jsonl:3:1=7
- data/utbildning.jsonl:2:1 predicate_false 2022
`},
		{"manuell", `status on_track
used data/bedomningar.jsonl:2:1 "Bättre nu"
- data/bedomningar.jsonl:1:1 superseded
- data/bedomningar.jsonl:3:1 after_as_of
`},
	} {
		t.Run(tc.id, func(t *testing.T) {
			xs, errs, err := Explain(r, tc.id, calendar.Period{First: 2022, Last: 2022}, asOf)
			if err != nil || len(errs) > 0 || len(xs) != 1 {
				t.Fatalf("%v %v %d", err, errs, len(xs))
			}
			if d := cmp.Diff(tc.want, listing(xs[0])); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

func TestWhyAndNeed(t *testing.T) {
	r := loadRepo(t)
	xs, _, err := Explain(r, "kontroller", calendar.Period{First: 2022, Last: 2022}, calendar.NewDate(2022, 8, 31))
	if err != nil {
		t.Fatal(err)
	}
	w := xs[0].Parts[0].Windows[0]
	if want := "under takten: 4 är färre än de 6 som förväntas vid det här laget (10 × 243/365 dagar)"; w.Why != want {
		t.Errorf("why %q, want %q", w.Why, want)
	}
	if w.Need == nil || w.Need.Text != "6 kvar på 122 dagar: en var 20:e dag" {
		t.Errorf("need %+v", w.Need)
	}
	xs, _, _ = Explain(r, "hundsok", calendar.Period{First: 2022, Last: 2022}, calendar.NewDate(2022, 8, 31))
	vt := xs[0].Parts[0].Windows[0]
	if vt.Why != "målet (minst 1) är nått: 1, sedan 2022-02-16" || vt.Reached != calendar.NewDate(2022, 2, 16) {
		t.Errorf("VT why %q", vt.Why)
	}
	if got := xs[0].Parts[0].Excluded[0].Text; got != `villkoret .plats == "grundskola" gäller inte (plats: gymnasium)` {
		t.Errorf("predicate text %q", got)
	}
	if got := xs[0].Parts[0].Excluded[1].Text; got != "utanför terminerna (mellan två terminer)" {
		t.Errorf("outside text %q", got)
	}
	// The rate of the example: 43 left on 122 days.
	e := &explainer{asOf: calendar.NewDate(2022, 8, 31)}
	n := e.need(xs[0].Parts[0].Compare, windowOf(2022), 61, 104)
	if n.Text != "43 kvar på 122 dagar: 2,5 per vecka" {
		t.Errorf("need %q", n.Text)
	}
	// Before a window starts, and after the year.
	xs, _, _ = Explain(r, "hundsok", calendar.Period{First: 2022, Last: 2022}, calendar.NewDate(2022, 8, 1))
	if ht := xs[0].Parts[0].Windows[1]; ht.Why != "fönstret har inte börjat: det börjar 2022-08-22" {
		t.Errorf("HT why %q", ht.Why)
	}
	xs, _, _ = Explain(r, "kontroller", calendar.Period{First: 2022, Last: 2022}, calendar.NewDate(2023, 1, 1))
	if w := xs[0].Parts[0].Windows[0]; w.Why != "fönstret slutade 2022-12-31 med 5, målet var minst 10" || w.Need != nil {
		t.Errorf("ended why %q", w.Why)
	}
}

func TestUnknownCommitment(t *testing.T) {
	r := loadRepo(t)
	_, _, err := Explain(r, "kontroler", calendar.Period{First: 2022, Last: 2022}, calendar.NewDate(2022, 8, 31))
	if err == nil || !strings.Contains(err.Error(), "menade du `kontroller`?") {
		t.Errorf("err %v", err)
	}
}

func TestRender(t *testing.T) {
	r := loadRepo(t)
	xs, _, _ := Explain(r, "hundsok", calendar.Period{First: 2022, Last: 2022}, calendar.NewDate(2022, 8, 31))
	prov := &Provenance{Commit: "0123456789abcdef0123456789abcdef01234567", Changes: map[string]source.Change{
		"data/hundsok.yaml": {Hash: "abcdef0123456789abcdef0123456789abcdef01", Author: "Anna Andersson", When: calendar.NewDate(2022, 9, 1).Time()},
	}}
	var b bytes.Buffer
	if err := Text(&b, xs, prov); err != nil {
		t.Fatal(err)
	}
	want := `hundsok · Demo (demo)
Period 2022 · utvärderat 2022-08-31 · commit 0123456
Regel: count(hundsok, .plats == "grundskola") per termin >= 1
Status: → i fas

2022-VT (2022-01-11–2022-06-17): ✓ uppfyllt
  1 av 1
  Varför: målet (minst 1) är nått: 1, sedan 2022-02-16.
  Räknade poster (1):
    data/hundsok.yaml:2:3  2022-02-16  polisen  abcdef0 Anna Andersson 2022-09-01

2022-HT (2022-08-22–2022-12-21): → i fas
  0 av 1 · förväntat 0
  Varför: i takt: 0 är minst de 0 som förväntas vid det här laget (1 × 10/122 dagar).
  Kvar: 1 kvar på 112 dagar.
  Räknade poster: inga

Poster som inte räknades (3):
    data/hundsok.yaml:3:3  2022-03-01  polisen  villkoret .plats == "grundskola" gäller inte (plats: gymnasium)  abcdef0 Anna Andersson 2022-09-01
    data/hundsok.yaml:4:3  2022-07-05  polisen  utanför terminerna (mellan två terminer)                         abcdef0 Anna Andersson 2022-09-01
    data/hundsok.yaml:5:3  2022-10-19  polisen  daterad efter utvärderingsdatumet 2022-08-31                     abcdef0 Anna Andersson 2022-09-01
`
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	b.Reset()
	if err := JSON(&b, xs, prov, calendar.NewDate(2022, 8, 31)); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"reason": "predicate_false"`, `"reason": "outside_window"`, `"reason": "after_as_of"`,
		`"short": "abcdef0"`, `"author": "Anna Andersson"`, `"reached": "2022-02-16"`} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("no %s in\n%s", s, b.String())
		}
	}
}

func windowOf(year int) (w eval.Window) {
	w.Start, w.End = calendar.NewDate(year, 1, 1), calendar.NewDate(year, 12, 31)
	return w
}
