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

	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/wire"
)

// JSON shapes of docs/reference.md §10. Keys and statuses are English.
type (
	jsonReport struct {
		AsOf        string         `json:"as_of"`
		Source      jsonSource     `json:"source"`
		Evaluations []jsonEval     `json:"evaluations"`
		Errors      []wire.Problem `json:"errors"`
		Warnings    []wire.Problem `json:"warnings,omitempty"`
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
		Since      string          `json:"since,omitempty"`
		Windows    []wire.Window   `json:"windows"`
		Assessment *jsonAssessment `json:"assessment,omitempty"`
		Error      string          `json:"error,omitempty"`
		// Provisional: behind only by records typically not recorded yet.
		Provisional bool      `json:"provisional,omitempty"`
		Lag         []jsonLag `json:"lag,omitempty"`
	}
	jsonAssessment struct {
		Date   string `json:"date"`
		Status string `json:"status"`
		Note   string `json:"note,omitempty"`
		File   string `json:"file"`
		Line   int    `json:"line,omitempty"`
		// Interim: the year has ended and this assessment is an interim
		// one, so the commitment is unassessed (docs/reference.md §7).
		Interim bool `json:"interim,omitempty"`
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
		Errors:      []wire.Problem{},
	}
	if o.Served {
		out.Source.Repo = filepath.Base(rep.Source.Root)
	}
	for _, ev := range rep.Evaluations {
		je, bad := jsonEvaluation(ev)
		out.Evaluations = append(out.Evaluations, je)
		out.Errors = append(out.Errors, bad...)
	}
	errs, warnings := wire.Problems(rep.Diags)
	out.Errors = append(out.Errors, errs...)
	if len(warnings) > 0 {
		out.Warnings = warnings
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
func jsonEvaluation(ev eval.Evaluation) (jsonEval, []wire.Problem) {
	var bad []wire.Problem
	je := jsonEval{
		Promise: ev.Promise.ID, Title: ev.Promise.Title,
		Period: strconv.Itoa(ev.Year), AsOf: ev.AsOf.String(),
		Commitments: []jsonCommitment{},
	}
	for _, res := range ev.Results {
		c := res.Commitment
		jc := jsonCommitment{
			ID: c.ID, Area: c.Area, Owner: c.Owner, Text: c.Text,
			Rule: strings.TrimSpace(c.Rule.Value), Status: res.Status, Since: wire.Since(res.Since), Windows: []wire.Window{},
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
			jc.Assessment = &jsonAssessment{Date: a.Date.String(), Status: res.Assessed.String(), Note: res.Note, File: a.Pos.File, Line: a.Pos.Line, Interim: res.Interim}
		}
		for _, w := range res.Windows {
			jw := wire.WindowOf(w)
			if !jw.Finite() {
				bad = append(bad, wire.Problem{Place: wire.PlaceOf(c.Rule.Pos(0)),
					Message: "åtagandet " + c.ID + ", " + w.Name + ": ett tal är inte ändligt och skrivs som null"})
			}
			jc.Windows = append(jc.Windows, jw)
		}
		je.Commitments = append(je.Commitments, jc)
	}
	return je, bad
}
