package record

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/lofte/lofte/engine/calendar"
)

// randomFiles writes n record files of every format and kind of value,
// with dates out of order and repeated, and values that repeat and that
// do not (more distinct ones than a column's dictionary holds).
func randomFiles(seed uint64, n int) []File {
	rng := rand.New(rand.NewPCG(seed, 1))
	start := calendar.NewDate(2021, 1, 1)
	date := func() calendar.Date { return start + calendar.Date(rng.IntN(800)) }
	party := func() string {
		return []string{"polisen", "kommunen", "polisen+kommunen", "kommunen+polisen"}[rng.IntN(4)]
	}
	var files []File
	for i := range n {
		var b strings.Builder
		switch i % 4 {
		case 0, 1:
			b.WriteString("date;type;by;deltagare;timmar;digital;uppfoljning;amnen;nivaer;skola;plats\n")
			for range rng.IntN(3000) {
				switch rng.IntN(3) {
				case 0:
					fmt.Fprintf(&b, "%s;utbildning;%s;%s;%s;%s;%s;%s;%s;;\n", date(), party(),
						pick(rng, "", fmt.Sprint(rng.IntN(9000))), pick(rng, "", fmt.Sprintf("%d,%d", rng.IntN(5), rng.IntN(10)), "-0"),
						pick(rng, "", "ja", "nej"), pick(rng, "", date().String()),
						pick(rng, "", "a", "a+b", "b+a", fmt.Sprintf("x%d+y", rng.IntN(5000))), pick(rng, "", "grund", "grund+fordjupning"))
				case 1:
					fmt.Fprintf(&b, "%s;hundsok;%s;;;;;;;%s;%s\n", date(), party(), pick(rng, "", "Ribbaskolan", "\"Skola; med semikolon\""),
						pick(rng, "grundskola", "gymnasium", "annan"))
				default:
					fmt.Fprintf(&b, "%s;trafikkontroll;%s;;;;;;;;\n", date(), party())
				}
			}
			if i%8 == 1 { // a value over two lines: read again with encoding/csv
				fmt.Fprintf(&b, "%s;hundsok;polisen;;;;;;;\"Skola\nrad två\";annan\n", date())
				fmt.Fprintf(&b, "%s;trafikkontroll;%s;;;;;;;;\n", date(), party())
			}
		case 2:
			for range rng.IntN(50) {
				fmt.Fprintf(&b, "- {date: %s, type: skadegorelse, by: %s, kostnad: %d.5, beskrivning: %s}\n", date(), party(), rng.IntN(3), pick(rng, "a", "b", "c"))
			}
		default:
			for range rng.IntN(50) {
				fmt.Fprintf(&b, `{"date": "%s", "type": "trafikkontroll", "by": "%s", "form": "civil", "bilinspektor": %v}`+"\n", date(), party(), rng.IntN(2) == 0)
			}
		}
		ext := []string{".csv", ".csv", ".yaml", ".jsonl"}[i%4]
		files = append(files, File{Path: fmt.Sprintf("data/%03d%s", i, ext), Data: []byte(b.String())})
	}
	return files
}

func pick(rng *rand.Rand, s ...string) string { return s[rng.IntN(len(s))] }

// reference is the plain record store: NewSetOf of each file's records.
func reference(files []File) *Set {
	var parts [][]Record
	for _, f := range files {
		recs, _ := Parse(f.Path, f.Data, testVocab(), testParties)
		parts = append(parts, recs)
	}
	return NewSetOf(parts)
}

// sameSet fails t unless got has the records of want, in the same order,
// whether read through Of, Between, Dates or Rows.
func sameSet(t *testing.T, want, got *Set) {
	t.Helper()
	if want.Len() != got.Len() || !slices.Equal(want.Types(), got.Types()) {
		t.Fatalf("Len %d, Types %v; want %d, %v", got.Len(), got.Types(), want.Len(), want.Types())
	}
	for _, typ := range want.Types() {
		w := want.Of(typ)
		rows := got.Rows(typ)
		if rows.Len() != len(w) {
			t.Fatalf("%s: %d rows, want %d", typ, rows.Len(), len(w))
		}
		for k := range w {
			r := Record{Type: typ, Date: rows.Date(k), By: rows.By(k), Pos: rows.Pos(k)}
			for f := range rows.NumValues(k) {
				r.Values = append(r.Values, rows.Value(k, f))
			}
			if !reflect.DeepEqual(w[k], r) {
				t.Fatalf("%s: row %d (-want +got):\n%s", typ, k, cmp.Diff(w[k], r))
			}
			if rows.File(k) != w[k].Pos.File {
				t.Fatalf("%s: row %d: file %s", typ, k, rows.File(k))
			}
		}
		if !reflect.DeepEqual(w, got.Of(typ)) {
			t.Fatalf("Of(%s) (-want +got):\n%s", typ, cmp.Diff(w, got.Of(typ)))
		}
		from, to := calendar.NewDate(2021, 6, 1), calendar.NewDate(2022, 2, 28)
		if wb, gb := want.Between(typ, from, to), got.Between(typ, from, to); len(wb) != len(gb) || len(wb) > 0 && !reflect.DeepEqual(wb, gb) {
			t.Fatalf("Between(%s) (-want +got):\n%s", typ, cmp.Diff(wb, gb))
		}
		var dates []calendar.Date
		for _, r := range want.Between(typ, from, to) {
			dates = append(dates, r.Date)
		}
		if diff := cmp.Diff(dates, got.Dates(typ, from, to), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("Dates(%s) (-want +got):\n%s", typ, diff)
		}
	}
}

func TestChunkSetAsRecords(t *testing.T) {
	for seed := range uint64(4) {
		files := randomFiles(seed, 24)
		want := reference(files)
		got, _ := ReadAll(slices.Clone(files), testVocab(), testParties)
		sameSet(t, want, got)

		// Filtering by file: FilterFiles as Filter, on both kinds of set.
		keep := func(file string) bool { return file < "data/010" || strings.HasSuffix(file, ".yaml") }
		wantF := want.Filter(func(r *Record) bool { return keep(r.Pos.File) })
		sameSet(t, wantF, got.FilterFiles(keep))
		sameSet(t, wantF, want.FilterFiles(keep))
		sameSet(t, wantF, got.Filter(func(r *Record) bool { return keep(r.Pos.File) }))
		if got.FilterFiles(func(string) bool { return true }) != got {
			t.Error("FilterFiles keeping all is not the set itself")
		}

		// A change to a few files: PatchChunks as a set read anew.
		chunks := make([]*Chunk, len(files))
		for i, f := range files {
			recs, _ := Parse(f.Path, f.Data, testVocab(), testParties)
			chunks[i] = NewChunk(f.Path, recs)
		}
		set := NewSetOfChunks(chunks)
		changed := randomFiles(seed+100, 24)
		var types []string
		for _, i := range []int{1, 5} {
			types = append(types, chunks[i].Types()...)
			recs, _ := Parse(files[i].Path, changed[i].Data, testVocab(), testParties)
			chunks[i] = NewChunk(files[i].Path, recs)
			types = append(types, chunks[i].Types()...)
			files[i].Data = changed[i].Data
		}
		sameSet(t, reference(files), set.PatchChunks(chunks, types))
	}
}

func TestChunkRecords(t *testing.T) {
	for _, f := range randomFiles(7, 8) {
		recs, _ := Parse(f.Path, f.Data, testVocab(), testParties)
		c := NewChunk(f.Path, recs)
		want := NewSet(recs)
		var got []Record
		for _, typ := range c.Types() {
			got = append(got, want.Of(typ)...)
		}
		// Records gives each type's records in file order; the set's are by date.
		if diff := cmp.Diff(len(got), len(c.Records())); diff != "" || c.Len() != len(recs) {
			t.Fatalf("%s: Records (-want +got):\n%s", f.Path, diff)
		}
		sameSet(t, want, NewSet(c.Records()))
	}
}

// datedFiles writes n CSV files of a month each, their rows in date
// order, so that a type's rows taken file by file are in date order; the
// last file is YAML (records starting in other columns), and with many
// parties a file names more than 256 lists of them.
func datedFiles(n int, manyParties bool) []File {
	var files []File
	for i := range n {
		var b strings.Builder
		b.WriteString("date;type;by;skola;plats\n")
		rows := 28
		if manyParties {
			rows = 300
		}
		for d := range rows {
			by := []string{"polisen", "kommunen"}[d%2]
			if manyParties {
				by = fmt.Sprintf("p%d", d)
			}
			day := d*28/rows + 1
			fmt.Fprintf(&b, "2022-%02d-%02d;hundsok;%s;Skola %d;annan\n", i+1, day, by, d%3)
			if d%4 == 0 {
				fmt.Fprintf(&b, "2022-%02d-%02d;trafikkontroll;%s;;\n", i+1, day, by)
			}
		}
		files = append(files, File{Path: fmt.Sprintf("data/2022/%02d.csv", i+1), Data: []byte(b.String())})
	}
	files = append(files, File{Path: "data/2022/99.yaml", Data: []byte(
		"- {date: 2022-12-30, type: trafikkontroll, by: polisen}\n-   {date: 2022-12-31, type: trafikkontroll, by: kommunen}\n")})
	return files
}

// TestChunkSetDated: a set of files already in date order (kept without a
// reference per record) reads as the plain store does, through every
// accessor, after FilterFiles and PatchChunks, and after a round trip
// through the parsed-file encoding.
func TestChunkSetDated(t *testing.T) {
	for _, many := range []bool{false, true} {
		parties := testParties
		if many {
			parties = nil // not checked
		}
		files := datedFiles(6, many)
		var want *Set
		{
			var parts [][]Record
			for _, f := range files {
				recs, _ := Parse(f.Path, f.Data, testVocab(), parties)
				parts = append(parts, recs)
			}
			want = NewSetOf(parts)
		}
		chunks := make([]*Chunk, len(files))
		for i, f := range files {
			c, diags := ParseChunk(f.Path, f.Data, testVocab(), parties)
			if len(diags) > 0 {
				t.Fatalf("%s: %v", f.Path, diags)
			}
			c2, _, err := DecodeParsed(EncodeParsed(nil, c, nil))
			if err != nil {
				t.Fatal(err)
			}
			chunks[i] = c2
		}
		got := NewSetOfChunks(chunks)
		if g := got.groups["hundsok"]; g.refs != nil || g.blocks == nil {
			t.Fatalf("files in date order: the group keeps a reference per record")
		}
		if p := chunks[0].part("hundsok"); (p.by8 == nil) != many || p.col != nil {
			t.Fatalf("party lists in 8 bits: %v, with %d lists; start columns kept: %v", p.by8 != nil, len(p.bys), p.col != nil)
		}
		sameSet(t, want, got)
		keep := func(file string) bool { return file != "data/2022/03.csv" }
		sameSet(t, want.Filter(func(r *Record) bool { return keep(r.Pos.File) }), got.FilterFiles(keep))
		// One file's rows moved before another's: references again.
		moved := slices.Clone(chunks)
		moved[0], moved[4] = moved[4], moved[0]
		swapped := slices.Clone(files)
		swapped[0], swapped[4] = swapped[4], swapped[0]
		var parts [][]Record
		for _, f := range swapped {
			recs, _ := Parse(f.Path, f.Data, testVocab(), parties)
			parts = append(parts, recs)
		}
		sameSet(t, NewSetOf(parts), got.PatchChunks(moved, []string{"hundsok", "trafikkontroll"}))
	}
}

// TestChunkLines: the lines of records, kept as a first line when they
// follow one another, and as they are when they do not (two records on
// one line, a gap), through the encoding too.
func TestChunkLines(t *testing.T) {
	for name, src := range map[string]string{
		"one a line":    "- {date: 2022-01-01, type: trafikkontroll, by: polisen}\n- {date: 2022-01-02, type: trafikkontroll, by: polisen}\n- {date: 2022-01-03, type: trafikkontroll, by: polisen}\n",
		"two on a line": "[{date: 2022-01-01, type: trafikkontroll, by: polisen}, {date: 2022-01-02, type: trafikkontroll, by: polisen},\n\n {date: 2022-01-03, type: trafikkontroll, by: polisen}]\n",
		"a gap":         "- {date: 2022-01-01, type: trafikkontroll, by: polisen}\n\n- {date: 2022-01-02, type: trafikkontroll, by: polisen}\n- {date: 2022-01-03, type: trafikkontroll, by: polisen}\n",
	} {
		recs, diags := Parse("data/x.yaml", []byte(src), testVocab(), testParties)
		if len(diags) > 0 || len(recs) != 3 {
			t.Fatalf("%s: %d records, %v", name, len(recs), diags)
		}
		c, _ := ParseChunk("data/x.yaml", []byte(src), testVocab(), testParties)
		c2, _, err := DecodeParsed(EncodeParsed(nil, c, nil))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []*Chunk{c, c2} {
			if diff := cmp.Diff(recs, c.Records()); diff != "" {
				t.Errorf("%s (-want +got):\n%s", name, diff)
			}
		}
	}
}

// TestChunkDates: dates kept as days after the first when they span
// fewer than 65,536 days, and as they are when they span more, read the
// same, through the encoding too.
func TestChunkDates(t *testing.T) {
	for name, src := range map[string]string{
		"near": "- {date: 2022-01-02, type: trafikkontroll, by: polisen}\n- {date: 2022-01-01, type: trafikkontroll, by: polisen}\n",
		"far":  "- {date: 2199-12-31, type: trafikkontroll, by: polisen}\n- {date: 1901-01-01, type: trafikkontroll, by: polisen}\n",
	} {
		recs, diags := Parse("data/x.yaml", []byte(src), testVocab(), testParties)
		if len(diags) > 0 || len(recs) != 2 {
			t.Fatalf("%s: %d records, %v", name, len(recs), diags)
		}
		c, _ := ParseChunk("data/x.yaml", []byte(src), testVocab(), testParties)
		if p := c.part("trafikkontroll"); (p.dates == nil) != (name == "near") {
			t.Errorf("%s: dates kept as days: %v", name, p.dates == nil)
		}
		c2, _, err := DecodeParsed(EncodeParsed(nil, c, nil))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []*Chunk{c, c2} {
			if diff := cmp.Diff(recs, c.Records()); diff != "" {
				t.Errorf("%s (-want +got):\n%s", name, diff)
			}
			sameSet(t, NewSet(recs), NewSetOfChunks([]*Chunk{c}))
		}
	}
}
