package report

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
)

// CumulativeFunc returns the cumulative figures of an evaluation's count
// windows, as repository.Repository.Cumulative does: what burn-up charts draw.
type CumulativeFunc func(eval.Evaluation) map[*promise.Commitment][][]eval.Point

// PageOptions are the options of the public renderers (HTML, Markdown).
type PageOptions struct {
	// Cumulative, when set, gives the figures of the burn-up charts of
	// the HTML page; without it the page has progress bars only.
	Cumulative CumulativeFunc
	// Live, when set, makes the HTML page check for a new status and
	// reload itself (lofte serve).
	Live *Live
	// Links are extra links of the HTML page's navigation, after its own
	// (lofte serve with sign-in: "Logga in för att registrera").
	Links []Link
}

// Link is a link of the page's navigation: its text and where it goes
// (a path on the same site, or an http(s) address).
type Link struct {
	Label string
	Href  string
}

// Live is how a served page learns that the status has changed: it polls
// StatusURL with If-None-Match: ETag every Poll and reloads on a new ETag.
type Live struct {
	ETag      string
	StatusURL string
	Poll      time.Duration
}

// The view of a report that the HTML and Markdown renderers share: one
// block per promise, its years side by side.
type (
	page struct {
		Title    string
		Promises []*promiseView
		AsOf     calendar.Date
		Commit   string // short hash, or ""
		Dirty    bool
		Errors   int
		Period   string
		Live     *Live
		Links    []Link
		Multi    bool   // several promises: each gets its own heading under a common title
		Lang     string // of the words the view is made of: "sv" (the HTML page) or "en"
	}
	promiseView struct {
		ID      string
		Title   string
		Parties []promise.Party
		Years   []int
		Summary []summaryRow
		Areas   []*areaView
		Agenda  *agenda // of the latest year evaluated, while it runs; nil otherwise
		Anchor  string
		// Heading levels: of the promise (when the page has several), of
		// its sections, of its commitments.
		Multi      bool
		HP, HS, HC int
	}
	summaryRow struct {
		Status eval.Status
		Broken bool  // the row of rules that could not be evaluated
		Counts []int // per year
	}
	areaView struct {
		ID          string
		Title       string
		Anchor      string
		Commitments []*commitmentView
	}
	commitmentView struct {
		ID     string
		Anchor string
		Text   string
		Owner  string
		Rule   string
		H      int     // heading level
		Cells  []*cell // one per year of the promise view
	}
	// cell is a commitment in one year; Present is false when the
	// promise in force that year does not have it.
	cell struct {
		Year          int
		Present       bool
		Status        eval.Status
		Broken        bool
		Manual        bool
		HasAssessment bool
		Assessed      calendar.Date
		AssessBy      string
		Note          string
		YearOver      bool   // the evaluation date is after the year
		Since         string // "sedan 22 jan" (docs/reference.md §10), or ""
		Interim       bool   // a manual commitment whose year ended on an interim assessment (§7)
		InterimStatus eval.Status
		Parts         []*part
		Provisional   string // behind only by records not recorded yet: why, as a sentence, else ""
		ProvisionalIn string // the same as a flag after the figures: "(preliminärt: …)"
	}
	// part is one comparison of a rule: a single window with figures, or
	// the windows of a `per` clause.
	part struct {
		Src     string // the comparison, when the rule has several parts
		Caption string // "Per termin", "Per form": what the windows are
		Single  *figure
		Windows []chip
		Tally   []tally // many windows (per vecka, per dag): counts by status
	}
	figure struct {
		ID       string // for the chart's ids
		Window   eval.Window
		Value    float64
		Target   float64
		Expected *float64
		Upper    bool
		Err      string
		Points   []eval.Point
		Pace     *promise.Commitment // for the pace line; nil without one
		AsOf     calendar.Date
		Next     string // what remains and where the pace ends, in words, or ""
	}
	chip struct {
		Label      string
		Status     eval.Status
		NotStarted bool
		Start      calendar.Date
		Figures    string // "1 av 1" ("1 of 1"), or ""
		Err        bool
		Next       string // what remains of a running window, in words, or ""
	}
	tally struct {
		Status eval.Status
		N      int
	}
)

// manyWindows is the number of windows above which a part is summed up by
// status (per vecka, per dag) instead of listed.
const manyWindows = 12

// newPage is the view of rep in lang ("sv" or "en"): its words, dates,
// numbers and statuses. The HTML page is always Swedish.
func newPage(rep *eval.Report, o PageOptions, lang string) *page {
	if lang != "en" {
		lang = "sv"
	}
	p := &page{AsOf: rep.AsOf, Dirty: rep.Source.Dirty, Errors: rep.Diags.Errors(), Live: o.Live, Links: o.Links, Lang: lang}
	if c := rep.Source.Commit; c != "" {
		p.Commit = c[:min(7, len(c))]
	}
	byID := map[string]*promiseView{}
	for _, ev := range rep.Evaluations {
		pv := byID[ev.Promise.ID]
		if pv == nil {
			pv = &promiseView{ID: ev.Promise.ID, Anchor: "lofte-" + anchorPart(ev.Promise.ID)}
			byID[ev.Promise.ID] = pv
			p.Promises = append(p.Promises, pv)
		}
		// The latest year's promise names the promise and its parties.
		pv.Title, pv.Parties = ev.Promise.Title, ev.Promise.Parties
		if pv.Title == "" {
			pv.Title = ev.Promise.ID
		}
		pv.add(ev, o.Cumulative, lang)
		pv.Agenda = newAgenda(ev, lang)
	}
	p.Multi = len(p.Promises) > 1
	var years []int
	for _, pv := range p.Promises {
		pv.Multi, pv.HP, pv.HS, pv.HC = p.Multi, 2, 2, 3
		if p.Multi {
			pv.HS, pv.HC = 3, 4
		}
		for _, a := range pv.Areas {
			for _, c := range a.Commitments {
				c.H = pv.HC
			}
		}
		years = append(years, pv.Years...)
	}
	if len(years) > 0 {
		p.Period = fmt.Sprint(slices.Min(years))
		if last := slices.Max(years); last != slices.Min(years) {
			p.Period += fmt.Sprintf("–%d", last)
		}
	}
	p.Title = "Uppföljning av medborgarlöften"
	if lang == "en" {
		p.Title = "Follow-up of citizen promises"
	}
	if len(p.Promises) == 1 {
		p.Title = p.Promises[0].Title
	}
	return p
}

// add puts one year of the promise in a new column.
func (pv *promiseView) add(ev eval.Evaluation, cum CumulativeFunc, lang string) {
	col := len(pv.Years)
	pv.Years = append(pv.Years, ev.Year)
	for _, a := range pv.Areas {
		for _, c := range a.Commitments {
			c.Cells = append(c.Cells, &cell{Year: ev.Year})
		}
	}
	var points map[*promise.Commitment][][]eval.Point
	if cum != nil {
		points = cum(ev)
	}
	for _, res := range ev.Results {
		cv := pv.commitment(ev.Promise, res.Commitment, col)
		c := res.Commitment
		cv.Text, cv.Owner, cv.Rule = c.Text, ownerNames(ev.Promise, c.Owner, lang), strings.TrimSpace(c.Rule.Value)
		if cv.Text == "" {
			cv.Text = c.ID
		}
		cv.Cells[col] = newCell(ev, res, points[c], lang)
		for i, pt := range cv.Cells[col].Parts {
			if pt.Single != nil {
				pt.Single.ID = fmt.Sprintf("%s-%d-%d", cv.Anchor, ev.Year, i+1)
			}
		}
	}
	pv.summarize(ev, col)
}

// commitment finds or adds the row of c, in its area.
func (pv *promiseView) commitment(p *promise.Promise, c *promise.Commitment, col int) *commitmentView {
	var area *areaView
	for _, a := range pv.Areas {
		if a.ID == c.Area {
			area = a
		}
	}
	if area == nil {
		area = &areaView{ID: c.Area, Title: p.AreaTitle(c.Area), Anchor: anchorPart(pv.ID + "-" + c.Area)}
		pv.Areas = append(pv.Areas, area)
	}
	for _, cv := range area.Commitments {
		if cv.ID == c.ID {
			return cv
		}
	}
	cv := &commitmentView{ID: c.ID, Anchor: anchorPart(pv.ID + "-" + c.ID)}
	for i := 0; i <= col; i++ {
		cv.Cells = append(cv.Cells, &cell{Year: pv.Years[i]})
	}
	area.Commitments = append(area.Commitments, cv)
	return cv
}

// summaryStatuses are the statuses the summary always shows, in order.
var summaryStatuses = []eval.Status{eval.Met, eval.OnTrack, eval.Behind, eval.Missed, eval.Unassessed, eval.Pending}

func (pv *promiseView) summarize(ev eval.Evaluation, col int) {
	if pv.Summary == nil {
		for _, s := range summaryStatuses {
			pv.Summary = append(pv.Summary, summaryRow{Status: s})
		}
		pv.Summary = append(pv.Summary, summaryRow{Broken: true})
	}
	for i := range pv.Summary {
		pv.Summary[i].Counts = append(pv.Summary[i].Counts, 0)
	}
	for _, res := range ev.Results {
		for i, row := range pv.Summary {
			if row.Broken == res.Broken && (row.Broken || row.Status == res.Status) {
				pv.Summary[i].Counts[col]++
			}
		}
	}
}

// Shown reports whether a summary row is shown: the five statuses of the
// contract always, pending and broken rules when there are some.
func (r summaryRow) Shown() bool {
	if !r.Broken && r.Status != eval.Pending {
		return true
	}
	for _, n := range r.Counts {
		if n > 0 {
			return true
		}
	}
	return false
}

func newCell(ev eval.Evaluation, res eval.Result, points [][]eval.Point, lang string) *cell {
	c := &cell{Year: ev.Year, Present: true, Status: res.Status, Broken: res.Broken, Manual: res.Commitment.Manual, Note: res.Note}
	c.YearOver = ev.AsOf > calendar.NewDate(ev.Year, time.December, 31)
	c.Since = SinceText(res.Since, ev.AsOf, lang)
	c.Interim, c.InterimStatus = res.Interim, res.Assessed
	if res.Provisional {
		c.Provisional, c.ProvisionalIn = provisionalSentence(res.Lags, lang), provisionalText(res.Lags, lang)
	}
	if a := res.Assessment; a != nil {
		c.HasAssessment, c.Assessed = true, a.Date
		c.AssessBy = ownerNames(ev.Promise, a.By, lang)
	}
	if c.Manual || c.Broken {
		return c
	}
	start := 0
	for _, ws := range groupParts(res.Windows) {
		pt := &part{}
		if len(res.Windows) > len(ws) {
			pt.Src = ws[0].Part
		}
		var pts [][]eval.Point
		if start+len(ws) <= len(points) {
			pts = points[start : start+len(ws)]
		}
		start += len(ws)
		switch {
		case len(ws) == 1 && ws[0].Group == "":
			if w := ws[0]; w.Value != nil && w.Target != nil || w.Err != nil {
				pt.Single = newFigure(ev, res.Commitment, w, pts, lang)
			} // else a general expression: no figures to show (docs/reference.md §7)
		case len(ws) > manyWindows:
			pt.Tally = tallyOf(ws)
			fallthrough
		default:
			pt.Caption = caption(ws, firstNonEmpty(pt.Src, res.Commitment.Rule.Value), lang)
			for _, w := range ws {
				pt.Windows = append(pt.Windows, newChip(w, ev.AsOf, lang))
			}
		}
		c.Parts = append(c.Parts, pt)
	}
	return c
}

func newFigure(ev eval.Evaluation, c *promise.Commitment, w eval.Window, pts [][]eval.Point, lang string) *figure {
	f := &figure{Window: w, Upper: w.Upper, Expected: w.Expected, AsOf: ev.AsOf}
	if w.Err != nil {
		f.Err = w.Err.Error()
	}
	if w.Value != nil && w.Target != nil {
		f.Value, f.Target = *w.Value, *w.Target
		if len(pts) == 1 {
			f.Points = pts[0]
		}
	}
	if w.Expected != nil && !w.Upper {
		f.Pace = c
	}
	if w.Target != nil {
		f.Next = NextText(w.Next, *w.Target, w.End, lang)
	}
	return f
}

func newChip(w eval.Window, asOf calendar.Date, lang string) chip {
	ch := chip{Label: windowLabel(w, lang), Status: w.Status, NotStarted: asOf < w.Start, Start: w.Start, Err: w.Err != nil}
	if w.Group != "" {
		if w.Name == yearName(w) {
			ch.Label = w.Group
		} else {
			ch.Label += " · " + w.Group
		}
	}
	if w.Value != nil && w.Target != nil {
		ch.Figures = valueOf(*w.Value, *w.Target, w.Upper, lang)
		ch.Next = NextText(w.Next, *w.Target, w.End, lang)
	}
	return ch
}

// valueOf is a value against its target: "61 av 104" ("61 of 104"), or
// "4 (högst 3)" ("4 (at most 3)") for an upper bound.
func valueOf(value, target float64, upper bool, lang string) string {
	switch {
	case upper && lang == "en":
		return fmt.Sprintf("%s (at most %s)", numLang(value, lang), numLang(target, lang))
	case upper:
		return fmt.Sprintf("%s (högst %s)", num(value), num(target))
	case lang == "en":
		return fmt.Sprintf("%s of %s", numLang(value, lang), numLang(target, lang))
	}
	return fmt.Sprintf("%s av %s", num(value), num(target))
}

// caption says what the windows of a `per` part are: "Per termin",
// "Per form", "Per termin och form" ("Per term and form" in English).
func caption(ws []eval.Window, src, lang string) string {
	var by []string
	if k := ws[0].Kind; k != calendar.Year {
		name := k.String()
		if lang == "en" {
			name = k.English()
		}
		by = append(by, name)
	}
	if ws[0].Group != "" {
		if f := perField(src); f != "" {
			by = append(by, f)
		}
	}
	if len(by) == 0 {
		return ""
	}
	return "Per " + strings.Join(by, and(lang))
}

// and is the word that joins the last two of a list: " och ", " and ".
func and(lang string) string {
	if lang == "en" {
		return " and "
	}
	return " och "
}

var perRe = regexp.MustCompile(`\bper\s+([\p{L}_][\p{L}\p{N}_]*)`)

// perField finds the field of a `per FIELD` clause in a comparison.
func perField(src string) string {
	for _, m := range perRe.FindAllStringSubmatch(src, -1) {
		if _, isKind := calendar.ParseKind(m[1]); !isKind {
			return m[1]
		}
	}
	return ""
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func tallyOf(ws []eval.Window) []tally {
	var out []tally
	for s := eval.Met; s >= eval.Missed; s-- {
		n := 0
		for _, w := range ws {
			if w.Status == s {
				n++
			}
		}
		if n > 0 {
			out = append(out, tally{Status: s, N: n})
		}
	}
	return out
}

// ownerNames names the parties of ids by the short form of their names
// ("Polismyndigheten, lokalpolisområde Jönköping" → "Polismyndigheten"),
// joined with "och" ("and" in English).
func ownerNames(p *promise.Promise, ids []string, lang string) string {
	var names []string
	for _, id := range ids {
		name := id
		for _, pt := range p.Parties {
			if pt.ID == id && pt.Name != "" {
				name, _, _ = strings.Cut(pt.Name, ",")
			}
		}
		names = append(names, name)
	}
	return diag.AndIn(names, lang)
}

// anchorPart makes an id usable in a URL fragment without escaping.
func anchorPart(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		case r == 'å' || r == 'ä':
			return 'a'
		case r == 'ö':
			return 'o'
		case r == 'Å' || r == 'Ä':
			return 'A'
		case r == 'Ö':
			return 'O'
		}
		return '-'
	}, s)
}

var (
	monthsSv = [...]string{"januari", "februari", "mars", "april", "maj", "juni",
		"juli", "augusti", "september", "oktober", "november", "december"}
	monthsEn = [...]string{"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December"}
)

// longDate is "31 augusti 2022".
func longDate(d calendar.Date) string { return longDateIn(d, "sv") }

// longDateIn is longDate in lang: "31 August 2022" in English.
func longDateIn(d calendar.Date, lang string) string {
	y, m, day := d.Date()
	if lang == "en" {
		return fmt.Sprintf("%d %s %d", day, monthsEn[m-1], y)
	}
	return fmt.Sprintf("%d %s %d", day, monthsSv[m-1], y)
}

// shortDate is "31 aug".
func shortDate(d calendar.Date) string { return shortDateIn(d, "sv") }

// shortDateIn is shortDate in lang: "31 Aug" in English.
func shortDateIn(d calendar.Date, lang string) string {
	_, m, day := d.Date()
	if lang == "en" {
		return fmt.Sprintf("%d %s", day, monthsEn[m-1][:3])
	}
	return fmt.Sprintf("%d %s", day, monthsSv[m-1][:3])
}
