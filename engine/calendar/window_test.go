package calendar

import (
	"fmt"
	"testing"
	"time"
)

// spanOf writes a window as "NAME START..END" in the tables.
func spanOf(w Window) string { return fmt.Sprintf("%s %s..%s", w.Name, w.Start, w.End) }

func TestWindows(t *testing.T) {
	tests := []struct {
		k     Kind
		year  int
		count int
		want  []string // the first windows, then the last ones
	}{
		{Year, 2022, 1, []string{"2022 2022-01-01..2022-12-31"}},
		{Half, 2022, 2, []string{"2022-H1 2022-01-01..2022-06-30", "2022-H2 2022-07-01..2022-12-31"}},
		{Tertial, 2022, 3, []string{
			"2022-T1 2022-01-01..2022-04-30", "2022-T2 2022-05-01..2022-08-31", "2022-T3 2022-09-01..2022-12-31"}},
		{Quarter, 2022, 4, []string{
			"2022-Q1 2022-01-01..2022-03-31", "2022-Q2 2022-04-01..2022-06-30",
			"2022-Q3 2022-07-01..2022-09-30", "2022-Q4 2022-10-01..2022-12-31"}},
		{Month, 2024, 12, []string{
			"2024-01 2024-01-01..2024-01-31", "2024-02 2024-02-01..2024-02-29", "2024-03 2024-03-01..2024-03-31"}},
		{Month, 2023, 12, []string{"2023-01 2023-01-01..2023-01-31", "2023-02 2023-02-01..2023-02-28"}},
		{Week, 2021, 52, []string{"2021-W01 2021-01-04..2021-01-10", "2021-W02 2021-01-11..2021-01-17"}},
		{Week, 2020, 53, []string{"2020-W01 2019-12-30..2020-01-05"}},
		{Week, 2026, 53, []string{"2026-W01 2025-12-29..2026-01-04"}},
		{Week, 2022, 52, []string{"2022-W01 2022-01-03..2022-01-09"}},
		{Day, 2024, 366, []string{"2024-01-01 2024-01-01..2024-01-01", "2024-01-02 2024-01-02..2024-01-02"}},
		{Day, 2023, 365, []string{"2023-01-01 2023-01-01..2023-01-01"}},
		{Day, 2000, 366, nil},
		{Day, 1900, 365, nil},
		{Term, 2022, 2, []string{"2022-VT 2022-01-01..2022-06-30", "2022-HT 2022-07-01..2022-12-31"}},
		{Term + 1, 2022, 0, nil},
	}
	for _, tt := range tests {
		ws := New().Windows(tt.k, tt.year)
		if len(ws) != tt.count {
			t.Errorf("Windows(%v, %d): %d windows, want %d", tt.k, tt.year, len(ws), tt.count)
			continue
		}
		for i, want := range tt.want {
			if got := spanOf(ws[i]); got != want || ws[i].Kind != tt.k {
				t.Errorf("Windows(%v, %d)[%d] = %v %s, want %s", tt.k, tt.year, i, ws[i].Kind, got, want)
			}
		}
	}
}

func TestWindowsLast(t *testing.T) {
	tests := []struct {
		k    Kind
		year int
		want string
	}{
		{Week, 2020, "2020-W53 2020-12-28..2021-01-03"},
		{Week, 2021, "2021-W52 2021-12-27..2022-01-02"},
		{Week, 2015, "2015-W53 2015-12-28..2016-01-03"},
		{Week, 2026, "2026-W53 2026-12-28..2027-01-03"},
		{Day, 2024, "2024-12-31 2024-12-31..2024-12-31"},
		{Month, 2022, "2022-12 2022-12-01..2022-12-31"},
	}
	for _, tt := range tests {
		ws := New().Windows(tt.k, tt.year)
		if got := spanOf(ws[len(ws)-1]); got != tt.want {
			t.Errorf("last of Windows(%v, %d) = %s, want %s", tt.k, tt.year, got, tt.want)
		}
	}
}

// TestWindowsTile checks, for every year the names allow, that the
// windows of each kind follow each other without gap or overlap from the
// start of the year to its end, and that each name parses back to its
// window and WindowOf finds it from its first and last day.
func TestWindowsTile(t *testing.T) {
	c := New()
	step := 1
	if testing.Short() {
		step = 37
	}
	for y := MinYear; y <= MaxYear; y += step {
		for k := Year; k <= Day; k++ {
			ws := c.Windows(k, y)
			first, last := NewDate(y, time.January, 1), NewDate(y, time.December, 31)
			if k == Week {
				first, last = week1(y), week1(y+1)-1
			}
			if ws[0].Start != first || ws[len(ws)-1].End != last {
				t.Fatalf("Windows(%v, %d) run %s..%s, want %s..%s", k, y, ws[0].Start, ws[len(ws)-1].End, first, last)
			}
			for i, w := range ws {
				if i > 0 && w.Start != ws[i-1].End+1 {
					t.Fatalf("Windows(%v, %d): %s does not follow %s", k, y, spanOf(w), spanOf(ws[i-1]))
				}
				checkWindow(t, c, w)
			}
		}
	}
}

func checkWindow(t *testing.T, c *Calendar, w Window) {
	t.Helper()
	if p, err := c.ParseWindow(w.Name); err != nil || p != w {
		t.Fatalf("ParseWindow(%q) = %s, %v; want %s", w.Name, spanOf(p), err, spanOf(w))
	}
	for _, d := range []Date{w.Start, w.End} {
		if got, ok := c.WindowOf(w.Kind, d); !ok || got != w {
			t.Fatalf("WindowOf(%v, %s) = %s, %v; want %s", w.Kind, d, spanOf(got), ok, spanOf(w))
		}
	}
}

func TestWindowsAllocations(t *testing.T) {
	c := New()
	for _, k := range []Kind{Day, Week, Month} {
		if n := testing.AllocsPerRun(20, func() { c.Windows(k, 2024) }); n > 2 {
			t.Errorf("Windows(%v, 2024): %v allocations, want at most 2", k, n)
		}
	}
}

func BenchmarkWindowsDay(b *testing.B) {
	c := New()
	b.ReportAllocs()
	for b.Loop() {
		c.Windows(Day, 2024)
	}
}

func TestWindowDaysContains(t *testing.T) {
	c := New()
	tests := []struct {
		name string
		days int
		in   []string
		out  []string
	}{
		{"2024", 366, []string{"2024-01-01", "2024-02-29", "2024-12-31"}, []string{"2023-12-31", "2025-01-01"}},
		{"2023", 365, nil, nil},
		{"2024-H1", 182, []string{"2024-06-30"}, []string{"2024-07-01"}},
		{"2023-T1", 120, []string{"2023-04-30"}, []string{"2023-05-01"}},
		{"2024-Q1", 91, []string{"2024-03-31"}, []string{"2024-04-01"}},
		{"2024-02", 29, []string{"2024-02-29"}, []string{"2024-03-01", "2024-01-31"}},
		{"2020-W53", 7, []string{"2020-12-28", "2021-01-03"}, []string{"2020-12-27", "2021-01-04"}},
		{"2024-02-29", 1, []string{"2024-02-29"}, []string{"2024-02-28", "2024-03-01"}},
		{"2022-HT", 184, []string{"2022-07-01", "2022-12-31"}, []string{"2022-06-30"}},
	}
	for _, tt := range tests {
		w, err := c.ParseWindow(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		if w.Days() != tt.days {
			t.Errorf("%s: Days() = %d, want %d", tt.name, w.Days(), tt.days)
		}
		for _, s := range tt.in {
			if !w.Contains(mustDate(t, s)) {
				t.Errorf("%s does not contain %s", tt.name, s)
			}
		}
		for _, s := range tt.out {
			if w.Contains(mustDate(t, s)) {
				t.Errorf("%s contains %s", tt.name, s)
			}
		}
	}
}

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestLabel(t *testing.T) {
	c := New()
	tests := []struct{ name, sv, en string }{
		{"2022", "2022", "2022"},
		{"2022-H1", "H1 2022", "H1 2022"},
		{"2022-H2", "H2 2022", "H2 2022"},
		{"2022-T2", "T2 2022", "T2 2022"},
		{"2022-T3", "T3 2022", "T3 2022"},
		{"2022-Q3", "Q3 2022", "Q3 2022"},
		{"2022-Q4", "Q4 2022", "Q4 2022"},
		{"2022-01", "januari 2022", "January 2022"},
		{"2022-03", "mars 2022", "March 2022"},
		{"2022-05", "maj 2022", "May 2022"},
		{"2022-12", "december 2022", "December 2022"},
		{"2022-W09", "v. 9 2022", "W9 2022"},
		{"2020-W53", "v. 53 2020", "W53 2020"},
		{"2026-W01", "v. 1 2026", "W1 2026"}, // starts in 2025
		{"2022-03-14", "14 mars 2022", "14 March 2022"},
		{"2024-02-29", "29 februari 2024", "29 February 2024"},
		{"2022-VT", "VT 2022", "VT 2022"},
		{"2022-HT", "HT 2022", "HT 2022"},
	}
	for _, tt := range tests {
		w, err := c.ParseWindow(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range []struct{ lang, want string }{{"sv", tt.sv}, {"", tt.sv}, {"en", tt.en}, {"en-GB", tt.en}} {
			if got := w.Label(l.lang); got != l.want {
				t.Errorf("%s.Label(%q) = %q, want %q", tt.name, l.lang, got, l.want)
			}
		}
	}
	// A term set to other dates keeps its name's label.
	if err := c.SetTerm("2022-HT", mustDate(t, "2022-08-17"), mustDate(t, "2023-01-05")); err != nil {
		t.Fatal(err)
	}
	if w, _ := c.ParseWindow("2022-ht"); w.Label("sv") != "HT 2022" {
		t.Errorf("set 2022-HT: Label = %q", w.Label("sv"))
	}
	for start, want := range map[string]string{"2022-08-17": "HT 2022", "2022-07-01": "HT 2022", "2022-06-30": "VT 2022"} {
		unnamed := Window{Kind: Term, Start: mustDate(t, start), End: mustDate(t, "2022-12-20")}
		if got := unnamed.Label("sv"); got != want {
			t.Errorf("unnamed term from %s: Label = %q, want %q", start, got, want)
		}
	}
}
