package ruletest

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
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
// records that counted; then a summary line. lang is "sv" or "en".
func Text(w io.Writer, results []Result, lang string) error {
	en := lang == "en"
	say := func(sv, english string) string {
		if en {
			return english
		}
		return sv
	}
	var b strings.Builder
	for _, r := range results {
		t := r.Test
		if r.Pass() {
			fmt.Fprintf(&b, "ok    %s  %s\n", t.Pos, t.Name)
			continue
		}
		fmt.Fprintf(&b, "FAIL  %s  %s\n", t.Pos, t.Name)
		for _, d := range r.Errors {
			fmt.Fprintf(&b, "        %s\n", d.ErrorIn(lang))
		}
		for i, f := range r.Failures {
			what := ""
			switch f.What {
			case "status":
			case "value":
				what = say(" värde", " value")
			default:
				what = " " + f.What
			}
			fmt.Fprintf(&b, say("        %s:%s väntade %s, fick %s", "        %s:%s expected %s, got %s"), f.Commitment, what, word(lang, f.Want), word(lang, f.Got))
			if f.Detail != "" {
				fmt.Fprintf(&b, " (%s)", word(lang, f.Detail))
			}
			fmt.Fprintf(&b, "  [%s]\n", f.Pos)
			if i+1 < len(r.Failures) && r.Failures[i+1].Commitment == f.Commitment {
				continue // the records once per commitment
			}
			b.WriteString(say("          räknade poster: ", "          counted records: ") + countedText(f.Counted, say("inga", "none")) + "\n")
		}
	}
	passed, failed := Summary(results)
	switch {
	case len(results) == 0:
		b.WriteString(say("Inga regeltester hittades (rules/**/*_test.yaml).\n", "No rule tests found (rules/**/*_test.yaml).\n"))
	case failed == 0:
		fmt.Fprintf(&b, say("%s: alla godkända.\n", "%s: all passed.\n"), tests(len(results), say("tester", "tests")))
	default:
		fmt.Fprintf(&b, say("%s: %d godkända, %d underkända.\n", "%s: %d passed, %d failed.\n"), tests(len(results), say("tester", "tests")), passed, failed)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// english has the words of a failure in English: statuses and the
// few texts Run writes; figures and window names are as they are.
var english = func() map[string]string {
	m := map[string]string{
		"fel":                          "error",
		"regeln kunde inte utvärderas": "the rule could not be evaluated",
		"flera fönster":                "several windows",
		"inget sådant fönster":         "no such window",
		"inga":                         "none",
		"value går bara att pröva för en regel med ett fönster; använd windows": "value can only be tested for a rule with one window; use windows",
	}
	for s := eval.Missed; s <= eval.Met; s++ {
		m[s.Text("sv")] = s.Text("en")
	}
	return m
}()

// word is a text of a failure in lang.
func word(lang, s string) string {
	if lang != "en" {
		return s
	}
	if e, ok := english[s]; ok {
		return e
	}
	if rest, ok := strings.CutPrefix(s, "fönstren är "); ok {
		return "the windows are " + word(lang, rest)
	}
	if rest, ok := strings.CutPrefix(s, "fel: "); ok {
		return "error: " + diag.Translate(lang, rest)
	}
	// Figures ("2022-HT: 0 av 1, förväntat 0") read "0 of 1, expected 0",
	// with a decimal point.
	return decimalComma.ReplaceAllString(figuresEn.Replace(diag.Translate(lang, s)), "$1.$2")
}

var (
	figuresEn    = strings.NewReplacer(" av ", " of ", ", högst ", ", at most ", ", förväntat ", ", expected ")
	decimalComma = regexp.MustCompile(`(\d),(\d)`)
)

func countedText(cs []Counted, none string) string {
	if len(cs) == 0 {
		return none
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

func tests(n int, plural string) string {
	if n == 1 {
		return "1 test"
	}
	return fmt.Sprintf("%d %s", n, plural)
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
