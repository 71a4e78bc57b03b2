package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestBundledExample evaluates the project's own rules/ and data/ (the
// Mullsjö promise with made-up records) and checks the statuses that
// data/README.md lists.
func TestBundledExample(t *testing.T) {
	tests := []struct {
		name   string
		period string
		asOf   string
		want   map[string]string
	}{
		{
			name:   "2022 at 2022-08-31",
			period: "2022",
			asOf:   "2022-08-31",
			want: map[string]string{
				"droger.samverkan":             "met",
				"droger.utvardering":           "on_track",
				"droger.hundsok":               "on_track",
				"droger.sociala-insatsgrupper": "on_track",
				"droger.ledningsgrupp":         "on_track",
				"droger.kompetensutbildning":   "met",
				"droger.andt":                  "unassessed",
				"trafik.riktade":               "met",
				"trafik.kontroller":            "behind",
				"trafik.trafikbeslut":          "met",
				"skadegorelse.orsaksanalys":    "on_track",
				"skadegorelse.polisanmalan":    "on_track",
			},
		},
		{
			name:   "2022 after the year",
			period: "2022",
			asOf:   "2023-01-15",
			want: map[string]string{
				"droger.samverkan":             "met",
				"droger.utvardering":           "met",
				"droger.hundsok":               "met",
				"droger.sociala-insatsgrupper": "unassessed", // an interim assessment does not close the year (docs/reference.md §7)
				"droger.ledningsgrupp":         "met",
				"droger.kompetensutbildning":   "met",
				"droger.andt":                  "unassessed",
				"trafik.riktade":               "met",
				"trafik.kontroller":            "missed",
				"trafik.trafikbeslut":          "met",
				"skadegorelse.orsaksanalys":    "met",
				"skadegorelse.polisanmalan":    "unassessed",
			},
		},
		{
			name:   "2021, a finished year",
			period: "2021",
			asOf:   "2022-08-31",
			want: map[string]string{
				"droger.samverkan":             "met",
				"droger.utvardering":           "met",
				"droger.hundsok":               "met",
				"droger.sociala-insatsgrupper": "met",
				"droger.ledningsgrupp":         "missed",
				"droger.kompetensutbildning":   "met",
				"droger.andt":                  "met",
				"trafik.riktade":               "met",
				"trafik.kontroller":            "met",
				"trafik.trafikbeslut":          "met",
				"skadegorelse.orsaksanalys":    "met",
				"skadegorelse.polisanmalan":    "unassessed",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run([]string{"--repo", "../..", "evaluate", "--period", tt.period, "--as-of", tt.asOf, "--format", "json"}, &stdout, &stderr)
			if code != exitBad {
				t.Errorf("exit status %d, want %d (something behind or missed)\nstderr:\n%s", code, exitBad, stderr.String())
			}
			var rep struct {
				AsOf        string `json:"as_of"`
				Evaluations []struct {
					Promise     string `json:"promise"`
					Period      string `json:"period"`
					AsOf        string `json:"as_of"`
					Commitments []struct {
						ID     string `json:"id"`
						Status string `json:"status"`
					} `json:"commitments"`
				} `json:"evaluations"`
				Errors []struct {
					File    string `json:"file"`
					Line    int    `json:"line"`
					Message string `json:"message"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, stdout.String())
			}
			for _, e := range rep.Errors {
				t.Errorf("error in the bundled example: %s:%d: %s", e.File, e.Line, e.Message)
			}
			if rep.AsOf != tt.asOf {
				t.Errorf("as_of = %q, want %q", rep.AsOf, tt.asOf)
			}
			if len(rep.Evaluations) != 1 {
				t.Fatalf("%d evaluations, want 1 (the mullsjo promise)", len(rep.Evaluations))
			}
			ev := rep.Evaluations[0]
			if ev.Promise != "mullsjo" || ev.Period != tt.period || ev.AsOf != tt.asOf {
				t.Errorf("evaluation of %s for %s at %s, want mullsjo for %s at %s", ev.Promise, ev.Period, ev.AsOf, tt.period, tt.asOf)
			}
			got := map[string]string{}
			for _, c := range ev.Commitments {
				if _, dup := got[c.ID]; dup {
					t.Errorf("commitment %s listed twice", c.ID)
				}
				got[c.ID] = c.Status
			}
			for id, want := range tt.want {
				if g, ok := got[id]; !ok {
					t.Errorf("%s: missing", id)
				} else if g != want {
					t.Errorf("%s: status %s, want %s", id, g, want)
				}
			}
			for id := range got {
				if _, ok := tt.want[id]; !ok {
					t.Errorf("%s: not in data/README.md", id)
				}
			}
		})
	}
}
