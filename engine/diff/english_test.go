package diff

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// swedish finds Swedish letters and words in a text that should be
// English. The test repositories' own names (Hundsök, Medborgarlöfte,
// the texts of commitments) are cut out before it is used.
var swedish = regexp.MustCompile(`[åäöÅÄÖ]|\b(och|av|inte|inga|ingen|löftet|löften|regeln|villkoret|målet|taket|fönster|termin|per år|före|efter|Från|med|ej|krävs|standard)\b`)

// names are the values of the test repositories written in Swedish, as
// the user wrote them.
var names = strings.NewReplacer("Medborgarlöfte", "", "Trafiksäkerhet", "", "Hundsök", "", "Minst", "", "Med takt och tolerans, nu ändrad.", "",
	"Med takt och tolerans.", "", "Mullsjö", "", "per termin", "", "terminen", "")

func noSwedish(t *testing.T, en string) {
	t.Helper()
	if m := swedish.FindAllString(names.Replace(en), -1); m != nil {
		t.Errorf("Swedish in the English: %q\n%s", m, en)
	}
}

// sameShape checks that the English text mirrors the Swedish: as many
// lines, each indented alike.
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

// texts writes d and bt in Swedish (checking that TextIn "sv" is Text)
// and in English.
func texts(t *testing.T, d Diff, bt *Backtest) (sv, en string) {
	t.Helper()
	var a, b, c bytes.Buffer
	if err := Text(&a, d, bt); err != nil {
		t.Fatal(err)
	}
	if err := TextIn(&b, d, bt, "sv"); err != nil {
		t.Fatal(err)
	}
	if err := TextIn(&c, d, bt, "en"); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("TextIn sv differs from Text:\n%s\n%s", b.String(), a.String())
	}
	sameShape(t, a.String(), c.String())
	noSwedish(t, c.String())
	return a.String(), c.String()
}

// TestEveryKindOfChangeInEnglish: every kind of change of a promise, its
// vocabulary and its calendar, in English (testdata/every.en.golden);
// JSON stays Swedish.
func TestEveryKindOfChangeInEnglish(t *testing.T) {
	ra, rb := load(t, "a.txtar"), load(t, "b.txtar")
	d := Compare(Side{Name: "v2022", Repo: ra, Promises: ra.Promises}, Side{Name: "HEAD", Repo: rb, Promises: rb.Promises})
	_, en := texts(t, d, nil)
	golden(t, "every.en.golden", en)
	var js bytes.Buffer
	if err := JSON(&js, d, nil); err != nil {
		t.Fatal(err)
	}
	golden(t, "every.json.golden", js.String())
}

const promisesA = `-- rules/activities.yaml --
activities:
  kontroll:
    fields:
      antal: number
      form: {enum: [civil, uniformerad]}
      plats: {enum: [skola, torg]}
  besok: {}
-- rules/calendar.yaml --
terms:
  2023-VT: 2023-01-10..2023-06-16
-- rules/kvar.yaml --
promise: kvar
title: Kvar
parties:
  polisen: Polisen
valid: 2023
commitments:
  - id: vikter
    owner: polisen
    text: Weighted.
    rule: sum(map(kontroll, .antal ?? 0)) >= 10.5
  - id: agare
    owner: [polisen]
    text: Owned.
    rule: count(kontroll) >= 1
    tolerance: 0.125
  - id: grupp
    owner: polisen
    text: Grouped.
    rule: count(kontroll) per form >= 1
  - id: villkor
    owner: polisen
    text: Conditioned.
    rule: count(kontroll, .antal > 1) >= 1
  - id: lika
    owner: polisen
    text: Equal.
    rule: count(kontroll) == 2
  - id: mot
    owner: polisen
    text: Against.
    rule: count(kontroll) >= count(besok)
-- rules/gammal.yaml --
promise: gammal
title: Gammal
parties:
  polisen: Polisen
valid: 2023
commitments:
  - id: g
    owner: polisen
    text: Old.
    rule: count(kontroll) >= 1
`

const promisesB = `-- rules/activities.yaml --
activities:
  kontroll:
    fields:
      antal: number
      form: {enum: [civil, uniformerad]}
      plats: {enum: [skola, torg]}
  besok: {}
-- rules/calendar.yaml --
terms:
  2023-VT: 2023-01-10..2023-06-16
  2023-HT: 2023-08-21..2023-12-20
-- rules/kvar.yaml --
promise: kvar
title: Kvar
parties:
  polisen: Polisen
  kommunen: Kommunen
valid: 2023
commitments:
  - id: vikter
    owner: polisen
    text: Weighted.
    rule: sum(map(kontroll, .antal ?? 0)) >= 12.5
    pace: [1.5, 1, 1, 1, 1, 1, 0.5, 1, 1, 1, 1, 1]
  - id: agare
    owner: [polisen, kommunen]
    text: Owned.
    rule: count(kontroll) >= 1
    tolerance: 0.05
  - id: grupp
    owner: polisen
    text: Grouped.
    rule: count(kontroll) per plats >= 1
  - id: villkor
    owner: polisen
    text: Conditioned.
    rule: count(kontroll, .antal > 2) >= 1
  - id: lika
    owner: polisen
    text: Equal.
    rule: count(kontroll) == 3
  - id: mot
    owner: polisen
    text: Against.
    rule: count(kontroll) >= 2 * count(besok)
  - id: hand
    owner: polisen
    text: By hand.
    assess: manual
  - id: agarlos
    text: Nobody's.
    rule: count(besok) >= 1
-- rules/ny1.yaml --
promise: ny1
title: Ny ett
parties:
  polisen: Polisen
valid: 2023
commitments:
  - id: n1
    owner: polisen
    text: New.
    rule: count(kontroll) >= 1
-- rules/ny2.yaml --
promise: ny2
title: Ny tva
parties:
  polisen: Polisen
valid: 2023
commitments:
  - id: n2
    owner: polisen
    text: New too.
    rule: count(kontroll) >= 2
`

func loadText(t *testing.T, s string) *repository.Repository {
	t.Helper()
	snap := &source.Snapshot{Root: "/x"}
	for _, f := range txtar.Parse([]byte(s)).Files {
		snap.Files = append(snap.Files, source.File{Path: f.Name, Data: f.Data})
	}
	r := repository.Load(snap)
	if r.Diags.Errors() > 0 {
		t.Fatal(r.Diags)
	}
	return r
}

// TestTextInEnglish: the sentences of a diff and a backtest in English,
// next to the Swedish.
func TestTextInEnglish(t *testing.T) {
	years := loadText(t, years)
	y2021 := Side{Name: "2021", Year: 2021, Repo: years, Promises: years.InForce(2021)}
	y2022 := Side{Name: "2022", Year: 2022, Repo: years, Promises: years.InForce(2022)}
	y2023 := Side{Name: "2023", Year: 2023, Repo: years, Promises: years.InForce(2023)}
	ra, rb := loadText(t, promisesA), loadText(t, promisesB)
	a := Side{Name: "v2023", Repo: ra, Promises: ra.Promises}
	b := Side{Name: "HEAD", Repo: rb, Promises: rb.Promises}
	for _, tc := range []struct {
		name   string
		d      Diff
		bt     *Backtest
		sv, en string
	}{
		{name: "same promise", d: Compare(y2021, y2022),
			sv: "Samma löfte gäller 2021 och 2022: inga skillnader.\n",
			en: "The same promise governs 2021 and 2022: no differences.\n"},
		{name: "no differences", d: Compare(Side{Name: "HEAD~5", Repo: ra, Promises: ra.Promises}, Side{Name: "HEAD", Repo: loadText(t, promisesA), Promises: ra.Promises}),
			sv: "Inga skillnader mellan HEAD~5 och HEAD.\n",
			en: "No differences between HEAD~5 and HEAD.\n"},
		{name: "promises, owners, decimals, default terms", d: Compare(a, b),
			sv: `Från v2023 till HEAD:
  löftet kvar: ny part: kommunen (Kommunen)
  vikter: målet höjs från 10,5 till 12,5 per år
  vikter: takten ändras från jämn takt (linear) till månadsvikter [1,5, 1, 1, 1, 1, 1, 0,5, 1, 1, 1, 1, 1]
  agare: ansvarig ändras från polisen till polisen och kommunen
  agare: toleransen ändras från 12,5 % till 5 %
  grupp: räknas nu per plats i stället för per form
  villkor: villkoret ändras från ´.antal > 1´ till ´.antal > 2´
  lika: målet ändras från 2 till 3 per år
  mot: villkoret ändras från ´count(kontroll) >= count(besok)´ till ´count(kontroll) >= 2 * count(besok)´
  hand: nytt åtagande (polisen): bedöms för hand
  agarlos: nytt åtagande (ingen): ´count(besok) >= 1´
  löften: löftet gammal (Gammal) finns inte längre
  löften: nytt löfte ny1 (Ny ett), 1 åtagande
  löften: nytt löfte ny2 (Ny tva), 1 åtagande
  kalendern: terminen 2023-HT: 2023-08-21..2023-12-20 i stället för 2023-07-01..2023-12-31 (standard)
`,
			en: `From v2023 to HEAD:
  promise kvar: new party: kommunen (Kommunen)
  vikter: the target is raised from 10.5 to 12.5 per year
  vikter: the pace changes from even pace (linear) to monthly weights [1.5, 1, 1, 1, 1, 1, 0.5, 1, 1, 1, 1, 1]
  agare: the owner changes from polisen to polisen and kommunen
  agare: the tolerance changes from 12.5% to 5%
  grupp: now counted per plats instead of per form
  villkor: the condition changes from ´.antal > 1´ to ´.antal > 2´
  lika: the target changes from 2 to 3 per year
  mot: the condition changes from ´count(kontroll) >= count(besok)´ to ´count(kontroll) >= 2 * count(besok)´
  hand: new commitment (polisen): assessed by hand
  agarlos: new commitment (none): ´count(besok) >= 1´
  promises: promise gammal (Gammal) is no longer there
  promises: new promise ny1 (Ny ett), 1 commitment
  promises: new promise ny2 (Ny tva), 1 commitment
  the calendar: term 2023-HT: 2023-08-21..2023-12-20 instead of 2023-07-01..2023-12-31 (default)
`},
		{name: "years with a backtest", d: Compare(y2022, y2023), bt: RunBacktest(y2022, y2023, years, 2022, calendar.NewDate(2023, 1, 1)),
			sv: `Från 2022 till 2023:
  löftet mullsjo: ersätts av mullsjo-2023 (rules/mullsjo-2023.yaml)
  löftet mullsjo-2023: titeln ändras från ”Mullsjö 2021–2022” till ”Mullsjö 2023”
  löftet mullsjo-2023: gäller 2023 i stället för 2021..2022
  trafik.kontroller: texten ändras
      före:  104 kontroller.
      efter: 120 kontroller.
  trafik.kontroller: målet höjs från 4 till 5 per år
  droger.hundsok: nytt fönster: per tertial i stället för per termin
  droger.ny: nytt åtagande (polisen): ` + "`count(hundsok) >= 3`" + `

Backtest: 2023 års löfte på 2022 års poster, utvärderat 2023-01-01
  åtagande           2022                                   med 2023 års löfte
  trafik.kontroller  ✓ uppfyllt 4 av 4                      ✗ ej uppfyllt 4 av 5
  droger.hundsok     ✓ uppfyllt (2 av 2 fönster uppfyllda)  ✗ ej uppfyllt (2 av 3 fönster uppfyllda)
  droger.ny          –                                      ✗ ej uppfyllt 2 av 3
Med 2023 års löfte hade 2022 slutat: 3 ej uppfyllda i stället för inga.
`,
			en: `From 2022 to 2023:
  promise mullsjo: replaced by mullsjo-2023 (rules/mullsjo-2023.yaml)
  promise mullsjo-2023: the title changes from “Mullsjö 2021–2022” to “Mullsjö 2023”
  promise mullsjo-2023: governs 2023 instead of 2021..2022
  trafik.kontroller: the text changes
      before: 104 kontroller.
      after:  120 kontroller.
  trafik.kontroller: the target is raised from 4 to 5 per year
  droger.hundsok: new window: per tertial instead of per termin
  droger.ny: new commitment (polisen): ` + "`count(hundsok) >= 3`" + `

Backtest: the promise of 2023 on the records of 2022, evaluated 2023-01-01
  commitment         2022                        with the promise of 2023
  trafik.kontroller  ✓ met 4 of 4                ✗ missed 4 of 5
  droger.hundsok     ✓ met (2 of 2 windows met)  ✗ missed (2 of 3 windows met)
  droger.ny          –                           ✗ missed 2 of 3
With the promise of 2023, 2022 would have ended: 3 missed instead of none.
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sv, en := texts(t, tc.d, tc.bt)
			if d := cmp.Diff(backquotes(tc.sv), sv); d != "" {
				t.Errorf("Swedish (-want +got)\n%s", d)
			}
			if d := cmp.Diff(backquotes(tc.en), en); d != "" {
				t.Errorf("English (-want +got)\n%s", d)
			}
		})
	}
}

// backquotes puts back the backquotes written ´ in a raw string.
func backquotes(s string) string { return strings.ReplaceAll(s, "´", "`") }

// TestBacktestInEnglish: the rows of a backtest (an error, a ceiling,
// a commitment on one side only) and the labels of revisions.
func TestBacktestInEnglish(t *testing.T) {
	v, n := 2.0, 3.0
	c := &promise.Commitment{ID: "c"}
	upper := &eval.Result{Commitment: c, Status: eval.Met, Windows: []eval.Window{{Value: &v, Target: &n, Upper: true}}}
	broken := &eval.Result{Commitment: c, Status: eval.Pending, Broken: true}
	one := Side{Name: "HEAD", Promises: []*promise.Promise{{ID: "p"}}}
	two := Side{Name: "main", Promises: []*promise.Promise{{ID: "p"}, {ID: "q"}}}
	for _, tc := range []struct {
		side   Side
		sv, en string
	}{
		{one, `
Backtest: löftet i HEAD på 2022 års poster, utvärderat 2022-08-31
  åtagande  2022                   med löftet i HEAD
  tak       ✓ uppfyllt 2, högst 3  ! fel
  bort      ! fel                  –
Med löftet i HEAD hade 2022 stått så här den 2022-08-31 likadant: inga efter eller ej uppfyllda.
`, `
Backtest: the promise in HEAD on the records of 2022, evaluated 2022-08-31
  commitment  2022                with the promise in HEAD
  tak         ✓ met 2, at most 3  ! error
  bort        ! error             –
With the promise in HEAD, 2022 would have stood the same on 2022-08-31: none behind or missed.
`},
		{two, "", ""},
	} {
		bt := &Backtest{Year: 2022, AsOf: calendar.NewDate(2022, 8, 31), Own: "2022", other: otherLabel(tc.side),
			Rows: []Row{{Commitment: "tak", A: upper, B: broken}, {Commitment: "bort", A: broken}}}
		bt.Other = bt.other[0]
		if tc.sv == "" {
			if got := bt.OtherIn("sv"); got != "löftena i main" {
				t.Errorf("sv %q", got)
			}
			if got := bt.OtherIn("en"); got != "the promises in main" {
				t.Errorf("en %q", got)
			}
			continue
		}
		sv, en := texts(t, Diff{A: "HEAD~1", B: "HEAD", Changes: []Change{}}, bt)
		if d := cmp.Diff("Inga skillnader mellan HEAD~1 och HEAD.\n"+tc.sv, sv); d != "" {
			t.Errorf("Swedish (-want +got)\n%s", d)
		}
		if d := cmp.Diff("No differences between HEAD~1 and HEAD.\n"+tc.en, en); d != "" {
			t.Errorf("English (-want +got)\n%s", d)
		}
	}
}

// TestSentenceIn sums up backtests of every kind, in both languages.
func TestSentenceIn(t *testing.T) {
	type counts = map[eval.Status]int
	for _, tc := range []struct {
		ended  bool
		a, b   counts
		sv, en string
	}{
		{true, counts{}, counts{eval.Missed: 3}, "Med 2023 års löfte hade 2022 slutat: 3 ej uppfyllda i stället för inga.",
			"With the promise of 2023, 2022 would have ended: 3 missed instead of none."},
		{true, counts{eval.Missed: 1}, counts{eval.Missed: 3}, "Med 2023 års löfte hade 2022 slutat: 3 ej uppfyllda i stället för 1.",
			"With the promise of 2023, 2022 would have ended: 3 missed instead of 1."},
		{true, counts{eval.Missed: 1}, counts{eval.Missed: 1}, "Med 2023 års löfte hade 2022 slutat likadant: 1 ej uppfyllt.",
			"With the promise of 2023, 2022 would have ended the same: 1 missed."},
		{false, counts{eval.Missed: 1, eval.Behind: 2}, counts{eval.Behind: 1},
			"Med 2023 års löfte hade 2022 stått så här den 2022-08-31: 1 efter i stället för 1 ej uppfyllt och 2 efter.",
			"With the promise of 2023, 2022 would have stood on 2022-08-31: 1 behind instead of 1 missed and 2 behind."},
		{false, counts{eval.Met: 2}, counts{eval.Met: 2}, "Med 2023 års löfte hade 2022 stått så här den 2022-08-31 likadant: inga efter eller ej uppfyllda.",
			"With the promise of 2023, 2022 would have stood the same on 2022-08-31: none behind or missed."},
	} {
		bt := &Backtest{Year: 2022, AsOf: calendar.NewDate(2022, 8, 31), Ended: tc.ended, A: tc.a, B: tc.b, other: otherLabel(Side{Year: 2023})}
		bt.Other = bt.other[0]
		if got := bt.Sentence(); got != tc.sv {
			t.Errorf("sv\n got %q\nwant %q", got, tc.sv)
		}
		if got := bt.SentenceIn("en"); got != tc.en {
			t.Errorf("en\n got %q\nwant %q", got, tc.en)
		}
	}
	// A backtest made elsewhere, without its English label, says the
	// label it has.
	bt := &Backtest{Year: 2022, Ended: true, Other: "löftet i X"}
	if got := bt.SentenceIn("en"); got != "With löftet i X, 2022 would have ended the same: none behind or missed." {
		t.Errorf("%q", got)
	}
}
