package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
)

// dueDays is how far ahead the agenda looks for windows that end: about
// the time to the next tertial follow-up meeting.
const dueDays = 30

// The agenda of the next follow-up meeting (docs/reference.md §9,
// `--summary`): per party, what is behind with what it takes to catch up,
// and what is due within dueDays (windows that end then and are not met).
type (
	agenda struct {
		Until   calendar.Date // the last day looked ahead
		Parties []*agendaParty
	}
	agendaParty struct {
		Name   string
		Behind []agendaItem
		Due    []agendaItem
	}
	agendaItem struct {
		ID     string
		Text   string // the commitment's wording, or its id
		Status eval.Status
		Since  string   // "sedan 22 jan", or ""
		Lines  []string // what it takes, where the pace ends, what ends when
	}
)

// newAgenda is the agenda of one evaluation; nil when the evaluation date
// is outside the year (nothing is running any more, or nothing yet).
func newAgenda(ev eval.Evaluation, lang string) *agenda {
	year := calendar.Window{Start: calendar.NewDate(ev.Year, 1, 1), End: calendar.NewDate(ev.Year, 12, 31)}
	if ev.AsOf < year.Start || ev.AsOf > year.End {
		return nil
	}
	a := &agenda{Until: ev.AsOf.AddDays(dueDays)}
	parties := map[string]*agendaParty{}
	party := func(id string) *agendaParty {
		if p := parties[id]; p != nil {
			return p
		}
		name := ownerNames(ev.Promise, []string{id}, lang)
		if id == "" {
			name = map[bool]string{true: "No owner given", false: "Utan angiven ansvarig"}[lang == "en"]
		}
		p := &agendaParty{Name: name}
		parties[id] = p
		return p
	}
	// The promise's parties in its order, then any other owner.
	for _, pt := range ev.Promise.Parties {
		a.Parties = append(a.Parties, party(pt.ID))
	}
	for _, r := range ev.Results {
		behind, due := agendaOf(r, ev.AsOf, a.Until, lang)
		if behind == nil && due == nil {
			continue
		}
		owners := r.Commitment.Owner
		if len(owners) == 0 {
			owners = []string{""}
		}
		for _, id := range owners {
			p := party(id)
			if !containsParty(a.Parties, p) {
				a.Parties = append(a.Parties, p)
			}
			if behind != nil {
				p.Behind = append(p.Behind, *behind)
			}
			if due != nil {
				p.Due = append(p.Due, *due)
			}
		}
	}
	return a
}

func containsParty(ps []*agendaParty, p *agendaParty) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// agendaOf is a result on the agenda: behind, with what it takes to catch
// up; and due, with its windows that end by until and are not met (a
// window behind is in the first already; upper bounds ask nothing).
func agendaOf(r eval.Result, asOf, until calendar.Date, lang string) (behind, due *agendaItem) {
	if r.Broken {
		return nil, nil
	}
	c := r.Commitment
	item := func() *agendaItem {
		it := &agendaItem{ID: c.ID, Text: strings.TrimSpace(c.Text), Status: r.Status, Since: SinceText(r.Since, asOf, lang)}
		if it.Text == "" {
			it.Text = c.ID
		}
		return it
	}
	if r.Status == eval.Behind {
		behind = item()
		for _, w := range r.Windows {
			if w.Status != eval.Behind {
				continue
			}
			line := windowWords(w, len(r.Windows) > 1, lang)
			if w.Next != nil && w.Target != nil {
				line = joinNonEmpty(": ", line, NextText(w.Next, *w.Target, w.End, lang))
			}
			if line != "" {
				behind.Lines = append(behind.Lines, line)
			}
		}
		if c.Manual && r.Assessment != nil {
			behind.Lines = append(behind.Lines, assessedWords(r, lang))
		}
	}
	var ends []string
	for _, w := range r.Windows {
		if w.End < asOf || w.End > until || w.Status == eval.Met || w.Status == eval.Behind || w.Upper {
			continue
		}
		line := fmt.Sprintf("%s %s", map[bool]string{true: "ends", false: "slutar"}[lang == "en"], dayMonth(w.End, asOf, lang))
		if c.Manual {
			line = map[bool]string{true: "the year's final assessment is due by ", false: "årets slutbedömning ska göras senast "}[lang == "en"] + dayMonth(w.End, asOf, lang)
		}
		if label := windowWords(w, len(r.Windows) > 1, lang); label != "" {
			line = label + " " + line
		}
		if w.Next != nil && w.Target != nil {
			line += ": " + NextText(w.Next, *w.Target, w.End, lang)
		} else if w.Value != nil && w.Target != nil {
			line += fmt.Sprintf(": %s %s %s", numLang(*w.Value, lang), map[bool]string{true: "of", false: "av"}[lang == "en"], numLang(*w.Target, lang))
		}
		ends = append(ends, line)
	}
	if len(ends) > 0 {
		due = item()
		const most = 3
		if len(ends) > most {
			more := fmt.Sprintf("och %d fönster till", len(ends)-most)
			if lang == "en" {
				more = fmt.Sprintf("and %d more windows", len(ends)-most)
				if len(ends)-most == 1 {
					more = "and 1 more window"
				}
			}
			ends = append(ends[:most], more)
		}
		due.Lines = ends
	}
	return behind, due
}

// windowWords names a window of several ("VT 2022", "2022-T3 civil"); ""
// for a rule's only window.
func windowWords(w eval.Window, several bool, lang string) string {
	if !several {
		return ""
	}
	s := windowLabel(w, lang)
	if w.Group != "" {
		s += " " + w.Group
		if w.Name == yearName(w) {
			s = w.Group
		}
	}
	return s
}

// assessedWords is a manual commitment's latest assessment: "bedömt
// 2022-04-26: note".
func assessedWords(r eval.Result, lang string) string {
	s := fmt.Sprintf("%s %s", map[bool]string{true: "assessed", false: "bedömt"}[lang == "en"], r.Assessment.Date)
	if r.Note != "" {
		s += ": " + r.Note
	}
	return s
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// Empty reports an agenda party with nothing on it.
func (p *agendaParty) Empty() bool { return len(p.Behind) == 0 && len(p.Due) == 0 }

// Summary writes the agenda of the next follow-up meeting as text: for
// each promise and year evaluated, per party, what is behind with what it
// takes to catch up, and what is due within 30 days (docs/reference.md
// §9, `evaluate --summary`). It ends with what exit status 1 means when
// something is behind or missed.
func Summary(w io.Writer, rep *eval.Report, o TextOptions) error {
	if o.Lang != "en" {
		o.Lang = "sv"
	}
	t := &textWriter{w: w, o: o, word: words[o.Lang]}
	en := o.Lang == "en"
	pick := func(sv, english string) string {
		if en {
			return english
		}
		return sv
	}
	if len(rep.Evaluations) == 0 {
		t.printf("%s\n", t.word["noeval"])
	}
	for i, ev := range rep.Evaluations {
		if i > 0 {
			t.printf("\n")
		}
		title := ev.Promise.Title
		if title == "" {
			title = ev.Promise.ID
		}
		t.printf("%s: %s (%s)\n", pick("Dagordning", "Agenda"), title, ev.Promise.ID)
		t.printf("%s %d · %s %s\n", t.word["period"], ev.Year, t.word["asof"], ev.AsOf)
		a := newAgenda(ev, o.Lang)
		if a == nil {
			t.printf("\n%s\n", pick("Året pågår inte vid utvärderingsdatumet: inget att ta upp.", "The year is not running at the evaluation date: nothing to bring up."))
			continue
		}
		for _, p := range a.Parties {
			t.printf("\n%s\n", p.Name)
			if p.Empty() {
				t.printf("  %s\n", pick("Inget är efter och inget ska vara klart inom 30 dagar.", "Nothing is behind and nothing is due within 30 days."))
				continue
			}
			t.agendaItems(pick("Efter", "Behind"), p.Behind)
			t.agendaItems(fmt.Sprintf(pick("Ska vara klart inom 30 dagar (till %s)", "Due within 30 days (by %s)"), dayMonth(a.Until, ev.AsOf, o.Lang)), p.Due)
		}
	}
	if rep.Bad() && rep.Diags.Errors() == 0 {
		t.printf("\n%s\n", exitText(o.Lang))
	}
	return t.err
}

func (t *textWriter) agendaItems(heading string, items []agendaItem) {
	if len(items) == 0 {
		return
	}
	t.printf("  %s\n", heading)
	for _, it := range items {
		head := it.Status.Symbol() + " " + it.ID + "  " + it.Status.Text(t.o.Lang)
		if it.Since != "" {
			head += " " + it.Since
		}
		t.printf("    %s\n", head)
		if it.Text != it.ID {
			t.printf("        %s\n", oneLine(it.Text))
		}
		for _, l := range it.Lines {
			t.printf("        %s\n", l)
		}
	}
}

// oneLine joins the lines of a text written over several.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
