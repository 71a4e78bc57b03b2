package diff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func load(t *testing.T, name string) *repository.Repository {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	snap := &source.Snapshot{Root: "/x"}
	for _, f := range ar.Files {
		snap.Files = append(snap.Files, source.File{Path: f.Name, Data: f.Data})
	}
	r := repository.Load(snap)
	if n := r.Diags.Errors(); n > 0 {
		t.Fatalf("%s: %v", name, r.Diags)
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

// TestEveryKindOfChange compares two versions of a repository that differ
// in every way a promise, its vocabulary and its calendar can.
func TestEveryKindOfChange(t *testing.T) {
	ra, rb := load(t, "a.txtar"), load(t, "b.txtar")
	d := Compare(Side{Name: "v2022", Repo: ra, Promises: ra.Promises}, Side{Name: "HEAD", Repo: rb, Promises: rb.Promises})
	var text, js bytes.Buffer
	if err := Text(&text, d, nil); err != nil {
		t.Fatal(err)
	}
	if err := JSON(&js, d, nil); err != nil {
		t.Fatal(err)
	}
	golden(t, "every.golden", text.String())
	golden(t, "every.json.golden", js.String())
	for _, want := range []string{
		"trafik.kontroller: målet höjs från 104 till 120 per år",
		"droger.hundsok: nytt fönster: per tertial i stället för per termin",
		"trafik.sank: målet sänks från 20 till 15 per år",
		"trafik.tak: taket höjs från 2 till 3 per år",
		"trafik.jamforelse: jämförelsen ändras från `>= 10` till `> 10` per år",
		"trafik.fonster-bort: nytt fönster: per år i stället för per kvartal",
		"trafik.per-form: räknas nu per form",
		"trafik.per-form-bort: räknas inte längre per form",
		"droger.villkor-bort: villkoret `.plats == \"grundskola\"` för hundsok tas bort",
		"droger.villkor-nytt: nytt villkor för hundsok: `.plats == \"gymnasium\"`",
		"trafik.typ: räknar nu hundsok i stället för trafikkontroll",
		"trafik.summa: räknar nu `sum(map(utbildning, .deltagare ?? 0))` i stället för `count(utbildning)`",
		"trafik.uttryck: villkoret ändras från",
		"trafik.form: regeln ändras från `count(trafikkontroll) >= 1` till `count(trafikkontroll) >= 1 && count(hundsok) >= 1`",
		"trafik.form: ansvarig ändras från polisen till polisen och kommunen",
		"trafik.manuell: flyttas från området trafik till droger",
		"trafik.manuell: räknas nu med regeln",
		"trafik.regel: bedöms nu för hand",
		"trafik.installningar: texten ändras",
		"trafik.installningar: takten ändras från jämn takt (linear) till ingen takt (none)",
		"trafik.installningar: toleransen ändras från 0 % till 10 %",
		"trafik.installningar: varnar 14 dagar före fönstrets slut i stället för 30",
		"trafik.ny: nytt åtagande (polisen): `count(trafikkontroll, .bilinspektor) >= 5`",
		"trafik.tas-bort: åtagandet tas bort",
		"löftet demo: titeln ändras från ”Medborgarlöfte Demo 2022” till ”Medborgarlöfte Demo 2023”",
		"löftet demo: gäller 2023 i stället för 2022",
		"löftet demo: ny part: regionen (Regionen)",
		"löftet demo: parten skolan (Skolan) är inte längre med",
		"löftet demo: parten polisen heter nu ”Polismyndigheten” (var ”Polisen”)",
		"löftet demo: området trafik får rubriken ”Trafiksäkerhet” (var ”Trafik”)",
		"aktivitetstyper: ny aktivitetstyp ny (Ny typ)",
		"aktivitetstyper: aktivitetstypen gammal tas bort",
		"aktivitetstyper: aktivitetstypen trafikkontroll heter nu ”Trafikkontroller” (var ”Trafikkontroll”)",
		"aktivitetstyper: trafikkontroll får fältet bilinspektor (bool)",
		"aktivitetstyper: fältet trafikkontroll.form ändras från enum [civil, uniformerad] till enum [civil, uniformerad, okand]",
		"aktivitetstyper: fältet trafikkontroll.plats ändras från string till string, krävs",
		"kalendern: terminen 2023-VT: 2023-01-09..2023-06-16 i stället för 2023-01-10..2023-06-16",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("no %q in\n%s", want, text.String())
		}
	}
	if strings.Contains(text.String(), "trafik.ompaketerad") {
		t.Errorf("reflowed text and rule reported as changes:\n%s", text.String())
	}
}

const years = `-- rules/activities.yaml --
activities:
  trafikkontroll:
    title: Trafikkontroll
  hundsok:
    title: Hundsök
-- rules/mullsjo.yaml --
promise: mullsjo
title: Mullsjö 2021–2022
parties:
  polisen: Polisen
valid: 2021..2022
commitments:
  - id: trafik.kontroller
    owner: polisen
    text: 104 kontroller.
    rule: count(trafikkontroll) >= 4
  - id: droger.hundsok
    owner: polisen
    text: Hundsök.
    rule: count(hundsok) per termin >= 1
-- rules/mullsjo-2023.yaml --
promise: mullsjo-2023
title: Mullsjö 2023
parties:
  polisen: Polisen
valid: 2023
commitments:
  - id: trafik.kontroller
    owner: polisen
    text: 120 kontroller.
    rule: count(trafikkontroll) >= 5
  - id: droger.hundsok
    owner: polisen
    text: Hundsök.
    rule: count(hundsok) per tertial >= 1
  - id: droger.ny
    owner: polisen
    text: Ny.
    rule: count(hundsok) >= 3
-- data/poster.yaml --
- {date: 2022-02-01, type: trafikkontroll, by: polisen}
- {date: 2022-03-01, type: trafikkontroll, by: polisen}
- {date: 2022-04-01, type: trafikkontroll, by: polisen}
- {date: 2022-05-01, type: trafikkontroll, by: polisen}
- {date: 2022-02-01, type: hundsok, by: polisen}
- {date: 2022-10-01, type: hundsok, by: polisen}
`

// TestYears compares the promises in force for two years of one
// repository, and backtests next year's promise on this year's records.
func TestYears(t *testing.T) {
	ar := txtar.Parse([]byte(years))
	snap := &source.Snapshot{Root: "/x"}
	for _, f := range ar.Files {
		snap.Files = append(snap.Files, source.File{Path: f.Name, Data: f.Data})
	}
	r := repository.Load(snap)
	if r.Diags.Errors() > 0 {
		t.Fatal(r.Diags)
	}
	a := Side{Name: "2022", Year: 2022, Repo: r, Promises: r.InForce(2022)}
	b := Side{Name: "2023", Year: 2023, Repo: r, Promises: r.InForce(2023)}
	same := Compare(Side{Name: "2021", Year: 2021, Repo: r, Promises: r.InForce(2021)}, a)
	if !same.Same {
		t.Errorf("2021 and 2022 share one promise: %+v", same)
	}
	d := Compare(a, b)
	bt := RunBacktest(a, b, r, 2022, calendar.NewDate(2023, 1, 1))
	var text bytes.Buffer
	if err := Text(&text, d, bt); err != nil {
		t.Fatal(err)
	}
	want := `Från 2022 till 2023:
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
`
	if diff := cmp.Diff(want, text.String()); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if bt.A[eval.Met] != 2 || bt.B[eval.Missed] != 3 {
		t.Errorf("tallies %v %v", bt.A, bt.B)
	}
	// During the year, the sentence says how it stood.
	bt = RunBacktest(a, b, r, 2022, calendar.NewDate(2022, 8, 31))
	if got := bt.Sentence(); !strings.HasPrefix(got, "Med 2023 års löfte hade 2022 stått så här den 2022-08-31:") {
		t.Errorf("sentence %q", got)
	}
}
