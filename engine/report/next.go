package report

import (
	"fmt"
	"math"
	"strconv"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
)

var monthsShort = map[string][12]string{
	"sv": {"jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec"},
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
}

// dayMonth writes a date as people say it: "22 jan", with the year when
// it is not that of asOf.
func dayMonth(d, asOf calendar.Date, lang string) string {
	if lang != "en" {
		lang = "sv"
	}
	s := strconv.Itoa(d.Day()) + " " + monthsShort[lang][d.Month()-1]
	if d.Year() != asOf.Year() {
		s += " " + strconv.Itoa(d.Year())
	}
	return s
}

// SinceText is a status's since in words: "sedan 22 jan" ("since 22
// Jan"), "" when unknown (docs/reference.md §10).
func SinceText(since, asOf calendar.Date, lang string) string {
	if since == 0 {
		return ""
	}
	if lang == "en" {
		return "since " + dayMonth(since, asOf, lang)
	}
	return "sedan " + dayMonth(since, asOf, lang)
}

// NextText says what a running window still needs and where its pace
// ends: "43 kvar på 122 dagar, 2,5 per vecka; i nuvarande takt 91 av 104
// vid 31 dec (troligen 82–101)". "" without n.
func NextText(n *eval.Next, target float64, end calendar.Date, lang string) string {
	if n == nil {
		return ""
	}
	en := lang == "en"
	var need string
	switch {
	case n.DaysLeft == 0 && en:
		need = fmt.Sprintf("%s to go, and today is the last day", numLang(n.Remaining, lang))
	case n.DaysLeft == 0:
		need = fmt.Sprintf("%s kvar, och i dag är sista dagen", num(n.Remaining))
	case en:
		need = fmt.Sprintf("%s to go in %s%s", numLang(n.Remaining, lang), daysText(n.DaysLeft, lang), rate(n, lang))
	default:
		need = fmt.Sprintf("%s kvar på %s%s", num(n.Remaining), daysText(n.DaysLeft, lang), rate(n, lang))
	}
	rng := ""
	if n.Low != n.High {
		rng = fmt.Sprintf(" (troligen %s–%s)", numLang(n.Low, lang), numLang(n.High, lang))
		if en {
			rng = fmt.Sprintf(" (likely %s–%s)", numLang(n.Low, lang), numLang(n.High, lang))
		}
	}
	if en {
		return fmt.Sprintf("%s; at the present pace %s of %s by %s%s", need, numLang(n.Projected, lang), numLang(target, lang), dayMonth(end, end, lang), rng)
	}
	return fmt.Sprintf("%s; i nuvarande takt %s av %s vid %s%s", need, num(n.Projected), num(target), dayMonth(end, end, lang), rng)
}

// rate is the pace that catches up, as explain says it: ", 2,5 per
// vecka", ", en var 12:e dag"; nothing for one left.
func rate(n *eval.Next, lang string) string {
	perWeek := n.Remaining * 7 / float64(n.DaysLeft)
	switch {
	case n.Remaining <= 1:
		return ""
	case perWeek < 1 && lang == "en":
		return fmt.Sprintf(", one every %d days", int(math.Floor(float64(n.DaysLeft)/n.Remaining)))
	case perWeek < 1:
		return fmt.Sprintf(", en var %d:e dag", int(math.Floor(float64(n.DaysLeft)/n.Remaining)))
	case lang == "en":
		return fmt.Sprintf(", %s a week", numLang(round1(perWeek), lang))
	}
	return fmt.Sprintf(", %s per vecka", num(round1(perWeek)))
}

func daysText(n int, lang string) string {
	switch {
	case lang == "en" && n == 1:
		return "1 day"
	case lang == "en":
		return strconv.Itoa(n) + " days"
	case n == 1:
		return "1 dag"
	}
	return strconv.Itoa(n) + " dagar"
}

// numLang is num with a decimal point in English.
func numLang(f float64, lang string) string {
	if lang == "en" && f != math.Trunc(f) {
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	return num(f)
}

// round1 rounds to one decimal; a number too large to round is left as
// it is.
func round1(f float64) float64 {
	if !(math.Abs(f) < 1e15) {
		return f
	}
	return math.Round(f*10) / 10
}

// exitText says what exit status 1 means, for the last line of a report
// that gives it.
func exitText(lang string) string {
	if lang == "en" {
		return "Exit status 1: something is behind or missed."
	}
	return "Slutstatus 1: något är efter eller ej uppfyllt."
}
