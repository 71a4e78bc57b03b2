package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
)

// Markdown writes the content of the public page as Markdown, in Swedish:
// per promise a header, a summary table and per area a table of the
// commitments with their status and figures (one column per year), then
// a list explaining the statuses. For a municipality's web editor or a
// repository's README.
func Markdown(w io.Writer, rep *eval.Report) error { return MarkdownIn(w, rep, "sv") }

// MarkdownIn is Markdown in lang: "sv" (the default) or "en", with the
// same structure: headings, sentences, table headers, statuses, dates and
// numbers (a decimal point in English) in that language. The promise's
// own words (its title, areas, commitments, notes) stay as written.
func MarkdownIn(w io.Writer, rep *eval.Report, lang string) error {
	p := newPage(rep, PageOptions{}, lang)
	m := &mdWriter{w: w, lang: p.Lang, word: mdWords[p.Lang]}
	if p.Multi {
		m.printf("# %s\n\n", p.Title)
	}
	if len(p.Promises) == 0 {
		m.printf("# %s\n\n%s\n", p.Title, m.word["empty"])
	}
	for i, pv := range p.Promises {
		if i > 0 {
			m.printf("\n") // the last table ends before the next promise's heading
		}
		m.promise(p, pv)
	}
	if len(p.Promises) > 0 {
		m.legend()
	}
	return m.err
}

// mdWords are the Markdown's own words, by language.
var mdWords = map[string]map[string]string{
	"sv": {
		"empty":        "Inget att utvärdera: inget löfte gäller för perioden.",
		"between":      "Ett löfte mellan %s.",
		"nocommit":     "ingen commit",
		"dirty":        ", med ändringar som inte är incheckade",
		"head":         "Period %s · utvärderat %s · %s",
		"errors":       "> **Obs!** %d fel i löftets filer eller registreringar. Det som har fel räknas inte, så siffrorna kan vara för låga tills felen är rättade.",
		"error1":       "> **Obs!** %d fel i löftets filer eller registreringar. Det som har fel räknas inte, så siffrorna kan vara för låga tills felen är rättade.",
		"summary":      "Sammanfattning",
		"ruleerror":    "! fel i regeln",
		"agenda":       "Att ta upp på nästa uppföljning",
		"agendaabout":  "Per part: det som är efter och vad som krävs för att komma i fas, och det som ska vara klart inom 30 dagar (till %s).",
		"agendaempty":  "Inget är efter och inget ska vara klart inom 30 dagar.",
		"behind":       "Efter",
		"due":          "Ska vara klart inom 30 dagar",
		"table1":       "| Åtagande | Ansvarig | Status | Utfall |",
		"table":        "| Åtagande | Ansvarig |",
		"howto":        "Så läser du uppföljningen",
		"howtoend":     "*Förväntat* är hur många som borde vara gjorda vid det här laget om arbetet går i jämn takt över perioden, avrundat nedåt. *Sedan* är den första dagen som statusen har gällt utan avbrott, räknat ur registreringarna. *I nuvarande takt* är var det slutar vid periodens slut om arbetet fortsätter som hittills.",
		"absent":       "ingick inte i löftet %d",
		"error":        "fel",
		"broken":       "regeln har fel och kunde inte räknas",
		"noassessment": "ingen bedömning",
		"assessed":     "bedömt %s",
		"interim":      "slutbedömning saknas; delbedömning %s (%s)",
		"windows":      "%d fönster: %s",
		"expected":     "%s, förväntat %s",
		"starts":       "%s … börjar %s",
	},
	"en": {
		"empty":        "Nothing to evaluate: no promise is in force for the period.",
		"between":      "A promise between %s.",
		"nocommit":     "no commit",
		"dirty":        ", with uncommitted changes",
		"head":         "Period %s · evaluated %s · %s",
		"errors":       "> **Note:** %d errors in the promise's files or records. What has errors is not counted, so the figures may be too low until the errors are fixed.",
		"error1":       "> **Note:** %d error in the promise's files or records. What has errors is not counted, so the figures may be too low until the error is fixed.",
		"summary":      "Summary",
		"ruleerror":    "! error in the rule",
		"agenda":       "To bring up at the next follow-up",
		"agendaabout":  "Per party: what is behind and what it takes to catch up, and what is due within 30 days (by %s).",
		"agendaempty":  "Nothing is behind and nothing is due within 30 days.",
		"behind":       "Behind",
		"due":          "Due within 30 days",
		"table1":       "| Commitment | Owner | Status | Outcome |",
		"table":        "| Commitment | Owner |",
		"howto":        "How to read the follow-up",
		"howtoend":     "*Expected* is how many should be done by now if the work goes at an even pace over the period, rounded down. *Since* is the first day the status has held without a break, counted from the records. *At the present pace* is where it ends at the end of the period if the work goes on as it has so far.",
		"absent":       "not in the promise in %d",
		"error":        "error",
		"broken":       "the rule has errors and could not be counted",
		"noassessment": "no assessment",
		"assessed":     "assessed %s",
		"interim":      "final assessment missing; interim assessment %s (%s)",
		"windows":      "%d windows: %s",
		"expected":     "%s, expected %s",
		"starts":       "%s … starts %s",
	},
}

type mdWriter struct {
	w    io.Writer
	lang string
	word map[string]string
	err  error
}

func (m *mdWriter) printf(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format, args...)
	}
}

func (m *mdWriter) promise(p *page, pv *promiseView) {
	h := "#"
	if p.Multi {
		h = "##"
	}
	m.printf("%s %s\n\n", h, mdText(pv.Title))
	if len(pv.Parties) > 0 {
		m.printf(m.word["between"]+"\n\n", mdText(partyNames(pv.Parties, m.lang)))
	}
	commit := m.word["nocommit"]
	if p.Commit != "" {
		commit = "commit `" + p.Commit + "`"
	}
	if p.Dirty {
		commit += m.word["dirty"]
	}
	m.printf(m.word["head"]+"\n\n", p.Period, longDateIn(p.AsOf, m.lang), commit)
	if p.Errors > 0 {
		note := m.word["errors"]
		if p.Errors == 1 {
			note = m.word["error1"]
		}
		m.printf(note+"\n\n", p.Errors)
	}
	if a := pv.Agenda; a != nil {
		m.agenda(h, a)
	}
	m.printf("%s# %s\n\n", h, m.word["summary"])
	m.printf("| Status |%s\n| --- |%s\n", yearHeads(pv.Years), strings.Repeat(" ---: |", len(pv.Years)))
	for _, row := range pv.Summary {
		if !row.Shown() {
			continue
		}
		word := m.word["ruleerror"]
		if !row.Broken {
			word = row.Status.Symbol() + " " + row.Status.Text(m.lang)
		}
		m.printf("| %s |", word)
		for _, n := range row.Counts {
			m.printf(" %d |", n)
		}
		m.printf("\n")
	}
	for _, a := range pv.Areas {
		m.area(h, pv, a)
	}
}

// agenda writes what to bring up at the next follow-up, per party.
func (m *mdWriter) agenda(h string, a *agenda) {
	m.printf("%s# %s\n\n", h, m.word["agenda"])
	m.printf(m.word["agendaabout"]+"\n\n", shortDateIn(a.Until, m.lang))
	for _, p := range a.Parties {
		m.printf("**%s**\n\n", mdText(p.Name))
		if p.Empty() {
			m.printf("%s\n\n", m.word["agendaempty"])
			continue
		}
		for _, sec := range []struct {
			head  string
			items []agendaItem
		}{{m.word["behind"], p.Behind}, {m.word["due"], p.Due}} {
			if len(sec.items) == 0 {
				continue
			}
			m.printf("%s:\n\n", sec.head)
			for _, it := range sec.items {
				line := it.Status.Symbol() + " " + it.Status.Text(m.lang)
				if it.Since != "" {
					line += " " + it.Since
				}
				m.printf("- **%s**: %s\n", mdText(line), mdText(it.Text))
				for _, l := range it.Lines {
					m.printf("  - %s\n", mdText(l))
				}
			}
			m.printf("\n")
		}
	}
}

func yearHeads(years []int) string {
	var b strings.Builder
	for _, y := range years {
		fmt.Fprintf(&b, " %d |", y)
	}
	return b.String()
}

func (m *mdWriter) area(h string, pv *promiseView, a *areaView) {
	m.printf("\n%s# %s\n\n", h, mdText(a.Title))
	if len(pv.Years) == 1 {
		m.printf("%s\n| --- | --- | --- | --- |\n", m.word["table1"])
	} else {
		m.printf("%s%s\n| --- | --- |%s\n", m.word["table"], yearHeads(pv.Years), strings.Repeat(" --- |", len(pv.Years)))
	}
	for _, c := range a.Commitments {
		m.printf("| %s | %s |", mdText(c.Text), mdText(c.Owner))
		for _, cl := range c.Cells {
			status, detail := m.cellText(cl)
			switch {
			case len(pv.Years) == 1:
				m.printf(" %s | %s |", mdText(status), mdText(detail))
			case detail != "":
				m.printf(" %s: %s |", mdText(status), mdText(detail))
			default:
				m.printf(" %s |", mdText(status))
			}
		}
		m.printf("\n")
	}
}

func (m *mdWriter) legend() {
	m.printf("\n**%s**\n\n", m.word["howto"])
	for _, l := range legendLines {
		m.printf("- **%s %s**: %s\n", l.status.Symbol(), l.status.Text(m.lang), l.text[m.lang])
	}
	m.printf("\n%s\n", m.word["howtoend"])
}

var legendLines = []struct {
	status eval.Status
	text   map[string]string
}{
	{eval.Met, map[string]string{"sv": "målet är nått.", "en": "the target is reached."}},
	{eval.OnTrack, map[string]string{"sv": "målet är inte nått än, men arbetet går i den takt som behövs.",
		"en": "the target is not reached yet, but the work keeps the pace it needs."}},
	{eval.Behind, map[string]string{"sv": "arbetet ligger efter takten, eller målet är inte nått när det är kort tid kvar.",
		"en": "the work is behind the pace, or the target is not reached with little time left."}},
	{eval.Missed, map[string]string{"sv": "perioden tog slut utan att målet nåddes, eller ett tak har överskridits.",
		"en": "the period ended without the target being reached, or a cap was exceeded."}},
	{eval.Pending, map[string]string{"sv": "kan bedömas först när perioden är slut.",
		"en": "can be assessed only when the period is over."}},
	{eval.Unassessed, map[string]string{"sv": "åtagandet bedöms av en människa och har ingen bedömning ännu.",
		"en": "the commitment is assessed by a person and has no assessment yet."}},
}

// cellText is a commitment's status in one year and its figures in words:
// "61 av 104, förväntat 69", "VT 2022 ✓ 1 av 1, HT 2022 → 0 av 1", or the
// latest assessment; a provisional status is flagged after the figures.
func (m *mdWriter) cellText(c *cell) (status, detail string) {
	switch {
	case !c.Present:
		return "–", fmt.Sprintf(m.word["absent"], c.Year)
	case c.Broken:
		return "! " + m.word["error"], m.word["broken"]
	}
	status = c.Status.Symbol() + " " + c.Status.Text(m.lang)
	if c.Since != "" {
		status += " " + c.Since
	}
	if c.Manual {
		if !c.HasAssessment {
			return status, m.word["noassessment"]
		}
		detail = fmt.Sprintf(m.word["assessed"], longDateIn(c.Assessed, m.lang))
		if c.Interim {
			detail = fmt.Sprintf(m.word["interim"], longDateIn(c.Assessed, m.lang), c.InterimStatus.Text(m.lang))
		}
		if c.Note != "" {
			detail += ": " + c.Note
		}
		return status, detail
	}
	var parts []string
	for _, pt := range c.Parts {
		if s := m.part(pt); s != "" { // a general expression's part has no figures
			parts = append(parts, s)
		}
	}
	detail = strings.Join(parts, "; ")
	if c.ProvisionalIn != "" {
		detail = joinNonEmpty(" ", detail, c.ProvisionalIn)
	}
	return status, detail
}

func (m *mdWriter) part(pt *part) string {
	if f := pt.Single; f != nil {
		return m.figure(f)
	}
	var ws []string
	if len(pt.Tally) > 0 {
		for _, t := range pt.Tally {
			ws = append(ws, fmt.Sprintf("%d %s %s", t.N, t.Status.Symbol(), t.Status.Text(m.lang)))
		}
		return fmt.Sprintf(m.word["windows"], len(pt.Windows), strings.Join(ws, ", "))
	}
	for _, w := range pt.Windows {
		ws = append(ws, m.chip(w))
	}
	s := strings.Join(ws, ", ")
	if pt.Caption != "" {
		s = strings.ToLower(pt.Caption[:1]) + pt.Caption[1:] + ": " + s
	}
	return s
}

func (m *mdWriter) figure(f *figure) string {
	if f.Next != "" && f.Err == "" {
		return m.figures(f) + "; " + f.Next
	}
	return m.figures(f)
}

func (m *mdWriter) figures(f *figure) string {
	switch {
	case f.Err != "":
		return m.word["error"] + ": " + diag.Translate(m.lang, f.Err)
	case f.ShowExpected():
		return fmt.Sprintf(m.word["expected"], valueOf(f.Value, f.Target, false, m.lang), numLang(*f.Expected, m.lang))
	}
	return valueOf(f.Value, f.Target, f.Upper, m.lang)
}

func (m *mdWriter) chip(c chip) string {
	switch {
	case c.NotStarted:
		return fmt.Sprintf(m.word["starts"], c.Label, shortDateIn(c.Start, m.lang))
	case c.Err:
		return c.Label + " ! " + m.word["error"]
	case c.Figures != "" && c.Next != "":
		return fmt.Sprintf("%s %s %s (%s)", c.Label, c.Status.Symbol(), c.Figures, c.Next)
	case c.Figures != "":
		return fmt.Sprintf("%s %s %s", c.Label, c.Status.Symbol(), c.Figures)
	}
	return c.Label + " " + c.Status.Symbol()
}

// mdText makes text safe in a Markdown table cell: one line, with the
// characters that Markdown would read as syntax escaped.
var mdEscaper = strings.NewReplacer("\\", "\\\\", "|", "\\|", "*", "\\*", "_", "\\_", "`", "\\`",
	"<", "&lt;", ">", "&gt;", "[", "\\[", "]", "\\]", "\r\n", " ", "\n", " ", "\r", " ")

func mdText(s string) string { return mdEscaper.Replace(strings.TrimSpace(s)) }
