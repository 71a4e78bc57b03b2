package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/lofte/lofte/engine/eval"
)

// Markdown writes the content of the public page as Markdown, in Swedish:
// per promise a header, a summary table and per area a table of the
// commitments with their status and figures (one column per year), then
// a list explaining the statuses. For a municipality's web editor or a
// repository's README.
func Markdown(w io.Writer, rep *eval.Report) error {
	p := newPage(rep, PageOptions{})
	m := &mdWriter{w: w}
	if p.Multi {
		m.printf("# %s\n\n", p.Title)
	}
	if len(p.Promises) == 0 {
		m.printf("# %s\n\nInget att utvärdera: inget löfte gäller för perioden.\n", p.Title)
	}
	for _, pv := range p.Promises {
		m.promise(p, pv)
	}
	if len(p.Promises) > 0 {
		m.legend()
	}
	return m.err
}

type mdWriter struct {
	w   io.Writer
	err error
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
		m.printf("Ett löfte mellan %s.\n\n", mdText(partyNames(pv.Parties)))
	}
	commit := "ingen commit"
	if p.Commit != "" {
		commit = "commit `" + p.Commit + "`"
	}
	if p.Dirty {
		commit += ", med ändringar som inte är incheckade"
	}
	m.printf("Period %s · utvärderat %s · %s\n\n", p.Period, longDate(p.AsOf), commit)
	if p.Errors > 0 {
		m.printf("> **Obs!** %d fel i löftets filer eller registreringar. Det som har fel räknas inte, så siffrorna kan vara för låga tills felen är rättade.\n\n", p.Errors)
	}
	if a := pv.Agenda; a != nil {
		m.agenda(h, a)
	}
	m.printf("%s# Sammanfattning\n\n", h)
	m.printf("| Status |%s\n| --- |%s\n", yearHeads(pv.Years), strings.Repeat(" ---: |", len(pv.Years)))
	for _, row := range pv.Summary {
		if !row.Shown() {
			continue
		}
		word := "! fel i regeln"
		if !row.Broken {
			word = row.Status.Symbol() + " " + row.Status.Text("sv")
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
	m.printf("%s# Att ta upp på nästa uppföljning\n\n", h)
	m.printf("Per part: det som är efter och vad som krävs för att komma i fas, och det som ska vara klart inom 30 dagar (till %s).\n\n", shortDate(a.Until))
	for _, p := range a.Parties {
		m.printf("**%s**\n\n", mdText(p.Name))
		if p.Empty() {
			m.printf("Inget är efter och inget ska vara klart inom 30 dagar.\n\n")
			continue
		}
		for _, sec := range []struct {
			head  string
			items []agendaItem
		}{{"Efter", p.Behind}, {"Ska vara klart inom 30 dagar", p.Due}} {
			if len(sec.items) == 0 {
				continue
			}
			m.printf("%s:\n\n", sec.head)
			for _, it := range sec.items {
				line := it.Status.Symbol() + " " + it.Status.Text("sv")
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
		m.printf("| Åtagande | Ansvarig | Status | Utfall |\n| --- | --- | --- | --- |\n")
	} else {
		m.printf("| Åtagande | Ansvarig |%s\n| --- | --- |%s\n", yearHeads(pv.Years), strings.Repeat(" --- |", len(pv.Years)))
	}
	for _, c := range a.Commitments {
		m.printf("| %s | %s |", mdText(c.Text), mdText(c.Owner))
		for _, cl := range c.Cells {
			status, detail := cellText(cl)
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
	m.printf("\n**Så läser du uppföljningen**\n\n")
	for _, l := range legendLines {
		m.printf("- **%s %s**: %s\n", l.status.Symbol(), l.status.Text("sv"), l.text)
	}
	m.printf("\n*Förväntat* är hur många som borde vara gjorda vid det här laget om arbetet går i jämn takt över perioden, avrundat nedåt. *Sedan* är den första dagen som statusen har gällt utan avbrott, räknat ur registreringarna. *I nuvarande takt* är var det slutar vid periodens slut om arbetet fortsätter som hittills.\n")
}

var legendLines = []struct {
	status eval.Status
	text   string
}{
	{eval.Met, "målet är nått."},
	{eval.OnTrack, "målet är inte nått än, men arbetet går i den takt som behövs."},
	{eval.Behind, "arbetet ligger efter takten, eller målet är inte nått när det är kort tid kvar."},
	{eval.Missed, "perioden tog slut utan att målet nåddes, eller ett tak har överskridits."},
	{eval.Pending, "kan bedömas först när perioden är slut."},
	{eval.Unassessed, "åtagandet bedöms av en människa och har ingen bedömning ännu."},
}

// cellText is a commitment's status in one year and its figures in words:
// "61 av 104, förväntat 69", "VT 2022 ✓ 1 av 1, HT 2022 → 0 av 1", or the
// latest assessment.
func cellText(c *cell) (status, detail string) {
	switch {
	case !c.Present:
		return "–", fmt.Sprintf("ingick inte i löftet %d", c.Year)
	case c.Broken:
		return "! fel", "regeln har fel och kunde inte räknas"
	}
	status = c.Status.Symbol() + " " + c.Status.Text("sv")
	if c.Since != "" {
		status += " " + c.Since
	}
	if c.Manual {
		if !c.HasAssessment {
			return status, "ingen bedömning"
		}
		detail = "bedömt " + longDate(c.Assessed)
		if c.Interim {
			detail = fmt.Sprintf("slutbedömning saknas; delbedömning %s (%s)", longDate(c.Assessed), c.InterimStatus.Text("sv"))
		}
		if c.Note != "" {
			detail += ": " + c.Note
		}
		return status, detail
	}
	var parts []string
	for _, pt := range c.Parts {
		parts = append(parts, pt.text())
	}
	return status, strings.Join(parts, "; ")
}

func (pt *part) text() string {
	if f := pt.Single; f != nil {
		return f.text()
	}
	var ws []string
	if len(pt.Tally) > 0 {
		for _, t := range pt.Tally {
			ws = append(ws, fmt.Sprintf("%d %s %s", t.N, t.Status.Symbol(), t.Status.Text("sv")))
		}
		return fmt.Sprintf("%d fönster: %s", len(pt.Windows), strings.Join(ws, ", "))
	}
	for _, w := range pt.Windows {
		ws = append(ws, w.text())
	}
	s := strings.Join(ws, ", ")
	if pt.Caption != "" {
		s = strings.ToLower(pt.Caption[:1]) + pt.Caption[1:] + ": " + s
	}
	return s
}

func (f *figure) text() string {
	if f.Next != "" && f.Err == "" {
		return f.figures() + "; " + f.Next
	}
	return f.figures()
}

func (f *figure) figures() string {
	switch {
	case f.Err != "":
		return "fel: " + f.Err
	case f.Upper:
		return fmt.Sprintf("%s (högst %s)", num(f.Value), num(f.Target))
	case f.ShowExpected():
		return fmt.Sprintf("%s av %s, förväntat %s", num(f.Value), num(f.Target), num(*f.Expected))
	}
	return fmt.Sprintf("%s av %s", num(f.Value), num(f.Target))
}

func (c chip) text() string {
	switch {
	case c.NotStarted:
		return fmt.Sprintf("%s … börjar %s", c.Label, shortDate(c.Start))
	case c.Err:
		return c.Label + " ! fel"
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
