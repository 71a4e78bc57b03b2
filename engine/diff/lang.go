package diff

import (
	"strconv"

	"github.com/lofte/lofte/engine/diag"
)

// The differences are said in Swedish, what JSON carries
// (docs/reference.md §9), and in English at the same time, for the text
// output with --lang en. Both are made from formats with the same verbs;
// the values put into them (ids, names, rules and texts as written,
// dates) are the same in both, except numbers (a decimal comma in
// Swedish, a point in English) and the phrases made in both languages
// themselves.

// bi is a text in Swedish and in English (diag.Bi).
type bi = diag.Bi

var (
	say  = diag.Say
	same = diag.Same
)

// number is a figure in both languages.
func number(f float64) bi { return bi{num(f), numEn(f)} }

// numEn is num with a decimal point.
func numEn(f float64) string {
	if f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// and joins words as a list: "a, b och c", "a, b and c".
func and(ws []string) bi { return bi{diag.AndIn(ws, "sv"), diag.AndIn(ws, "en")} }
