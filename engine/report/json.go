// Package report renders evaluation reports: text for people (Swedish by
// default), JSON for machines (docs/reference.md §10), the public HTML
// page with its burn-up charts, Markdown, JUnit for CI and the Prometheus
// text format for /metrics.
package report

import (
	"encoding/json"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
)

// JSON shapes of docs/reference.md §10. Keys and statuses are English.
type (
	jsonReport struct {
		AsOf        string     `json:"as_of"`
		Source      jsonSource `json:"source"`
		Evaluations []jsonEval `json:"evaluations"`
		Errors      []jsonDiag `json:"errors"`
		Warnings    []jsonDiag `json:"warnings,omitempty"`
	}
	jsonSource struct {
		Repo   string `json:"repo"`
		Commit string `json:"commit"`
		Dirty  bool   `json:"dirty"`
	}
	jsonEval struct {
		Promise     string           `json:"promise"`
		Title       string           `json:"title"`
		Period      string           `json:"period"`
		AsOf        string           `json:"as_of"`
		Commitments []jsonCommitment `json:"commitments"`
	}
	jsonCommitment struct {
		ID         string          `json:"id"`
		Area       string          `json:"area"`
		Owner      []string        `json:"owner"`
		Text       string          `json:"text,omitempty"`
		Rule       string          `json:"rule,omitempty"`
		Assess     string          `json:"assess,omitempty"`
		Status     eval.Status     `json:"status"`
		Windows    []jsonWindow    `json:"windows"`
		Assessment *jsonAssessment `json:"assessment,omitempty"`
		Error      string          `json:"error,omitempty"`
		// Provisional: behind only by records typically not recorded yet.
		Provisional bool      `json:"provisional,omitempty"`
		Lag         []jsonLag `json:"lag,omitempty"`
	}
	jsonWindow struct {
		Name     string       `json:"name"`
		Start    string       `json:"start"`
		End      string       `json:"end"`
		Group    string       `json:"group,omitempty"`
		Part     string       `json:"part,omitempty"`
		Status   eval.Status  `json:"status"`
		Value    *eval.Number `json:"value,omitempty"`
		Target   *eval.Number `json:"target,omitempty"`
		Expected *eval.Number `json:"expected,omitempty"`
		Error    string       `json:"error,omitempty"`
		// Provisional: behind only by records typically not recorded yet.
		Provisional bool `json:"provisional,omitempty"`
	}
	jsonAssessment struct {
		Date   string `json:"date"`
		Status string `json:"status"`
		Note   string `json:"note,omitempty"`
		File   string `json:"file"`
		Line   int    `json:"line,omitempty"`
	}
	jsonDiag struct {
		File    string `json:"file"`
		Line    int    `json:"line,omitempty"`
		Column  int    `json:"column,omitempty"`
		Message string `json:"message"`
		Hint    string `json:"hint,omitempty"`
	}
)

// JSON writes the report as docs/reference.md §10 describes it.
func JSON(w io.Writer, rep *eval.Report) error { return JSONWith(w, rep, JSONOptions{}) }

// JSONWith writes the report as JSON does, with what o adds.
func JSONWith(w io.Writer, rep *eval.Report, o JSONOptions) error {
	out := jsonReport{
		AsOf:        rep.AsOf.String(),
		Source:      jsonSource{Repo: rep.Source.Root, Commit: rep.Source.Commit, Dirty: rep.Source.Dirty},
		Evaluations: []jsonEval{},
		Errors:      []jsonDiag{},
	}
	if o.Served {
		out.Source.Repo = filepath.Base(rep.Source.Root)
	}
	for _, ev := range rep.Evaluations {
		je, bad := jsonEvaluation(ev)
		out.Evaluations = append(out.Evaluations, je)
		out.Errors = append(out.Errors, bad...)
	}
	for _, d := range rep.Diags {
		jd := jsonDiag{File: d.File, Line: d.Line, Column: d.Col, Message: d.Message, Hint: d.Hint}
		if d.Severity == diag.Warning {
			out.Warnings = append(out.Warnings, jd)
		} else {
			out.Errors = append(out.Errors, jd)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if o.Provenance != nil {
		return enc.Encode(withProvenance(out, rep, o))
	}
	return enc.Encode(out)
}

// jsonEvaluation is an evaluation in JSON, and an error for each window
// with a figure that is not finite, which is written null
// (docs/design.md, "Tal som inte kan skrivas").
func jsonEvaluation(ev eval.Evaluation) (jsonEval, []jsonDiag) {
	var bad []jsonDiag
	je := jsonEval{
		Promise: ev.Promise.ID, Title: ev.Promise.Title,
		Period: strconv.Itoa(ev.Year), AsOf: ev.AsOf.String(),
		Commitments: []jsonCommitment{},
	}
	for _, res := range ev.Results {
		c := res.Commitment
		jc := jsonCommitment{
			ID: c.ID, Area: c.Area, Owner: c.Owner, Text: c.Text,
			Rule: strings.TrimSpace(c.Rule.Value), Status: res.Status, Windows: []jsonWindow{},
		}
		if jc.Owner == nil {
			jc.Owner = []string{}
		}
		if c.Manual {
			jc.Assess = "manual"
		}
		if res.Broken {
			jc.Error = "regeln har fel och kunde inte utvärderas; se errors"
		}
		if res.Provisional {
			jc.Provisional, jc.Lag = true, jsonLags(res.Lags)
		}
		if a := res.Assessment; a != nil {
			jc.Assessment = &jsonAssessment{Date: a.Date.String(), Status: res.Status.String(), Note: res.Note, File: a.Pos.File, Line: a.Pos.Line}
		}
		for _, w := range res.Windows {
			jw := jsonWindow{Name: w.Name, Start: w.Start.String(), End: w.End.String(), Group: w.Group, Part: w.Part,
				Status: w.Status, Value: eval.NumberOf(w.Value), Target: eval.NumberOf(w.Target),
				Expected: eval.NumberOf(w.Expected), Provisional: w.Provisional}
			if w.Err != nil {
				jw.Error = w.Err.Error()
			}
			if !eval.FiniteAll(w.Value, w.Target, w.Expected) {
				pos := c.Rule.Pos(0)
				bad = append(bad, jsonDiag{File: pos.File, Line: pos.Line, Column: pos.Col,
					Message: "åtagandet " + c.ID + ", " + w.Name + ": ett tal är inte ändligt och skrivs som null"})
			}
			jc.Windows = append(jc.Windows, jw)
		}
		je.Commitments = append(je.Commitments, jc)
	}
	return je, bad
}
