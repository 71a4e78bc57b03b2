package record

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
)

func rec(typ, date string, line int) Record {
	return Record{Type: typ, Date: day(date), By: []string{"polisen"}, Pos: diag.Pos{File: "f", Line: line}}
}

func lines(recs []Record) []int {
	out := []int{}
	for _, r := range recs {
		out = append(out, r.Pos.Line)
	}
	return out
}

func TestSet(t *testing.T) {
	s := NewSet([]Record{
		rec("b", "2022-03-01", 1),
		rec("a", "2022-05-01", 2),
		rec("a", "2022-01-01", 3),
		rec("a", "2022-03-01", 4),
		rec("a", "2022-03-01", 5),
		rec("a", "2022-12-31", 6),
		rec("a", "2022-03-01", 7),
	})
	if s.Len() != 7 {
		t.Errorf("Len = %d", s.Len())
	}
	if diff := cmp.Diff([]string{"a", "b"}, s.Types()); diff != "" {
		t.Errorf("Types (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{3, 4, 5, 7, 2, 6}, lines(s.Of("a"))); diff != "" {
		t.Errorf("Of(a): not sorted by date, stably (-want +got):\n%s", diff)
	}
	if got := s.Of("c"); len(got) != 0 {
		t.Errorf("Of(c) = %v", got)
	}
	for _, tc := range []struct {
		start, end string
		want       []int
	}{
		{"2022-01-01", "2022-12-31", []int{3, 4, 5, 7, 2, 6}}, // both ends included
		{"2021-01-01", "2023-12-31", []int{3, 4, 5, 7, 2, 6}},
		{"2022-01-02", "2022-12-30", []int{4, 5, 7, 2}},
		{"2022-03-01", "2022-03-01", []int{4, 5, 7}}, // one day
		{"2022-03-01", "2022-04-30", []int{4, 5, 7}},
		{"2022-02-28", "2022-03-01", []int{4, 5, 7}},
		{"2022-03-02", "2022-04-30", []int{}}, // between records
		{"2021-01-01", "2021-12-31", []int{}}, // before all
		{"2023-01-01", "2023-12-31", []int{}}, // after all
		{"2022-12-31", "2022-01-01", []int{}}, // start after end
		{"2022-12-31", "2022-12-31", []int{6}},
		{"2021-12-31", "2022-01-01", []int{3}},
	} {
		got := s.Between("a", day(tc.start), day(tc.end))
		if diff := cmp.Diff(tc.want, lines(got)); diff != "" {
			t.Errorf("Between(%s, %s) (-want +got):\n%s", tc.start, tc.end, diff)
		}
	}
	// A part of the group, not a copy, that cannot be appended over.
	part := s.Between("a", day("2022-03-01"), day("2022-03-01"))
	if &part[0] != &s.Of("a")[1] {
		t.Error("Between copied the records")
	}
	_ = append(part, rec("a", "2000-01-01", 99))
	if s.Of("a")[4].Pos.Line != 2 {
		t.Error("appending to Between's result changed the set")
	}
	if got := s.Between("b", day("2022-03-01"), day("2022-03-01")); len(got) != 1 {
		t.Errorf("Between(b) = %v", got)
	}
}

func TestNilSet(t *testing.T) {
	var s *Set
	if s.Len() != 0 || s.Of("a") != nil || s.Types() != nil || len(s.Between("a", 0, 100)) != 0 {
		t.Error("a nil Set is not empty")
	}
}

func TestReadAll(t *testing.T) {
	files := []File{
		{Path: "data/a.csv", Data: []byte("date;type;by\n2022-03-01;trafikkontroll;polisen\n2022-03-02;trafikkontroll;polis\n2022-01-01;trafikkontroll;kommunen\n")},
		{Path: "data/b.yaml", Data: []byte("- {date: 2022-03-01, type: trafikkontroll, by: kommunen}\n- {date: 2022-03-01, type: hundsok, by: polisen, plats: annan}\n")},
		{Path: "data/c.txt", Data: []byte("x")},
		{Path: "data/d.json", Data: []byte("[")},
		{Path: "data/e.jsonl", Data: []byte(`{"date": "2022-03-01", "type": "trafikkontroll", "by": "polisen"}`)},
	}
	s, diags := ReadAll(files, testVocab(), testParties)
	var got []string
	for _, d := range diags {
		got = append(got, d.Error())
	}
	want := []string{
		"data/a.csv:3:27: okänd part \"polis\" (menade du `polisen`?)",
		`data/c.txt: okänd filtyp ".txt" (poster läses från .yaml, .yml, .json, .jsonl och .csv)`,
		`data/d.json:1:2: ogiltig JSON: väntade ett värde, men texten tar slut`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if s.Len() != 5 {
		t.Errorf("Len = %d, want 5", s.Len())
	}
	var places []string
	for _, r := range s.Of("trafikkontroll") {
		places = append(places, r.Pos.String())
	}
	// Same date: input order of the files, then lines.
	if diff := cmp.Diff([]string{"data/a.csv:4", "data/a.csv:2", "data/b.yaml:1:3", "data/e.jsonl:1:1"}, places); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

// TestReadAllMany compares the parallel reading with Parse, file by file.
func TestReadAllMany(t *testing.T) {
	var files []File
	var want []string
	for i := range 60 {
		var b strings.Builder
		b.WriteString("date,type,by\n")
		for j := range i % 7 {
			fmt.Fprintf(&b, "%s,trafikkontroll,%s\n", calendar.NewDate(2022, 1, 1+i+j), testParties[(i+j)%3%2])
		}
		if i%5 == 0 {
			b.WriteString("2022-13-01,trafikkontroll,polisen\n")
		}
		f := File{Path: fmt.Sprintf("data/%02d.csv", i), Data: []byte(b.String())}
		files = append(files, f)
		_, d := Parse(f.Path, f.Data, testVocab(), testParties)
		for _, x := range d {
			want = append(want, x.Error())
		}
	}
	s, diags := ReadAll(files, testVocab(), testParties)
	var got []string
	for _, d := range diags {
		got = append(got, d.Error())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	n := 0
	for i := range 60 {
		n += i % 7
	}
	if s.Len() != n {
		t.Errorf("Len = %d, want %d", s.Len(), n)
	}
	if s, d := ReadAll(nil, nil, nil); s.Len() != 0 || len(d) != 0 {
		t.Errorf("no files: %v %v", s, d)
	}
}
