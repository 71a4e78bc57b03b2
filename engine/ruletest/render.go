package ruletest

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/lofte/lofte/engine/diag"
)

// Summary counts the results: passed and failed.
func Summary(results []Result) (passed, failed int) {
	for _, r := range results {
		if r.Pass() {
			passed++
		} else {
			failed++
		}
	}
	return passed, failed
}

// Text writes one line per test (ok or FAIL with its place and name), and
// for a failure what was expected and what came, with the figures and the
// records that counted; then a summary line.
func Text(w io.Writer, results []Result) error {
	var b strings.Builder
	for _, r := range results {
		t := r.Test
		if r.Pass() {
			fmt.Fprintf(&b, "ok    %s  %s\n", t.Pos, t.Name)
			continue
		}
		fmt.Fprintf(&b, "FAIL  %s  %s\n", t.Pos, t.Name)
		for _, d := range r.Errors {
			fmt.Fprintf(&b, "        %s\n", d.Error())
		}
		for i, f := range r.Failures {
			what := ""
			switch f.What {
			case "status":
			case "value":
				what = " värde"
			default:
				what = " " + f.What
			}
			fmt.Fprintf(&b, "        %s:%s väntade %s, fick %s", f.Commitment, what, f.Want, f.Got)
			if f.Detail != "" {
				fmt.Fprintf(&b, " (%s)", f.Detail)
			}
			fmt.Fprintf(&b, "  [%s]\n", f.Pos)
			if i+1 < len(r.Failures) && r.Failures[i+1].Commitment == f.Commitment {
				continue // the records once per commitment
			}
			b.WriteString("          räknade poster: " + countedText(f.Counted) + "\n")
		}
	}
	passed, failed := Summary(results)
	switch {
	case len(results) == 0:
		b.WriteString("Inga regeltester hittades (rules/**/*_test.yaml).\n")
	case failed == 0:
		fmt.Fprintf(&b, "%s: alla godkända.\n", tests(len(results)))
	default:
		fmt.Fprintf(&b, "%s: %d godkända, %d underkända.\n", tests(len(results)), passed, failed)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func countedText(cs []Counted) string {
	if len(cs) == 0 {
		return "inga"
	}
	var recs []string
	for _, c := range cs {
		s := fmt.Sprintf("%s (%s)", c.Record.Pos, c.Record.Date)
		if c.Times > 1 {
			s += fmt.Sprintf(" ×%d", c.Times)
		}
		recs = append(recs, s)
	}
	return strings.Join(recs, ", ")
}

func tests(n int) string {
	if n == 1 {
		return "1 test"
	}
	return fmt.Sprintf("%d tester", n)
}

type (
	jsonOut struct {
		Passed int        `json:"passed"`
		Failed int        `json:"failed"`
		Tests  []jsonTest `json:"tests"`
		Errors []jsonDiag `json:"errors"`
	}
	jsonTest struct {
		Name     string        `json:"name"`
		File     string        `json:"file"`
		Line     int           `json:"line"`
		Passed   bool          `json:"passed"`
		Failures []jsonFailure `json:"failures,omitempty"`
		Errors   []jsonDiag    `json:"errors,omitempty"`
	}
	jsonFailure struct {
		Commitment string        `json:"commitment"`
		What       string        `json:"what"`
		Want       string        `json:"want"`
		Got        string        `json:"got"`
		Detail     string        `json:"detail,omitempty"`
		Line       int           `json:"line"`
		Counted    []jsonCounted `json:"counted"`
	}
	jsonCounted struct {
		File  string `json:"file"`
		Line  int    `json:"line"`
		Date  string `json:"date"`
		Times int    `json:"times"`
	}
	jsonDiag struct {
		File    string `json:"file"`
		Line    int    `json:"line,omitempty"`
		Column  int    `json:"column,omitempty"`
		Message string `json:"message"`
		Hint    string `json:"hint,omitempty"`
	}
)

// JSON writes the results, and the problems of the test files, for
// machines.
func JSON(w io.Writer, results []Result, errs diag.List) error {
	out := jsonOut{Tests: []jsonTest{}, Errors: diags(errs)}
	out.Passed, out.Failed = Summary(results)
	for _, r := range results {
		jt := jsonTest{Name: r.Test.Name, File: r.Test.Pos.File, Line: r.Test.Pos.Line, Passed: r.Pass(), Errors: diags(r.Errors)}
		for _, f := range r.Failures {
			jf := jsonFailure{Commitment: f.Commitment, What: f.What, Want: f.Want, Got: f.Got, Detail: f.Detail,
				Line: f.Pos.Line, Counted: []jsonCounted{}}
			for _, c := range f.Counted {
				jf.Counted = append(jf.Counted, jsonCounted{File: c.Record.Pos.File, Line: c.Record.Pos.Line, Date: c.Record.Date.String(), Times: c.Times})
			}
			jt.Failures = append(jt.Failures, jf)
		}
		out.Tests = append(out.Tests, jt)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func diags(l diag.List) []jsonDiag {
	out := []jsonDiag{}
	for _, d := range l {
		out = append(out, jsonDiag{File: d.File, Line: d.Line, Column: d.Col, Message: d.Message, Hint: d.Hint})
	}
	return out
}
