package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/history"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/wire"
)

// JSONOptions add to the JSON report.
type JSONOptions struct {
	// Provenance, when set, adds the commit that added each record of
	// the evaluated years (`records`), the recording lags (`lag`) and the
	// history read (`provenance`).
	Provenance *history.Provenance
	// Records are the records to list; with Provenance.
	Records *record.Set
	// Served names the repository by its folder's name only, as a page or
	// API served over HTTP does (docs/reference.md §10): the server's
	// paths are not the public's business.
	Served bool
}

type (
	jsonLag struct {
		Type       string `json:"type"`
		Title      string `json:"title,omitempty"`
		MedianDays int    `json:"median_days"`
		P90Days    int    `json:"p90_days"`
		Records    int    `json:"records"`
	}
	// jsonRecordOrigin keeps the order of keys it was first written
	// with (type before date), and a commit without a short hash.
	jsonRecordOrigin struct {
		wire.Place
		Type        string       `json:"type"`
		Date        string       `json:"date"`
		By          []string     `json:"by"`
		Commit      *wire.Commit `json:"commit,omitempty"` // the committer date, in Sweden
		Uncommitted bool         `json:"uncommitted,omitempty"`
	}
	jsonHistory struct {
		Commit  string `json:"commit"`
		Commits int    `json:"commits"`
		Walked  int    `json:"walked"`
	}
	// jsonProvenanceReport is the report with --provenance.
	jsonProvenanceReport struct {
		jsonReport
		Provenance jsonHistory        `json:"provenance"`
		Lag        []jsonLag          `json:"lag"`
		Records    []jsonRecordOrigin `json:"records"`
	}
)

func jsonLags(ls []eval.Lag) []jsonLag {
	out := []jsonLag{}
	for _, l := range ls {
		out = append(out, jsonLag{Type: l.Type, Title: l.Title, MedianDays: l.Median, P90Days: l.P90, Records: l.Records})
	}
	return out
}

// withProvenance adds the provenance of every record dated in the
// evaluated years, in date order by type.
func withProvenance(out jsonReport, rep *eval.Report, o JSONOptions) jsonProvenanceReport {
	p := o.Provenance
	h := p.History
	jp := jsonProvenanceReport{jsonReport: out, Lag: jsonLags(p.SortedLags()), Records: []jsonRecordOrigin{},
		Provenance: jsonHistory{Commit: h.Tip, Commits: len(h.Commits), Walked: h.Walked}}
	years := map[int]bool{}
	for _, y := range rep.Period.Years() {
		years[y] = true
	}
	for _, typ := range o.Records.Types() {
		recs := o.Records.Of(typ)
		for i := range recs {
			rec := &recs[i]
			if !years[rec.Date.Year()] {
				continue
			}
			jr := jsonRecordOrigin{Place: wire.PlaceOf(rec.Pos), Type: rec.Type, Date: rec.Date.String(), By: rec.By}
			if c, ok := p.Origin(rec); ok {
				jr.Commit = &wire.Commit{Hash: c.Hash, Author: c.Author, Email: c.Email, Date: calendar.Today(c.When).String()}
			} else {
				jr.Uncommitted = true
			}
			jp.Records = append(jp.Records, jr)
		}
	}
	return jp
}

// provisionalText is the flag of a provisional status: "(preliminärt:
// 90 % av posterna för trafikkontroll registreras inom 12 dagar)".
func provisionalText(ls []eval.Lag, lang string) string {
	var parts []string
	for _, l := range ls {
		title := lowerFirst(l.Title)
		if lang == "en" {
			parts = append(parts, fmt.Sprintf("90%% of %s records are recorded within %d days", title, l.P90))
		} else {
			parts = append(parts, fmt.Sprintf("90 %% av posterna för %s registreras inom %d dagar", title, l.P90))
		}
	}
	word, and := "preliminärt", " och "
	if lang == "en" {
		word, and = "provisional", " and "
	}
	return "(" + word + ": " + strings.Join(parts, and) + ")"
}

// provisionalSentence is the flag as a sentence, for the HTML page:
// "Preliminärt: 90 % av posterna för trafikkontroll registreras inom 12 dagar."
func provisionalSentence(ls []eval.Lag, lang string) string {
	s := strings.TrimSuffix(strings.TrimPrefix(provisionalText(ls, lang), "(p"), ")")
	return "P" + s + "."
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if next, _ := utf8.DecodeRuneInString(s[n:]); r == utf8.RuneError || unicode.IsUpper(next) { // an acronym stays
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
