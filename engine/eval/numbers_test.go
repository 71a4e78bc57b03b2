package eval

import (
	"math"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/rule"
)

// TestNumbersThatCannotBeWritten: a rule whose metric or target overflows
// an integer or is not finite gets an error for its window, never a
// status judged on a wrapped or infinite number.
func TestNumbersThatCannotBeWritten(t *testing.T) {
	f := newFixture(t)
	huge := recs("kontroll", 2, "2022-02-01", nil, math.MaxInt64, nil)
	big := recs("kontroll", 2, "2022-02-01", nil, 4, nil)
	tests := []struct {
		rule string
		recs []record.Record
		want string
	}{
		{"sum(kontroll, .antal ?? 0) >= 1", huge, "heltalet blir för stort"},
		{"sum(map(kontroll, .antal ?? 0)) >= 1", huge, "heltalet blir för stort"},
		{"count(kontroll) >= 9223372036854775807 + len(\"x\")", big, "heltalet blir för stort"},
		{"count(kontroll) * 4611686018427387904 >= 1", big, "heltalet blir för stort"},
		{"count(kontroll, (.antal ?? 0) * 4611686018427387904 > 0) >= 1", big, "heltalet blir för stort"},
		{"count(kontroll) >= 1e308 * (len(\"x\") + 9)", big, "ändligt tal"},
		{"count(kontroll) >= int(1e300 * len(\"x\"))", big, "ryms inte i ett heltal"},
		{"count(kontroll) >= 1 / (len(\"x\") - 1)", big, "ändligt tal"},
	}
	for _, tt := range tests {
		c := commitment(tt.rule)
		p := &promise.Promise{ID: "p", Valid: calendar.Period{First: 2022, Last: 2022}, Commitments: []*promise.Commitment{c}}
		c.Promise = p
		r, errs := f.env.Compile(c.Rule)
		if len(errs) > 0 {
			t.Errorf("compile %q: %v", tt.rule, errs)
			continue
		}
		set := record.NewSet(tt.recs)
		in := Input{Vocab: f.voc, Calendar: f.cal, Tables: f.env.Tables(set, d("2022-01-01"), d("2022-12-31")),
			Records: set, Rules: map[*promise.Commitment]*rule.Rule{c: r}}
		var el diag.List
		ev := Evaluate(in, p, 2022, d("2022-08-31"), &el)
		res := ev.Results[0]
		if len(res.Windows) != 1 || res.Windows[0].Err == nil || !strings.Contains(res.Windows[0].Err.Error(), tt.want) {
			t.Errorf("%s: windows %+v; want an error with %q", tt.rule, res.Windows, tt.want)
			continue
		}
		if res.Status != Pending || res.Windows[0].Value != nil {
			t.Errorf("%s: status %v, value %v; want pending without figures", tt.rule, res.Status, res.Windows[0].Value)
		}
	}
}
