// Package calendar is the date maths of lofte: calendar dates in Sweden,
// the window kinds of the rule language (år, halvår, tertial, kvartal,
// månad, vecka, dag, termin), window names and periods. It is pure: it
// never reads the clock.
package calendar

import (
	"fmt"
	"strconv"
	"time"
	_ "time/tzdata" // Europe/Stockholm on machines without a zoneinfo database
)

// Stockholm is the time zone all dates of the rule language are in.
var Stockholm = mustZone("Europe/Stockholm")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // embedded by time/tzdata: cannot fail
	}
	return loc
}

// Date is a calendar date, counted in days since 1970-01-01. Dates
// compare and subtract as integers.
//
// The conversions are integer arithmetic on the proleptic Gregorian
// calendar rather than time.Duration sums, which saturate after 2262.
type Date int32

// NewDate returns the date y-m-d, normalising overflow as time.Date does:
// the month first (month 13 is January of the next year), then the day
// (March 0 is the last day of February).
func NewDate(y int, m time.Month, d int) Date {
	mi := int(m) - 1
	y += floorDiv(mi, 12)
	mi -= floorDiv(mi, 12) * 12
	return Date(daysFromCivil(y, mi+1, 1) + d - 1)
}

// FromTime returns the calendar date of t in t's own location.
func FromTime(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// Today returns the date in Sweden at instant t.
func Today(t time.Time) Date { return FromTime(t.In(Stockholm)) }

// ParseDate parses a strict YYYY-MM-DD date.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s[:4]) || !digits(s[5:7]) || !digits(s[8:]) {
		return 0, fmt.Errorf("%q är inte ett datum på formen ÅÅÅÅ-MM-DD", s)
	}
	y, m, d := atoi(s[:4]), atoi(s[5:7]), atoi(s[8:])
	if m < 1 || m > 12 || d < 1 || d > daysInMonth(y, time.Month(m)) {
		return 0, fmt.Errorf("%q är inget giltigt datum", s)
	}
	return NewDate(y, time.Month(m), d), nil
}

// UnmarshalText reads a YYYY-MM-DD date, as ParseDate does.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText writes d as YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return appendDate(nil, d), nil }

// Time returns midnight of d in Europe/Stockholm, the value rules see.
func (d Date) Time() time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, Stockholm)
}

// Date returns the year, month and day of d.
func (d Date) Date() (year int, month time.Month, day int) { return civil(int(d)) }

// Year returns the year of d.
func (d Date) Year() int { y, _, _ := d.Date(); return y }

// Month returns the month of d.
func (d Date) Month() time.Month { _, m, _ := d.Date(); return m }

// Day returns the day of the month of d.
func (d Date) Day() int { _, _, dd := d.Date(); return dd }

// Weekday returns the day of the week of d; 1970-01-01 was a Thursday.
func (d Date) Weekday() time.Weekday {
	return time.Weekday(floorMod(int(d)+int(time.Thursday), 7))
}

// ISOWeek returns the ISO 8601 year and week of d: the week runs Monday
// to Sunday and belongs to the year of its Thursday.
func (d Date) ISOWeek() (year, week int) {
	thursday := d.AddDays(3 - isoDay(d))
	year = thursday.Year()
	return year, int(thursday-NewDate(year, time.January, 1))/7 + 1
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// String returns d as YYYY-MM-DD.
func (d Date) String() string { return string(appendDate(nil, d)) }

// isoDay returns 0 for Monday up to 6 for Sunday.
func isoDay(d Date) int { return (int(d.Weekday()) + 6) % 7 }

// appendDate appends d as YYYY-MM-DD.
func appendDate(b []byte, d Date) []byte {
	y, m, dd := d.Date()
	b = appendYear(b, y)
	b = append2(append(b, '-'), int(m))
	return append2(append(b, '-'), dd)
}

// appendYear appends y with at least four digits, as time.Format does.
func appendYear(b []byte, y int) []byte {
	if y < 0 {
		b = append(b, '-')
		y = -y
	}
	if y < 1000 {
		b = append(b, '0'+byte(y/1000), '0'+byte(y/100%10))
		return append2(b, y%100)
	}
	return strconv.AppendInt(b, int64(y), 10)
}

// append2 appends 0 <= n < 100 as two digits.
func append2(b []byte, n int) []byte { return append(b, '0'+byte(n/10), '0'+byte(n%10)) }

// daysFromCivil counts the days from 1970-01-01 to y-m-d (m in 1..12).
// The year is shifted to start in March, so that the leap day is the last
// day of its year, and split into 400-year eras of 146097 days each
// (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400                     // [0, 399]
	doy := (153*((m+9)%12)+2)/5 + d - 1    // [0, 365], from 1 March
	doe := yoe*365 + yoe/4 - yoe/100 + doy // [0, 146096]
	return era*146097 + doe - 719468       // 719468: 0000-03-01 to 1970-01-01
}

// civil is the inverse of daysFromCivil.
func civil(days int) (y int, m time.Month, d int) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153 // 0 for March
	d = doy - (153*mp+2)/5 + 1
	m = time.Month((mp+2)%12 + 1)
	y = yoe + era*400
	if m <= time.February {
		y++
	}
	return y, m, d
}

// isLeap reports whether y has a 29 February.
func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// daysInMonth returns the number of days of month m of year y.
func daysInMonth(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }

// digits reports whether s is non-empty and all ASCII digits.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi converts a short string of ASCII digits, checked by digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
