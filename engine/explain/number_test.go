package explain

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
)

// TestJSONNonFinite: figures JSON cannot hold are written null, and the
// explanation is written whole.
func TestJSONNonFinite(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	x := Explanation{Commitment: &promise.Commitment{ID: "c"}, Year: 2022, Parts: []Part{{
		Src: "count(x) >= 1",
		Windows: []Window{{
			Window:  eval.Window{Name: "2022", Value: &nan, Target: &inf, Expected: &inf},
			Need:    &Need{Remaining: inf, PerWeek: inf},
			Counted: []Counted{{Value: inf}},
		}},
	}}}
	var b bytes.Buffer
	if err := JSON(&b, []Explanation{x}, nil, 0); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	var out struct {
		Explanations []struct {
			Parts []struct {
				Windows []map[string]any
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, b.String())
	}
	w := out.Explanations[0].Parts[0].Windows[0]
	for _, k := range []string{"value", "target", "expected"} {
		if v, ok := w[k]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", k, v, ok)
		}
	}
	need := w["need"].(map[string]any)
	if need["remaining"] != nil || need["per_week"] != nil {
		t.Errorf("need = %v, want null figures", need)
	}
}
