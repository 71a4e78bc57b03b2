package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
)

//go:embed templates/page.html templates/style.css
var templates embed.FS

var pageTemplate = template.Must(template.New("page.html").Funcs(template.FuncMap{
	"css":         func() template.CSS { return template.CSS(mustRead("templates/style.css")) },
	"longDate":    longDate,
	"shortDate":   shortDate,
	"num":         num,
	"deref":       func(f *float64) float64 { return *f },
	"statusClass": statusClass,
	"statusWord":  statusWord,
	"statusText":  func(s eval.Status) string { return s.Text("sv") },
	"badge":       func(s int) template.HTML { return badge(eval.Status(s)) },
	"rowClass":    rowClass,
	"rowWord":     rowWord,
	"partyNames":  func(ps []promise.Party) string { return partyNames(ps, "sv") },
	"hopen":       hopen,
	"hplain": func(level int, class string) template.HTML {
		return template.HTML(fmt.Sprintf(`<h%d class="%s">`, level, template.HTMLEscapeString(class)))
	},
	"hclose":     func(level int) template.HTML { return template.HTML(fmt.Sprintf("</h%d>", level)) },
	"pollMillis": func(d time.Duration) int64 { return d.Milliseconds() },
}).ParseFS(templates, "templates/page.html"))

func mustRead(name string) string {
	b, err := templates.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time
	}
	return string(b)
}

// HTML writes the public follow-up page: one self-contained Swedish HTML
// document (inline CSS and SVG, no scripts unless Live), with a header, a
// summary, and per area each commitment's signed text, status, figures,
// burn-up chart and windows; the years of a period side by side.
func HTML(w io.Writer, rep *eval.Report, o PageOptions) error {
	if o.Live != nil && o.Live.Poll <= 0 {
		o.Live.Poll = 20 * time.Second
	}
	return pageTemplate.Execute(w, newPage(rep, o, "sv"))
}

// statusClass is the CSS class of a status: st-met, st-on_track …
func statusClass(s eval.Status) string { return "st-" + s.String() }

// statusWord is the symbol (hidden from screen readers, which read the
// word) and the word of a status.
func statusWord(s eval.Status) template.HTML {
	return template.HTML(`<span class="sym" aria-hidden="true">` + s.Symbol() + `</span> ` + template.HTMLEscapeString(s.Text("sv")))
}

func badge(s eval.Status) template.HTML {
	return template.HTML(`<span class="badge `+statusClass(s)+`">`) + statusWord(s) + `</span>`
}

func rowClass(r summaryRow) string {
	if r.Broken {
		return "st-error"
	}
	return statusClass(r.Status)
}

func rowWord(r summaryRow) template.HTML {
	if r.Broken {
		return `<span class="sym" aria-hidden="true">!</span> fel i regeln`
	}
	return statusWord(r.Status)
}

// partyNames names the parties of a promise, joined as a list in lang.
func partyNames(ps []promise.Party, lang string) string {
	var names []string
	for _, p := range ps {
		if p.Name != "" {
			names = append(names, p.Name)
		} else {
			names = append(names, p.ID)
		}
	}
	return diag.AndIn(names, lang)
}

// hopen opens a heading of a level given at run time; anchor and suffix
// make its id, and come from anchorPart (no characters to escape).
func hopen(level int, anchor, suffix, class string) template.HTML {
	s := fmt.Sprintf(`<h%d id="%s%s"`, level, template.HTMLEscapeString(anchor), template.HTMLEscapeString(suffix))
	if class != "" {
		s += ` class="` + template.HTMLEscapeString(class) + `"`
	}
	return template.HTML(s + ">")
}

// ShowExpected reports whether the expected figure is worth showing: a
// lower bound not yet decided.
func (f *figure) ShowExpected() bool {
	return f.Expected != nil && !f.Upper && f.Window.Status != eval.Met && f.Window.Status != eval.Missed
}

// scale is the top of the progress bar: the target, or the value when it
// is beyond.
func (f *figure) scale() float64 { return max(f.Target, f.Value, 1) }

// FillStyle is the width of the bar's fill.
func (f *figure) FillStyle() template.CSS {
	return template.CSS(fmt.Sprintf("width: %.1f%%", 100*max(f.Value, 0)/f.scale()))
}

// MarkStyle places the marker of the expected figure.
func (f *figure) MarkStyle() template.CSS {
	return template.CSS(fmt.Sprintf("left: %.1f%%", 100*(*f.Expected)/f.scale()))
}

// Chart is the burn-up chart of the figure, or nil.
func (f *figure) Chart() *chart { return newChart(f, "diagram-"+f.ID) }
