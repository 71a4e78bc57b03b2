package diff

import (
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// A backtest keeps the problems of evaluating both sides: those of A's
// own rules on its records as well as those of B's.
func TestBacktestKeepsBothSidesDiags(t *testing.T) {
	ar := txtar.Parse([]byte(`-- rules/activities.yaml --
activities:
  trafikkontroll:
    title: Trafikkontroll
-- rules/a.yaml --
promise: a
title: A
parties:
  polisen: Polisen
valid: 2022
commitments:
  - id: trafik.kvot
    owner: polisen
    text: Kvot.
    rule: count(trafikkontroll) % (count(trafikkontroll) - 2) == 0
-- rules/b.yaml --
promise: b
title: B
parties:
  polisen: Polisen
valid: 2023
commitments:
  - id: trafik.kvot
    owner: polisen
    text: Kvot.
    rule: count(trafikkontroll) % (count(trafikkontroll) - 2) == 1
-- data/poster.yaml --
- {date: 2022-02-01, type: trafikkontroll, by: polisen}
- {date: 2022-03-01, type: trafikkontroll, by: polisen}
`))
	snap := &source.Snapshot{Root: "/x"}
	for _, f := range ar.Files {
		snap.Files = append(snap.Files, source.File{Path: f.Name, Data: f.Data})
	}
	r := repository.Load(snap)
	if r.Diags.Errors() > 0 {
		t.Fatal(r.Diags)
	}
	a := Side{Name: "2022", Year: 2022, Repo: r, Promises: r.InForce(2022)}
	b := Side{Name: "2023", Year: 2023, Repo: r, Promises: r.InForce(2023)}
	bt := RunBacktest(a, b, r, 2022, calendar.NewDate(2023, 1, 1))
	var a1, b1 int
	for _, d := range bt.Diags {
		switch {
		case strings.Contains(d.File, "rules/a.yaml"):
			a1++
		case strings.Contains(d.File, "rules/b.yaml"):
			b1++
		}
	}
	if a1 != 1 || b1 != 1 {
		t.Errorf("diagnostics of A %d, of B %d, want 1 each: %v", a1, b1, bt.Diags)
	}
}
