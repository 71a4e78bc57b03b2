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
	t.Run("per clauses and parts line up with the windows", func(t *testing.T) {
		c := commitment(`count(kontroll) >= 9 && count(kontroll) per form >= 1 && count(kontroll) per termin >= 1 && all(kontroll, .form != nil)`)
		got, res := f.cumulative(t, c, rs, "2022-12-31")
		if len(got) != len(res.Windows) || len(got) != 6 {
			t.Fatalf("%d series for %d windows", len(got), len(res.Windows))
		}
		if last := got[0][len(got[0])-1]; last.Value != *res.Windows[0].Value {
			t.Errorf("the year: last point %v, value %v", last, *res.Windows[0].Value)
		}
		for i, pts := range got[1:] {
			if pts != nil {
				t.Errorf("window %d (%s %s) of a per clause or an expression has figures %v", i+1, res.Windows[i+1].Name, res.Windows[i+1].Group, pts)
			}
		}
	})
	t.Run("many records, every day", func(t *testing.T) {
		many := spread("kontroll", 40_000, "2022-01-01") // 200 a day on 200 days
		got, res := f.cumulative(t, commitment(`count(kontroll, .date.Day() > 0) >= 50000`), many, "2022-12-31")
		pts := got[0]
		if len(pts) != 201 || pts[len(pts)-1].Value != *res.Windows[0].Value || pts[len(pts)-1].Date != d("2022-01-01").AddDays(199) {
			t.Errorf("%d points, last %v; want 201, ending at the last record with the window's value %v", len(pts), pts[len(pts)-1], *res.Windows[0].Value)
		}
		for i := 1; i < len(pts); i++ {
			if pts[i].Value != float64(200*i) {
				t.Fatalf("point %d: %v", i, pts[i])
			}
		}
	})
	t.Run("a metric that adds up with an offset", func(t *testing.T) {
		got, _ := f.cumulative(t, commitment("count(kontroll) + 5 >= 20"), rs, "2022-12-31")
		want := [][]Point{{{start, 5}, {d("2022-01-10"), 7}, {d("2022-03-01"), 11}, {d("2022-09-15"), 15}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got)\n%s", diff)
		}
	})
	t.Run("a metric that does not add up", func(t *testing.T) {
		var big []record.Record
		for i, n := range []int{3, 7, 5, 2, 9} {
			big = append(big, recs("kontroll", 1, d("2022-02-01").AddDays(i).String(), "civil", n, nil)...)
		}
		got, res := f.cumulative(t, commitment("max(map(kontroll, .antal ?? 0)) >= 20"), big, "2022-12-31")
		want := [][]Point{{{start, 0}, {d("2022-02-01"), 3}, {d("2022-02-02"), 7}, {d("2022-02-05"), 9}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got)\n%s", diff)
		}
		if *res.Windows[0].Value != 9 {
			t.Errorf("value %v", *res.Windows[0].Value)
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

// TestLinesMeasureAsFromTheStart: the line of a metric that adds up,
// drawn a day at a time, gives on every day of the window the figure
// that measuring the window from its start through that day gives; the
// line of any metric ends at the window's value at the evaluation date.
// since and the burn-up chart read past days from these lines
// (docs/reference.md §10).
func TestLinesMeasureAsFromTheStart(t *testing.T) {
	f := newFixture(t)
	var rs []record.Record
	forms := []any{"civil", "uniformerad", nil}
	for i := range 300 {
		day := d("2022-01-01").AddDays((i * 7919) % 365)
		rs = append(rs, record.Record{Type: "kontroll", Date: day, By: []string{"polisen"}, Values: []any{forms[i%3], i % 5, i%4 == 0}})
		if i%3 == 0 {
			rs = append(rs, record.Record{Type: "hundsok", Date: day.AddDays(3), By: []string{"polisen"}, Values: []any{nil}})
		}
	}
	set := record.NewSet(rs)
	rules := []string{
		"count(kontroll) >= 200",
		`count(kontroll, .form == "civil" && .bilinspektor) >= 20`,
		"count(kontroll) per form >= 30",
		"count(kontroll) per månad >= 20",
		"sum(map(kontroll, .antal ?? 0)) >= 500",
		"2 * count(kontroll) - count(hundsok) + 3 >= 100",
		"count(kontroll) * count(hundsok) >= 100",
		"max(map(kontroll, .antal ?? 0)) >= 4",
		"len(uniq(map(kontroll, .form ?? \"\"))) >= 3",
	}
	for _, src := range rules {
		c := commitment(src)
		r, errs := f.env.Compile(c.Rule)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", src, errs)
		}
		cmp := r.Root.(*rule.Compare)
		in := Input{Vocab: f.voc, Calendar: f.cal, Tables: f.env.Tables(set, d("2021-01-01"), d("2023-12-31")), Records: set,
			Rules: map[*promise.Commitment]*rule.Rule{c: r}}
		for _, asOf := range []calendar.Date{d("2022-05-17"), d("2023-01-10")} {
			e := &evaluator{in: in, c: c, year: 2022, asOf: asOf, ser: &series{in: in, year: 2022, asOf: asOf}, lines: map[int][]Point{}}
			e.node(r.Root)
			groups := cmp.Values
			if cmp.Field == "" {
				groups = []string{""}
			}
			i := 0
			for _, w := range e.windows(cmp.HasWindow, cmp.Window) {
				for _, g := range groups {
					line := e.lines[i]
					if line == nil {
						line = e.ser.lineTo(cmp, w, cmp.Field, g, e.out[i].Value)
					}
					if (line == nil) != (asOf < w.Start) {
						t.Fatalf("%s, %s %s: line %v", src, w.Name, g, line)
					}
					if line != nil && valueOn(line, asOf) != *e.out[i].Value {
						t.Errorf("%s, %s %s: last point %v, value %v", src, w.Name, g, valueOn(line, asOf), *e.out[i].Value)
					}
					for day := w.Start; line != nil && cmp.Additive() && day <= min(w.End, asOf); day++ {
						want, _, err := in.Tables.Measure(cmp, rule.Scope{Start: w.Start, End: day, Field: cmp.Field, Value: g})
						if err != nil {
							t.Fatal(err)
						}
						if got := valueOn(line, day); got != want {
							t.Fatalf("%s, %s %s on %s: line %v, measured %v", src, w.Name, g, day, got, want)
						}
					}
					i++
				}
			}
			if additive := cmp.Additive(); additive != (len(e.lines) > 0) && asOf >= d("2022-01-01") {
				t.Errorf("%s: additive %v, lines measured a day at a time: %d", src, additive, len(e.lines))
			}
		}
	}
}
