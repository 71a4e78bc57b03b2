package eval

import (
	"encoding/json"
	"math"
	"testing"
)

func TestNumberJSON(t *testing.T) {
	for _, tt := range []struct {
		in   float64
		want string
	}{
		{1, "1"}, {0.5, "0.5"}, {-3, "-3"}, {1e21, "1e+21"},
		{math.Inf(1), "null"}, {math.Inf(-1), "null"}, {math.NaN(), "null"},
	} {
		b, err := json.Marshal(Number(tt.in))
		if err != nil || string(b) != tt.want {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tt.in, b, err, tt.want)
		}
	}
}
