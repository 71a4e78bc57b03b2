package calendar

import (
	"slices"
	"strings"
	"testing"
)

// mullsjo returns the calendar of the example: Mullsjö's läsår 2021/22.
func mullsjo(t *testing.T) *Calendar {
	t.Helper()
	c := New()
	for _, term := range []struct{ name, start, end string }{
		{"2021-HT", "2021-08-23", "2021-12-22"},
		{"2022-VT", "2022-01-11", "2022-06-17"},
	} {
		if err := c.SetTerm(term.name, mustDate(t, term.start), mustDate(t, term.end)); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestTerms(t *testing.T) {
	c := mullsjo(t)
	tests := []struct {
		year     int
		want     []string
		defaults []string
	}{
		{2021, []string{"2021-VT 2021-01-01..2021-06-30", "2021-HT 2021-08-23..2021-12-22"}, []string{"2021-VT"}},
		{2022, []string{"2022-VT 2022-01-11..2022-06-17", "2022-HT 2022-07-01..2022-12-31"}, []string{"2022-HT"}},
		{2023, []string{"2023-VT 2023-01-01..2023-06-30", "2023-HT 2023-07-01..2023-12-31"}, []string{"2023-VT", "2023-HT"}},
	}
	for _, tt := range tests {
		var got []string
		for _, w := range c.Windows(Term, tt.year) {
			if w.Kind != Term {
				t.Errorf("%s: kind %v", w.Name, w.Kind)
			}
			got = append(got, spanOf(w))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Windows(Term, %d) = %q, want %q", tt.year, got, tt.want)
		}
		if got := c.DefaultTerms(tt.year); !slices.Equal(got, tt.defaults) {
			t.Errorf("DefaultTerms(%d) = %q, want %q", tt.year, got, tt.defaults)
		}
	}
	var none *Calendar
	if got := none.DefaultTerms(2022); !slices.Equal(got, []string{"2022-VT", "2022-HT"}) {
		t.Errorf("nil calendar: DefaultTerms = %q", got)
	}
	if got := New().DefaultTerms(2022); len(got) != 2 {
		t.Errorf("empty calendar: DefaultTerms = %q", got)
	}
}

func TestSetTerm(t *testing.T) {
	tests := []struct {
		name, start, end string
		wantErr          string // "" for none
		wantName         string
	}{
		{"2022-VT", "2022-01-11", "2022-06-17", "", "2022-VT"},
		{"2022-ht", "2022-08-17", "2022-12-21", "", "2022-HT"},
		{"2022-HT", "2022-08-17", "2023-01-05", "", "2022-HT"}, // may end in the next year
		{"2022-VT", "2022-03-01", "2022-03-01", "", "2022-VT"}, // one day
		{"2022-XT", "2022-01-11", "2022-06-17", `okänd termin "2022-XT": skriv år och VT eller HT, t.ex. 2022-VT eller 2022-HT`, ""},
		{"2022", "2022-01-11", "2022-06-17", `okänd termin "2022"`, ""},
		{"22-VT", "2022-01-11", "2022-06-17", `okänd termin "22-VT"`, ""},
		{"2022-VT ", "2022-01-11", "2022-06-17", `okänd termin "2022-VT "`, ""},
		{"2022-VT", "2022-06-17", "2022-01-11", "terminen 2022-VT slutar 2022-01-11, före sin början 2022-06-17", ""},
		{"2022-HT", "2021-08-23", "2021-12-22", "terminen 2022-HT börjar 2021-08-23: den ska börja under 2022", ""},
		{"2021-HT", "2022-01-03", "2022-06-01", "terminen 2021-HT börjar 2022-01-03: den ska börja under 2021", ""},
		{"1800-VT", "1800-01-10", "1800-06-01", "terminen 1800-VT ligger utanför åren 1900–2999", ""},
	}
	for _, tt := range tests {
		c := New()
		err := c.SetTerm(tt.name, mustDate(t, tt.start), mustDate(t, tt.end))
		if tt.wantErr != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("SetTerm(%q, %s, %s) = %v, want %q", tt.name, tt.start, tt.end, err, tt.wantErr)
			}
			if len(c.terms) != 0 {
				t.Errorf("SetTerm(%q) failed but set a term", tt.name)
			}
			continue
		}
		if err != nil {
			t.Errorf("SetTerm(%q, %s, %s) = %v", tt.name, tt.start, tt.end, err)
			continue
		}
		w, err := c.ParseWindow(tt.wantName)
		if want := tt.wantName + " " + tt.start + ".." + tt.end; err != nil || spanOf(w) != want {
			t.Errorf("after SetTerm(%q): ParseWindow = %s, %v; want %s", tt.name, spanOf(w), err, want)
		}
	}
}

func TestOverlaps(t *testing.T) {
	type term struct{ name, start, end string }
	tests := []struct {
		terms []term
		want  []string
	}{
		{nil, nil},
		{[]term{{"2021-HT", "2021-08-23", "2021-12-22"}, {"2022-VT", "2022-01-11", "2022-06-17"}}, nil},
		{
			[]term{{"2022-VT", "2022-01-11", "2022-08-20"}, {"2022-HT", "2022-08-17", "2022-12-21"}},
			[]string{"terminerna 2022-VT (2022-01-11..2022-08-20) och 2022-HT (2022-08-17..2022-12-21) överlappar"},
		},
		{ // one shared day
			[]term{{"2022-VT", "2022-01-11", "2022-08-17"}, {"2022-HT", "2022-08-17", "2022-12-21"}},
			[]string{"terminerna 2022-VT (2022-01-11..2022-08-17) och 2022-HT (2022-08-17..2022-12-21) överlappar"},
		},
		{[]term{{"2022-VT", "2022-01-11", "2022-08-16"}, {"2022-HT", "2022-08-17", "2022-12-21"}}, nil},
		{ // an HT into January overlaps the default VT of a year that has set terms
			[]term{{"2021-HT", "2021-08-23", "2022-01-07"}, {"2022-HT", "2022-08-17", "2022-12-21"}},
			[]string{"terminerna 2021-HT (2021-08-23..2022-01-07) och 2022-VT (2022-01-01..2022-06-30, standarddatum) överlappar"},
		},
		{ // ... but not a default VT of a year with no set term
			[]term{{"2021-HT", "2021-08-23", "2022-01-07"}}, nil,
		},
		{
			[]term{{"2021-HT", "2021-08-23", "2022-09-07"}, {"2022-VT", "2022-01-11", "2022-06-17"}},
			[]string{
				"terminerna 2021-HT (2021-08-23..2022-09-07) och 2022-VT (2022-01-11..2022-06-17) överlappar",
				"terminerna 2021-HT (2021-08-23..2022-09-07) och 2022-HT (2022-07-01..2022-12-31, standarddatum) överlappar",
			},
		},
	}
	for i, tt := range tests {
		c := New()
		for _, term := range tt.terms {
			if err := c.SetTerm(term.name, mustDate(t, term.start), mustDate(t, term.end)); err != nil {
				t.Fatal(err)
			}
		}
		if got := c.Overlaps(); !slices.Equal(got, tt.want) {
			t.Errorf("%d: Overlaps() = %q, want %q", i, got, tt.want)
		}
	}
	var none *Calendar
	if got := none.Overlaps(); got != nil {
		t.Errorf("nil calendar: Overlaps() = %q", got)
	}
}

func TestWindowOf(t *testing.T) {
	c := mullsjo(t)
	if err := c.SetTerm("2022-HT", mustDate(t, "2022-08-17"), mustDate(t, "2023-01-05")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		k    Kind
		date string
		want string // "" when no window contains the date
	}{
		{Year, "2022-12-31", "2022 2022-01-01..2022-12-31"},
		{Half, "2022-06-30", "2022-H1 2022-01-01..2022-06-30"},
		{Half, "2022-07-01", "2022-H2 2022-07-01..2022-12-31"},
		{Tertial, "2022-04-30", "2022-T1 2022-01-01..2022-04-30"},
		{Tertial, "2022-05-01", "2022-T2 2022-05-01..2022-08-31"},
		{Tertial, "2022-09-01", "2022-T3 2022-09-01..2022-12-31"},
		{Quarter, "2022-08-15", "2022-Q3 2022-07-01..2022-09-30"},
		{Month, "2024-02-29", "2024-02 2024-02-01..2024-02-29"},
		{Week, "2021-01-03", "2020-W53 2020-12-28..2021-01-03"},
		{Week, "2021-01-04", "2021-W01 2021-01-04..2021-01-10"},
		{Week, "2022-01-01", "2021-W52 2021-12-27..2022-01-02"},
		{Week, "2025-12-29", "2026-W01 2025-12-29..2026-01-04"},
		{Week, "2022-03-03", "2022-W09 2022-02-28..2022-03-06"},
		{Day, "2024-02-29", "2024-02-29 2024-02-29..2024-02-29"},
		{Term, "2021-08-23", "2021-HT 2021-08-23..2021-12-22"},
		{Term, "2021-12-22", "2021-HT 2021-08-23..2021-12-22"},
		{Term, "2021-12-23", ""}, // Christmas holidays
		{Term, "2022-01-10", ""},
		{Term, "2022-01-11", "2022-VT 2022-01-11..2022-06-17"},
		{Term, "2022-07-01", ""},
		{Term, "2023-01-05", "2022-HT 2022-08-17..2023-01-05"}, // set into the next year
		{Term, "2023-01-06", "2023-VT 2023-01-01..2023-06-30"},
		{Term, "2021-03-01", "2021-VT 2021-01-01..2021-06-30"}, // default
		{Term + 1, "2022-01-01", ""},
	}
	for _, tt := range tests {
		w, ok := c.WindowOf(tt.k, mustDate(t, tt.date))
		got := ""
		if ok {
			got = spanOf(w)
			if w.Kind != tt.k {
				t.Errorf("WindowOf(%v, %s): kind %v", tt.k, tt.date, w.Kind)
			}
		}
		if got != tt.want {
			t.Errorf("WindowOf(%v, %s) = %q, want %q", tt.k, tt.date, got, tt.want)
		}
	}
	var none *Calendar
	if w, ok := none.WindowOf(Term, mustDate(t, "2022-07-01")); !ok || w.Name != "2022-HT" {
		t.Errorf("nil calendar: WindowOf(Term, 2022-07-01) = %s, %v", spanOf(w), ok)
	}
}

func TestWindowOfOverlap(t *testing.T) {
	c := New()
	for _, term := range []struct{ name, start, end string }{
		{"2024-VT", "2024-01-08", "2024-08-20"},
		{"2024-HT", "2024-08-15", "2024-12-20"},
		{"2025-VT", "2025-01-08", "2025-06-13"},
		{"2025-HT", "2025-01-08", "2025-12-19"}, // the same start as VT
	} {
		if err := c.SetTerm(term.name, mustDate(t, term.start), mustDate(t, term.end)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ date, want string }{
		{"2024-08-14", "2024-VT"},
		{"2024-08-15", "2024-VT"}, // both: the first to start
		{"2024-08-20", "2024-VT"},
		{"2024-08-21", "2024-HT"},
		{"2025-01-08", "2025-VT"}, // both start that day: VT
		{"2025-06-13", "2025-VT"},
		{"2025-06-14", "2025-HT"},
	}
	for range 20 { // map order must not matter
		for _, tt := range tests {
			if w, ok := c.WindowOf(Term, mustDate(t, tt.date)); !ok || w.Name != tt.want {
				t.Fatalf("WindowOf(Term, %s) = %s, %v; want %s", tt.date, spanOf(w), ok, tt.want)
			}
		}
	}
}
