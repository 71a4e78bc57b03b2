package repository

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/source"
	"github.com/lofte/lofte/internal/testrepo"
)

// TestStoreAsRecords evaluates generated repositories (counts, sums, per
// windows and per fields, enums, lists, dates, bools, by) twice: with the
// records in the store's columns, as they are read, and with the same
// records as plain Records (record.NewSet), which rules, the series of a
// burn-up chart and the scope of a promise read one by one. The reports
// must be the same, from a Load and from a Loader after a change.
func TestStoreAsRecords(t *testing.T) {
	for _, promises := range []int{0, 2} {
		dir := t.TempDir()
		if err := testrepo.Write(dir, testrepo.Options{Records: 20_000, Seed: int64(3 + promises), Promises: promises}); err != nil {
			t.Fatal(err)
		}
		repo, err := source.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		load := func() *Repository {
			snap, err := repo.WorkTree()
			if err != nil {
				t.Fatal(err)
			}
			return Load(snap)
		}
		asRecords := load()
		var all []record.Record
		for _, typ := range asRecords.Records.Types() {
			all = append(all, asRecords.Records.Of(typ)...)
		}
		asRecords.Records = record.NewSet(all)
		want := reportJSON(t, asRecords)

		if got := reportJSON(t, load()); got != want {
			t.Fatalf("%d promises: Load (-records +columns):\n%s", promises, cmp.Diff(want, got))
		}
		snap, err := repo.WorkTree()
		if err != nil {
			t.Fatal(err)
		}
		if got := reportJSON(t, NewLoader().Load(snap)); got != want {
			t.Fatalf("%d promises: Loader (-records +columns):\n%s", promises, cmp.Diff(want, got))
		}
	}
}

func reportJSON(t *testing.T, r *Repository) string {
	t.Helper()
	rep := r.Evaluate(calendar.Period{First: 2021, Last: 2022}, calendar.NewDate(2022, 8, 31))
	type result struct {
		Promise, Commitment string
		Year                int
		eval.Result
	}
	var out []result
	for _, ev := range rep.Evaluations {
		for _, res := range ev.Results {
			out = append(out, result{ev.Promise.ID, res.Commitment.ID, ev.Year, res})
			out[len(out)-1].Result.Commitment = nil
		}
	}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range rep.Diags {
		b = append(b, "\n"+d.Error()...)
	}
	return string(b)
}
