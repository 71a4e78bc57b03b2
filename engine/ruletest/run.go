package ruletest

import (
	"fmt"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/explain"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/rule"
)

// Result is the outcome of one test.
type Result struct {
	Test     *Test
	Failures []Failure
	Errors   diag.List // the rule failed to evaluate
}

// Pass reports whether the test passed.
func (r Result) Pass() bool { return len(r.Failures) == 0 && r.Errors.Errors() == 0 }

// Failure is one expectation that did not hold.
type Failure struct {
	Commitment string
	Pos        diag.Pos // of the expectation
	What       string   // "status", "value" or the window's name
	Want, Got  string
	Detail     string    // the figures: "61 av 104, förväntat 69"
	Counted    []Counted // the records that counted
}

// Counted is a record of the test that counted, and how many times (a
// record with repeat: N counts N times).
type Counted struct {
	Record record.Record
	Times  int
}

// Run runs the tests on the repository's vocabulary, calendar and rules,
// each on its own records only.
func Run(r *repository.Repository, tests []*Test) []Result {
	out := make([]Result, 0, len(tests))
	for _, t := range tests {
		out = append(out, run(r, t))
	}
	return out
}

func run(r *repository.Repository, t *Test) Result {
	res := Result{Test: t}
	set := record.NewSet(t.Records)
	env := rule.NewEnv(r.Vocab)
	rules := r.Rules
	if t.Inline {
		rules = t.Rules
	}
	from, to := span(r.Calendar, t.Year)
	in := eval.Input{Vocab: r.Vocab, Calendar: r.Calendar, Tables: env.Tables(set, from, to), Records: set,
		Rules: rules, Limit: repository.RuleLimit}
	p := *t.Promise
	p.Commitments = nil
	byID := map[string]*promise.Commitment{}
	for _, e := range t.Expect {
		for _, c := range t.Promise.Commitments {
			if c.ID == e.Commitment && byID[c.ID] == nil {
				byID[c.ID] = c
				p.Commitments = append(p.Commitments, c)
			}
		}
	}
	ev := eval.Evaluate(in, &p, t.Year, t.AsOf, &res.Errors)
	results := map[string]eval.Result{}
	for _, rs := range ev.Results {
		results[rs.Commitment.ID] = rs
	}
	for _, e := range t.Expect {
		rs := results[e.Commitment]
		fs := compare(e, rs)
		if len(fs) > 0 {
			var errs diag.List
			x := explain.Commitment(in, rs.Commitment, rules[rs.Commitment], t.Year, t.AsOf, &errs)
			counted := countedOf(x)
			for i := range fs {
				fs[i].Counted = counted
			}
		}
		res.Failures = append(res.Failures, fs...)
	}
	return res
}

// compare checks one expectation against a result.
func compare(e Expectation, rs eval.Result) []Failure {
	var fs []Failure
	detail := figures(rs)
	if rs.Broken {
		return []Failure{{Commitment: e.Commitment, Pos: e.Pos, What: "status", Want: e.Status.Text("sv"), Got: "fel", Detail: "regeln kunde inte utvärderas"}}
	}
	if rs.Status != e.Status {
		fs = append(fs, Failure{Commitment: e.Commitment, Pos: e.Pos, What: "status", Want: e.Status.Text("sv"), Got: rs.Status.Text("sv"), Detail: detail})
	}
	if e.Value != nil {
		got, ok := single(rs)
		switch {
		case !ok:
			fs = append(fs, Failure{Commitment: e.Commitment, Pos: e.Pos, What: "value", Want: explain.Num(*e.Value),
				Got: "flera fönster", Detail: "value går bara att pröva för en regel med ett fönster; använd windows"})
		case got != *e.Value:
			fs = append(fs, Failure{Commitment: e.Commitment, Pos: e.Pos, What: "value", Want: explain.Num(*e.Value), Got: explain.Num(got), Detail: detail})
		}
	}
	for _, we := range e.Windows {
		w, ok := findWindow(rs, we.Name)
		switch {
		case !ok:
			fs = append(fs, Failure{Commitment: e.Commitment, Pos: we.Pos, What: we.Name, Want: we.Status.Text("sv"),
				Got: "inget sådant fönster", Detail: "fönstren är " + windowNames(rs)})
		case w.Status != we.Status:
			fs = append(fs, Failure{Commitment: e.Commitment, Pos: we.Pos, What: we.Name, Want: we.Status.Text("sv"),
				Got: w.Status.Text("sv"), Detail: windowFigures(w)})
		}
	}
	return fs
}

// single is the value of a result with one window that has one.
func single(rs eval.Result) (float64, bool) {
	var v *float64
	n := 0
	for _, w := range rs.Windows {
		if w.Value != nil {
			v, n = w.Value, n+1
		}
	}
	if n != 1 {
		return 0, false
	}
	return *v, true
}

func windowKey(w eval.Window) string {
	if w.Group == "" {
		return w.Name
	}
	return w.Name + " " + w.Group
}

// findWindow finds the window (or group) an expectation names: exactly,
// else without regard to case, as window names are read everywhere
// (docs/reference.md §5: 2022-vt is 2022-VT).
func findWindow(rs eval.Result, name string) (eval.Window, bool) {
	for _, match := range []func(a, b string) bool{
		func(a, b string) bool { return a == b },
		strings.EqualFold,
	} {
		for _, w := range rs.Windows {
			if match(windowKey(w), name) || w.Group != "" && match(w.Group, name) {
				return w, true
			}
		}
	}
	return eval.Window{}, false
}

func windowNames(rs eval.Result) string {
	var names []string
	for _, w := range rs.Windows {
		names = append(names, windowKey(w))
	}
	if len(names) == 0 {
		return "inga"
	}
	return strings.Join(names, ", ")
}

func figures(rs eval.Result) string {
	var parts []string
	for _, w := range rs.Windows {
		if f := windowFigures(w); f != "" {
			if len(rs.Windows) > 1 {
				f = windowKey(w) + ": " + f
			}
			parts = append(parts, f)
		}
	}
	return strings.Join(parts, "; ")
}

func windowFigures(w eval.Window) string {
	if w.Err != nil {
		return "fel: " + w.Err.Error()
	}
	if w.Value == nil || w.Target == nil {
		return ""
	}
	if w.Upper {
		return fmt.Sprintf("%s, högst %s", explain.Num(*w.Value), explain.Num(*w.Target))
	}
	s := fmt.Sprintf("%s av %s", explain.Num(*w.Value), explain.Num(*w.Target))
	if w.Expected != nil && w.Status != eval.Met && w.Status != eval.Missed {
		s += ", förväntat " + explain.Num(*w.Expected)
	}
	return s
}

func countedOf(x explain.Explanation) []Counted {
	var out []Counted
	at := map[diag.Pos]int{}
	for _, p := range x.Parts {
		n := map[diag.Pos]int{} // a record counts once per window of a part
		for _, w := range p.Windows {
			for _, c := range w.Counted {
				n[c.Record.Pos]++
				i, ok := at[c.Record.Pos]
				if !ok {
					i = len(out)
					at[c.Record.Pos] = i
					out = append(out, Counted{Record: c.Record})
				}
				out[i].Times = max(out[i].Times, n[c.Record.Pos])
			}
		}
	}
	if m := x.Manual; m != nil && m.Used != nil {
		out = append(out, Counted{Record: *m.Used, Times: 1})
	}
	return out
}

// span is the first and last day of any window of year.
func span(cal *calendar.Calendar, year int) (from, to calendar.Date) {
	from, to = cal.YearWindow(year).Start, cal.YearWindow(year).End
	for k := calendar.Year; k <= calendar.Term; k++ {
		if ws := cal.Windows(k, year); len(ws) > 0 {
			from, to = min(from, ws[0].Start), max(to, ws[len(ws)-1].End)
		}
	}
	return from, to
}
