package report

import (
	"bytes"
	"encoding/xml"
	"github.com/google/go-cmp/cmp"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// pages are the public renderings of the bundled example that have golden
// files: one year during the year (as lofte serve with sign-in shows it,
// with a link to recording in its navigation), and the two years side by
// side.
var pages = []struct {
	name   string
	period calendar.Period
	asOf   string
	links  []Link
}{
	{"2022-08-31", calendar.Period{First: 2022, Last: 2022}, "2022-08-31", []Link{{Label: "Logga in för att registrera", Href: "/registrera"}}},
	{"2021-2022", calendar.Period{First: 2021, Last: 2022}, "2022-08-31", nil},
}

func evaluateExample(t *testing.T, r *repository.Repository, p calendar.Period, asOf string) *eval.Report {
	t.Helper()
	d, err := calendar.ParseDate(asOf)
	if err != nil {
		t.Fatal(err)
	}
	return r.Evaluate(p, d)
}

func TestPageGolden(t *testing.T) {
	r := example(t)
	for _, pg := range pages {
		rep := evaluateExample(t, r, pg.period, pg.asOf)
		t.Run(pg.name+".html", func(t *testing.T) {
			var b bytes.Buffer
			if err := HTML(&b, rep, PageOptions{Cumulative: r.Cumulative, Links: pg.links}); err != nil {
				t.Fatal(err)
			}
			golden(t, pg.name+".html", b.Bytes())
		})
		t.Run(pg.name+".md", func(t *testing.T) {
			var b bytes.Buffer
			if err := Markdown(&b, rep); err != nil {
				t.Fatal(err)
			}
			golden(t, pg.name+".md", b.Bytes())
		})
	}
}

// TestHTMLStructure checks what the public page promises beyond its
// looks: self-contained, Swedish, headings in order, tables with captions
// and header cells, charts with a title and the figures in words, and a
// status never by colour alone.
func TestHTMLStructure(t *testing.T) {
	r := example(t)
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := HTML(&b, evaluateExample(t, r, pg.period, pg.asOf), PageOptions{Cumulative: r.Cumulative}); err != nil {
				t.Fatal(err)
			}
			checkPage(t, b.String(), false, 12*len(pg.period.Years()))
		})
	}
}

var (
	headingRe = regexp.MustCompile(`<h([1-6])[ >]`)
	tableRe   = regexp.MustCompile(`(?s)<table[^>]*>(.*?)</table>`)
	svgRe     = regexp.MustCompile(`(?s)<svg[^>]*>.*?</svg>`)
	badgeRe   = regexp.MustCompile(`class="badge st-[a-z_]+"><span class="vh">[^<]*</span><span class="sym" aria-hidden="true">(.)</span> ([a-zåäö ]+)</p>`)
	idRe      = regexp.MustCompile(` id="([^"]+)"`)
)

func checkPage(t *testing.T, page string, live bool, badges int) {
	t.Helper()
	if !strings.HasPrefix(page, "<!DOCTYPE html>\n<html lang=\"sv\">") {
		t.Error("not an HTML document in Swedish")
	}
	for _, ref := range []string{`src="http`, `href="http`, `url(`, `@import`, `<link`, `<img`} {
		if strings.Contains(page, ref) {
			t.Errorf("refers to something outside the page: %s", ref)
		}
	}
	if got := strings.Contains(page, "<script"); got != live {
		t.Errorf("script in the page: %v, want %v", got, live)
	}
	last := 0
	for i, m := range headingRe.FindAllStringSubmatch(page, -1) {
		level, _ := strconv.Atoi(m[1])
		if i == 0 && level != 1 || level > last+1 {
			t.Errorf("heading %d is h%d after h%d", i, level, last)
		}
		last = level
	}
	tables := tableRe.FindAllStringSubmatch(page, -1)
	if len(tables) == 0 {
		t.Error("no tables")
	}
	for _, m := range tables {
		if !strings.Contains(m[1], "<caption>") || !strings.Contains(m[1], `<th scope="col">`) {
			t.Errorf("table without caption or header cells: %.200s", m[1])
		}
	}
	svgs := svgRe.FindAllString(page, -1)
	if len(svgs) == 0 {
		t.Error("no charts")
	}
	for _, s := range svgs {
		if !strings.Contains(s, `role="img"`) || !strings.Contains(s, "<title id=") || !strings.Contains(s, "Registrerat till och med") {
			t.Errorf("chart without role, title or figures: %.300s", s)
		}
	}
	if n := len(badgeRe.FindAllString(page, -1)); n != badges {
		t.Errorf("%d status badges with symbol and word, want %d: one per commitment and year", n, badges)
	}
	seen := map[string]bool{}
	for _, m := range idRe.FindAllStringSubmatch(page, -1) {
		if seen[m[1]] {
			t.Errorf("id %q twice", m[1])
		}
		seen[m[1]] = true
	}
}

func TestHTMLLive(t *testing.T) {
	r := example(t)
	rep := evaluateExample(t, r, calendar.Period{First: 2022, Last: 2022}, "2022-08-31")
	var b bytes.Buffer
	live := &Live{ETag: `"abc"`, StatusURL: "api/status", Poll: 5 * time.Second}
	if err := HTML(&b, rep, PageOptions{Live: live}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	checkPageNoCharts(t, page)
	for _, want := range []string{`data-etag="&#34;abc&#34;"`, `fetch("api/status"`, "5000 )", "uppdateras av sig själv"} {
		if !strings.Contains(page, want) {
			t.Errorf("live page without %s", want)
		}
	}
}

// checkPageNoCharts checks a page rendered without cumulative figures: it
// still has progress bars and no chart.
func checkPageNoCharts(t *testing.T, page string) {
	t.Helper()
	if strings.Contains(page, "<svg") {
		t.Error("charts without cumulative figures")
	}
	if !strings.Contains(page, `class="bar"`) {
		t.Error("no progress bars")
	}
}

func TestEmptyPage(t *testing.T) {
	r := example(t)
	rep := evaluateExample(t, r, calendar.Period{First: 2030, Last: 2030}, "2030-05-01")
	var h, m bytes.Buffer
	if err := HTML(&h, rep, PageOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := Markdown(&m, rep); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{h.String(), m.String()} {
		if !strings.Contains(s, "Inget att utvärdera") {
			t.Errorf("empty report does not say so:\n%.500s", s)
		}
	}
}

func TestAxis(t *testing.T) {
	tests := []struct{ v, top, step float64 }{
		{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {4, 5, 1}, {5, 6, 1},
		{9, 10, 2}, {10, 12, 2}, {104, 125, 25}, {250, 300, 50}, {1000, 1200, 200},
	}
	for _, tt := range tests {
		if top, step := axis(tt.v); top != tt.top || step != tt.step {
			t.Errorf("axis(%v) = %v, %v; want %v, %v", tt.v, top, step, tt.top, tt.step)
		}
	}
}

func TestMarkdownEscapes(t *testing.T) {
	if got, want := mdText(" a | b *c* _d_ <e>\n[f] `g` \\ "), `a \| b \*c\* \_d\_ &lt;e&gt; \[f\] \`+"`g\\`"+` \\`; got != want {
		t.Errorf("mdText = %q, want %q", got, want)
	}
}

// edgeFiles is a repository with what the bundled example lacks: two
// promises, a rule that does not compile, an upper bound, a rule per week,
// pace none, a general expression, a bad record and a party-less promise.
var edgeFiles = map[string]string{
	"rules/activities.yaml": `activities:
  kontroll:
    fields:
      form: {enum: [civil, uniformerad]}
  klotter:
    title: Klotter
`,
	"rules/a.yaml": `promise: a
title: "Löfte A <&> \"citat\""
parties:
  polisen: Polisen
  kommunen: Kommunen
valid: 2022
commitments:
  - id: a.vecka
    area: trafik
    owner: [polisen, kommunen]
    text: En kontroll varje vecka | med *stjärnor* och <taggar>.
    rule: count(kontroll) per vecka >= 1
  - id: a.tak
    area: trafik
    owner: kommunen
    text: Högst tre klotter om året.
    rule: count(klotter) <= 3
  - id: a.ingen-takt
    area: övrigt
    owner: polisen
    pace: none
    text: Tio kontroller, när som helst under året.
    rule: count(kontroll) >= 10
  - id: a.trasig
    area: övrigt
    owner: polisen
    text: En regel med fel.
    rule: count(kontrol) >= 1
  - id: a.uttryck
    area: övrigt
    owner: polisen
    text: Alla kontroller har en form.
    rule: all(kontroll, .form != nil)
`,
	"rules/b.yaml": `promise: b
title: Löfte B
parties:
  kommunen: Kommunen
valid: 2022
commitments:
  - id: b.manuell
    area: trygghet
    owner: kommunen
    text: Kommunen bedömer själv.
    assess: manual
`,
	"data/k.yaml": `- {date: 2022-01-03, type: kontroll, by: polisen, form: civil}
- {date: 2022-01-12, type: kontroll, by: polisen, form: civil}
- {date: 2022-02-01, type: kontroll, by: polisen}
- {date: 2022-03-01, type: klotter, by: kommunen}
- {date: 2022-03-02, type: klotter, by: kommunen}
- {date: 2022-03-03, type: klotter, by: kommunen}
- {date: 2022-03-04, type: klotter, by: kommunen}
- {date: 2022-03-05, type: okand, by: kommunen}
`,
}

func edgeRepo(t *testing.T) *repository.Repository {
	t.Helper()
	snap := &source.Snapshot{Root: "/kanter", Commit: "89abcdef0123456789abcdef0123456789abcdef", Dirty: true, Git: true}
	for _, p := range slices.Sorted(maps.Keys(edgeFiles)) {
		snap.Files = append(snap.Files, source.File{Path: p, Data: []byte(edgeFiles[p])})
	}
	r := repository.Load(snap)
	if r.Diags.Errors() != 2 {
		t.Fatalf("want 2 errors (the rule, the record), got:\n%v", r.Diags)
	}
	return r
}

func TestEdgeCases(t *testing.T) {
	r := edgeRepo(t)
	rep := evaluateExample(t, r, calendar.Period{First: 2022, Last: 2022}, "2022-04-30")
	var h, m, j, x bytes.Buffer
	if err := HTML(&h, rep, PageOptions{Cumulative: r.Cumulative}); err != nil {
		t.Fatal(err)
	}
	checkPage(t, h.String(), false, 6)
	for _, want := range []string{
		"<h1>Uppföljning av medborgarlöften</h1>", `<h2 id="lofte-a-rubrik" class="promise-title">Löfte A &lt;&amp;&gt; &#34;citat&#34;</h2>`,
		"<h3 id=\"lofte-a-sammanfattning\">Sammanfattning</h3>", "<h4 id=\"a-a-vecka-text\" class=\"c-text\">",
		"Obs!</strong> 2 fel", "med ändringar som inte är incheckade", "Regeln har fel och kunde inte räknas.",
		"(högst 3)", "tak 3", "Alla 52 fönster", "Per vecka", "Ingen bedömning har gjorts under 2022 ännu.",
	} {
		if !strings.Contains(h.String(), want) {
			t.Errorf("the page has no %s", want)
		}
	}
	if strings.Contains(h.String(), "Förväntat vid det här laget: ") && strings.Count(h.String(), "Förväntat vid det här laget") > 0 {
		// only a.ingen-takt could have one, and it has pace none
		t.Error("an expected figure without a pace")
	}
	if err := Markdown(&m, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Uppföljning av medborgarlöften\n", "## Löfte A &lt;&&gt; \"citat\"\n", `En kontroll varje vecka \| med \*stjärnor\* och &lt;taggar&gt;.`,
		"| ! fel | regeln har fel och kunde inte räknas |", "52 fönster: ", "| ✗ ej uppfyllt sedan 4 mars | 4 (högst 3) |"} {
		if !strings.Contains(m.String(), want) {
			t.Errorf("the Markdown has no %q:\n%s", want, m.String())
		}
	}
	if err := JUnit(&j, rep, "sv"); err != nil {
		t.Fatal(err)
	}
	var suites xSuites
	if err := xml.Unmarshal(j.Bytes(), &suites); err != nil {
		t.Fatal(err)
	}
	// The files' errors first, a test case per file with its first error
	// at file:line:column; the broken rule's error at its commitment.
	if suites.Tests != 8 || suites.Errors != 3 || len(suites.Suites) != 3 || suites.Suites[0].Name != "filer" {
		t.Errorf("JUnit: %d tests, %d errors, %d suites", suites.Tests, suites.Errors, len(suites.Suites))
	} else {
		errs := map[string]string{}
		for _, s := range suites.Suites {
			for _, c := range s.Cases {
				if c.Error != nil {
					errs[s.Name+"/"+c.Name] = c.Error.Message
					if !strings.Contains(c.Error.Text, c.Error.Message) {
						t.Errorf("%s: text %q lacks the message", c.Name, c.Error.Text)
					}
				}
			}
		}
		want := map[string]string{
			"filer/data/k.yaml":  `data/k.yaml:8:28: okänd aktivitetstyp "okand" (aktivitetstyperna står i rules/activities.yaml)`,
			"filer/rules/a.yaml": "rules/a.yaml:28:17: åtagandet a.trasig: okänd aktivitetstyp \"kontrol\" (menade du `kontroll`?)",
			"a 2022/a.trasig":    "rules/a.yaml:28:17: åtagandet a.trasig: okänd aktivitetstyp \"kontrol\" (menade du `kontroll`?)",
		}
		if diff := cmp.Diff(want, errs); diff != "" {
			t.Errorf("JUnit errors (-want +got):\n%s", diff)
		}
	}
	if err := Metrics(&x, rep); err != nil {
		t.Fatal(err)
	}
	samples := parseExposition(t, x.String())
	if got := find(samples, "lofte_errors", nil); len(got) != 1 || got[0].value != 2 {
		t.Errorf("lofte_errors %v", got)
	}
	if got := find(samples, "lofte_commitment_status", map[string]string{"id": "a.tak", "status": "missed"}); len(got) != 1 || got[0].value != 1 {
		t.Errorf("a.tak missed: %v", got)
	}
}

// TestPageLinks: links given in PageOptions are in the page's navigation,
// after its own, and an address that could run a script is not written.
func TestPageLinks(t *testing.T) {
	r := example(t)
	rep := evaluateExample(t, r, calendar.Period{First: 2022, Last: 2022}, "2022-08-31")
	var b bytes.Buffer
	links := []Link{{Label: "Logga in för att registrera", Href: "/registrera"}, {Label: "<b>x</b>", Href: "javascript:alert(1)"}}
	if err := HTML(&b, rep, PageOptions{Links: links}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	nav := page[strings.Index(page, `<nav class="toc"`):]
	nav = nav[:strings.Index(nav, "</nav>")]
	if !strings.Contains(nav, `<a href="#om-uppfoljningen">Så läser du sidan</a></li>
<li class="nav-extra"><a href="/registrera">Logga in för att registrera</a></li>`) {
		t.Errorf("no link to /registrera after the page's own links:\n%s", nav)
	}
	if strings.Contains(page, "javascript:") || strings.Contains(page, "<b>x</b>") {
		t.Errorf("an unsafe link is written as it is:\n%s", nav)
	}
	var plain bytes.Buffer
	if err := HTML(&plain, rep, PageOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), `class="nav-extra"`) {
		t.Error("a link without being asked for one")
	}
}
