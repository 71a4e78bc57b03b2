package calendar

import (
	"fmt"
	"strings"
)

// Kind is a kind of window: the unit a rule counts per.
type Kind int

// The window kinds, longest first.
const (
	Year    Kind = iota // år: the calendar year
	Half                // halvår: H1 Jan–Jun, H2 Jul–Dec
	Tertial             // tertial: T1 Jan–Apr, T2 May–Aug, T3 Sep–Dec
	Quarter             // kvartal: Q1..Q4
	Month               // månad
	Week                // vecka: ISO 8601, in the year of its Thursday
	Day                 // dag
	Term                // termin: VT and HT, from calendar.yaml or the defaults
)

var kindNames = [...]struct{ sv, en string }{
	Year:    {"år", "year"},
	Half:    {"halvår", "half"},
	Tertial: {"tertial", "tertial"},
	Quarter: {"kvartal", "quarter"},
	Month:   {"månad", "month"},
	Week:    {"vecka", "week"},
	Day:     {"dag", "day"},
	Term:    {"termin", "term"},
}

// acceptedKinds lists every name ParseKind accepts, in the order of the
// kinds: Swedish, English, then the spelling without å.
var acceptedKinds = []struct {
	name string
	kind Kind
}{
	{"år", Year}, {"year", Year}, {"ar", Year},
	{"halvår", Half}, {"half", Half}, {"halvar", Half},
	{"tertial", Tertial},
	{"kvartal", Quarter}, {"quarter", Quarter},
	{"månad", Month}, {"month", Month}, {"manad", Month},
	{"vecka", Week}, {"week", Week},
	{"dag", Day}, {"day", Day},
	{"termin", Term}, {"term", Term},
}

// ParseKind returns the kind named name: Swedish or English, in any case,
// with or without å.
func ParseKind(name string) (Kind, bool) {
	// A decomposed å (a + combining ring, as macOS writes file names) is
	// folded into the single rune the table holds.
	s := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "a\u030a", "å")
	for _, a := range acceptedKinds {
		if a.name == s {
			return a.kind, true
		}
	}
	return 0, false
}

// KindNames returns every name ParseKind accepts, for suggestions.
func KindNames() []string {
	names := make([]string, len(acceptedKinds))
	for i, a := range acceptedKinds {
		names[i] = a.name
	}
	return names
}

// valid reports whether k is one of the declared kinds.
func (k Kind) valid() bool { return k >= Year && k <= Term }

// String returns the Swedish name of k, as written in rules.
func (k Kind) String() string {
	if !k.valid() {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k].sv
}

// English returns the English name of k.
func (k Kind) English() string {
	if !k.valid() {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k].en
}

// months returns the length in months of the windows of kind k, for the
// kinds that split a year into equal runs of months, and 0 for the others.
func (k Kind) months() int {
	switch k {
	case Year:
		return 12
	case Half:
		return 6
	case Tertial:
		return 4
	case Quarter:
		return 3
	case Month:
		return 1
	}
	return 0
}
