package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/repository"
)

// Backtest is one year's records evaluated by B's rules, side by side
// with their own result under A's.
type Backtest struct {
	Year   int
	AsOf   calendar.Date
	Ended  bool   // the year had ended at AsOf
	Own    string // "2022": the year under its own promise
	Other  string // "2023 års löfte", "löftet i HEAD" (OtherIn: in English)
	Rows   []Row
	A, B   map[eval.Status]int // results by status: A's own, B's on A's records
	Broken [2]int              // commitments that could not be evaluated
	Diags  diag.List           // problems evaluating A's rules and B's on A's records, each once
	other  bi
}

// OtherIn is Other in lang: "sv" or "en".
func (bt *Backtest) OtherIn(lang string) string {
	if bt.other == (bi{}) {
		return bt.Other
	}
	return bt.other.In(lang)
}

// Row is one commitment under both promises; A or B is nil where the
// commitment exists on one side only.
type Row struct {
	Commitment string
	A, B       *eval.Result
}

// RunBacktest evaluates a's promises on a's records for year, and b's
// promises on the same records: other is a repository holding b's rules
// and a's records (a.Repo itself when both sides are years of one
// repository), whose promises of the same files and ids as b's are used.
func RunBacktest(a, b Side, other *repository.Repository, year int, asOf calendar.Date) *Backtest {
	bt := &Backtest{Year: year, AsOf: asOf, Ended: asOf > other.Calendar.YearWindow(year).End,
		Own: fmt.Sprint(year), other: otherLabel(b), A: map[eval.Status]int{}, B: map[eval.Status]int{}}
	bt.Other = bt.other[0]
	var pbs []*promise.Promise
	for _, p := range b.Promises {
		if i := slices.IndexFunc(other.Promises, func(q *promise.Promise) bool { return q.ID == p.ID && q.File == p.File }); i >= 0 {
			pbs = append(pbs, other.Promises[i])
		}
	}
	for _, pr := range pair(a.Promises, pbs) {
		var ra, rb []eval.Result
		if pr[0] != nil {
			ev, errs := a.Repo.EvaluatePromise(pr[0], year, asOf)
			ra = ev.Results
			bt.addDiags(errs)
		}
		if pr[1] != nil {
			ev, errs := other.EvaluatePromise(pr[1], year, asOf)
			rb = ev.Results
			bt.addDiags(errs)
		}
		bt.rows(ra, rb)
	}
	return bt
}

// addDiags adds the problems of one side's evaluation, leaving out those
// the other side already gave (the same record, the same message).
func (bt *Backtest) addDiags(errs diag.List) {
	for _, d := range errs {
		if !slices.ContainsFunc(bt.Diags, func(e *diag.Diagnostic) bool {
			return e.Pos == d.Pos && e.Message == d.Message && e.Severity == d.Severity
		}) {
			bt.Diags = append(bt.Diags, d)
		}
	}
}

func otherLabel(b Side) bi {
	if b.Year != 0 {
		return say("%d års löfte", "the promise of %d", b.Year)
	}
	if len(b.Promises) == 1 {
		return say("löftet i %s", "the promise in %s", b.Name)
	}
	return say("löftena i %s", "the promises in %s", b.Name)
}

func (bt *Backtest) rows(ra, rb []eval.Result) {
	tally := func(m map[eval.Status]int, i int, r *eval.Result) {
		if r.Broken {
			bt.Broken[i]++
		} else {
			m[r.Status]++
		}
	}
	for i := range rb {
		row := Row{Commitment: rb[i].Commitment.ID, B: &rb[i]}
		if j := slices.IndexFunc(ra, func(r eval.Result) bool { return r.Commitment.ID == row.Commitment }); j >= 0 {
			row.A = &ra[j]
		}
		bt.Rows = append(bt.Rows, row)
	}
	for i := range ra {
		if !slices.ContainsFunc(rb, func(r eval.Result) bool { return r.Commitment.ID == ra[i].Commitment.ID }) {
			bt.Rows = append(bt.Rows, Row{Commitment: ra[i].Commitment.ID, A: &ra[i]})
		}
	}
	for _, r := range ra {
		tally(bt.A, 0, &r)
	}
	for _, r := range rb {
		tally(bt.B, 1, &r)
	}
}

// Sentence sums the backtest up: "Med 2023 års löfte hade 2022 slutat: 3
// ej uppfyllda i stället för 1."
func (bt *Backtest) Sentence() string { return bt.SentenceIn("sv") }

// SentenceIn is Sentence in lang: "sv" or "en" ("With the promise of
// 2023, 2022 would have ended: 3 missed instead of 1.").
func (bt *Backtest) SentenceIn(lang string) string {
	a, b := badText(bt.A), badText(bt.B)
	switch {
	case a == b:
	case bt.A[eval.Behind] == 0 && bt.A[eval.Missed] == 0:
		a = bi{"inga", "none"}
	case bt.A[eval.Behind] == 0 && bt.B[eval.Behind] == 0 && bt.B[eval.Missed] > 0:
		a = same(fmt.Sprint(bt.A[eval.Missed])) // "3 ej uppfyllda i stället för 1"
	}
	other := bi{bt.OtherIn("sv"), bt.OtherIn("en")}
	var s bi
	switch {
	case bt.Ended && a == b:
		s = say("Med %s hade %d slutat likadant: %s.", "With %s, %d would have ended the same: %s.", other, bt.Year, b)
	case bt.Ended:
		s = say("Med %s hade %d slutat: %s i stället för %s.", "With %s, %d would have ended: %s instead of %s.", other, bt.Year, b, a)
	case a == b:
		s = say("Med %s hade %d stått så här den %s likadant: %s.", "With %s, %d would have stood the same on %s: %s.", other, bt.Year, bt.AsOf, b)
	default:
		s = say("Med %s hade %d stått så här den %s: %s i stället för %s.", "With %s, %d would have stood on %s: %s instead of %s.",
			other, bt.Year, bt.AsOf, b, a)
	}
	return s.In(lang)
}

// badText counts the commitments missed and behind: "3 ej uppfyllda och
// 1 efter", or "inga efter eller ej uppfyllda".
func badText(m map[eval.Status]int) bi {
	var sv, en []string
	if n := m[eval.Missed]; n > 0 {
		w := "ej uppfyllda"
		if n == 1 {
			w = "ej uppfyllt"
		}
		sv, en = append(sv, fmt.Sprintf("%d %s", n, w)), append(en, fmt.Sprintf("%d missed", n))
	}
	if n := m[eval.Behind]; n > 0 {
		sv, en = append(sv, fmt.Sprintf("%d efter", n)), append(en, fmt.Sprintf("%d behind", n))
	}
	if len(sv) == 0 {
		return bi{"inga efter eller ej uppfyllda", "none behind or missed"}
	}
	return bi{strings.Join(sv, " och "), strings.Join(en, " and ")}
}
