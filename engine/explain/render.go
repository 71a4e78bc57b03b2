package explain

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/source"
	"github.com/lofte/lofte/engine/wire"
)

// Provenance says where each record file comes from: the commit that last
// changed it, and whether the file read differs from the committed one.
type Provenance struct {
	Commit      string                   // the commit read (working tree: HEAD), "" without git
	Dirty       bool                     // the working tree has uncommitted changes
	Changes     map[string]source.Change // by file path
	Uncommitted map[string]bool          // files read from disk that differ from Commit
	// Origin, when set, gives the commit that added a record (see
	// history.Provenance): the text shows it rather than the file's last
	// change, and JSON adds it as "added".
	Origin func(*record.Record) (source.Commit, bool)
}

// Files lists the record files the explanations name, sorted: the paths to
// look up the last change of.
func Files(xs []Explanation) []string {
	seen := map[string]bool{}
	add := func(r record.Record) { seen[r.Pos.File] = true }
	for _, x := range xs {
		for _, p := range x.Parts {
			for _, w := range p.Windows {
				for _, c := range w.Counted {
					add(c.Record)
				}
			}
			for _, ex := range p.Excluded {
				add(ex.Record)
			}
		}
		if m := x.Manual; m != nil {
			if m.Used != nil {
				add(*m.Used)
			}
			for _, ex := range m.Excluded {
				add(ex.Record)
			}
		}
	}
	out := make([]string, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// notCommitted is the provenance of a record not committed.
var notCommitted = bi{"inte incheckad", "not committed"}

// commitText is the provenance of a record's file for the text output.
func (p *Provenance) commitText(file, lang string) string {
	if p == nil {
		return ""
	}
	if p.Uncommitted[file] {
		return notCommitted.In(lang)
	}
	c, ok := p.Changes[file]
	if !ok {
		if p.Commit == "" {
			return ""
		}
		return notCommitted.In(lang)
	}
	return fmt.Sprintf("%s %s %s", c.Short(), c.Author, calendar.Today(c.When))
}

// Text writes the explanations for people, in Swedish.
func Text(w io.Writer, xs []Explanation, prov *Provenance) error {
	return TextIn(w, xs, prov, "sv")
}

// TextIn writes the explanations for people in lang: "sv" (Swedish, as
// Text) or "en" (English). The names of windows, the ids and the rules
// are written as they are, and dates as YYYY-MM-DD.
func TextIn(w io.Writer, xs []Explanation, prov *Provenance, lang string) error {
	if lang != "en" {
		lang = "sv"
	}
	t := &writer{w: w, prov: prov, lang: lang}
	for i, x := range xs {
		if i > 0 {
			t.printf("\n")
		}
		t.explanation(x)
	}
	return t.err
}

type writer struct {
	w    io.Writer
	prov *Provenance
	lang string
	err  error
}

// say writes a text in the writer's language.
func (t *writer) say(sv, en string, args ...any) {
	t.printf("%s", say(sv, en, args...).In(t.lang))
}

func (t *writer) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

func (t *writer) explanation(x Explanation) {
	c := x.Commitment
	title := ""
	if p := c.Promise; p != nil {
		title = p.Title
		if title == "" {
			title = p.ID
		}
		title = fmt.Sprintf(" · %s (%s)", title, p.ID)
	}
	t.printf("%s%s\n", c.ID, title)
	src := bi{"ingen commit", "no commit"}
	if t.prov != nil && t.prov.Commit != "" {
		src = same("commit " + t.prov.Commit[:min(7, len(t.prov.Commit))])
		if t.prov.Dirty {
			src = say("%s (med ändringar som inte är incheckade)", "%s (with changes not committed)", src)
		}
	}
	t.say("Period %d · utvärderat %s · %s\n", "Period %d · evaluated %s · %s\n", x.Year, x.AsOf, src)
	switch {
	case c.Manual:
		t.say("Bedöms för hand (assess: manual)\n", "Assessed by hand (assess: manual)\n")
	default:
		t.say("Regel: %s\n", "Rule: %s\n", strings.Join(strings.Fields(c.Rule.Value), " "))
	}
	if x.Broken {
		t.say("Status: ! fel: regeln kunde inte utvärderas (se felen)\n", "Status: ! error: the rule could not be evaluated (see the errors)\n")
		return
	}
	t.printf("Status: %s %s\n", x.Status.Symbol(), x.Status.Text(t.lang))
	if x.Manual != nil {
		t.manual(x)
		return
	}
	for i, p := range x.Parts {
		if len(x.Parts) > 1 {
			t.say("\nDel %d: %s\n", "\nPart %d: %s\n", i+1, p.Src)
		}
		t.part(p)
	}
}

func (t *writer) part(p Part) {
	for _, w := range p.Windows {
		t.printf("\n%s: %s %s\n", windowTitle(w.Window), w.Status.Symbol(), w.Status.Text(t.lang))
		if fig := figures(w).In(t.lang); fig != "" {
			t.printf("  %s\n", fig)
		}
		if why := w.WhyIn(t.lang); why != "" {
			t.say("  Varför: %s.\n", "  Why: %s.\n", why)
		}
		if w.Need != nil {
			t.say("  Kvar: %s.\n", "  Remaining: %s.\n", w.Need.TextIn(t.lang))
		}
		if len(w.Counted) == 0 {
			t.say("  Räknade poster: inga\n", "  Records counted: none\n")
			continue
		}
		t.say("  Räknade poster (%d):\n", "  Records counted (%d):\n", len(w.Counted))
		var rows [][]string
		for _, c := range w.Counted {
			row := t.recordRow(c.Record)
			if c.Value != 1 {
				row = append(row[:3:3], "+"+NumIn(c.Value, t.lang), row[3])
			} else {
				row = append(row[:3:3], "", row[3])
			}
			rows = append(rows, row)
		}
		t.table(rows)
	}
	t.excluded(p.Excluded)
}

func (t *writer) excluded(xs []Excluded) {
	t.excludedAs(bi{"Poster som inte räknades", "Records not counted"}, xs)
}

func (t *writer) excludedAs(title bi, xs []Excluded) {
	if len(xs) == 0 {
		return
	}
	t.printf("\n%s (%d):\n", title.In(t.lang), len(xs))
	var rows [][]string
	for _, x := range xs {
		row := t.recordRow(x.Record)
		rows = append(rows, append(row[:3:3], x.TextIn(t.lang), row[3]))
	}
	t.table(rows)
}

func (t *writer) manual(x Explanation) {
	m := x.Manual
	if m.Used == nil {
		t.say("\nIngen bedömning av %s under %d, daterad senast %s.\n", "\nNo assessment of %s in %d, dated %s or earlier.\n",
			x.Commitment.ID, x.Year, x.AsOf)
	} else {
		t.say("\nBedömningen som gäller:\n", "\nThe assessment that applies:\n")
		note := m.Note
		if note == "" {
			note = bi{"(ingen anteckning)", "(no note)"}.In(t.lang)
		}
		row := t.recordRow(*m.Used)
		t.table([][]string{append(row[:3:3], note, row[3])})
	}
	t.excludedAs(say("Andra bedömningar under %d", "Other assessments in %d", x.Year), m.Excluded)
}

// recordRow is place, date, parties and provenance of a record.
func (t *writer) recordRow(r record.Record) []string {
	return []string{r.Pos.String(), r.Date.String(), joinPlus(r.By), t.prov.recordText(&r, t.lang)}
}

// recordText is the commit that added a record, for the text output; the
// commit that last changed its file when that is unknown.
func (p *Provenance) recordText(r *record.Record, lang string) string {
	if p == nil || p.Origin == nil {
		return p.commitText(r.Pos.File, lang)
	}
	c, ok := p.Origin(r)
	if !ok {
		return notCommitted.In(lang)
	}
	return fmt.Sprintf("%s %s %s", c.Short(), c.Author, calendar.Today(c.When))
}

// table writes rows indented, in columns; empty trailing cells are dropped.
func (t *writer) table(rows [][]string) {
	width := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		b.WriteString("   ")
		for i, c := range r {
			if width[i] == 0 {
				continue
			}
			b.WriteString(" ")
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)+1))
			}
		}
		t.printf("%s\n", strings.TrimRight(b.String(), " "))
	}
}

func windowTitle(w eval.Window) string {
	s := fmt.Sprintf("%s (%s–%s)", w.Name, w.Start, w.End)
	if w.Group != "" {
		s += ", " + w.Group
	}
	return s
}

func figures(w Window) bi {
	if w.Value == nil || w.Target == nil {
		return bi{}
	}
	if w.Upper {
		return say("%s, högst %s", "%s, at most %s", num(*w.Value), num(*w.Target))
	}
	s := say("%s av %s", "%s of %s", num(*w.Value), num(*w.Target))
	if w.Expected != nil && w.Status != eval.Met && w.Status != eval.Missed {
		s = say("%s · förväntat %s", "%s · expected %s", s, num(*w.Expected))
	}
	return s
}

// JSON shapes. Keys are English; texts are Swedish whatever the language
// of the text output (docs/reference.md §9).
type (
	jsonOut struct {
		AsOf         string     `json:"as_of"`
		Source       jsonSource `json:"source"`
		Explanations []jsonX    `json:"explanations"`
	}
	jsonSource struct {
		Commit string `json:"commit"`
		Dirty  bool   `json:"dirty"`
	}
	jsonX struct {
		Promise    string       `json:"promise"`
		Commitment string       `json:"commitment"`
		Period     string       `json:"period"`
		AsOf       string       `json:"as_of"`
		Rule       string       `json:"rule,omitempty"`
		Assess     string       `json:"assess,omitempty"`
		Status     eval.Status  `json:"status"`
		Error      string       `json:"error,omitempty"`
		Parts      []jsonPart   `json:"parts,omitempty"`
		Assessment *jsonRecord  `json:"assessment,omitempty"`
		Excluded   []jsonRecord `json:"excluded,omitempty"`
	}
	jsonPart struct {
		Src        string            `json:"rule"`
		Predicates map[string]string `json:"predicates,omitempty"`
		Windows    []jsonWindow      `json:"windows"`
		Excluded   []jsonRecord      `json:"excluded"`
	}
	// jsonWindow is the common window with what explain adds: why, the
	// day the target was reached, what is still needed, the records
	// counted.
	jsonWindow struct {
		wire.Window
		Why     string       `json:"why,omitempty"`
		Reached string       `json:"reached,omitempty"`
		Need    *jsonNeed    `json:"need,omitempty"`
		Counted []jsonRecord `json:"counted"`
	}
	jsonNeed struct {
		Remaining eval.Number `json:"remaining"`
		DaysLeft  int         `json:"days_left"`
		PerWeek   eval.Number `json:"per_week"`
		Text      string      `json:"text"`
	}
	jsonRecord struct {
		wire.Record
		Value  *eval.Number `json:"value,omitempty"`
		Reason Reason       `json:"reason,omitempty"`
		Window string       `json:"window,omitempty"`
		Text   string       `json:"text,omitempty"`
		Commit *wire.Commit `json:"commit,omitempty"`
		Added  *wire.Commit `json:"added,omitempty"`
		Note   string       `json:"note,omitempty"`
	}
)

// JSON writes the explanations for machines.
func JSON(w io.Writer, xs []Explanation, prov *Provenance, asOf calendar.Date) error {
	out := jsonOut{AsOf: asOf.String(), Explanations: []jsonX{}}
	if prov != nil {
		out.Source = jsonSource{Commit: prov.Commit, Dirty: prov.Dirty}
	}
	for _, x := range xs {
		out.Explanations = append(out.Explanations, jsonExplanation(x, prov))
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func jsonExplanation(x Explanation, prov *Provenance) jsonX {
	c := x.Commitment
	jx := jsonX{Commitment: c.ID, Period: fmt.Sprint(x.Year), AsOf: x.AsOf.String(), Status: x.Status,
		Rule: strings.TrimSpace(c.Rule.Value)}
	if c.Promise != nil {
		jx.Promise = c.Promise.ID
	}
	if c.Manual {
		jx.Assess = "manual"
	}
	if x.Broken {
		jx.Error = "regeln har fel och kunde inte utvärderas; se lofte check"
	}
	for _, p := range x.Parts {
		jp := jsonPart{Src: p.Src, Windows: []jsonWindow{}, Excluded: []jsonRecord{}}
		for typ, pred := range p.Predicates {
			if pred != "" {
				if jp.Predicates == nil {
					jp.Predicates = map[string]string{}
				}
				jp.Predicates[typ] = pred
			}
		}
		for _, w := range p.Windows {
			jw := jsonWindow{Window: explainWindow(w.Window), Why: w.Why, Counted: []jsonRecord{}}
			if w.Reached != 0 {
				jw.Reached = w.Reached.String()
			}
			if n := w.Need; n != nil {
				jw.Need = &jsonNeed{Remaining: eval.Number(n.Remaining), DaysLeft: n.DaysLeft, PerWeek: eval.Number(round1(n.PerWeek)), Text: n.Text}
			}
			for _, ct := range w.Counted {
				jr := jsonRec(ct.Record, prov)
				jr.Value = eval.NumberOf(&ct.Value)
				jw.Counted = append(jw.Counted, jr)
			}
			jp.Windows = append(jp.Windows, jw)
		}
		jp.Excluded = jsonExcluded(p.Excluded, prov)
		jx.Parts = append(jx.Parts, jp)
	}
	if m := x.Manual; m != nil {
		if m.Used != nil {
			jr := jsonRec(*m.Used, prov)
			jr.Note = m.Note
			jx.Assessment = &jr
		}
		jx.Excluded = jsonExcluded(m.Excluded, prov)
	}
	return jx
}

// round1 rounds to one decimal; a number too large to round, or not
// finite, is left as it is.
func round1(f float64) float64 {
	if !(math.Abs(f) < 1e17) {
		return f
	}
	return float64(int64(f*10+0.5)) / 10
}

// explainWindow is the common window as explain writes it: the reason of
// an error is in why, and explain has always written neither the part
// (its parts are listed apart) nor the provisional flag.
func explainWindow(w eval.Window) wire.Window {
	jw := wire.WindowOf(w)
	jw.Part, jw.Error, jw.Provisional = "", "", false
	return jw
}

func jsonExcluded(xs []Excluded, prov *Provenance) []jsonRecord {
	out := []jsonRecord{}
	for _, x := range xs {
		jr := jsonRec(x.Record, prov)
		jr.Reason, jr.Window, jr.Text = x.Reason, x.Window, x.Text
		out = append(out, jr)
	}
	return out
}

func jsonRec(r record.Record, prov *Provenance) jsonRecord {
	jr := jsonRecord{Record: wire.RecordOf(&r)}
	if prov == nil || prov.Commit == "" {
		return jr
	}
	if prov.Origin != nil {
		jr.Added = wire.Uncommitted()
		if c, ok := prov.Origin(&r); ok {
			jr.Added = wire.CommitOf(c, calendar.Today(c.When))
		}
	}
	if prov.Uncommitted[r.Pos.File] {
		jr.Commit = wire.Uncommitted()
	} else if c, ok := prov.Changes[r.Pos.File]; ok {
		jr.Commit = wire.CommitOf(source.Commit{Hash: c.Hash, Author: c.Author, Email: c.Email, When: c.When}, calendar.Today(c.When))
	} else {
		jr.Commit = wire.Uncommitted()
	}
	return jr
}
