package repository_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
)

const lagPromise = `promise: p
valid: 2022
parties:
  polisen: Polisen
commitments:
  - id: trafik
    owner: polisen
    rule: count(trafikkontroll) >= 110
`

// TestLagProvisional builds a history in which traffic controls, done
// two a week (104 a year, for a promise of 110), are committed 0 to 14
// days late. At the end of June the count is below the pace only by the
// last days' records, which are typically not in yet: behind, provisional.
// Read a month later, when they would be in, the same shortfall is not
// provisional.
func TestLagProvisional(t *testing.T) {
	g := newGitRepo(t)
	g.write("rules/activities.yaml", provVocab, "rules/p.yaml", lagPromise)
	g.commit("", "2022-01-01", "regler")
	type rec struct {
		date, committed calendar.Date
	}
	var recs []rec
	for i := 0; ; i++ {
		d := day("2022-01-01").AddDays(i * 7 / 2) // two a week
		c := d.AddDays(i % 15)                    // 0 to 14 days late
		if c > day("2022-06-30") {
			if d > day("2022-06-30") {
				break
			}
			continue
		}
		recs = append(recs, rec{d, c})
	}
	slices.SortStableFunc(recs, func(a, b rec) int { return int(a.committed - b.committed) })
	csv := header
	for i, r := range recs {
		csv += row(r.date.String(), "polisen")
		if i+1 < len(recs) && recs[i+1].committed == r.committed {
			continue
		}
		g.write("data/2022/trafik.csv", csv)
		g.commit("Anna <anna@polisen.se>", r.committed.String(), "kontroller")
	}

	r, prov := g.load("2022-06-30")
	lag, ok := prov.Lags["trafikkontroll"]
	if !ok || lag.Median != 6 || lag.P90 != 13 || lag.Records != len(recs) || lag.Title != "Trafikkontroll" {
		t.Fatalf("lag %+v (%d records)", lag, len(recs))
	}
	rep := r.Evaluate(calendar.Period{First: 2022, Last: 2022}, day("2022-06-30"))
	res := rep.Evaluations[0].Results[0]
	w := res.Windows[0]
	if res.Status.String() != "behind" || !res.Provisional || len(res.Lags) != 1 || !w.Provisional {
		t.Errorf("status %s provisional %v (%v of %v, expected %v)", res.Status, res.Provisional, *w.Value, *w.Target, *w.Expected)
	}
	if got := fmt.Sprintf("%v/%v", *w.Value, *w.Expected); got != "51/54" {
		t.Errorf("value/expected %s, want 51/54", got)
	}

	// The same files read as known a month later: no excuse.
	r, _ = g.load("2022-07-30")
	rep = r.Evaluate(calendar.Period{First: 2022, Last: 2022}, day("2022-06-30"))
	if res := rep.Evaluations[0].Results[0]; res.Status.String() != "behind" || res.Provisional {
		t.Errorf("a month later: %s provisional %v", res.Status, res.Provisional)
	}
}
