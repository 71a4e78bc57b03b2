// Package explain says why a commitment has its status: for each window
// the figures and the reason in plain Swedish (or English), what is still needed and at
// what rate, every record that counted, and the records of the same type
// that did not, each with the reason (outside the window, dated after the
// evaluation date, the rule's condition false).
package explain

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/rule"
)

// Explanation is one commitment evaluated for one year, explained.
type Explanation struct {
	Commitment *promise.Commitment
	Year       int
	AsOf       calendar.Date
	Status     eval.Status
	Broken     bool   // the rule did not compile, or failed: no status
	Parts      []Part // one per comparison or expression of the rule
	Manual     *Manual
}

// Part is one comparison (or other expression) of a rule, its windows
// and the records of its types that did not count anywhere.
type Part struct {
	Src        string            // as written, per clauses included
	Compare    *rule.Compare     // nil for another expression
	Predicates map[string]string // type → the condition that picks its records, "" for all
	Windows    []Window
	Excluded   []Excluded
}

// Window is one window (and group) of a part.
type Window struct {
	eval.Window
	Why     string        // the status in plain Swedish (WhyIn: in English)
	Need    *Need         // what is still needed, for an unmet lower bound of a running window
	Reached calendar.Date // the day a met lower bound was reached, 0 if unknown
	Counted []Counted
	whyEn   string
}

// WhyIn is Why in lang: "sv" or "en".
func (w *Window) WhyIn(lang string) string { return bi{w.Why, w.whyEn}.In(lang) }

func (w *Window) setWhy(b bi) { w.Why, w.whyEn = b[0], b[1] }

// Need is what a running window still needs to meet its target.
type Need struct {
	Remaining float64
	DaysLeft  int     // days after the evaluation date, up to the window's last
	PerWeek   float64 // Remaining spread evenly over DaysLeft
	Text      string  // "43 kvar på 122 dagar: 2,5 per vecka" (TextIn: in English)
	en        string
}

// TextIn is Text in lang: "sv" or "en".
func (n *Need) TextIn(lang string) string { return bi{n.Text, n.en}.In(lang) }

// Counted is a record that counted, and what it added (1 for a count).
type Counted struct {
	Record record.Record
	Value  float64
}

// Reason is why a record did not count.
type Reason string

const (
	OutsideWindow  Reason = "outside_window"  // dated in no window of the part
	AfterAsOf      Reason = "after_as_of"     // dated after the evaluation date
	PredicateFalse Reason = "predicate_false" // the rule's condition does not hold for it
	NoGroup        Reason = "no_group"        // a `per FIELD` rule, and the record has no value for the field
	Superseded     Reason = "superseded"      // an assessment followed by a later one
)

// Excluded is a record of a counted type that did not count.
type Excluded struct {
	Record record.Record
	Reason Reason
	Window string // the window it was judged in, if any
	Text   string // the reason in plain Swedish (TextIn: in English)
	en     string
}

// TextIn is Text in lang: "sv" or "en".
func (x *Excluded) TextIn(lang string) string { return bi{x.Text, x.en}.In(lang) }

// excluded is a record that did not count, with the reason in both
// languages.
func excluded(rec record.Record, reason Reason, window string, text bi) Excluded {
	return Excluded{Record: rec, Reason: reason, Window: window, Text: text[0], en: text[1]}
}

// Manual explains a commitment assessed by hand.
type Manual struct {
	Used     *record.Record
	Note     string
	Excluded []Excluded
}

// Explain explains the commitment id for each year of the period, by the
// promise in force for that year. It fails when no promise in force has a
// commitment of that id.
func Explain(r *repository.Repository, id string, period calendar.Period, asOf calendar.Date) ([]Explanation, diag.List, error) {
	var out []Explanation
	var errs diag.List
	if !inForce(r, period, func(c string) bool { return c == id }) {
		// An id written in another case is the commitment's, when only
		// one commitment is that id without regard to case (as activity
		// types and parties are read, docs/reference.md §4).
		var folded []string
		inForce(r, period, func(c string) bool {
			if strings.EqualFold(c, id) && !slices.Contains(folded, c) {
				folded = append(folded, c)
			}
			return false
		})
		if len(folded) == 1 {
			id = folded[0]
		}
	}
	for _, year := range period.Years() {
		for _, p := range r.InForce(year) {
			for _, c := range p.Commitments {
				if c.ID == id {
					out = append(out, Commitment(r.Input(p, year), c, r.Rules[c], year, asOf, &errs))
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, nil, unknown(r, id, period)
	}
	return out, errs, nil
}

// inForce reports whether a commitment of a promise in force in a year of
// period has an id for which match holds.
func inForce(r *repository.Repository, period calendar.Period, match func(id string) bool) bool {
	for _, year := range period.Years() {
		for _, p := range r.InForce(year) {
			for _, c := range p.Commitments {
				if match(c.ID) {
					return true
				}
			}
		}
	}
	return false
}

func unknown(r *repository.Repository, id string, period calendar.Period) error {
	var ids []string
	for _, year := range period.Years() {
		for _, p := range r.InForce(year) {
			for _, c := range p.Commitments {
				if !slices.Contains(ids, c.ID) {
					ids = append(ids, c.ID)
				}
			}
		}
	}
	if len(ids) == 0 {
		return fmt.Errorf("inget löfte gäller %s", period)
	}
	// A commitment of a promise of other years: say which, and the period
	// to ask for.
	for _, p := range r.Promises {
		for _, c := range p.Commitments {
			if strings.EqualFold(c.ID, id) {
				return fmt.Errorf("inget åtagande %q i löftena som gäller %s: %s finns i löftet %s, som gäller %s (skriv --period %s)",
					id, period, c.ID, p.ID, p.Valid, p.Valid)
			}
		}
	}
	if hint := diag.DidYouMean(id, ids); hint != "" {
		return fmt.Errorf("inget åtagande %q i löftena som gäller %s (%s)", id, period, hint)
	}
	sort.Strings(ids)
	return fmt.Errorf("inget åtagande %q i löftena som gäller %s: åtagandena är %s", id, period, joinComma(ids))
}

// Commitment explains one commitment for year at asOf; ru is its compiled
// rule (nil for a manual commitment or a rule that did not compile).
// Problems met while evaluating are added to errs.
func Commitment(in eval.Input, c *promise.Commitment, ru *rule.Rule, year int, asOf calendar.Date, errs *diag.List) Explanation {
	p := promise.Promise{}
	if c.Promise != nil {
		p = *c.Promise
	}
	p.Commitments = []*promise.Commitment{c}
	ev := eval.Evaluate(in, &p, year, asOf, errs)
	res := ev.Results[0]
	x := Explanation{Commitment: c, Year: year, AsOf: asOf, Status: res.Status, Broken: res.Broken}
	switch {
	case c.Manual:
		x.Manual = manual(in, c, res, year, asOf)
	case res.Broken || ru == nil:
		x.Broken = true
	default:
		e := &explainer{in: in, c: c, year: year, asOf: asOf, windows: res.Windows}
		for n := range rule.Leaves(ru.Root) {
			switch leaf := n.(type) {
			case *rule.Compare:
				x.Parts = append(x.Parts, e.compare(leaf))
			case *rule.Expr:
				x.Parts = append(x.Parts, e.expr(leaf))
			}
		}
	}
	return x
}

// explainer takes a rule's comparisons in the order eval lists their
// windows (rule.Leaves), taking each comparison's windows from the
// evaluation.
type explainer struct {
	in      eval.Input
	c       *promise.Commitment
	year    int
	asOf    calendar.Date
	windows []eval.Window
}

// take returns the next n windows of the evaluation.
func (e *explainer) take(n int) []eval.Window {
	n = min(n, len(e.windows))
	ws := e.windows[:n]
	e.windows = e.windows[n:]
	return ws
}

func (e *explainer) calWindows(c *rule.Compare) []calendar.Window {
	if c.HasWindow {
		return e.in.Calendar.Windows(c.Window, e.year)
	}
	return []calendar.Window{e.in.Calendar.YearWindow(e.year)}
}

// compare explains one count comparison: the records each window counted
// and those it did not.
func (e *explainer) compare(c *rule.Compare) Part {
	parts := c.Parts()
	part := Part{Src: c.Src, Compare: c, Predicates: parts.Predicates}
	groups := max(len(c.Values), 1)
	ws := e.take(len(e.calWindows(c)) * groups)
	seen := map[diag.Pos]bool{}
	for _, w := range ws {
		xw := Window{Window: w}
		scope := rule.Scope{Start: w.Start, End: min(w.End, e.asOf), Field: c.Field, Value: w.Group}
		contribs, err := e.in.Tables.Contributions(c, scope)
		if err == nil {
			for _, ct := range contribs {
				seen[ct.Record.Pos] = true
				if ct.Value != 0 {
					xw.Counted = append(xw.Counted, Counted{Record: ct.Record, Value: ct.Value})
				} else {
					part.Excluded = append(part.Excluded, e.predicateFalse(ct.Record, w.Name, parts.Predicates[ct.Record.Type]))
				}
			}
		}
		later := rule.Scope{Start: max(w.Start, e.asOf+1), End: w.End, Field: c.Field, Value: w.Group}
		for _, typ := range c.Types {
			for _, rec := range e.in.Tables.Records(typ, later) {
				seen[rec.Pos] = true
				part.Excluded = append(part.Excluded, e.after(rec, w.Name))
			}
		}
		var why bi
		why, xw.Need, xw.Reached = e.why(c, w, xw.Counted)
		xw.setWhy(why)
		part.Windows = append(part.Windows, xw)
	}
	e.outside(&part, c, ws, seen)
	sortExcluded(part.Excluded)
	return part
}

// outside adds the records of the part's types dated in the year that no
// window judged.
func (e *explainer) outside(part *Part, c *rule.Compare, ws []eval.Window, seen map[diag.Pos]bool) {
	year := e.in.Calendar.YearWindow(e.year)
	from, to := year.Start, year.End
	for _, w := range ws {
		from, to = min(from, w.Start), max(to, w.End)
	}
	for _, typ := range c.Types {
		for _, rec := range e.in.Tables.Records(typ, rule.Scope{Start: from, End: to}) {
			if seen[rec.Pos] {
				continue
			}
			switch {
			case rec.Date > e.asOf:
				part.Excluded = append(part.Excluded, e.after(rec, ""))
			case c.Field != "" && e.inSomeWindow(ws, rec.Date):
				part.Excluded = append(part.Excluded, excluded(rec, NoGroup, "",
					say("fältet %s saknas, och regeln räknar per %s", "the field %s is missing, and the rule counts per %s", c.Field, c.Field)))
			default:
				part.Excluded = append(part.Excluded, excluded(rec, OutsideWindow, "", e.outsideText(c, rec.Date)))
			}
		}
	}
}

func (e *explainer) inSomeWindow(ws []eval.Window, d calendar.Date) bool {
	for _, w := range ws {
		if w.Start <= d && d <= w.End {
			return true
		}
	}
	return false
}

func (e *explainer) outsideText(c *rule.Compare, d calendar.Date) bi {
	if !c.HasWindow {
		return say("utanför fönstret %d", "outside the window %d", e.year)
	}
	if w, ok := e.in.Calendar.WindowOf(c.Window, d); ok {
		return say("utanför fönstren för %d: dagen hör till %s", "outside the windows of %d: the day belongs to %s", e.year, w.Name)
	}
	if c.Window == calendar.Term {
		return bi{"utanför terminerna (mellan två terminer)", "outside the terms (between two terms)"}
	}
	return say("utanför fönstren för %d", "outside the windows of %d", e.year)
}

func (e *explainer) after(rec record.Record, window string) Excluded {
	return excluded(rec, AfterAsOf, window, afterText(e.asOf))
}

func afterText(asOf calendar.Date) bi {
	return say("daterad efter utvärderingsdatumet %s", "dated after the evaluation date %s", asOf)
}

var fieldRef = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_\])])\.([\p{L}_][\p{L}\p{N}_]*)`)

// predicateFalse describes a record the rule's condition turned away,
// with the values of the fields the condition reads.
func (e *explainer) predicateFalse(rec record.Record, window, pred string) Excluded {
	if pred == "" {
		return excluded(rec, PredicateFalse, window, bi{"regeln räknar den inte", "the rule does not count it"})
	}
	text := say("villkoret %s gäller inte", "the condition %s does not hold", pred)
	act := e.in.Vocab.Activity(rec.Type)
	var vals []bi
	seen := map[string]bool{}
	for _, m := range fieldRef.FindAllStringSubmatch(pred, -1) {
		name := m[1]
		if seen[name] {
			continue
		}
		seen[name] = true
		vals = append(vals, say("%s: %s", "%s: %s", name, fieldText(act, rec, name)))
	}
	if len(vals) > 0 {
		text = say("%s (%s)", "%s (%s)", text, join(vals, ", "))
	}
	return excluded(rec, PredicateFalse, window, text)
}

// fieldText is a record's value of a field, as text.
func fieldText(act *promise.Activity, rec record.Record, name string) bi {
	switch name {
	case promise.FieldDate:
		return same(rec.Date.String())
	case promise.FieldBy:
		return same(joinPlus(rec.By))
	case promise.FieldType:
		return same(rec.Type)
	}
	if act == nil {
		return same("?")
	}
	i := act.FieldIndex(name)
	if i < 0 || i >= len(rec.Values) || rec.Values[i] == nil {
		return bi{"saknas", "missing"}
	}
	return valueText(rec.Values[i])
}

func valueText(v any) bi {
	switch x := v.(type) {
	case bool:
		if x {
			return bi{"ja", "yes"}
		}
		return bi{"nej", "no"}
	case float64:
		return num(x)
	case []any:
		els := make([]bi, len(x))
		for i, el := range x {
			els[i] = valueText(el)
		}
		return join(els, "+")
	}
	return same(fmt.Sprint(v))
}

// expr explains a general expression: it sees every record of its types
// in the year up to the evaluation date.
func (e *explainer) expr(x *rule.Expr) Part {
	part := Part{Src: x.Src, Predicates: map[string]string{}}
	ws := e.take(1)
	for _, w := range ws {
		xw := Window{Window: w}
		for _, typ := range x.Types {
			for _, rec := range e.in.Tables.Records(typ, rule.Scope{Start: w.Start, End: min(w.End, e.asOf)}) {
				xw.Counted = append(xw.Counted, Counted{Record: rec, Value: 1})
			}
			for _, rec := range e.in.Tables.Records(typ, rule.Scope{Start: max(w.Start, e.asOf+1), End: w.End}) {
				part.Excluded = append(part.Excluded, e.after(rec, w.Name))
			}
		}
		xw.setWhy(e.exprWhy(w))
		part.Windows = append(part.Windows, xw)
	}
	sortExcluded(part.Excluded)
	return part
}

// manual explains an assessed commitment: the assessment used and the
// others of the year.
func manual(in eval.Input, c *promise.Commitment, res eval.Result, year int, asOf calendar.Date) *Manual {
	m := &Manual{Used: res.Assessment, Note: res.Note}
	act := in.Vocab.Activity(promise.Assessment)
	ci := act.FieldIndex("commitment")
	w := in.Calendar.YearWindow(year)
	for _, rec := range in.Records.Between(promise.Assessment, w.Start, w.End) {
		if id, _ := rec.Values[ci].(string); id != c.ID || res.Assessment != nil && rec.Pos == res.Assessment.Pos {
			continue
		}
		if rec.Date > asOf {
			m.Excluded = append(m.Excluded, excluded(rec, AfterAsOf, "", afterText(asOf)))
			continue
		}
		m.Excluded = append(m.Excluded, excluded(rec, Superseded, "", bi{"ersatt av en senare bedömning", "superseded by a later assessment"}))
	}
	sortExcluded(m.Excluded)
	return m
}

func sortExcluded(xs []Excluded) {
	sort.SliceStable(xs, func(i, j int) bool {
		a, b := xs[i].Record, xs[j].Record
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Col < b.Pos.Col
	})
}
