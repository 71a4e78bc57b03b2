package rule

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
)

// TestPlainCount: a metric that only counts records of one type is
// counted from the store's dates and columns, and gives what running it
// gives, in every scope, per field clauses included.
func TestPlainCount(t *testing.T) {
	env := testEnv(t)
	rng := rand.New(rand.NewPCG(1, 2))
	start := calendar.NewDate(2021, 12, 1)
	places := []any{"grundskola", "gymnasium", "annan", nil}
	var recs []record.Record
	for i := range 500 {
		recs = append(recs, record.Record{Type: "hundsok", Date: start + calendar.Date(rng.IntN(430)), By: []string{"polisen"},
			Values: []any{places[rng.IntN(len(places))], nil}})
		recs[i].Pos.File, recs[i].Pos.Line = "data/a.csv", i+2
	}
	from, to := calendar.NewDate(2022, 1, 1), calendar.NewDate(2022, 12, 31)
	tables := env.Tables(record.NewSet(recs), from, to)
	for _, src := range []string{"count(hundsok) >= 1", "hundsok >= 1", "1 <= count(hundsok)", "count(hundsok) per plats >= 1"} {
		ru, errs := env.Compile(promise.Text{Value: src})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		c := ru.Root.(*Compare)
		if c.count != "hundsok" {
			t.Fatalf("%s: not a plain count", src)
		}
		slow := *c
		slow.count = ""
		for range 200 {
			s := Scope{Start: start + calendar.Date(rng.IntN(450)), End: start + calendar.Date(rng.IntN(450))}
			if c.Field != "" {
				s.Field, s.Value = c.Field, fmt.Sprint(places[rng.IntN(3)])
			}
			got, _, err1 := tables.Measure(c, s)
			want, _, err2 := tables.Measure(&slow, s)
			if got != want || err1 != nil || err2 != nil {
				t.Fatalf("%s in %+v: %v (%v), running it %v (%v)", src, s, got, err1, want, err2)
			}
		}
	}
	for _, src := range []string{`count(hundsok, .plats == "annan") >= 1`, "count(hundsok) + 1 >= 1", "len(hundsok) >= 1"} {
		ru, errs := env.Compile(promise.Text{Value: src})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if c, ok := ru.Root.(*Compare); ok && c.count != "" {
			t.Errorf("%s: taken for a plain count", src)
		}
	}
}
