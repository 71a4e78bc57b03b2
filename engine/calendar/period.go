package calendar

import (
	"fmt"
	"strconv"
	"strings"
)

// Period is a run of whole years, First to Last included, as given to
// --period and to a promise's valid.
type Period struct{ First, Last int }

// ParsePeriod parses "2022" or "2021..2022".
func ParsePeriod(s string) (Period, error) {
	first, last, isRange := strings.Cut(s, "..")
	if !isRange {
		last = first
	}
	a, okA := parseYear(first)
	b, okB := parseYear(last)
	if !okA || !okB {
		return Period{}, fmt.Errorf("okänd period %q: skriv ett år (2022) eller två år med .. emellan (2021..2022)", s)
	}
	for _, y := range [...]int{a, b} {
		if y < MinYear || y > MaxYear {
			return Period{}, fmt.Errorf("året %d i perioden %q ligger utanför %d–%d", y, s, MinYear, MaxYear)
		}
	}
	if a > b {
		return Period{}, fmt.Errorf("perioden %q går baklänges: skriv det tidigare året först (%d..%d)", s, b, a)
	}
	return Period{First: a, Last: b}, nil
}

// parseYear parses a year of four digits, spaces around it allowed.
func parseYear(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 4 || !digits(s) {
		return 0, false
	}
	return atoi(s), true
}

// Years returns the years of p in order.
func (p Period) Years() []int {
	if p.Last < p.First {
		return nil
	}
	ys := make([]int, 0, p.Last-p.First+1)
	for y := p.First; y <= p.Last; y++ {
		ys = append(ys, y)
	}
	return ys
}

// String returns p as ParsePeriod reads it: "2022" or "2021..2022".
func (p Period) String() string {
	if p.First == p.Last {
		return strconv.Itoa(p.First)
	}
	return strconv.Itoa(p.First) + ".." + strconv.Itoa(p.Last)
}
