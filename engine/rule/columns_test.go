package rule

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
)

// colVocabulary has a field of every kind, required and not.
const colVocabulary = `activities:
  kontroll:
    fields:
      mot: {enum: [ungdom, allman], required: true}
      insp: bool
      form: {enum: [civil, uniform]}
      antal: int
      tal: number
      plats: string
      namn: {type: string, required: true}
      dag: date
      med: {list: string}
      n: {type: int, required: true}
  mote:
    fields:
      form: {enum: [civil, uniform]}
      antal: int
`

func colEnv(t testing.TB) *Env {
	t.Helper()
	voc, errs := promise.ParseVocabulary("rules/activities.yaml", []byte(colVocabulary))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return NewEnv(voc)
}

var colDay0 = calendar.NewDate(2022, 1, 1)

// colRecords makes n records of both types over the first months of 2022
// and the end of 2021, spread over files, with absent values, values at
// the edges of what an integer or a float holds, and (big) a column with
// too many distinct values for a dictionary.
func colRecords(rng *rand.Rand, n int, big bool) []record.Record {
	pick := func(vs ...any) any { return vs[rng.IntN(len(vs))] }
	bys := [][]string{{"polisen"}, {"kommunen"}, {"polisen", "kommunen"}}
	var recs []record.Record
	for i := range n {
		d := colDay0 + calendar.Date(rng.IntN(120)-20)
		r := record.Record{Date: d, By: bys[rng.IntN(len(bys))]}
		antal := pick(nil, 0, 1, 2, 3, 5, -4, math.MaxInt64/2+1, math.MaxInt64)
		if rng.IntN(8) != 0 && antal != nil {
			antal = pick(0, 1, 2, 3, 5)
		}
		if big {
			antal = i
		}
		if rng.IntN(3) == 0 {
			r.Type = "mote"
			r.Values = []any{pick(nil, "civil", "uniform"), antal}
		} else {
			r.Type = "kontroll"
			tal := pick(nil, 0.5, 1.5, 2.0, 3.25, -1.0)
			if rng.IntN(40) == 0 {
				tal = 1e308
			}
			med := pick(nil, []any{"skola"}, []any{"skola", "soc"}, []any{})
			r.Values = []any{pick("ungdom", "allman", nil), pick(nil, true, false), pick(nil, "civil", "uniform"), antal, tal,
				pick(nil, "a", "b", ""), pick("x", "y"), pick(nil, colDay0+30, colDay0+60), med, pick(1, 2, 3)}
		}
		r.Pos.File, r.Pos.Line = fmt.Sprintf("data/%s-%d.csv", r.Type, rng.IntN(4)), i+2
		recs = append(recs, r)
	}
	return recs
}

var colAtoms = []string{
	`.mot == "ungdom"`, `.form == "civil"`, `.form != "uniform"`, `.form == nil`, `.form in ["civil", "uniform"]`,
	`.mot not in ["allman"]`, `"polisen" in .by`, `"kommunen" in .by`, `len(.by) == 2`, `.insp`, `!.insp`,
	`.insp == true`, `.antal > 3`, `.antal >= 2`, `(.antal ?? 0) < 5`, `.antal == 2`, `.tal > 1.5`, `.tal < 3`,
	`.antal == .tal`, `.plats == "a"`, `.plats startsWith "a"`, `(.plats ?? "x") == "x"`, `"skola" in .med`,
	`.med == nil`, `.dag > date("2022-01-15")`, `.date.Month() == 1`, `.date.Weekday() == 1`,
	`.date > date("2022-02-01")`, `.type == "kontroll"`, `.antal`, `true`, `false`, `.namn == "x"`, `.n > 1`,
	`.n in [1, 3]`, `.antal in [1, 2.0]`, `.tal == 2`, `.dag != nil`, `int(.tal ?? 0) == 1`, `.plats`,
}

// colPredicate makes a predicate of atoms that every type has when mote
// (only .form, .antal and the core fields).
func colPredicate(rng *rand.Rand, depth int, mote bool) string {
	if depth <= 0 || rng.IntN(3) == 0 {
		for {
			a := colAtoms[rng.IntN(len(colAtoms))]
			if !mote || !strings.ContainsAny(strings.NewReplacer(".form", "", ".antal", "", ".by", "", ".date", "", ".type", "").Replace(a), ".") {
				return a
			}
		}
	}
	l, r := colPredicate(rng, depth-1, mote), colPredicate(rng, depth-1, mote)
	switch rng.IntN(4) {
	case 0:
		return "(" + l + ") || (" + r + ")"
	case 1:
		return "!(" + l + ")"
	}
	return "(" + l + ") && (" + r + ")"
}

// colMetricSrc makes a metric that adds up, mostly of tests the column
// path reads.
func colMetricSrc(rng *rand.Rand) string {
	p := func() string { return colPredicate(rng, 3, false) }
	q := func() string { return colPredicate(rng, 2, true) }
	switch rng.IntN(12) {
	case 0:
		return "count(kontroll, " + p() + ")"
	case 1:
		return "len(filter(kontroll, " + p() + "))"
	case 2:
		return "count(filter(kontroll, " + p() + "), " + p() + ")"
	case 3:
		return "sum(map(kontroll, .antal ?? 0))"
	case 4:
		return "sum(map(filter(kontroll, " + p() + "), .tal ?? 1))"
	case 5:
		return "sum(map(kontroll, .antal))"
	case 6:
		return "sum(kontroll, .antal ?? .n)"
	case 7:
		return "2 * count(kontroll, " + p() + ") - count(mote)"
	case 8:
		return "count(kontroll) + count(mote, " + q() + ") + 3"
	case 9:
		return "-count(kontroll, " + p() + ")"
	case 10:
		return "sum(map(mote, .antal ?? 0)) * 2 - sum(map(filter(kontroll, " + p() + "), .n))"
	}
	return "count(mote, " + q() + ") - sum(map(kontroll, (.tal ?? 0) > 1 ? 1 : 0))"
}

// colSets is the records as a set of Records and as one of columns.
func colSets(recs []record.Record) map[string]*record.Set {
	byFile := map[string][]record.Record{}
	var files []string
	for _, r := range recs {
		if byFile[r.Pos.File] == nil {
			files = append(files, r.Pos.File)
		}
		byFile[r.Pos.File] = append(byFile[r.Pos.File], r)
	}
	var chunks []*record.Chunk
	for _, f := range files {
		chunks = append(chunks, record.NewChunk(f, byFile[f]))
	}
	return map[string]*record.Set{"records": record.NewSet(recs), "columns": record.NewSetOfChunks(chunks)}
}

// checkColumns compares, for the comparison `src per form >= 1` (or
// without per), what the column path gives with what running the metric
// gives: day by day (MeasureDays) and over spans (Measure), in every
// scope, figure for figure and error for error. It reports whether the
// column path serves the metric.
func checkColumns(t *testing.T, env *Env, rng *rand.Rand, sets map[string]*record.Set, src string) bool {
	t.Helper()
	if rng.IntN(3) == 0 {
		src += " per form"
	}
	r, errs := env.Compile(promise.Text{Value: src + " >= 1"})
	if len(errs) > 0 {
		return false // a rule that does not compile has nothing to measure
	}
	c, ok := r.Root.(*Compare)
	if !ok {
		t.Fatalf("%s: not a comparison", src)
	}
	slow := *c
	slow.cols = nil
	var days []calendar.Date
	for d := colDay0 - 3; d < colDay0+110; d += calendar.Date(1 + rng.IntN(4)) {
		days = append(days, d)
	}
	from, to := colDay0, colDay0+89
	for name, set := range sets {
		for _, g := range append([]string{""}, c.Values...) {
			if g != "" && c.Field == "" {
				continue
			}
			s := Scope{Field: c.Field, Value: g}
			fast, slowT := env.Tables(set, from, to), env.Tables(set, from, to)
			got, gerr := fast.MeasureDays(c, s, days)
			want, werr := slowT.MeasureDays(&slow, s, days)
			if fmt.Sprint(gerr) != fmt.Sprint(werr) || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s (%s, %q): MeasureDays\n got %v %v\nwant %v %v", src, name, g, got, gerr, want, werr)
			}
			for range 4 {
				s.Start = colDay0 + calendar.Date(rng.IntN(120)-20)
				s.End = s.Start + calendar.Date(rng.IntN(90)-5)
				gv, gt, gerr := fast.Measure(c, s)
				wv, wt, werr := slowT.Measure(&slow, s)
				if fmt.Sprint(gerr) != fmt.Sprint(werr) || gv != wv || gt != wt {
					t.Errorf("%s (%s, %q, %s..%s): Measure gives %v %v %v, want %v %v %v", src, name, g, s.Start, s.End, gv, gt, gerr, wv, wt, werr)
				}
			}
		}
	}
	return c.cols != nil
}

// TestColumnsDifferential: for generated records and generated metrics,
// the column path gives exactly what running the metric gives.
func TestColumnsDifferential(t *testing.T) {
	env := colEnv(t)
	served, all := 0, 0
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 7))
		sets := colSets(colRecords(rng, 200+rng.IntN(300), false))
		for range 40 {
			all++
			if checkColumns(t, env, rng, sets, colMetricSrc(rng)) {
				served++
			}
		}
	}
	// Most generated metrics are read from the columns; the others fall
	// back to running the metric, and are checked all the same.
	if served < all/4 {
		t.Errorf("the column path serves %d of %d metrics", served, all)
	}
	t.Logf("the column path serves %d of %d metrics", served, all)
}

// TestColumnsRaw: a column with too many distinct values for a
// dictionary is read record by record, with the same result.
func TestColumnsRaw(t *testing.T) {
	env := colEnv(t)
	rng := rand.New(rand.NewPCG(3, 4))
	sets := colSets(colRecords(rng, 5000, true))
	for _, src := range []string{"count(kontroll, .antal > 2000 && .form == \"civil\")", "sum(map(mote, .antal ?? 0))",
		"count(mote, .antal in [4, 5, 4000])"} {
		if !checkColumns(t, env, rng, sets, src) {
			t.Errorf("%s: not served by the column path", src)
		}
	}
}

// TestColumnsGenerated: the metrics of the generated promise are all read
// from the columns, and build no struct table.
func TestColumnsGenerated(t *testing.T) {
	env := testEnv(t)
	rng := rand.New(rand.NewPCG(5, 6))
	var recs []record.Record
	for i := range 300 {
		recs = append(recs, record.Record{Type: "trafikkontroll", Date: colDay0 + calendar.Date(rng.IntN(200)),
			By: [][]string{{"polisen"}, {"kommunen"}}[rng.IntN(2)], Values: []any{"bilburen_ungdom", rng.IntN(2) == 0, []any{nil, "civil", "uniformerad"}[rng.IntN(3)]}})
		recs[i].Pos.File, recs[i].Pos.Line = "data/t.csv", i+2
	}
	sets := colSets(recs)
	for _, src := range []string{
		`count(trafikkontroll, .riktad_mot == "bilburen_ungdom" && .bilinspektor) per form >= 1`,
		`count(trafikkontroll, .form == "uniformerad") per månad >= 4`,
		`count(trafikkontroll, .form == "civil" && "polisen" in .by) per kvartal >= 3`,
		`count(trafikkontroll, .date.Month() == 12 && .riktad_mot == "bilburen_ungdom") >= 1`,
		`sum(map(utbildning, .deltagare ?? 0)) >= 100`,
		`count(trafikkontroll) per kvartal per form >= 5`,
	} {
		r, errs := env.Compile(promise.Text{Value: src})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		c := r.Root.(*Compare)
		if c.cols == nil {
			t.Errorf("%s: not served by the column path", src)
			continue
		}
		for _, set := range sets {
			tables := env.Tables(set, colDay0, colDay0+364)
			days := set.Dates("trafikkontroll", colDay0, colDay0+364)
			if _, err := tables.MeasureDays(c, Scope{Field: c.Field, Value: "civil"}, days); err != nil {
				t.Fatal(err)
			}
			if _, _, err := tables.Measure(c, Scope{Start: colDay0, End: colDay0 + 100, Field: c.Field, Value: "civil"}); err != nil {
				t.Fatal(err)
			}
			if len(tables.tables) != 0 {
				t.Errorf("%s: a struct table was built", src)
			}
		}
	}
}

// TestColumnsFallback: a metric the column path cannot read (a test of two
// fields at once, a function it does not know) is measured by running it.
func TestColumnsFallback(t *testing.T) {
	env := colEnv(t)
	rng := rand.New(rand.NewPCG(8, 9))
	sets := colSets(colRecords(rng, 300, false))
	for _, src := range []string{"count(kontroll, .antal == .tal)", `count(kontroll, .plats startsWith "a")`, "count(kontroll, len(.by) == 2)"} {
		if checkColumns(t, env, rng, sets, src) {
			t.Errorf("%s: served by the column path", src)
		}
		r, _ := env.Compile(promise.Text{Value: src + " >= 1"})
		c := r.Root.(*Compare)
		tables := env.Tables(sets["columns"], colDay0, colDay0+89)
		v, _, err := tables.Measure(c, Scope{Start: colDay0, End: colDay0 + 89})
		if err != nil || v == 0 {
			t.Errorf("%s: %v, %v", src, v, err)
		}
	}
}

// FuzzColumns: the column path and running the metric agree on records
// and metrics generated from the fuzzer's seeds.
func FuzzColumns(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(77), uint64(5))
	env := colEnv(f)
	f.Fuzz(func(t *testing.T, a, b uint64) {
		rng := rand.New(rand.NewPCG(a, b))
		sets := colSets(colRecords(rng, 50+rng.IntN(200), false))
		for range 5 {
			checkColumns(t, env, rng, sets, colMetricSrc(rng))
		}
	})
}
