package calendar

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// MinYear and MaxYear bound the years of window names and periods; a year
// outside is a typing mistake, not a follow-up.
const (
	MinYear = 1900
	MaxYear = 2999
)

// errShape says that a name has none of the shapes of a window name.
var errShape = errors.New("no window shape")

// ParseWindow parses a window name: 2022, 2022-H1, 2022-T2, 2022-Q3,
// 2022-03, 2022-W09 (or 2022-W9), 2022-03-14, 2022-VT or 2022-HT, letters
// in either case. Terms take their dates from c.
func (c *Calendar) ParseWindow(name string) (Window, error) {
	w, err := c.parseWindow(strings.TrimSpace(name))
	if errors.Is(err, errShape) {
		return Window{}, fmt.Errorf("okänt fönster %q: skriv t.ex. 2022, 2022-H1, 2022-T2, 2022-Q3, 2022-03, 2022-W09, 2022-03-14, 2022-VT eller 2022-HT", name)
	}
	return w, err
}

// ParseAsOf parses an evaluation date: a date, 2022-08-31, or a window
// name meaning the window's last day (2022-T2 is 2022-08-31).
func (c *Calendar) ParseAsOf(s string) (Date, error) {
	w, err := c.parseWindow(strings.TrimSpace(s))
	if errors.Is(err, errShape) {
		if d, ok := SuggestDate(s); ok {
			return 0, fmt.Errorf("okänt datum %q: datum skrivs år-månad-dag, %s", s, d)
		}
		return 0, fmt.Errorf("okänt datum %q: skriv ett datum som 2022-08-31, eller ett fönster som 2022, 2022-T2 eller 2022-VT för dess sista dag", s)
	}
	return w.End, err
}

// SuggestDate reads a date written in another common way, day first
// (31/12/2022, 31.12.2022, 31-12-2022) or year first with slashes or
// dots (2022/12/31, 2022.12.31), and returns it as it is written here,
// 2022-12-31; false when s is not such a date.
func SuggestDate(s string) (Date, bool) {
	s = strings.TrimSpace(s)
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(parts) != 3 || strings.ContainsAny(s, " ") {
		return 0, false
	}
	for _, p := range parts {
		if p == "" || len(p) > 4 || !digits(p) {
			return 0, false
		}
	}
	var y, m, d int
	switch {
	case len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2:
		d, m, y = atoi(parts[0]), atoi(parts[1]), atoi(parts[2])
	case len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2 && !strings.Contains(s, "-"):
		y, m, d = atoi(parts[0]), atoi(parts[1]), atoi(parts[2])
	default:
		return 0, false
	}
	if y < MinYear || y > MaxYear || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, time.Month(m)) {
		return 0, false
	}
	return NewDate(y, time.Month(m), d), true
}

// parseWindow parses a trimmed window name; errShape when it has no known
// shape, a Swedish error when it has one but names no window.
func (c *Calendar) parseWindow(s string) (Window, error) {
	if len(s) < 4 || !digits(s[:4]) || (len(s) > 4 && s[4] != '-') {
		return Window{}, errShape
	}
	y := atoi(s[:4])
	w, err := c.parseShape(s, y, s[min(len(s), 5):])
	if err == nil && (y < MinYear || y > MaxYear) {
		return Window{}, fmt.Errorf("året i %q ligger utanför %d–%d", s, MinYear, MaxYear)
	}
	return w, err
}

// parseShape parses s, of year y, by the shape of rest, what follows
// the year and its hyphen.
func (c *Calendar) parseShape(s string, y int, rest string) (Window, error) {
	switch {
	case len(s) == 4:
		return window(Year, y, 1), nil
	case len(rest) == 2 && digits(rest):
		return parseMonth(s, y, atoi(rest))
	case len(rest) == 5 && rest[2] == '-' && digits(rest[:2]) && digits(rest[3:]):
		return parseDay(s, y, atoi(rest[:2]), atoi(rest[3:]))
	case strings.EqualFold(rest, "VT") || strings.EqualFold(rest, "HT"):
		w, _ := c.term(y, strings.EqualFold(rest, "HT"))
		return w, nil
	case len(rest) >= 2 && len(rest) <= 3 && digits(rest[1:]):
		return parseNumbered(s, y, rest[0]|0x20, atoi(rest[1:]), len(rest)-1)
	}
	return Window{}, errShape
}

func parseMonth(s string, y, m int) (Window, error) {
	if m < 1 || m > 12 {
		return Window{}, fmt.Errorf("okänd månad i %q: månaden skrivs 01–12", s)
	}
	return window(Month, y, m), nil
}

func parseDay(s string, y, m, d int) (Window, error) {
	if m < 1 || m > 12 {
		return Window{}, fmt.Errorf("ogiltigt datum %q: månaden skrivs 01–12", s)
	}
	if n := daysInMonth(y, time.Month(m)); d < 1 || d > n {
		return Window{}, fmt.Errorf("ogiltigt datum %q: %s %d har %d dagar", s, monthName(time.Month(m), false), y, n)
	}
	d0 := NewDate(y, time.Month(m), d)
	return Window{Kind: Day, Name: d0.String(), Start: d0, End: d0}, nil
}

// parseNumbered parses the H, T, Q and W forms: letter, lower case, is
// followed by the number n written with width digits.
func parseNumbered(s string, y int, letter byte, n, width int) (Window, error) {
	var k Kind
	var what string
	switch letter {
	case 'h':
		k, what = Half, "okänt halvår i %q: skriv H1 eller H2"
	case 't':
		k, what = Tertial, "okänt tertial i %q: skriv T1, T2 eller T3"
	case 'q':
		k, what = Quarter, "okänt kvartal i %q: skriv Q1, Q2, Q3 eller Q4"
	case 'w':
		return parseWeek(s, y, n)
	default:
		return Window{}, errShape
	}
	if width != 1 || n < 1 || n > 12/k.months() {
		return Window{}, fmt.Errorf(what, s)
	}
	return window(k, y, n), nil
}

func parseWeek(s string, y, wk int) (Window, error) {
	if n := weeksIn(y); wk < 1 || wk > n {
		return Window{}, fmt.Errorf("okänd vecka i %q: år %d har veckorna W01–W%02d", s, y, n)
	}
	return window(Week, y, wk), nil
}

// parseTermName parses "2022-VT" or "2022-HT", letters in either case.
func parseTermName(s string) (y int, ht, ok bool) {
	if len(s) != 7 || !digits(s[:4]) || s[4] != '-' {
		return 0, false, false
	}
	y, half := atoi(s[:4]), s[5:]
	ht = strings.EqualFold(half, "HT")
	return y, ht, ht || strings.EqualFold(half, "VT")
}
