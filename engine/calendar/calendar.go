package calendar

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Calendar holds the school terms of calendar.yaml. Terms it does not hold
// take the default dates: VT 1 January–30 June, HT 1 July–31 December.
//
// A nil *Calendar has only default terms. Set every term before the
// calendar is shared: reads are safe for concurrent use, SetTerm is not.
type Calendar struct {
	terms map[string]Window // by canonical name, "2022-VT"
}

// New returns a calendar with no terms set.
func New() *Calendar { return &Calendar{} }

// SetTerm sets the dates of the term name ("2022-VT" or "2022-HT"). The
// term must start in the year of its name and may end in the next.
func (c *Calendar) SetTerm(name string, start, end Date) error {
	y, ht, ok := parseTermName(name)
	if !ok {
		return fmt.Errorf("okänd termin %q: skriv år och VT eller HT, t.ex. 2022-VT eller 2022-HT", name)
	}
	canonical := termName(y, ht)
	if y < MinYear || y > MaxYear {
		return fmt.Errorf("terminen %s ligger utanför åren %d–%d", canonical, MinYear, MaxYear)
	}
	if end < start {
		return fmt.Errorf("terminen %s slutar %s, före sin början %s", canonical, end, start)
	}
	if start.Year() != y {
		return fmt.Errorf("terminen %s börjar %s: den ska börja under %d", canonical, start, y)
	}
	if c.terms == nil {
		c.terms = make(map[string]Window)
	}
	c.terms[canonical] = Window{Kind: Term, Name: canonical, Start: start, End: end}
	return nil
}

// term returns the term of year y, HT when ht, and whether it was set.
func (c *Calendar) term(y int, ht bool) (Window, bool) {
	name := termName(y, ht)
	if c != nil {
		if w, ok := c.terms[name]; ok {
			return w, true
		}
	}
	first := time.January
	if ht {
		first = time.July
	}
	return Window{Kind: Term, Name: name, Start: NewDate(y, first, 1), End: NewDate(y, first+6, 0)}, false
}

// DefaultTerms returns the names of the terms of year y that take the
// default dates because they were not set.
func (c *Calendar) DefaultTerms(y int) []string {
	var names []string
	for _, ht := range [...]bool{false, true} {
		if w, set := c.term(y, ht); !set {
			names = append(names, w.Name)
		}
	}
	return names
}

// Windows returns the windows of kind k that belong to year y, in order.
// A window belongs to the year it starts in, except that an ISO week
// belongs to the year of its Thursday, so the weeks of 2020 end with
// 2020-W53 (2020-12-28..2021-01-03). The terms are VT, then HT. An
// unknown kind has no windows.
func (c *Calendar) Windows(k Kind, y int) []Window {
	switch {
	case k == Term:
		vt, _ := c.term(y, false)
		ht, _ := c.term(y, true)
		return []Window{vt, ht}
	case k.valid():
		return yearWindows(k, y)
	}
	return nil
}

// WindowOf returns the window of kind k that contains d. Only terms can
// miss: a date between two terms is in none. Should terms overlap, the
// one that starts first is returned (VT before HT on the same day).
func (c *Calendar) WindowOf(k Kind, d Date) (Window, bool) {
	y, m, _ := d.Date()
	switch k {
	case Year, Half, Tertial, Quarter, Month:
		return window(k, y, int(m-1)/k.months()+1), true
	case Week:
		wy, wk := d.ISOWeek()
		return window(Week, wy, wk), true
	case Day:
		return Window{Kind: Day, Name: d.String(), Start: d, End: d}, true
	case Term:
		return c.termOf(d)
	}
	return Window{}, false
}

// termOf returns the term that contains d. A set term may run into the
// next year, so the set terms are searched as well as the year of d.
func (c *Calendar) termOf(d Date) (w Window, found bool) {
	consider := func(t Window) {
		if t.Contains(d) && (!found || termBefore(t, w)) {
			w, found = t, true
		}
	}
	for _, ht := range [...]bool{false, true} {
		t, _ := c.term(d.Year(), ht)
		consider(t)
	}
	if c != nil {
		for _, t := range c.terms {
			consider(t)
		}
	}
	return w, found
}

// Overlaps returns a message for each pair of terms that share a day. It
// checks the set terms, and the default terms of each year that has a set
// term, since a term set to end in January overlaps a default VT.
func (c *Calendar) Overlaps() []string {
	ts := c.termsInUse()
	var msgs []string
	for i, a := range ts {
		for _, b := range ts[i+1:] {
			if b.Start > a.End {
				break // ts is sorted by start: no later term can overlap a
			}
			msgs = append(msgs, fmt.Sprintf("terminerna %s och %s överlappar", c.describe(a), c.describe(b)))
		}
	}
	return msgs
}

// termsInUse returns the set terms and the default terms of their years,
// sorted by start.
func (c *Calendar) termsInUse() []Window {
	if c == nil {
		return nil
	}
	var ts []Window
	seen := make(map[string]bool)
	for _, t := range c.terms {
		for _, w := range c.Windows(Term, t.Start.Year()) {
			if !seen[w.Name] {
				seen[w.Name] = true
				ts = append(ts, w)
			}
		}
	}
	slices.SortFunc(ts, compareTerms)
	return ts
}

// compareTerms orders terms by start, then VT before HT: terms that start
// on the same day are of the same year, so only VT and HT tell them apart
// and the names compare in reverse.
func compareTerms(a, b Window) int {
	return cmp.Or(cmp.Compare(a.Start, b.Start), strings.Compare(b.Name, a.Name))
}

func termBefore(a, b Window) bool { return compareTerms(a, b) < 0 }

// describe names a term with its dates, "2022-VT (2022-01-11..2022-06-17)",
// and says when they are the defaults.
func (c *Calendar) describe(t Window) string {
	if _, set := c.terms[t.Name]; !set {
		return fmt.Sprintf("%s (%s..%s, standarddatum)", t.Name, t.Start, t.End)
	}
	return fmt.Sprintf("%s (%s..%s)", t.Name, t.Start, t.End)
}
