package report

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
)

// The burn-up chart of a count target over its window: the records
// counted so far as a rising step line, the target as a dashed line, the
// expected pace as a dotted line and the evaluation date marked. Drawn by
// hand as inline SVG so that the page needs nothing from outside.
const (
	chartW, chartH         = 420.0, 210.0
	padL, padR, padT, padB = 38.0, 14.0, 22.0, 26.0
	plotW, plotH           = chartW - padL - padR, chartH - padT - padB
	minDaysForMonths       = 60
)

// chart is what the template needs of one burn-up chart.
type chart struct {
	ID    string
	Title string
	Desc  string
	SVG   template.HTML
	Pace  bool
	Upper bool
	Rows  []chartRow
	AsOf  string
	Today bool // the evaluation date is in the window and marked
	// Projection: the line from the evaluation date to the window's end
	// where the present pace ends (docs/reference.md §10) is drawn.
	Projection bool
}

// chartRow is one month of the chart's table of figures.
type chartRow struct {
	Month    string
	Value    string
	Expected string
}

// valueAt is the cumulative figure through day d.
func valueAt(pts []eval.Point, d calendar.Date) float64 {
	v := 0.0
	for _, p := range pts {
		if p.Date > d {
			break
		}
		v = p.Value
	}
	return v
}

// newChart draws f's chart; nil when f has no cumulative figures.
func newChart(f *figure, id string) *chart {
	if len(f.Points) == 0 || f.Target <= 0 && f.Value <= 0 {
		return nil
	}
	w := f.Window
	last := min(f.AsOf, w.End)
	c := &chart{ID: id, Pace: f.Pace != nil, Upper: f.Upper, AsOf: longDate(last), Today: f.AsOf >= w.Start && f.AsOf <= w.End, Projection: f.projection() != nil}
	c.Title, c.Desc = f.describe(last)
	c.Rows = f.months(last)
	c.SVG = template.HTML(f.svg(id, last))
	return c
}

// describe is the chart's title and its text alternative with the figures.
func (f *figure) describe(last calendar.Date) (title, desc string) {
	year := windowLabel(f.Window, "sv")
	value := valueAt(f.Points, last)
	if f.Upper {
		title = fmt.Sprintf("Registrerat under %s jämfört med taket %s", year, num(f.Target))
	} else {
		title = fmt.Sprintf("Registrerat under %s jämfört med målet %s", year, num(f.Target))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Registrerat till och med %s: %s. ", longDate(last), num(value))
	if f.Upper {
		fmt.Fprintf(&b, "Tak: högst %s under %s. ", num(f.Target), year)
	} else {
		fmt.Fprintf(&b, "Mål: %s under %s. ", num(f.Target), year)
	}
	if f.Pace != nil && last < f.Window.End {
		fmt.Fprintf(&b, "Förväntat i jämn takt den dagen: %s. ", num(math.Floor(f.expectedAt(last)+1e-9)))
	}
	if n := f.projection(); n != nil {
		fmt.Fprintf(&b, "I nuvarande takt blir det %s vid %s", num(n.Projected), longDate(f.Window.End))
		if n.Low != n.High {
			fmt.Fprintf(&b, ", troligen mellan %s och %s", num(n.Low), num(n.High))
		}
		b.WriteString(". ")
	}
	var months []string
	for _, r := range f.months(last) {
		months = append(months, r.Month+" "+r.Value)
	}
	fmt.Fprintf(&b, "Totalt i slutet av varje månad: %s.", strings.Join(months, ", "))
	return title, b.String()
}

// projection is where the window's present pace ends, when the chart
// draws it: a running window with days left (docs/reference.md §10).
func (f *figure) projection() *eval.Next {
	if n := f.Window.Next; n != nil && n.DaysLeft > 0 && f.AsOf >= f.Window.Start && f.AsOf <= f.Window.End {
		return n
	}
	return nil
}

func (f *figure) expectedAt(d calendar.Date) float64 {
	return eval.Expected(f.Pace, calendar.Window{Kind: f.Window.Kind, Name: f.Window.Name, Start: f.Window.Start, End: f.Window.End}, f.Target, d)
}

// months lists the cumulative figure at the end of each month of the
// window up to last (the last month up to last itself).
func (f *figure) months(last calendar.Date) []chartRow {
	var rows []chartRow
	for d := f.Window.Start; d <= last; {
		y, m, _ := d.Date()
		end := min(calendar.NewDate(y, m+1, 1)-1, last)
		row := chartRow{Month: monthsSv[m-1], Value: num(valueAt(f.Points, end))}
		if f.Window.Start.Year() != f.Window.End.Year() {
			row.Month += fmt.Sprintf(" %d", y)
		}
		if f.Pace != nil {
			row.Expected = num(math.Floor(f.expectedAt(end) + 1e-9))
		}
		rows = append(rows, row)
		d = end + 1
	}
	return rows
}

// svg draws the chart. Colours and text sizes come from the page's CSS
// through class names.
func (f *figure) svg(id string, last calendar.Date) string {
	w := f.Window
	days := float64(w.End - w.Start + 1)
	x := func(d calendar.Date) float64 { // the end of day d
		i := math.Max(0, math.Min(days, float64(d-w.Start+1)))
		return padL + plotW*i/days
	}
	high := math.Max(f.Target, valueAt(f.Points, last))
	if n := f.projection(); n != nil {
		high = math.Max(high, n.Projected)
	}
	top, step := axis(high)
	y := func(v float64) float64 { return padT + plotH*(1-v/top) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="burnup" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-t %s-d" focusable="false">`, chartW, chartH, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">`, id, template.HTMLEscapeString(f.title()), id)
	_, desc := f.describe(last)
	b.WriteString(template.HTMLEscapeString(desc))
	b.WriteString(`</desc>`)
	f.grid(&b, x, y, top, step)
	if f.Pace != nil {
		f.paceLine(&b, x, y)
	}
	fmt.Fprintf(&b, `<line class="target" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, padL, y(f.Target), padL+plotW, y(f.Target))
	label := "mål " + num(f.Target)
	if f.Upper {
		label = "tak " + num(f.Target)
	}
	fmt.Fprintf(&b, `<text class="target-label" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, padL+plotW-2, y(f.Target)-5, label)
	if n := f.projection(); n != nil {
		// Dashed from the figure of the evaluation date to where the pace so far ends.
		fmt.Fprintf(&b, `<line class="projection" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x(last), y(valueAt(f.Points, last)), x(w.End), y(n.Projected))
	}
	f.recordsLine(&b, x, y, last)
	if f.AsOf <= w.End && f.AsOf >= w.Start {
		xt := x(f.AsOf)
		anchor := "middle"
		switch {
		case xt > padL+plotW-40:
			anchor = "end"
		case xt < padL+40:
			anchor = "start"
		}
		fmt.Fprintf(&b, `<line class="today" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, xt, padT-4, xt, padT+plotH)
		fmt.Fprintf(&b, `<text class="today-label" x="%.1f" y="%.1f" text-anchor="%s">%s</text>`, xt, padT-8, anchor, shortDate(f.AsOf))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func (f *figure) title() string {
	t, _ := f.describe(min(f.AsOf, f.Window.End))
	return t
}

// grid draws the value axis with its lines and the months.
func (f *figure) grid(b *strings.Builder, x func(calendar.Date) float64, y func(float64) float64, top, step float64) {
	b.WriteString(`<g class="grid" aria-hidden="true">`)
	for v := 0.0; v <= top+1e-9; v += step {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, padL, y(v), padL+plotW, y(v))
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`, padL-6, y(v)+4, num(v))
	}
	w := f.Window
	span := int(w.End-w.Start) + 1
	labelEvery := 3
	if span < 200 {
		labelEvery = 1
	}
	for d, n := w.Start, 0; d <= w.End; n++ {
		yy, m, _ := d.Date()
		next := calendar.NewDate(yy, m+1, 1)
		fmt.Fprintf(b, `<line class="tick" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x(d-1), padT+plotH, x(d-1), padT+plotH+5)
		if n%labelEvery == 0 && span >= minDaysForMonths {
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f">%s</text>`, x(d-1)+2, padT+plotH+18, monthsSv[m-1][:3])
		}
		d = next
	}
	fmt.Fprintf(b, `<line class="axis" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, padL, padT+plotH, padL+plotW, padT+plotH)
	b.WriteString(`</g>`)
}

// paceLine draws the expected figure through the window, month by month
// (straight for a linear pace, bent by monthly weights).
func (f *figure) paceLine(b *strings.Builder, x func(calendar.Date) float64, y func(float64) float64) {
	w := f.Window
	pts := []string{fmt.Sprintf("%.1f,%.1f", x(w.Start-1), y(0))}
	for d := w.Start; d <= w.End; {
		yy, m, _ := d.Date()
		end := min(calendar.NewDate(yy, m+1, 1)-1, w.End)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(end), y(f.expectedAt(end))))
		d = end + 1
	}
	fmt.Fprintf(b, `<polyline class="pace" points="%s"/>`, strings.Join(pts, " "))
}

// recordsLine draws the records counted as a step line with the area under
// it, up to last, and a dot at the figure of the evaluation date.
func (f *figure) recordsLine(b *strings.Builder, x func(calendar.Date) float64, y func(float64) float64, last calendar.Date) {
	var path strings.Builder
	fmt.Fprintf(&path, "M%.1f,%.1f", x(f.Window.Start-1), y(f.Points[0].Value))
	for _, p := range f.Points[1:] {
		fmt.Fprintf(&path, " H%.1f V%.1f", x(p.Date-1), y(p.Value))
	}
	v := valueAt(f.Points, last)
	fmt.Fprintf(&path, " H%.1f", x(last))
	line := path.String()
	fmt.Fprintf(b, `<path class="area" d="%s V%.1f H%.1f Z"/>`, line, y(0), x(f.Window.Start-1))
	fmt.Fprintf(b, `<path class="records" d="%s"/>`, line)
	fmt.Fprintf(b, `<circle class="now" cx="%.1f" cy="%.1f" r="4"/>`, x(last), y(v))
}

// axis is a round top for the value axis a little above v, and the step
// between its labels: 1, 2, 2.5 or 5 times a power of ten, whole numbers.
func axis(v float64) (top, step float64) {
	if v <= 0 {
		return 1, 1
	}
	step = 1
	if v > 5 {
		p := math.Pow(10, math.Floor(math.Log10(v/5)))
		for _, m := range []float64{1, 2, 2.5, 5, 10} {
			if step = m * p; step >= v/5 && step == math.Trunc(step) {
				break
			}
		}
	}
	return math.Ceil(v*1.05/step) * step, step
}
