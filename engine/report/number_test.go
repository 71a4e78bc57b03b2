package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/source"
)

// TestJSONNonFinite: a figure JSON cannot hold (±Inf, NaN) is written
// null with an error, and the report is written whole.
func TestJSONNonFinite(t *testing.T) {
	inf, nan, one := math.Inf(1), math.NaN(), 1.0
	rep := &eval.Report{Source: &source.Snapshot{}, Evaluations: []eval.Evaluation{{
		Promise: &promise.Promise{ID: "p"}, Year: 2022,
		Results: []eval.Result{{
			Commitment: &promise.Commitment{ID: "c", Rule: promise.Text{Value: "count(x) >= 1"}},
			Windows:    []eval.Window{{Name: "2022", Value: &inf, Target: &one, Expected: &nan}},
		}},
	}}}
	var b bytes.Buffer
	if err := JSON(&b, rep); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	var out struct {
		Evaluations []struct {
			Commitments []struct {
				Windows []map[string]any
			}
		}
		Errors []struct{ Message string }
	}
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, b.String())
	}
	w := out.Evaluations[0].Commitments[0].Windows[0]
	if v, ok := w["value"]; !ok || v != nil {
		t.Errorf("value = %v (present %v), want null", v, ok)
	}
	if v, ok := w["expected"]; !ok || v != nil {
		t.Errorf("expected = %v (present %v), want null", v, ok)
	}
	if w["target"] != 1.0 {
		t.Errorf("target = %v, want 1", w["target"])
	}
	if len(out.Errors) != 1 || !strings.Contains(out.Errors[0].Message, "inte ändligt") {
		t.Errorf("errors = %v, want one about the number that is not finite", out.Errors)
	}
}
