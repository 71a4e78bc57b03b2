package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
)

// subject is what a change is about, for the text output.
func (ch Change) subject() bi {
	switch {
	case ch.Commitment != "":
		return same(ch.Commitment)
	case ch.What == "activity" || ch.What == "field":
		return bi{"aktivitetstyper", "activity types"}
	case ch.What == "term":
		return bi{"kalendern", "the calendar"}
	case ch.What == "promise" && ch.Kind == Changed:
		return say("löftet %s", "promise %s", ch.Old)
	case ch.What == "promise":
		return bi{"löften", "promises"}
	}
	return say("löftet %s", "promise %s", ch.Promise)
}

// Text writes the differences, one line each ("trafik.kontroller: målet
// höjs från 104 till 120 per år"), then the backtest if there is one.
func Text(w io.Writer, d Diff, bt *Backtest) error { return TextIn(w, d, bt, "sv") }

// TextIn is Text in lang: "sv" (Swedish, as Text) or "en" (English). Ids,
// names, rules and texts are written as they are, and dates as
// YYYY-MM-DD.
func TextIn(w io.Writer, d Diff, bt *Backtest, lang string) error {
	if lang != "en" {
		lang = "sv"
	}
	var b strings.Builder
	put := func(sv, en string, args ...any) { b.WriteString(say(sv, en, args...).In(lang)) }
	switch {
	case d.Same:
		put("Samma löfte gäller %s och %s: inga skillnader.\n", "The same promise governs %s and %s: no differences.\n", d.A, d.B)
	case len(d.Changes) == 0:
		put("Inga skillnader mellan %s och %s.\n", "No differences between %s and %s.\n", d.A, d.B)
	default:
		put("Från %s till %s:\n", "From %s to %s:\n", d.A, d.B)
		for _, ch := range d.Changes {
			fmt.Fprintf(&b, "  %s: %s\n", ch.subject().In(lang), ch.TextIn(lang))
			if ch.What == "text" {
				put("      före:  %s\n      efter: %s\n", "      before: %s\n      after:  %s\n", norm(ch.Old), norm(ch.New))
			}
		}
	}
	if bt != nil {
		backtestText(&b, bt, lang)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func backtestText(b *strings.Builder, bt *Backtest, lang string) {
	other := bt.OtherIn(lang)
	b.WriteString(say("\nBacktest: %s på %d års poster, utvärderat %s\n", "\nBacktest: %s on the records of %d, evaluated %s\n",
		other, bt.Year, bt.AsOf).In(lang))
	rows := [][3]string{{bi{"åtagande", "commitment"}.In(lang), bt.Own, say("med %s", "with %s", other).In(lang)}}
	for _, r := range bt.Rows {
		rows = append(rows, [3]string{r.Commitment, resultText(r.A, lang), resultText(r.B, lang)})
	}
	var w [3]int
	for _, r := range rows {
		for i, c := range r {
			w[i] = max(w[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		line := "  " + pad(r[0], w[0]) + "  " + pad(r[1], w[1]) + "  " + r[2]
		fmt.Fprintf(b, "%s\n", strings.TrimRight(line, " "))
	}
	fmt.Fprintf(b, "%s\n", bt.SentenceIn(lang))
}

func pad(s string, n int) string { return s + strings.Repeat(" ", n-utf8.RuneCountInString(s)) }

// resultText is a result in a few words: "✓ uppfyllt 110 av 104".
func resultText(r *eval.Result, lang string) string {
	if r == nil {
		return "–"
	}
	if r.Broken {
		return bi{"! fel", "! error"}.In(lang)
	}
	s := r.Status.Symbol() + " " + r.Status.Text(lang)
	if f := figures(r).In(lang); f != "" {
		s += " " + f
	}
	return s
}

func figures(r *eval.Result) bi {
	var withValue []eval.Window
	met, grouped := 0, false
	for _, w := range r.Windows {
		if w.Value != nil && w.Target != nil {
			withValue = append(withValue, w)
		}
		if w.Status == eval.Met {
			met++
		}
		grouped = grouped || w.Group != ""
	}
	switch {
	case len(withValue) == 1 && len(r.Windows) == 1:
		w := withValue[0]
		if w.Upper {
			return say("%s, högst %s", "%s, at most %s", number(*w.Value), number(*w.Target))
		}
		return say("%s av %s", "%s of %s", number(*w.Value), number(*w.Target))
	case len(r.Windows) > 1 && grouped: // per FIELD: a value of the field each, in each window
		return say("(%d av %d delar uppfyllda)", "(%d of %d parts met)", met, len(r.Windows))
	case len(r.Windows) > 1:
		return say("(%d av %d fönster uppfyllda)", "(%d of %d windows met)", met, len(r.Windows))
	}
	return bi{}
}

type (
	jsonOut struct {
		A        string        `json:"a"`
		B        string        `json:"b"`
		Same     bool          `json:"same"`
		Changes  []Change      `json:"changes"`
		Backtest *jsonBacktest `json:"backtest,omitempty"`
	}
	jsonBacktest struct {
		Period   string         `json:"period"`
		AsOf     string         `json:"as_of"`
		Ended    bool           `json:"ended"`
		Own      string         `json:"own"`
		Other    string         `json:"other"`
		Rows     []jsonRow      `json:"commitments"`
		A        map[string]int `json:"a_statuses"`
		B        map[string]int `json:"b_statuses"`
		Sentence string         `json:"summary"`
		Errors   []jsonDiag     `json:"errors"`
	}
	jsonRow struct {
		Commitment string      `json:"commitment"`
		A          *jsonResult `json:"a"`
		B          *jsonResult `json:"b"`
	}
	jsonResult struct {
		Status eval.Status `json:"status"`
		Error  bool        `json:"error,omitempty"`
		Value  *float64    `json:"value,omitempty"`
		Target *float64    `json:"target,omitempty"`
	}
	jsonDiag struct {
		File    string `json:"file"`
		Line    int    `json:"line,omitempty"`
		Column  int    `json:"column,omitempty"`
		Message string `json:"message"`
		Hint    string `json:"hint,omitempty"`
	}
)

// JSON writes the differences, and the backtest if there is one.
func JSON(w io.Writer, d Diff, bt *Backtest) error {
	out := jsonOut{A: d.A, B: d.B, Same: d.Same, Changes: d.Changes}
	if out.Changes == nil {
		out.Changes = []Change{}
	}
	if bt != nil {
		jb := &jsonBacktest{Period: fmt.Sprint(bt.Year), AsOf: bt.AsOf.String(), Ended: bt.Ended, Own: bt.Own, Other: bt.Other,
			Rows: []jsonRow{}, A: statusCounts(bt.A), B: statusCounts(bt.B), Sentence: bt.Sentence(), Errors: []jsonDiag{}}
		for _, r := range bt.Rows {
			jb.Rows = append(jb.Rows, jsonRow{Commitment: r.Commitment, A: jsonRes(r.A), B: jsonRes(r.B)})
		}
		for _, e := range bt.Diags {
			if e.Severity == diag.Error {
				jb.Errors = append(jb.Errors, jsonDiag{File: e.File, Line: e.Line, Column: e.Col, Message: e.Message, Hint: e.Hint})
			}
		}
		out.Backtest = jb
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func statusCounts(m map[eval.Status]int) map[string]int {
	out := map[string]int{}
	for s, n := range m {
		out[s.String()] = n
	}
	return out
}

func jsonRes(r *eval.Result) *jsonResult {
	if r == nil {
		return nil
	}
	jr := &jsonResult{Status: r.Status, Error: r.Broken}
	if len(r.Windows) == 1 {
		jr.Value, jr.Target = r.Windows[0].Value, r.Windows[0].Target
	}
	return jr
}
