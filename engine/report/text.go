package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
)

// TextOptions choose the language and whether to colour.
type TextOptions struct {
	Lang  string // "sv" (default) or "en"
	Color bool   // ANSI colours; the symbol and word carry the status regardless
}

var words = map[string]map[string]string{
	"sv": {
		"period": "Period", "asof": "utvärderat", "commit": "commit", "dirty": "med ändringar som inte är incheckade",
		"nocommit": "ingen commit", "of": "av", "expected": "förväntat", "max": "högst", "summary": "Summering",
		"assessed": "bedömt", "noassessment": "ingen bedömning", "windows": "fönster", "error": "fel",
		"noeval": "Inget att utvärdera.", "nofinal": "slutbedömning saknas", "interim": "delbedömning", "broken": "regeln har fel och kunde inte utvärderas (se felen ovan)",
	},
	"en": {
		"period": "Period", "asof": "evaluated", "commit": "commit", "dirty": "with uncommitted changes",
		"nocommit": "no commit", "of": "of", "expected": "expected", "max": "at most", "summary": "Summary",
		"assessed": "assessed", "noassessment": "no assessment", "windows": "windows", "error": "error",
		"noeval": "Nothing to evaluate.", "nofinal": "final assessment missing", "interim": "interim assessment", "broken": "the rule has errors and could not be evaluated (see above)",
	},
}

var colors = map[eval.Status]string{
	eval.Met: "\x1b[32m", eval.OnTrack: "\x1b[36m", eval.Behind: "\x1b[33m", eval.Missed: "\x1b[31m",
}

type textWriter struct {
	w    io.Writer
	o    TextOptions
	word map[string]string
	err  error
	sw   int           // the width of the status column of the evaluation
	asOf calendar.Date // its evaluation date
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

// Text writes the report for people: per promise and year a header, the
// commitments grouped by area, one line each with the status as symbol
// and word, the figures, and the windows of `per` rules.
func Text(w io.Writer, rep *eval.Report, o TextOptions) error {
	if o.Lang != "en" {
		o.Lang = "sv"
	}
	t := &textWriter{w: w, o: o, word: words[o.Lang]}
	if len(rep.Evaluations) == 0 {
		t.printf("%s\n", t.word["noeval"])
	}
	for i, ev := range rep.Evaluations {
		if i > 0 {
			t.printf("\n")
		}
		t.evaluation(rep, ev)
	}
	if rep.Bad() && rep.Diags.Errors() == 0 {
		t.printf("\n%s\n", exitText(o.Lang))
	}
	return t.err
}

func (t *textWriter) evaluation(rep *eval.Report, ev eval.Evaluation) {
	p := ev.Promise
	title := p.Title
	if title == "" {
		title = p.ID
	}
	t.printf("%s (%s)\n", title, p.ID)
	commit := t.word["nocommit"]
	if c := rep.Source.Commit; c != "" {
		commit = t.word["commit"] + " " + c[:min(7, len(c))]
	}
	if rep.Source.Dirty {
		commit += " (" + t.word["dirty"] + ")"
	}
	t.printf("%s %d · %s %s · %s\n", t.word["period"], ev.Year, t.word["asof"], ev.AsOf, commit)
	idw, sw := 0, 0
	for _, r := range ev.Results {
		idw = max(idw, utf8.RuneCountInString(r.Commitment.ID))
		sw = max(sw, utf8.RuneCountInString(t.statusWords(r, ev.AsOf)))
	}
	t.sw, t.asOf = sw, ev.AsOf
	for _, area := range areas(ev) {
		t.printf("\n%s\n", p.AreaTitle(area))
		for _, r := range ev.Results {
			if r.Commitment.Area == area {
				t.result(r, idw)
			}
		}
	}
	t.printf("\n%s: %s\n", t.word["summary"], t.summary(ev))
}

// areas lists the areas in the order they first appear.
func areas(ev eval.Evaluation) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range ev.Results {
		if !seen[r.Commitment.Area] {
			seen[r.Commitment.Area] = true
			out = append(out, r.Commitment.Area)
		}
	}
	return out
}

// statusWords is a result's status in words with since: "efter sedan 22 jan".
func (t *textWriter) statusWords(r eval.Result, asOf calendar.Date) string {
	if r.Broken {
		return t.word["error"]
	}
	s := r.Status.Text(t.o.Lang)
	if since := SinceText(r.Since, asOf, t.o.Lang); since != "" {
		s += " " + since
	}
	return s
}

func (t *textWriter) status(r eval.Result) string {
	words := t.statusWords(r, t.asOf)
	word := r.Status.Symbol() + " " + words + strings.Repeat(" ", max(12, t.sw)-utf8.RuneCountInString(words))
	if c, ok := colors[r.Status]; ok && t.o.Color {
		return c + word + "\x1b[0m"
	}
	return word
}

func (t *textWriter) result(r eval.Result, idw int) {
	id := r.Commitment.ID + strings.Repeat(" ", idw-utf8.RuneCountInString(r.Commitment.ID))
	if r.Broken {
		t.printf("  ! %s %s  %s\n", t.word["error"]+strings.Repeat(" ", max(12, t.sw)-utf8.RuneCountInString(t.word["error"])), id, t.word["broken"])
		return
	}
	detail := t.detail(r)
	if r.Provisional {
		detail += "  " + provisionalText(r.Lags, t.o.Lang)
	}
	t.printf("%s\n", strings.TrimRight(fmt.Sprintf("  %s %s  %s", t.status(r), id, detail), " "))
	indent := strings.Repeat(" ", 2+2+max(12, t.sw)+1+idw+2)
	for _, line := range t.nextLines(r) {
		t.printf("%s%s\n", indent, line)
	}
}

// nextLines say, for each running window of a `>=` count, what it still
// needs and where its pace ends; a window of several is named.
func (t *textWriter) nextLines(r eval.Result) []string {
	var out []string
	for _, w := range r.Windows {
		if w.Next == nil || w.Target == nil {
			continue
		}
		label := ""
		if len(r.Windows) > 1 {
			label = strings.TrimSuffix(t.label(w), " "+w.Status.Symbol()) + ": "
		}
		out = append(out, label+NextText(w.Next, *w.Target, w.End, t.o.Lang))
	}
	return out
}

// nextOf is nextLines on one line.
func (t *textWriter) nextOf(r eval.Result) string { return strings.Join(t.nextLines(r), "; ") }

// detail is the figures of a result: value of target and expected for one
// window, the windows of a `per` rule, or a manual assessment.
func (t *textWriter) detail(r eval.Result) string {
	if r.Commitment.Manual {
		if r.Assessment == nil {
			return fmt.Sprintf("(%s)", t.word["noassessment"])
		}
		s := fmt.Sprintf("%s %s", t.word["assessed"], r.Assessment.Date)
		if r.Interim {
			s = fmt.Sprintf("%s; %s %s (%s)", t.word["nofinal"], t.word["interim"], r.Assessment.Date, r.Assessed.Text(t.o.Lang))
		}
		if r.Note != "" {
			s += ": " + r.Note
		}
		return s
	}
	var parts []string
	for _, g := range groupParts(r.Windows) {
		if s := t.part(g); s != "" { // a general expression's part has no figures
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}

// groupParts splits windows by the comparison they belong to.
func groupParts(ws []eval.Window) [][]eval.Window {
	var out [][]eval.Window
	for i, w := range ws {
		if i == 0 || w.Part != ws[i-1].Part {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], w)
	}
	return out
}

func (t *textWriter) part(ws []eval.Window) string {
	if len(ws) == 1 && ws[0].Group == "" {
		return t.figures(ws[0])
	}
	if len(ws) > 12 {
		return t.tally(ws)
	}
	var b []string
	for _, w := range ws {
		label := t.label(w)
		if w.Value != nil && w.Target != nil {
			label += fmt.Sprintf(" %s/%s", numLang(*w.Value, t.o.Lang), numLang(*w.Target, t.o.Lang))
		}
		b = append(b, label)
	}
	return strings.Join(b, "  ")
}

func (t *textWriter) label(w eval.Window) string {
	s := windowLabel(w, t.o.Lang)
	if w.Group != "" {
		s += " " + w.Group
		if w.Name == yearName(w) {
			s = w.Group
		}
	}
	return s + " " + w.Status.Symbol()
}

func yearName(w eval.Window) string { return fmt.Sprint(w.Start.Year()) }

// tally sums up many windows (per vecka, per dag) by status.
func (t *textWriter) tally(ws []eval.Window) string {
	n := map[eval.Status]int{}
	for _, w := range ws {
		n[w.Status]++
	}
	var b []string
	for s := eval.Met; s >= eval.Missed; s-- {
		if n[s] > 0 {
			b = append(b, fmt.Sprintf("%d %s", n[s], s.Symbol()))
		}
	}
	return fmt.Sprintf("%d %s: %s", len(ws), t.word["windows"], strings.Join(b, "  "))
}

func (t *textWriter) figures(w eval.Window) string {
	if w.Err != nil {
		return t.word["error"] + ": " + w.Err.Error()
	}
	if w.Value == nil {
		return ""
	}
	if w.Upper {
		return fmt.Sprintf("%s (%s %s)", numLang(*w.Value, t.o.Lang), t.word["max"], numLang(*w.Target, t.o.Lang))
	}
	s := fmt.Sprintf("%s %s %s", numLang(*w.Value, t.o.Lang), t.word["of"], numLang(*w.Target, t.o.Lang))
	if w.Expected != nil && w.Status != eval.Met && w.Status != eval.Missed {
		s += fmt.Sprintf(" (%s %s)", t.word["expected"], numLang(*w.Expected, t.o.Lang))
	}
	return s
}

func (t *textWriter) summary(ev eval.Evaluation) string {
	n, broken := map[eval.Status]int{}, 0
	for _, r := range ev.Results {
		if r.Broken {
			broken++
			continue
		}
		n[r.Status]++
	}
	var b []string
	for _, s := range []eval.Status{eval.Met, eval.OnTrack, eval.Behind, eval.Missed, eval.Pending, eval.Unassessed} {
		if n[s] > 0 || s.Bad() || s == eval.Met || s == eval.OnTrack {
			b = append(b, fmt.Sprintf("%d %s", n[s], s.Text(t.o.Lang)))
		}
	}
	if broken > 0 {
		b = append(b, fmt.Sprintf("%d %s", broken, t.word["error"]))
	}
	return strings.Join(b, " · ")
}

func num(f float64) string {
	if f == float64(int64(f)) {
		return fmt.Sprint(int64(f))
	}
	return strings.Replace(fmt.Sprintf("%.1f", f), ".", ",", 1)
}

func windowLabel(w eval.Window, lang string) string {
	return calendar.Window{Kind: w.Kind, Name: w.Name, Start: w.Start, End: w.End}.Label(lang)
}
