package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
)

// The JUnit XML shapes that CI systems read (Jenkins, GitLab, GitHub
// actions that publish test results).
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Skipped    int             `xml:"skipped,attr"`
		Time       string          `xml:"time,attr"`
		Timestamp  string          `xml:"timestamp,attr"`
		Properties []junitProperty `xml:"properties>property"`
		Cases      []junitCase     `xml:"testcase"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitProblem `xml:"failure"`
		Error     *junitProblem `xml:"error"`
		Skipped   *junitProblem `xml:"skipped"`
		SystemOut *junitText    `xml:"system-out"`
	}
	junitText struct {
		Text string `xml:",cdata"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr,omitempty"`
		Text    string `xml:",cdata"`
	}
)

// JUnit writes the report as JUnit XML: one test suite per promise and
// year, one test case per commitment. Behind and missed are failures
// whose message is the status and the figures that make it so; a rule
// that could not be evaluated is an error with its rule's errors at
// file:line:column; pending and unassessed commitments are skipped; the
// rest pass. Errors in the files come first, in a suite of their own
// ("filer", "files"): a test case per file with an <error> whose message
// is the first error at file:line:column and whose text lists them all,
// so that a CI system shows why a run is red. Messages are in lang (sv or
// en); the errors themselves are as the files' check gives them.
//
// The attributes are those of the common JUnit schema (the one Jenkins
// and GitLab read): no skipped on <testsuites>.
func JUnit(w io.Writer, rep *eval.Report, lang string) error {
	if lang != "en" {
		lang = "sv"
	}
	t := &textWriter{o: TextOptions{Lang: lang}, word: words[lang]}
	out := junitSuites{Name: "lofte"}
	suites := make([]junitSuite, 0, len(rep.Evaluations)+1)
	if s, ok := fileSuite(rep, lang); ok {
		suites = append(suites, s)
	}
	for _, ev := range rep.Evaluations {
		suites = append(suites, t.junitSuite(rep, ev))
	}
	for _, s := range suites {
		out.Suites = append(out.Suites, s)
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func (t *textWriter) junitSuite(rep *eval.Report, ev eval.Evaluation) junitSuite {
	year := strconv.Itoa(ev.Year)
	s := junitSuite{
		Name: ev.Promise.ID + " " + year, Time: "0",
		Timestamp: ev.AsOf.String() + "T00:00:00",
		Properties: []junitProperty{
			{"promise", ev.Promise.ID}, {"title", ev.Promise.Title}, {"period", year},
			{"as_of", ev.AsOf.String()}, {"commit", rep.Source.Commit},
			{"dirty", strconv.FormatBool(rep.Source.Dirty)},
		},
	}
	t.asOf = ev.AsOf
	for _, res := range ev.Results {
		c := junitCase{Name: res.Commitment.ID, Classname: ev.Promise.ID + "." + year + "." + res.Commitment.Area, Time: "0"}
		text := t.caseText(res)
		switch {
		case res.Broken:
			c.Error = &junitProblem{Message: t.word["broken"], Type: "error"}
			if errs := ruleErrors(rep.Diags, res.Commitment); len(errs) > 0 {
				c.Error.Message = errs[0].Error()
				c.Error.Text = diagLines(errs)
			}
			s.Errors++
		case res.Status.Bad():
			c.Failure = &junitProblem{Message: t.reason(res), Type: res.Status.String(), Text: text}
			s.Failures++
		case res.Status == eval.Pending || res.Status == eval.Unassessed:
			c.Skipped = &junitProblem{Message: t.reason(res)}
			s.Skipped++
		}
		if c.Failure == nil {
			c.SystemOut = &junitText{text}
		}
		s.Cases = append(s.Cases, c)
		s.Tests++
	}
	return s
}

// fileSuite is the suite of the errors in the files: a test case per file
// that has one; false when no file has an error.
func fileSuite(rep *eval.Report, lang string) (junitSuite, bool) {
	byFile := map[string]diag.List{}
	var files []string
	for _, d := range rep.Diags {
		if d.Severity != diag.Error {
			continue
		}
		if _, ok := byFile[d.File]; !ok {
			files = append(files, d.File)
		}
		byFile[d.File] = append(byFile[d.File], d)
	}
	if len(files) == 0 {
		return junitSuite{}, false
	}
	sort.Strings(files)
	name, repo := "filer", "(förrådet)"
	if lang == "en" {
		name, repo = "files", "(repository)"
	}
	s := junitSuite{Name: name, Time: "0", Timestamp: rep.AsOf.String() + "T00:00:00"}
	if rep.Source != nil {
		s.Properties = []junitProperty{{"commit", rep.Source.Commit}, {"dirty", strconv.FormatBool(rep.Source.Dirty)}}
	}
	for _, f := range files {
		errs := byFile[f]
		errs.Sort()
		c := junitCase{Name: f, Classname: "lofte." + name, Time: "0",
			Error: &junitProblem{Message: errs[0].Error(), Type: "error", Text: diagLines(errs)}}
		if f == "" {
			c.Name = repo
		}
		s.Cases = append(s.Cases, c)
		s.Tests++
		s.Errors++
	}
	return s, true
}

// ruleErrors are the errors in the rule of c: those in its file on the
// lines its rule text spans.
func ruleErrors(l diag.List, c *promise.Commitment) diag.List {
	first, last := c.Rule.Pos(0), c.Rule.Pos(len([]rune(c.Rule.Value)))
	if first.File == "" {
		first, last = c.Pos, c.Pos
	}
	var out diag.List
	for _, d := range l {
		if d.Severity == diag.Error && d.File == first.File && d.Line >= first.Line && d.Line <= last.Line {
			out = append(out, d)
		}
	}
	return out
}

// diagLines is one problem a line, each with its place.
func diagLines(l diag.List) string {
	var b strings.Builder
	for _, d := range l {
		b.WriteString(d.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

// reason is the status in words and what makes it so: the figures of the
// windows that are behind or missed, else all of them.
func (t *textWriter) reason(res eval.Result) string {
	word := t.statusWords(res, t.asOf)
	if next := t.nextOf(res); next != "" {
		return t.reasonFigures(res, word) + "; " + next
	}
	return t.reasonFigures(res, word)
}

func (t *textWriter) reasonFigures(res eval.Result, word string) string {
	if res.Commitment.Manual {
		return t.withDetail(word, t.detail(res))
	}
	var bad []eval.Window
	for _, w := range res.Windows {
		if w.Status == res.Status {
			bad = append(bad, w)
		}
	}
	if len(bad) == 0 || len(bad) == len(res.Windows) {
		return t.withDetail(word, t.detail(res))
	}
	var parts []string
	for _, w := range bad {
		s := t.label(w)
		if w.Value != nil && w.Target != nil {
			s += fmt.Sprintf(" %s/%s", numLang(*w.Value, t.o.Lang), numLang(*w.Target, t.o.Lang))
		}
		parts = append(parts, s)
	}
	return word + ": " + strings.Join(parts, "  ")
}

func (t *textWriter) withDetail(word, detail string) string {
	if detail == "" {
		return word
	}
	return word + ": " + detail
}

// caseText is the commitment as the text report would show it, with its
// signed text and rule: what a CI system shows under a test case.
func (t *textWriter) caseText(res eval.Result) string {
	var b strings.Builder
	c := res.Commitment
	fmt.Fprintf(&b, "%s %s", res.Status.Symbol(), res.Status.Text(t.o.Lang))
	if !res.Broken {
		if d := t.detail(res); d != "" {
			fmt.Fprintf(&b, "  %s", d)
		}
	}
	b.WriteString("\n")
	if c.Text != "" {
		fmt.Fprintf(&b, "%s\n", c.Text)
	}
	if r := strings.TrimSpace(c.Rule.Value); r != "" {
		fmt.Fprintf(&b, "rule: %s\n", r)
	}
	return b.String()
}
