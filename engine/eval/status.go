// Package eval evaluates compiled commitments at a date: it finds the
// windows of a period, measures each, and decides statuses by the rules of
// docs/reference.md §7 (pace, tolerance, warn_within, upper bounds, per aggregation,
// && and ||, manual assessments). It never reads the clock: the
// evaluation date is an argument.
package eval

import "fmt"

// Status is the status of a window or commitment, ordered from worst to
// best so that "worst of" is a comparison.
type Status int

const (
	Missed Status = iota
	Behind
	Unassessed
	Pending
	OnTrack
	Met
)

var statusNames = [...]string{"missed", "behind", "unassessed", "pending", "on_track", "met"}

var statusText = map[string][6]string{
	"sv": {"ej uppfyllt", "efter", "ej bedömt", "pågår", "i fas", "uppfyllt"},
	"en": {"missed", "behind", "unassessed", "pending", "on track", "met"},
}

var statusSymbols = [...]string{"✗", "▼", "?", "…", "→", "✓"}

// String is the status's JSON name.
func (s Status) String() string { return statusNames[s] }

// Text is the status in words, in Swedish ("sv") or English.
func (s Status) Text(lang string) string {
	if t, ok := statusText[lang]; ok {
		return t[s]
	}
	return statusText["sv"][s]
}

// Symbol is a one-character sign of the status, so that no output relies
// on colour alone.
func (s Status) Symbol() string { return statusSymbols[s] }

// Bad reports a status that makes evaluate exit 1.
func (s Status) Bad() bool { return s == Missed || s == Behind }

// MarshalText writes the JSON name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseStatus reads a JSON name.
func ParseStatus(name string) (Status, error) {
	for i, n := range statusNames {
		if n == name {
			return Status(i), nil
		}
	}
	return 0, fmt.Errorf("okänd status %q", name)
}

// worst and best fold statuses for && and ||.
func worst(a, b Status) Status { return min(a, b) }
func best(a, b Status) Status  { return max(a, b) }
