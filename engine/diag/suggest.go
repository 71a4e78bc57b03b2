package diag

import (
	"fmt"
	"strings"
)

// Closest returns the candidate nearest to name by edit distance, or ""
// when none is near enough to be a likely typo.
func Closest(name string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		d := distance(name, c)
		if bestD < 0 || d < bestD { // ties: the first candidate wins
			best, bestD = c, d
		}
	}
	n := len([]rune(name))
	limit := 2
	if n > 8 {
		limit = 3
	}
	if bestD < 0 || bestD > limit || bestD >= n {
		return ""
	}
	return best
}

// DidYouMean is a hint "menade du `x`?" for the closest candidate, or "".
func DidYouMean(name string, candidates []string) string {
	if c := Closest(name, candidates); c != "" {
		return fmt.Sprintf("menade du `%s`?", c)
	}
	return ""
}

// distance is the Levenshtein distance over runes, with a transposition
// of two neighbours counting as one edit.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// And joins words as a Swedish list: "a", "a och b", "a, b och c".
func And(ws []string) string { return AndIn(ws, "sv") }

// AndIn joins words as a list in lang: "a, b och c", "a, b and c" in
// English.
func AndIn(ws []string, lang string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	and := " och "
	if lang == "en" {
		and = " and "
	}
	return strings.Join(ws[:len(ws)-1], ", ") + and + ws[len(ws)-1]
}
