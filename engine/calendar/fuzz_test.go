package calendar

import (
	"testing"
	"time"
)

// FuzzParseWindow checks that ParseWindow never panics, and that a window
// it returns is sound: its name parses back to it, it contains its days,
// and WindowOf finds it again.
func FuzzParseWindow(f *testing.F) {
	for _, s := range []string{
		"2022", "2022-H1", "2022-T2", "2022-Q3", "2022-03", "2022-W09", "2022-w9", "2022-03-14",
		"2022-VT", "2022-ht", "2023-vt", "2020-W53", "2021-W53", "2024-02-29", "2023-02-29", "2022-13",
		"2022-T4", "2022-Q5", "2022-H3", "1899", "2999-12-31", "", "2022-", "2022-W", "2022-X1",
		" 2022-T2 ", "2022-\u00e5t", "2022-\u212a1",
	} {
		f.Add(s)
	}
	c := New()
	if err := c.SetTerm("2022-HT", NewDate(2022, time.August, 17), NewDate(2022, time.December, 21)); err != nil {
		f.Fatal(err)
	}
	if err := c.SetTerm("2023-VT", NewDate(2023, time.January, 9), NewDate(2023, time.June, 16)); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := c.ParseWindow(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseWindow(%q): empty error", s)
			}
			return
		}
		if !w.Kind.valid() || w.End < w.Start || !w.Contains(w.Start) || !w.Contains(w.End) {
			t.Fatalf("ParseWindow(%q) = %v %s: not a window", s, w.Kind, spanOf(w))
		}
		again, err := c.ParseWindow(w.Name)
		if err != nil || again != w {
			t.Fatalf("ParseWindow(%q) = %s, but its name parses to %s, %v", s, spanOf(w), spanOf(again), err)
		}
		if d, err := c.ParseAsOf(s); err != nil || d != w.End {
			t.Fatalf("ParseAsOf(%q) = %s, %v; want %s", s, d, err, w.End)
		}
		if got, ok := c.WindowOf(w.Kind, w.Start); !ok || got != w {
			t.Fatalf("WindowOf(%v, %s) = %s, %v; want %s", w.Kind, w.Start, spanOf(got), ok, spanOf(w))
		}
		if w.Label("sv") == "" || w.Label("en") == "" {
			t.Fatalf("%s: empty label", w.Name)
		}
	})
}

// FuzzParsePeriod checks that ParsePeriod never panics and that a period
// it returns is sound: ordered, and its String parses back to it.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2022", "2021..2022", "2023..2021", " 2021 .. 2022 ", "1899", "2022..", "..2022", "2022...2023", "2e3", "٢٠٢٢"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		if p.First > p.Last || len(p.Years()) != p.Last-p.First+1 {
			t.Fatalf("ParsePeriod(%q) = %+v", s, p)
		}
		if q, err := ParsePeriod(p.String()); err != nil || q != p {
			t.Fatalf("%q: %+v does not round-trip: %+v, %v", s, p, q, err)
		}
	})
}
