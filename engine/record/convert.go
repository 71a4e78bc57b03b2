package record

import (
	"fmt"
	"github.com/lofte/lofte/engine/privacy"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
)

const (
	dateHint = "skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2022-03-14"
	boolHint = "skriv ja/nej, true/false, 1/0 eller x/tomt"
)

// scalar converts the text s of a value of declared type t. name and idx
// (-1 outside a list) name the value in messages. It returns nil for an
// absent value, and invalidValue{} for a bad one, which it reports.
func (c *checker) scalar(name string, idx int, t *promise.Type, s string, pos diag.Pos) any {
	s = strings.TrimSpace(s)
	if s == "" {
		if t.Kind == promise.Bool {
			return false
		}
		return nil
	}
	if !t.NotPersonal && t.Kind != promise.Enum && privacy.ContainsIDNumber(s) {
		// Never echo the value: it is what must not be stored or shown.
		label := name
		if idx >= 0 {
			label = fmt.Sprintf("%s[%d]", name, idx+1)
		}
		c.errorf(pos, "registreringar räknar aktiviteter och innehåller aldrig uppgifter om personer; är det inget personnummer, sätt personal: false på fältet i rules/activities.yaml",
			"%s: värdet ser ut som ett personnummer eller samordningsnummer och får inte registreras", label)
		return invalidValue{}
	}
	switch t.Kind {
	case promise.String:
		return c.textValue(s)
	case promise.Int:
		if v, err := strconv.Atoi(s); err == nil {
			return v
		}
		c.bad(pos, name, idx, "fältet är av typen int, t.ex. 12", "%q är inget heltal", s)
	case promise.Number:
		if v, ok := parseNumber(s); ok {
			return v
		}
		c.bad(pos, name, idx, "skriv t.ex. 2,5 eller 2.5", "%q är inget tal", s)
	case promise.Bool:
		if v, ok := parseBool(s); ok {
			return v
		}
		c.bad(pos, name, idx, boolHint, "%q är varken ja eller nej", s)
	case promise.Date:
		if d, ok := c.date(name, idx, s, pos); ok {
			return d
		}
	case promise.Enum:
		return c.enum(name, idx, t, s, pos)
	case promise.List:
		return c.list(name, t, s, pos)
	}
	return invalidValue{}
}

func (c *checker) bad(pos diag.Pos, name string, idx int, hint, format string, args ...any) {
	label := name
	if idx >= 0 {
		label = fmt.Sprintf("%s[%d]", name, idx+1)
	}
	c.errorf(pos, hint, "%s: %s", label, fmt.Sprintf(format, args...))
}

// list reads a list written as text: in CSV its elements joined with
// "+", elsewhere a single element.
func (c *checker) list(name string, t *promise.Type, s string, pos diag.Pos) any {
	if c.format != formatCSV {
		v := c.scalar(name, 0, t.Elem, s, pos)
		if v == (invalidValue{}) {
			return v
		}
		return []any{v}
	}
	var list []any
	for part := range strings.SplitSeq(s, "+") {
		if strings.TrimSpace(part) == "" {
			c.bad(pos, name, len(list), "elementen i en lista skrivs a+b", "tomt element")
			return invalidValue{}
		}
		v := c.scalar(name, len(list), t.Elem, part, pos)
		if v == (invalidValue{}) {
			return v
		}
		list = append(list, v)
	}
	return list
}

var boolWords = [...]struct {
	word  string
	value bool
}{
	{"true", true}, {"false", false},
	{"ja", true}, {"nej", false},
	{"sant", true}, {"falskt", false},
	{"1", true}, {"0", false},
	{"x", true},
}

// parseBool reads a non-empty bool value, in any case.
func parseBool(s string) (value, ok bool) {
	for _, w := range boolWords {
		if len(w.word) == len(s) && strings.EqualFold(w.word, s) {
			return w.value, true
		}
	}
	return false, false
}

// parseNumber reads a decimal number with a decimal point or comma. It
// refuses what strconv alone would take but a person would not write:
// "inf", "NaN", hexadecimal, underscores.
func parseNumber(s string) (float64, bool) {
	comma := -1
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case '0' <= ch && ch <= '9', ch == '+', ch == '-', ch == 'e', ch == 'E', ch == '.':
		case ch == ',' && comma < 0:
			comma = i
		default:
			return 0, false
		}
	}
	if comma >= 0 {
		if strings.IndexByte(s, '.') >= 0 {
			return 0, false
		}
		s = s[:comma] + "." + s[comma+1:]
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

type dateProblem int

const (
	dateOK dateProblem = iota
	dateShape
	dateMonth
	dateDay
)

// parseDate reads a strict YYYY-MM-DD date, without the time package's
// parser: it is the hot path of large CSV files.
func parseDate(s string) (calendar.Date, dateProblem) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, dateShape
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	switch {
	case !ok1 || !ok2 || !ok3:
		return 0, dateShape
	case m < 1 || m > 12:
		return 0, dateMonth
	case d < 1 || d > daysIn(y, m):
		return 0, dateDay
	}
	return calendar.NewDate(y, time.Month(m), d), dateOK
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

var monthNames = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli",
	"augusti", "september", "oktober", "november", "december"}

func (c *checker) date(name string, idx int, s string, pos diag.Pos) (calendar.Date, bool) {
	d, problem := parseDate(s)
	switch problem {
	case dateOK:
		return d, true
	case dateMonth:
		c.bad(pos, name, idx, dateHint, "%q: månaden ska vara 01–12", s)
	case dateDay:
		y, _ := digits(s[0:4])
		m, _ := digits(s[5:7])
		c.bad(pos, name, idx, "", "%q finns inte: %s %d har %d dagar", s, monthNames[m-1], y, daysIn(y, m))
	default:
		hint := dateHint
		if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
			if _, p := parseDate(s[:10]); p == dateOK {
				hint = "ange bara datumet, utan klockslag: " + s[:10]
			}
		}
		c.bad(pos, name, idx, hint, "%q är inget datum", s)
	}
	return 0, false
}

// statusWords are the Swedish status words an assessment may give.
var statusWords = [...]struct{ sv, en string }{
	{"uppfyllt", "met"},
	{"i fas", "on_track"},
	{"efter", "behind"},
	{"ej uppfyllt", "missed"},
	{"pågår", "pending"},
	{"ej bedömt", "unassessed"},
}

// enum matches s against the values of t, exactly, then ignoring case,
// and returns the value as declared.
func (c *checker) enum(name string, idx int, t *promise.Type, s string, pos diag.Pos) any {
	boxed := c.enums[t]
	if boxed == nil {
		// Boxing each value once saves an allocation per cell.
		boxed = make([]any, len(t.Enum))
		for i, v := range t.Enum {
			boxed[i] = v
		}
		c.enums[t] = boxed
	}
	for i, v := range t.Enum {
		if v == s {
			return boxed[i]
		}
	}
	for i, v := range t.Enum {
		if strings.EqualFold(v, s) {
			return boxed[i]
		}
	}
	candidates := t.Enum
	if t == c.status {
		candidates = slices.Clone(t.Enum)
		for _, w := range statusWords {
			if i := slices.Index(t.Enum, w.en); i >= 0 && strings.EqualFold(w.sv, s) {
				return boxed[i]
			}
			candidates = append(candidates, w.sv)
		}
	}
	hint := diag.DidYouMean(s, candidates)
	if hint == "" {
		hint = "tillåtna värden: " + strings.Join(t.Enum, ", ")
		if t == c.status {
			hint += ", eller " + strings.Join(candidates[len(t.Enum):], ", ")
		}
	}
	c.bad(pos, name, idx, hint, "%q är inget tillåtet värde", s)
	return invalidValue{}
}
