package eval

import (
	"encoding/json"
	"math"
)

// Number is a figure as JSON output writes it: a number, or null when it
// is not finite. JSON has no ±Inf or NaN, and a report must not fail half
// written on one value (docs/design.md, "Tal som inte kan skrivas").
// Evaluation gives windows no such figures (a rule that yields one gets
// an error instead); Number is the renderers' guarantee all the same.
type Number float64

// MarshalJSON writes the number as encoding/json writes a float64, or null.
func (n Number) MarshalJSON() ([]byte, error) {
	if !Finite(float64(n)) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(n))
}

// NumberOf is *p as a Number, nil for nil.
func NumberOf(p *float64) *Number {
	if p == nil {
		return nil
	}
	n := Number(*p)
	return &n
}

// Finite reports a number JSON can hold: not ±Inf, not NaN.
func Finite(f float64) bool { return !math.IsInf(f, 0) && !math.IsNaN(f) }
