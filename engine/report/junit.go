package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lofte/lofte/engine/eval"
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
		Skipped  int          `xml:"skipped,attr"`
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
// that could not be evaluated is an error; pending and unassessed
// commitments are skipped; the rest pass. Messages are in lang (sv or en).
func JUnit(w io.Writer, rep *eval.Report, lang string) error {
	if lang != "en" {
		lang = "sv"
	}
	t := &textWriter{o: TextOptions{Lang: lang}, word: words[lang]}
	out := junitSuites{Name: "lofte"}
	for _, ev := range rep.Evaluations {
		s := t.junitSuite(rep, ev)
		out.Suites = append(out.Suites, s)
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
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
			s += fmt.Sprintf(" %s/%s", num(*w.Value), num(*w.Target))
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
