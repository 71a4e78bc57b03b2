package report

import (
	"bytes"
	"errors"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// mdFiles is a repository whose Markdown takes every branch of the
// renderer: two promises, one over two years and with a commitment that
// only its first year has; every status; a count behind its pace (since,
// what remains, the pace that catches up, where the pace ends), an upper
// bound, windows per term (one not started) and per form, a rule per week
// (summed up by status), a decimal value, pace none, manual commitments
// without an assessment, assessed with a note and ended on an interim
// assessment, a rule that does not compile and a record with an error.
var mdFiles = map[string]string{
	"rules/activities.yaml": `activities:
  kontroll:
    title: Kontroll
    fields:
      form: {enum: [civil, uniformerad]}
  klotter:
    title: Klotter
  mote:
    title: Möte
`,
	"rules/a2021.yaml": `promise: a
title: Löfte A
parties:
  polisen: Polisen, lokalpolisområde Exempel
  kommunen: Exempels kommun
valid: 2021
commitments:
  - id: a.takt
    area: trafik
    owner: polisen
    text: Tjugo kontroller om året.
    rule: count(kontroll) >= 20
  - id: a.slutad
    area: trafik
    owner: kommunen
    text: Ett åtagande som bara gällde 2021.
    rule: count(mote) >= 1
  - id: a.manuell
    area: trygghet
    owner: kommunen
    text: Kommunen bedömer själv.
    assess: manual
`,
	"rules/a2022.yaml": `promise: a
title: Löfte A
parties:
  polisen: Polisen, lokalpolisområde Exempel
  kommunen: Exempels kommun
valid: 2022
commitments:
  - id: a.takt
    area: trafik
    owner: polisen
    text: Sextio kontroller om året.
    rule: count(kontroll) >= 60
  - id: a.vecka
    area: trafik
    owner: [polisen, kommunen]
    text: En kontroll varje vecka.
    rule: count(kontroll) per vecka >= 1
  - id: a.tak
    area: trafik
    owner: kommunen
    text: Högst tre klotter om året.
    rule: count(klotter) <= 3
  - id: a.halva
    area: trafik
    owner: polisen
    text: Kontrollerna räknas halvt.
    rule: count(kontroll) / 2 >= 4
  - id: a.termin
    area: trygghet
    owner: kommunen
    text: Ett möte per termin.
    rule: count(mote) per termin >= 1
  - id: a.form
    area: trygghet
    owner: polisen
    text: Kontroller i båda formerna.
    rule: count(kontroll) per form >= 1
  - id: a.ingen-takt
    area: trygghet
    owner: polisen
    pace: none
    text: Tio möten, när som helst under året.
    rule: count(mote) >= 10
  - id: a.uttryck
    area: trygghet
    owner: polisen
    text: Alla kontroller har en form.
    rule: all(kontroll, .form != nil)
  - id: a.trasig
    area: trygghet
    owner: polisen
    text: En regel med fel.
    rule: count(kontrol) >= 1
  - id: a.manuell
    area: trygghet
    owner: kommunen
    text: Kommunen bedömer själv.
    assess: manual
  - id: a.bedomd
    area: trygghet
    owner: [polisen, kommunen]
    text: Parterna bedömer tillsammans.
    assess: manual
`,
	"rules/b.yaml": `promise: b
title: Löfte B
parties:
  kommunen: Exempels kommun
valid: 2022
commitments:
  - id: b.manuell
    area: trygghet
    owner: kommunen
    text: Kommunen bedömer själv.
    assess: manual
`,
	"data/2021.yaml": `- {date: 2021-03-01, type: kontroll, by: polisen, form: civil}
- {date: 2021-06-01, type: mote, by: kommunen}
- {date: 2021-10-01, type: assessment, by: kommunen, commitment: a.manuell, status: on_track, note: Arbetet pågår.}
`,
	"data/2022.yaml": `- {date: 2022-01-03, type: kontroll, by: polisen, form: civil}
- {date: 2022-01-12, type: kontroll, by: polisen, form: civil}
- {date: 2022-02-01, type: kontroll, by: polisen}
- {date: 2022-03-01, type: klotter, by: kommunen}
- {date: 2022-03-02, type: klotter, by: kommunen}
- {date: 2022-03-03, type: klotter, by: kommunen}
- {date: 2022-03-04, type: klotter, by: kommunen}
- {date: 2022-03-05, type: okand, by: kommunen}
- {date: 2022-03-10, type: mote, by: kommunen}
- {date: 2022-04-01, type: assessment, by: [polisen, kommunen], commitment: a.bedomd, status: met, note: Klart för året.}
`,
}

// mdReport evaluates mdFiles for 2021..2022 on 30 April 2022, and makes
// what only history or a failing rule gives: a provisional status and a
// window with an error.
func mdReport(t *testing.T) *eval.Report {
	t.Helper()
	snap := &source.Snapshot{Root: "/md", Commit: "fedcba9876543210fedcba9876543210fedcba98", Dirty: true, Git: true}
	for _, p := range slices.Sorted(maps.Keys(mdFiles)) {
		snap.Files = append(snap.Files, source.File{Path: p, Data: []byte(mdFiles[p])})
	}
	r := repository.Load(snap)
	rep := evaluateExample(t, r, calendar.Period{First: 2021, Last: 2022}, "2022-04-30")
	var provisional, failing bool
	for i := range rep.Evaluations {
		ev := &rep.Evaluations[i]
		for j := range ev.Results {
			res := &ev.Results[j]
			switch {
			case ev.Year == 2022 && res.Commitment.ID == "a.takt" && res.Status == eval.Behind:
				res.Provisional, provisional = true, true
				res.Lags = []eval.Lag{{Type: "kontroll", Title: "Kontroll", Median: 5, P90: 12, Records: 40}}
			case ev.Year == 2021 && res.Commitment.ID == "a.takt" && len(res.Windows) == 1:
				res.Windows[0].Err, failing = errors.New("count(kontroll) / 0 delar med noll"), true
			}
		}
	}
	if !provisional || !failing {
		t.Fatalf("a.takt is not behind in 2022, or has no window in 2021")
	}
	return rep
}

// TestMarkdownGolden: the Markdown of every branch, in Swedish and in
// English, and of the bundled example in English.
func TestMarkdownGolden(t *testing.T) {
	rep := mdReport(t)
	for _, lang := range []string{"sv", "en"} {
		var b bytes.Buffer
		if err := MarkdownIn(&b, rep, lang); err != nil {
			t.Fatal(err)
		}
		golden(t, "branches."+lang+".md", b.Bytes())
	}
	// A general expression has no figures: the page shows none either
	// (never "0 av 0").
	var page bytes.Buffer
	if err := HTML(&page, rep, PageOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(page.String(), `<span class="fig-value">0</span> <span class="fig-of">av 0</span>`) ||
		strings.Contains(page.String(), `<div class="part">
</div>`) {
		t.Errorf("the page shows figures, or an empty part, for a general expression")
	}
	r := example(t)
	for _, pg := range pages {
		var b bytes.Buffer
		if err := MarkdownIn(&b, evaluateExample(t, r, pg.period, pg.asOf), "en"); err != nil {
			t.Fatal(err)
		}
		golden(t, pg.name+".en.md", b.Bytes())
	}
}

// TestMarkdownBranches: what the golden files must show, so that a
// change of the fixture that loses a branch fails here rather than
// passing with a rewritten golden file.
func TestMarkdownBranches(t *testing.T) {
	rep := mdReport(t)
	want := map[string][]string{
		"sv": {"# Uppföljning av medborgarlöften\n", "## Löfte A\n", "Ett löfte mellan Polisen, lokalpolisområde Exempel och Exempels kommun.",
			"· utvärderat 30 april 2022 · commit `fedcba9`, med ändringar som inte är incheckade",
			"> **Obs!** 2 fel", "### Att ta upp på nästa uppföljning", "(till 30 maj)",
			"| Åtagande | Ansvarig | 2021 | 2022 |", "| Åtagande | Ansvarig | Status | Utfall |",
			"| … pågår | 0 | 1 |", "✓ uppfyllt", "→ i fas", "▼ efter sedan", "✗ ej uppfyllt sedan 4 mars", "… pågår", "? ej bedömt",
			"| ! fel i regeln |", "\n\n## Löfte B\n", "| –: ingick inte i löftet 2022 |", "| ! fel: regeln har fel och kunde inte räknas |",
			"fel: count(kontroll) / 0 delar med noll", "kvar på", "per vecka; i nuvarande takt", "(troligen",
			"(preliminärt: 90 % av posterna för kontroll registreras inom 12 dagar)",
			"4 (högst 3)", "1,5 av 4", "per termin: VT 2022 ✓ 1 av 1, HT 2022 … börjar 1 jul", "per form: civil",
			"52 fönster: ", "ingen bedömning", "bedömt 1 april 2022: Klart för året.",
			"slutbedömning saknas; delbedömning 1 oktober 2021 (i fas): Arbetet pågår.",
			"Polisen och Exempels kommun", "**Så läser du uppföljningen**", "*I nuvarande takt*"},
		"en": {"# Follow-up of citizen promises\n", "## Löfte A\n", "A promise between Polisen, lokalpolisområde Exempel and Exempels kommun.",
			"· evaluated 30 April 2022 · commit `fedcba9`, with uncommitted changes",
			"> **Note:** 2 errors", "### To bring up at the next follow-up", "(by 30 May)",
			"| Commitment | Owner | 2021 | 2022 |", "| Commitment | Owner | Status | Outcome |",
			"| … pending | 0 | 1 |", "✓ met", "→ on track", "▼ behind since", "✗ missed since 4 Mar", "… pending", "? unassessed",
			"| ! error in the rule |", "\n\n## Löfte B\n", "and 1 more window\n", "| –: not in the promise in 2022 |", "| ! error: the rule has errors and could not be counted |",
			"error: count(kontroll) / 0 divides by zero", "to go in", "a week; at the present pace", "(likely",
			"(provisional: 90% of kontroll records are recorded within 12 days)",
			"4 (at most 3)", "1.5 of 4", "per term: VT 2022 ✓ 1 of 1, HT 2022 … starts 1 Jul", "per form: civil",
			"52 windows: ", "no assessment", "assessed 1 April 2022: Klart för året.",
			"final assessment missing; interim assessment 1 October 2021 (on track): Arbetet pågår.",
			"Polisen and Exempels kommun", "**How to read the follow-up**", "*At the present pace*"},
	}
	for _, lang := range []string{"sv", "en"} {
		var b bytes.Buffer
		if err := MarkdownIn(&b, rep, lang); err != nil {
			t.Fatal(err)
		}
		for _, w := range want[lang] {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: the Markdown has no %q", lang, w)
			}
		}
		if lang == "en" {
			for _, sv := range []string{"efter", "uppfyllt", "kvar", "förväntat", "fönster", "bedömt", "Ansvarig", ",5", "sedan"} {
				if strings.Contains(b.String(), sv) {
					t.Errorf("the English Markdown has the Swedish %q", sv)
				}
			}
		}
		if t.Failed() {
			t.Logf("%s:\n%s", lang, b.String())
		}
	}
}

// TestMarkdownSameStructure: the English Markdown has the Swedish one's
// structure line by line: headings of the same levels, tables of the same
// columns, lists and quotes at the same places.
func TestMarkdownSameStructure(t *testing.T) {
	r := example(t)
	reps := []*eval.Report{mdReport(t), evaluateExample(t, r, calendar.Period{First: 2030, Last: 2030}, "2030-05-01")}
	for _, pg := range pages {
		reps = append(reps, evaluateExample(t, r, pg.period, pg.asOf))
	}
	for i, rep := range reps {
		var sv, en bytes.Buffer
		if err := MarkdownIn(&sv, rep, "sv"); err != nil {
			t.Fatal(err)
		}
		if err := MarkdownIn(&en, rep, "en"); err != nil {
			t.Fatal(err)
		}
		a, b := strings.Split(sv.String(), "\n"), strings.Split(en.String(), "\n")
		if len(a) != len(b) {
			t.Errorf("report %d: %d lines in Swedish, %d in English", i, len(a), len(b))
			continue
		}
		for j := range a {
			if sa, sb := mdShape(a[j]), mdShape(b[j]); sa != sb {
				t.Errorf("report %d, line %d: %q in Swedish, %q in English:\n%s\n%s", i, j+1, sa, sb, a[j], b[j])
			}
		}
	}
}

var cellRe = regexp.MustCompile(`(^|[^\\])\|`)

// mdShape is what makes a line's structure: its heading, list, quote or
// bold marker and its number of table cells.
func mdShape(line string) string {
	marker := ""
	for _, m := range []string{"#### ", "### ", "## ", "# ", "  - ", "- ", "> ", "**", "| --- "} {
		if strings.HasPrefix(line, m) {
			marker = m
			break
		}
	}
	return marker + strings.Repeat("|", len(cellRe.FindAllString(line, -1)))
}

// TestMarkdownEmptyEnglish: an evaluation of no promise says so in
// English too.
func TestMarkdownEmptyEnglish(t *testing.T) {
	rep := evaluateExample(t, example(t), calendar.Period{First: 2030, Last: 2030}, "2030-05-01")
	var b bytes.Buffer
	if err := MarkdownIn(&b, rep, "en"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Nothing to evaluate: no promise is in force for the period.") {
		t.Errorf("empty report in English:\n%s", b.String())
	}
}

// TestDecimalPoint: in English a figure has a decimal point in every
// format for people (text, JUnit, Markdown), a comma in Swedish.
func TestDecimalPoint(t *testing.T) {
	rep := mdReport(t)
	for _, tt := range []struct{ lang, want, not string }{{"sv", "1,5 av 4", "1.5"}, {"en", "1.5 of 4", "1,5"}} {
		var text, junit, md bytes.Buffer
		if err := Text(&text, rep, TextOptions{Lang: tt.lang}); err != nil {
			t.Fatal(err)
		}
		if err := JUnit(&junit, rep, tt.lang); err != nil {
			t.Fatal(err)
		}
		if err := MarkdownIn(&md, rep, tt.lang); err != nil {
			t.Fatal(err)
		}
		for name, out := range map[string]string{"text": text.String(), "junit": junit.String(), "markdown": md.String()} {
			if name != "junit" && !strings.Contains(out, tt.want) {
				t.Errorf("%s %s: no %q:\n%s", tt.lang, name, tt.want, out)
			}
			if strings.Contains(out, tt.not) {
				t.Errorf("%s %s: %q:\n%s", tt.lang, name, tt.not, out)
			}
		}
	}
}
