package calendar

import (
	"strconv"
	"strings"
	"time"
)

// Window is a named run of days that a rule is evaluated in.
type Window struct {
	Kind Kind
	// Name is the canonical name: "2022", "2022-H1", "2022-T2", "2022-Q3",
	// "2022-03", "2022-W09", "2022-03-14", "2022-VT" or "2022-HT".
	Name  string
	Start Date
	End   Date // inclusive last day
}

// Days returns the number of days of w, both ends included.
func (w Window) Days() int { return int(w.End-w.Start) + 1 }

// Contains reports whether d is one of the days of w.
func (w Window) Contains(d Date) bool { return w.Start <= d && d <= w.End }

var monthsSv = [...]string{"januari", "februari", "mars", "april", "maj", "juni",
	"juli", "augusti", "september", "oktober", "november", "december"}

// monthName returns the name of m: Swedish lower case, or English.
func monthName(m time.Month, en bool) string {
	if en {
		return m.String()
	}
	return monthsSv[m-1]
}

// Label returns a short human label of w: "mars 2022", "v. 9 2022",
// "VT 2022" in Swedish; lang "en" (or "en-GB" and the like) gives
// "March 2022", "W9 2022". Numbered windows and terms read the same in
// both: "H1 2022", "T2 2022", "Q3 2022", "VT 2022".
func (w Window) Label(lang string) string {
	en := strings.HasPrefix(strings.ToLower(lang), "en")
	y, m, d := w.Start.Date()
	year := strconv.Itoa(y)
	switch w.Kind {
	case Half, Tertial, Quarter:
		return namePrefix[w.Kind][1:] + strconv.Itoa(int(m-1)/w.Kind.months()+1) + " " + year
	case Month:
		return monthName(m, en) + " " + year
	case Week:
		wy, wk := w.Start.ISOWeek()
		if en {
			return "W" + strconv.Itoa(wk) + " " + strconv.Itoa(wy)
		}
		return "v. " + strconv.Itoa(wk) + " " + strconv.Itoa(wy)
	case Day:
		return strconv.Itoa(d) + " " + monthName(m, en) + " " + year
	case Term:
		return termLabel(w)
	}
	return year
}

// termLabel returns "VT 2022" or "HT 2022", from the name when it is one
// and else from the half of the year the term starts in.
func termLabel(w Window) string {
	if y, ht, ok := parseTermName(w.Name); ok {
		return termHalf(ht) + " " + strconv.Itoa(y)
	}
	return termHalf(w.Start.Month() > time.June) + " " + strconv.Itoa(w.Start.Year())
}

// namePrefix is what follows the year in the names of numbered windows.
var namePrefix = [...]string{Half: "-H", Tertial: "-T", Quarter: "-Q", Month: "-", Week: "-W"}

// appendName appends the canonical name of the n-th (from 1) window of
// kind k in year y, for the kinds from Year to Week. Days are named by
// their date and terms by termName.
func appendName(b []byte, k Kind, y, n int) []byte {
	b = appendYear(b, y)
	switch k {
	case Half, Tertial, Quarter:
		return append(b, namePrefix[k][0], namePrefix[k][1], '0'+byte(n))
	case Month, Week:
		return append2(append(b, namePrefix[k]...), n)
	}
	return b
}

// termName returns "2022-VT" or "2022-HT".
func termName(y int, ht bool) string {
	return string(appendYear(nil, y)) + "-" + termHalf(ht)
}

func termHalf(ht bool) string {
	if ht {
		return "HT"
	}
	return "VT"
}

// YearWindow returns the window of the calendar year y.
func (c *Calendar) YearWindow(y int) Window { return window(Year, y, 1) }

// window returns the n-th (from 1) window of kind k (Year to Day) of year
// y; for weeks, y is the ISO year.
func window(k Kind, y, n int) Window {
	w := span(k, y, n)
	w.Name = string(appendWindowName(nil, w, y, n))
	return w
}

// yearWindows returns the windows of kind k (Year to Day) of year y, in
// order, named from one shared string: all names of one year have the
// same length, so a year of days costs two allocations, not one per day.
func yearWindows(k Kind, y int) []Window {
	ws := make([]Window, countIn(k, y))
	var sb strings.Builder
	var buf [16]byte
	for i := range ws {
		ws[i] = span(k, y, i+1)
		name := appendWindowName(buf[:0], ws[i], y, i+1)
		if i == 0 {
			sb.Grow(len(name) * len(ws))
		}
		sb.Write(name)
	}
	names, size := sb.String(), sb.Len()/len(ws)
	for i := range ws {
		ws[i].Name = names[i*size : (i+1)*size]
	}
	return ws
}

// appendWindowName appends the name of w, the n-th window of its kind in
// year y.
func appendWindowName(b []byte, w Window, y, n int) []byte {
	if w.Kind == Day {
		return appendDate(b, w.Start)
	}
	return appendName(b, w.Kind, y, n)
}

// countIn returns how many windows of kind k (Year to Day) year y has.
func countIn(k Kind, y int) int {
	switch k {
	case Week:
		return weeksIn(y)
	case Day:
		return int(NewDate(y+1, time.January, 1) - NewDate(y, time.January, 1))
	}
	return 12 / k.months()
}

// span returns the days of the n-th (from 1) window of kind k of year y,
// without its name.
func span(k Kind, y, n int) Window {
	switch k {
	case Week:
		start := week1(y).AddDays(7 * (n - 1))
		return Window{Kind: k, Start: start, End: start.AddDays(6)}
	case Day:
		d := NewDate(y, time.January, n)
		return Window{Kind: k, Start: d, End: d}
	}
	months := time.Month(k.months())
	first := time.Month(n-1)*months + 1
	return Window{Kind: k, Start: NewDate(y, first, 1), End: NewDate(y, first+months, 0)}
}

// week1 returns the Monday that starts ISO week 1 of year y: the week of
// 4 January.
func week1(y int) Date {
	jan4 := NewDate(y, time.January, 4)
	return jan4.AddDays(-isoDay(jan4))
}

// weeksIn returns the number of ISO weeks of year y, 52 or 53.
func weeksIn(y int) int { return int(week1(y+1)-week1(y)) / 7 }
