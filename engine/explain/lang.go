package explain

import (
	"math"
	"strconv"
	"strings"

	"github.com/lofte/lofte/engine/diag"
)

// An explanation's sentences are made in Swedish, what JSON carries
// (docs/reference.md §9), and in English at the same time, for the text
// output with --lang en. Both are made from formats with the same verbs;
// the values put into them (names, ids, dates, the rule as written) are
// the same in both, except numbers (a decimal comma in Swedish, a point
// in English) and the phrases made in both languages themselves.

// bi is a text in Swedish and in English (diag.Bi).
type bi = diag.Bi

var (
	say  = diag.Say
	same = diag.Same
)

// join joins texts with sep, in each language.
func join(bs []bi, sep string) bi {
	sv, en := make([]string, len(bs)), make([]string, len(bs))
	for i, b := range bs {
		sv[i], en[i] = b[0], b[1]
	}
	return bi{strings.Join(sv, sep), strings.Join(en, sep)}
}

// num is a figure in both languages (see Num and NumIn).
func num(f float64) bi { return bi{Num(f), NumIn(f, "en")} }

// num1 is a figure with one decimal in both languages.
func num1(f float64) bi {
	return bi{Num1(f), strconv.FormatFloat(f, 'f', 1, 64)}
}

// NumIn writes a figure in lang: as Num in Swedish; in English whole
// numbers bare and others with a decimal point and one decimal.
func NumIn(f float64, lang string) string {
	if lang != "en" {
		return Num(f)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', 1, 64)
}

// days2 is a number of days in both languages.
func days2(n int) bi {
	if n == 1 {
		return bi{"1 dag", "1 day"}
	}
	return bi{strconv.Itoa(n) + " dagar", strconv.Itoa(n) + " days"}
}
