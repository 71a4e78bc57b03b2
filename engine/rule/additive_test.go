package rule

import (
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
)

// TestAdditive: the metrics that add up over records day by day, and
// those that do not (a predicate looking at other records, a maximum,
// text built across the run, a division).
func TestAdditive(t *testing.T) {
	env := testEnv(t)
	cases := []struct {
		src  string
		want bool
	}{
		{"count(trafikkontroll) >= 104", true},
		{"trafikkontroll >= 104", true},
		{"count(trafikkontroll) per vecka >= 1", true},
		{`count(trafikkontroll, .form == "civil" && "polisen" in .by) per kvartal >= 3`, true},
		{`count(trafikkontroll, .date.Month() == 12) >= 1`, true},
		{`len(filter(hundsok, .plats == "grundskola")) >= 1`, true},
		{"sum(map(utbildning, .deltagare ?? 0)) >= 100", true},
		{"count(trafikkontroll) + count(hundsok) >= 5", true},
		{"2 * count(trafikkontroll) - 1 >= 5", true},
		{"count(trafikkontroll) + 3 >= 5", true},
		{"count(trafikkontroll) + 0.5 >= 5", false},
		{"-count(trafikkontroll) <= 5", true},
		{"count(trafikkontroll) * count(hundsok) >= 5", false},
		{"count(trafikkontroll) / 2 >= 5", false},
		{"max(map(utbildning, .deltagare ?? 0)) >= 5", false},
		{"count(hundsok, count(hundsok) > 3) >= 1", false},
		{`count(hundsok, (.skola ?? "") + "x" == "ax") >= 1`, false},
		{`count(hundsok, upper(.skola ?? "") == "A") >= 1`, false},
		{`count(hundsok, string(.plats) == "annan") >= 1`, false},
		{"count(trafikkontroll) - count(hundsok) >= 1", true},
		{"len(uniq(map(hundsok, .plats))) >= 2", false},
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
		if got := cmp.Additive(); got != c.want {
			t.Errorf("%s: Additive() = %v, want %v (%s)", c.src, got, c.want, cmp.Metric.Node())
		}
	}
}

// TestMeasureDays: each day's figure is what Measure gives over that day
// alone, in a per FIELD scope too.
func TestMeasureDays(t *testing.T) {
	env := testEnv(t)
	var rs []record.Record
	places := []string{"grundskola", "gymnasium", "annan"}
	day0, _ := calendar.ParseDate("2022-01-01")
	for i := range 40 {
		rs = append(rs, record.Record{Type: "hundsok", Date: day0.AddDays(i % 9), By: []string{"polisen"}, Values: []any{places[i%3], nil}})
	}
	tables := env.Tables(record.NewSet(rs), day0, day0.AddDays(364))
	days := []calendar.Date{day0, day0.AddDays(2), day0.AddDays(5), day0.AddDays(20)}
	for _, src := range []string{`count(hundsok, .plats != "annan") >= 1`, "count(hundsok) per plats >= 1", "2 * count(hundsok) + 1 >= 1"} {
		r, errs := env.Compile(promise.Text{Value: src})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		c := r.Root.(*Compare)
		for _, g := range append([]string{""}, c.Values...) {
			if c.Field == "" && g != "" {
				continue
			}
			got, err := tables.MeasureDays(c, Scope{Field: c.Field, Value: g}, days)
			if err != nil {
				t.Fatal(err)
			}
			for i, d := range days {
				want, _, err := tables.Measure(c, Scope{Start: d, End: d, Field: c.Field, Value: g})
				if err != nil || got[i] != want {
					t.Errorf("%s %s on %s: %v, Measure gives %v (%v)", src, g, d, got[i], want, err)
				}
			}
		}
	}
}
