package watch

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"
)

// TestJSONSinkNonFinite: a transition with a figure JSON cannot hold is
// written, with null for it, rather than dropped.
func TestJSONSinkNonFinite(t *testing.T) {
	inf, one := math.Inf(1), 1.0
	var b bytes.Buffer
	s := &JSONSink{Out: &b}
	s.Event(Event{Kind: Change, Time: time.Unix(0, 0), Transition: &Transition{
		Promise: "p", Year: 2022, Commitment: "c", Window: "2022", Value: &one, Target: &inf, Reason: "r",
	}})
	var out map[string]any
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatalf("no JSON line: %v (%q)", err, b.String())
	}
	if v, ok := out["target"]; !ok || v != nil {
		t.Errorf("target = %v (present %v), want null", v, ok)
	}
	if out["value"] != 1.0 {
		t.Errorf("value = %v, want 1", out["value"])
	}
}
