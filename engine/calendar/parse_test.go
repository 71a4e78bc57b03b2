package calendar

import (
	"strings"
	"testing"
)

const unknownWindow = ": skriv t.ex. 2022, 2022-H1, 2022-T2, 2022-Q3, 2022-03, 2022-W09, 2022-03-14, 2022-VT eller 2022-HT"

func TestParseWindow(t *testing.T) {
	c := mullsjo(t)
	tests := []struct {
		in   string
		kind Kind
		want string
	}{
		{"2022", Year, "2022 2022-01-01..2022-12-31"},
		{"2022-H1", Half, "2022-H1 2022-01-01..2022-06-30"},
		{"2022-h2", Half, "2022-H2 2022-07-01..2022-12-31"},
		{"2022-T2", Tertial, "2022-T2 2022-05-01..2022-08-31"},
		{"2022-t3", Tertial, "2022-T3 2022-09-01..2022-12-31"},
		{"2022-Q3", Quarter, "2022-Q3 2022-07-01..2022-09-30"},
		{"2022-q1", Quarter, "2022-Q1 2022-01-01..2022-03-31"},
		{"2022-03", Month, "2022-03 2022-03-01..2022-03-31"},
		{"2024-02", Month, "2024-02 2024-02-01..2024-02-29"},
		{"2022-W09", Week, "2022-W09 2022-02-28..2022-03-06"},
		{"2022-W9", Week, "2022-W09 2022-02-28..2022-03-06"},
		{"2022-w9", Week, "2022-W09 2022-02-28..2022-03-06"},
		{"2022-w09", Week, "2022-W09 2022-02-28..2022-03-06"},
		{"2020-W53", Week, "2020-W53 2020-12-28..2021-01-03"},
		{"2026-W01", Week, "2026-W01 2025-12-29..2026-01-04"},
		{"2021-W52", Week, "2021-W52 2021-12-27..2022-01-02"},
		{"2022-03-14", Day, "2022-03-14 2022-03-14..2022-03-14"},
		{"2024-02-29", Day, "2024-02-29 2024-02-29..2024-02-29"},
		{"2022-VT", Term, "2022-VT 2022-01-11..2022-06-17"},
		{"2022-vt", Term, "2022-VT 2022-01-11..2022-06-17"},
		{"2022-Ht", Term, "2022-HT 2022-07-01..2022-12-31"},
		{"2021-HT", Term, "2021-HT 2021-08-23..2021-12-22"},
		{" 2022-T2\n", Tertial, "2022-T2 2022-05-01..2022-08-31"},
		{"1900", Year, "1900 1900-01-01..1900-12-31"},
		{"2999-12-31", Day, "2999-12-31 2999-12-31..2999-12-31"},
	}
	for _, tt := range tests {
		w, err := c.ParseWindow(tt.in)
		if err != nil || w.Kind != tt.kind || spanOf(w) != tt.want {
			t.Errorf("ParseWindow(%q) = %v %s, %v; want %v %s", tt.in, w.Kind, spanOf(w), err, tt.kind, tt.want)
		}
	}
}

func TestParseWindowErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `okänt fönster ""` + unknownWindow},
		{"hösten", `okänt fönster "hösten"` + unknownWindow},
		{"22", `okänt fönster "22"` + unknownWindow},
		{"20222", `okänt fönster "20222"` + unknownWindow},
		{"2022-", `okänt fönster "2022-"`},
		{"2022-3", `okänt fönster "2022-3"`},
		{"2022-003", `okänt fönster "2022-003"`},
		{"2022-3-14", `okänt fönster "2022-3-14"`},
		{"2022/03/14", `okänt fönster "2022/03/14"`},
		{"2022-W", `okänt fönster "2022-W"`},
		{"2022-W009", `okänt fönster "2022-W009"`},
		{"2022-X1", `okänt fönster "2022-X1"`},
		{"2022-VT1", `okänt fönster "2022-VT1"`},
		{"2022-W+9", `okänt fönster "2022-W+9"`},
		{"1800-xyz", `okänt fönster "1800-xyz"`},
		{"2022-13", `okänd månad i "2022-13": månaden skrivs 01–12`},
		{"2022-00", `okänd månad i "2022-00"`},
		{"2022-02-30", `ogiltigt datum "2022-02-30": februari 2022 har 28 dagar`},
		{"2023-02-29", `ogiltigt datum "2023-02-29": februari 2023 har 28 dagar`},
		{"2022-04-31", `ogiltigt datum "2022-04-31": april 2022 har 30 dagar`},
		{"2022-13-01", `ogiltigt datum "2022-13-01": månaden skrivs 01–12`},
		{"2022-01-00", `ogiltigt datum "2022-01-00"`},
		{"2022-H3", `okänt halvår i "2022-H3": skriv H1 eller H2`},
		{"2022-H0", `okänt halvår i "2022-H0"`},
		{"2022-H01", `okänt halvår i "2022-H01"`},
		{"2022-T4", `okänt tertial i "2022-T4": skriv T1, T2 eller T3`},
		{"2022-Q5", `okänt kvartal i "2022-Q5": skriv Q1, Q2, Q3 eller Q4`},
		{"2022-W53", `okänd vecka i "2022-W53": år 2022 har veckorna W01–W52`},
		{"2021-W53", `okänd vecka i "2021-W53"`},
		{"2022-W00", `okänd vecka i "2022-W00"`},
		{"2020-W54", `okänd vecka i "2020-W54": år 2020 har veckorna W01–W53`},
		{"1899", `året i "1899" ligger utanför 1900–2999`},
		{"3000-VT", `året i "3000-VT" ligger utanför 1900–2999`},
		{"0000-01-01", `året i "0000-01-01" ligger utanför 1900–2999`},
	}
	c := New()
	for _, tt := range tests {
		w, err := c.ParseWindow(tt.in)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ParseWindow(%q) = %s, %v; want error %q", tt.in, spanOf(w), err, tt.want)
		}
	}
}

func TestParseAsOf(t *testing.T) {
	c := mullsjo(t)
	tests := []struct{ in, want string }{
		{"2022-08-31", "2022-08-31"},
		{"2024-02-29", "2024-02-29"},
		{"2022", "2022-12-31"},
		{"2022-H1", "2022-06-30"},
		{"2022-T2", "2022-08-31"},
		{"2022-t1", "2022-04-30"},
		{"2022-Q1", "2022-03-31"},
		{"2024-02", "2024-02-29"},
		{"2023-02", "2023-02-28"},
		{"2022-W09", "2022-03-06"},
		{"2020-W53", "2021-01-03"},
		{"2022-VT", "2022-06-17"}, // set in the calendar
		{"2022-HT", "2022-12-31"}, // default
	}
	for _, tt := range tests {
		d, err := c.ParseAsOf(tt.in)
		if err != nil || d.String() != tt.want {
			t.Errorf("ParseAsOf(%q) = %s, %v; want %s", tt.in, d, err, tt.want)
		}
	}
	errs := []struct{ in, want string }{
		{"igår", `okänt datum "igår": skriv ett datum som 2022-08-31, eller ett fönster som 2022, 2022-T2 eller 2022-VT för dess sista dag`},
		{"2022-02-30", `ogiltigt datum "2022-02-30": februari 2022 har 28 dagar`},
		{"2022-T4", `okänt tertial i "2022-T4"`},
	}
	for _, tt := range errs {
		d, err := c.ParseAsOf(tt.in)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ParseAsOf(%q) = %s, %v; want error %q", tt.in, d, err, tt.want)
		}
	}
}

// TestRoundTrip parses the canonical name of every window of each kind
// in a few years, and a date of each as-of form back to the window's end.
func TestRoundTrip(t *testing.T) {
	c := mullsjo(t)
	for _, y := range []int{2020, 2021, 2022, 2024, 2026} {
		for k := Year; k <= Term; k++ {
			for _, w := range c.Windows(k, y) {
				if p, err := c.ParseWindow(strings.ToLower(w.Name)); err != nil || p != w {
					t.Errorf("ParseWindow(lower %q) = %s, %v; want %s", w.Name, spanOf(p), err, spanOf(w))
				}
				if d, err := c.ParseAsOf(w.Name); err != nil || d != w.End {
					t.Errorf("ParseAsOf(%q) = %s, %v; want %s", w.Name, d, err, w.End)
				}
				if d, err := c.ParseAsOf(w.End.String()); err != nil || d != w.End {
					t.Errorf("ParseAsOf(%q) = %s, %v", w.End, d, err)
				}
			}
		}
	}
}
