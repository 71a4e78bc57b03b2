package eval

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/rule"
)

// cumulative compiles c and returns its cumulative figures for 2022 at
// asOf, with the windows of its result to check they line up.
func (f fixture) cumulative(t *testing.T, c *promise.Commitment, rs []record.Record, asOf string) ([][]Point, Result) {
	t.Helper()
	res := f.eval(t, c, rs, asOf)
	r, errs := f.env.Compile(c.Rule)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	set := record.NewSet(rs)
	in := Input{Vocab: f.voc, Calendar: f.cal, Tables: f.env.Tables(set, d("2021-01-01"), d("2023-12-31")), Records: set,
		Rules: map[*promise.Commitment]*rule.Rule{c: r}}
	return in.Cumulative(c, 2022, d(asOf)), res
}

func TestCumulative(t *testing.T) {
	f := newFixture(t)
	civil := func(n int, day string) []record.Record { return recs("kontroll", n, day, "civil", nil, nil) }
	rs := append(append(append(civil(2, "2022-01-10"), civil(1, "2022-03-01")...),
		recs("kontroll", 3, "2022-03-01", "uniformerad", nil, nil)...), civil(4, "2022-09-15")...)
	start := d("2022-01-01") - 1

	t.Run("year", func(t *testing.T) {
		got, res := f.cumulative(t, commitment("count(kontroll) >= 10"), rs, "2022-08-31")
		want := [][]Point{{{start, 0}, {d("2022-01-10"), 2}, {d("2022-03-01"), 6}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got)\n%s", diff)
		}
		if len(got) != len(res.Windows) || *res.Windows[0].Value != 6 {
			t.Errorf("windows %d, value %v: the last point must be the window's value", len(res.Windows), *res.Windows[0].Value)
		}
	})
	t.Run("predicate and ended year", func(t *testing.T) {
		got, _ := f.cumulative(t, commitment(`count(kontroll, .form == "civil") >= 5`), rs, "2023-02-01")
		want := [][]Point{{{start, 0}, {d("2022-01-10"), 2}, {d("2022-03-01"), 3}, {d("2022-09-15"), 7}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got)\n%s", diff)
		}
	})
	t.Run("per field and parts line up with the windows", func(t *testing.T) {
		c := commitment(`count(kontroll) >= 9 && count(kontroll) per form >= 1 && all(kontroll, .form != nil)`)
		got, res := f.cumulative(t, c, rs, "2022-12-31")
		if len(got) != len(res.Windows) {
			t.Fatalf("%d series for %d windows", len(got), len(res.Windows))
		}
		for i, w := range res.Windows {
			switch {
			case w.Value == nil && got[i] != nil:
				t.Errorf("window %d (%s) is no count but has figures", i, w.Part)
			case w.Value != nil && got[i][len(got[i])-1].Value != *w.Value:
				t.Errorf("window %d (%s %s): last point %v, value %v", i, w.Name, w.Group, got[i][len(got[i])-1], *w.Value)
			}
		}
	})
	t.Run("per window not started", func(t *testing.T) {
		got, res := f.cumulative(t, commitment("count(kontroll) per termin >= 1"), rs, "2022-05-01")
		if len(got) != 2 || got[1] != nil || len(res.Windows) != 2 {
			t.Errorf("got %v: HT has not started and has no figures", got)
		}
		if want := []Point{{d("2022-01-11") - 1, 0}, {d("2022-03-01"), 4}}; !cmp.Equal(want, got[0]) {
			t.Errorf("VT: %v, want %v (records before the term do not count)", got[0], want)
		}
	})
	t.Run("manual", func(t *testing.T) {
		c := &promise.Commitment{ID: "m", Manual: true}
		if got := (Input{}).Cumulative(c, 2022, d("2022-05-01")); got != nil {
			t.Errorf("manual commitment has figures %v", got)
		}
	})
}

func TestExpected(t *testing.T) {
	y := calendar.Window{Kind: calendar.Year, Name: "2022", Start: d("2022-01-01"), End: d("2022-12-31")}
	linear := commitment("count(kontroll) >= 104")
	summer := commitment("count(kontroll) >= 100")
	summer.Pace = promise.Pace{Kind: promise.PaceMonthly, Weights: [12]float64{1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1}}
	tests := []struct {
		c      *promise.Commitment
		target float64
		day    string
		want   float64
	}{
		{linear, 104, "2021-12-31", 0},
		{linear, 104, "2022-08-31", 104 * 243.0 / 365},
		{linear, 104, "2022-12-31", 104},
		{summer, 100, "2022-06-30", 60},
		{summer, 100, "2022-08-31", 60},
		{summer, 100, "2022-12-31", 100},
	}
	for _, tt := range tests {
		if got := Expected(tt.c, y, tt.target, d(tt.day)); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s at %s: %v, want %v", tt.c.Rule.Value, tt.day, got, tt.want)
		}
	}
}
