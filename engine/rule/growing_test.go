package rule

import (
	"testing"

	"github.com/lofte/lofte/engine/promise"
)

// TestGrowing: a comparison is a lower or upper bound only when records
// can only raise its metric; one whose metric a record can lower is
// judged when its window ends (docs/reference.md §7).
func TestGrowing(t *testing.T) {
	env := testEnv(t)
	cases := []struct {
		src          string
		lower, upper bool
	}{
		{"count(trafikkontroll) >= 104", true, false},
		{"trafikkontroll > 3", true, false},
		{"104 <= count(trafikkontroll)", true, false},
		{`count(trafikkontroll, .form == "civil") per kvartal >= 3`, true, false},
		{`len(filter(hundsok, .plats == "grundskola")) >= 1`, true, false},
		{"sum(map(utbildning, .deltagare ?? 0)) >= 100", true, false},
		{"sum(utbildning, .deltagare ?? 0) >= 100", true, false},
		{"count(trafikkontroll) + count(hundsok) >= 5", true, false},
		{"count(trafikkontroll) / 2 + 1 >= 2", true, false},
		{"count(trafikkontroll) * 0.5 - 1 >= 2", true, false},
		{"max(count(trafikkontroll), len(hundsok)) >= 2", true, false},
		{"count(trafikkontroll) <= 5", false, true},
		{"count(trafikkontroll) - count(hundsok) >= 1", false, false},
		{"100 - count(trafikkontroll) >= 99", false, false},
		{"-count(trafikkontroll) <= -2", false, false},
		{"count(trafikkontroll) * -1 >= -3", false, false},
		{"count(trafikkontroll) / count(hundsok) >= 2", false, false},
		{"count(hundsok, count(trafikkontroll) > 3) >= 1", false, false},
		{"count(trafikkontroll) == 3", false, false},
	}
	for _, c := range cases {
		r, errs := env.Compile(promise.Text{Value: c.src})
		if len(errs) > 0 {
			t.Errorf("%s: %v", c.src, errs)
			continue
		}
		cmp, ok := r.Root.(*Compare)
		if !ok {
			t.Errorf("%s: not a comparison", c.src)
			continue
		}
		if cmp.Lower() != c.lower || cmp.Upper() != c.upper {
			t.Errorf("%s: Lower() = %v, Upper() = %v, want %v, %v (%s)", c.src, cmp.Lower(), cmp.Upper(), c.lower, c.upper, cmp.Metric.Node())
		}
	}
}
