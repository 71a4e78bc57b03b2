package eval

import (
	"slices"
	"testing"

	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
)

// TestSince checks since (docs/reference.md §10) against dates worked out
// by hand in each case.
func TestSince(t *testing.T) {
	f := newFixture(t)
	cat := func(rs ...[]record.Record) []record.Record { return slices.Concat(rs...) }
	cases := []struct {
		name  string
		rule  string
		recs  []record.Record
		asOf  string
		want  Status
		since string
	}{
		// 365 in 365 days: the expected figure on day k of the year is
		// floor(365 × k / 365) = k. 10 records on 1 January: on 10
		// January 10 ≥ 10, on 11 January 10 < 11.
		{"behind since the day the count fell under the pace", "count(kontroll) >= 365",
			recs("kontroll", 10, "2022-01-01"), "2022-03-01", Behind, "2022-01-11"},
		// 60 more on 15 February (day 46): 70 ≥ 46; on 14 February
		// (day 45) only 10. On 1 March (day 60) 70 ≥ 60 still.
		{"on track since a catch-up record", "count(kontroll) >= 365",
			cat(recs("kontroll", 10, "2022-01-01"), recs("kontroll", 60, "2022-02-15")), "2022-03-01", OnTrack, "2022-02-15"},
		// 3 on 10 January, 2 on 5 April: 5 ≥ 5 from 5 April.
		{"met since the record that reached the target", "count(kontroll) >= 5",
			cat(recs("kontroll", 3, "2022-01-10"), recs("kontroll", 2, "2022-04-05")), "2022-06-01", Met, "2022-04-05"},
		// VT is met on 1 March; HT (2022-08-22..2022-12-21) has no
		// record: its expected figure floor(1 × elapsed / 122) is 0 until
		// its last day, so it is on track until fewer than 30 days are
		// left: 2022-12-21 − d < 30 from d = 2022-11-22. The worst
		// window, and the status, change then.
		{"per termin: the worst window changes", "count(hundsok) per termin >= 1",
			recs("hundsok", 1, "2022-03-01", nil), "2022-12-10", Behind, "2022-11-22"},
		// 2 in the year: expected floor(2 × k / 365) is 1 from day 183
		// (2 July) and 2 only on 31 December; the one record keeps pace
		// until warn_within: 2022-12-31 − d < 30 from d = 2022-12-02.
		{"warn_within", "count(kontroll) >= 2",
			recs("kontroll", 1, "2022-01-05"), "2022-12-15", Behind, "2022-12-02"},
		// After the year nothing changes from its day after: missed
		// since 1 January of the next year.
		{"missed after the year", "count(kontroll) >= 2",
			recs("kontroll", 1, "2022-01-05"), "2023-02-01", Missed, "2023-01-01"},
		// A status that has held all year is held since 1 January.
		{"never before the year", "count(kontroll) >= 1 || count(hundsok) >= 1",
			nil, "2022-03-01", OnTrack, "2022-01-01"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := f.eval(t, commitment(c.rule), c.recs, c.asOf)
			if res.Status != c.want || res.Since != d(c.since) {
				t.Errorf("%s since %s, want %s since %s", res.Status, res.Since, c.want, c.since)
			}
		})
	}
}

// TestSinceManual: a manual commitment's since is the date of the
// assessment that gives its status, and the day after the year when an
// interim assessment stops standing (docs/reference.md §7).
func TestSinceManual(t *testing.T) {
	f := newFixture(t)
	rs := []record.Record{assess("c", "on_track", "2022-03-01"), assess("c", "met", "2022-06-01")}
	interim := []record.Record{assess("c", "on_track", "2022-04-26")}
	cases := []struct {
		recs      []record.Record
		asOf      string
		want      Status
		since     string
		isInterim bool
	}{
		{rs, "2022-02-01", Unassessed, "2022-01-01", false},
		{rs, "2022-05-01", OnTrack, "2022-03-01", false},
		{rs, "2022-08-31", Met, "2022-06-01", false},
		{rs, "2023-01-15", Met, "2022-06-01", false},
		{interim, "2022-08-31", OnTrack, "2022-04-26", false},
		{interim, "2023-01-15", Unassessed, "2023-01-01", true},
		{nil, "2023-01-15", Unassessed, "2022-01-01", false},
	}
	for _, c := range cases {
		res := f.eval(t, &promise.Commitment{ID: "c", Manual: true}, c.recs, c.asOf)
		if res.Status != c.want || res.Since != d(c.since) || res.Interim != c.isInterim {
			t.Errorf("%s: %s since %s (interim %v), want %s since %s (interim %v)", c.asOf, res.Status, res.Since, res.Interim, c.want, c.since, c.isInterim)
		}
		if c.isInterim && (res.Assessed != OnTrack || res.Assessment == nil || res.Assessment.Date != d("2022-04-26")) {
			t.Errorf("%s: the interim assessment is not shown beside: %v %v", c.asOf, res.Assessed, res.Assessment)
		}
	}
}

// TestNext checks remaining, days_left, projected and the range
// (docs/reference.md §10), worked by hand.
func TestNext(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name string
		rule string
		recs []record.Record
		asOf string
		want *Next
	}{
		// 10 of 365 at 1 March: elapsed 31 + 28 + 1 = 60 days, 305
		// left. projected = floor(10 × 365 / 60) = floor(60.8) = 60.
		// The range: mean of the days left 10 × 305 / 60 = 50.83,
		// variance 50.83 + (305/60)² × 10 = 309.2, sd 17.58, × 1.2816
		// = 22.54: floor(60.83 − 22.54) = 38, ceil(60.83 + 22.54) = 84.
		{"behind", "count(kontroll) >= 365", recs("kontroll", 10, "2022-01-01"), "2022-03-01",
			&Next{Remaining: 355, DaysLeft: 305, Projected: 60, Low: 38, High: 84}},
		// Nothing counted: nothing projected, and no range.
		{"none yet", "count(kontroll) >= 4", nil, "2022-03-01",
			&Next{Remaining: 4, DaysLeft: 305, Projected: 0, Low: 0, High: 0}},
		// The last day: 0 days left, projected = the value.
		{"last day", "count(kontroll) >= 4", recs("kontroll", 1, "2022-01-01"), "2022-12-31",
			&Next{Remaining: 3, DaysLeft: 0, Projected: 1, Low: 1, High: 1}},
		{"met", "count(kontroll) >= 1", recs("kontroll", 1, "2022-01-01"), "2022-03-01", nil},
		{"ended", "count(kontroll) >= 4", nil, "2023-01-01", nil},
		{"upper bound", "count(kontroll) <= 4", nil, "2022-03-01", nil},
		{"greater than", "count(kontroll) > 4", nil, "2022-03-01", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := f.eval(t, commitment(c.rule), c.recs, c.asOf)
			got := res.Windows[0].Next
			if (got == nil) != (c.want == nil) || got != nil && *got != *c.want {
				t.Errorf("next = %+v, want %+v", got, c.want)
			}
		})
	}
	// A per-termin rule: only the running window has one.
	res := f.eval(t, commitment("count(hundsok) per termin >= 1"), recs("hundsok", 1, "2022-03-01", nil), "2022-09-01")
	if res.Windows[0].Next != nil || res.Windows[1].Next == nil || res.Windows[1].Next.DaysLeft != 111 {
		t.Errorf("per termin: VT %+v, HT %+v; want none and 111 days left (2022-12-21 − 2022-09-01)", res.Windows[0].Next, res.Windows[1].Next)
	}
}
