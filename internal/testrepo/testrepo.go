// Package testrepo writes a realistic commitments repository for tests and
// benchmarks: the bundled activity vocabulary, a calendar with school terms
// for every year, one promise of 30 commitments in the style of Mullsjö's
// medborgarlöfte, and any number of made-up activity records in CSV files,
// one per year, month and activity type, plus assessments in JSON Lines.
//
// The layout is
//
//	rules/activities.yaml
//	rules/calendar.yaml
//	rules/mullsjo.yaml
//	data/YEAR/MM/TYPE.csv        the records of one type in one month
//	data/YEAR/bedomningar.jsonl  assessments of the manual commitments
//
// With Options.Promises, there are that many promises, one per
// municipality (see Kommuner), each counting its own folder:
//
//	rules/KOMMUN.yaml            with data: data/KOMMUN/
//	data/KOMMUN/YEAR/MM/TYPE.csv
//	data/KOMMUN/YEAR/bedomningar.jsonl
//
// The CSV files come in the two shapes a user's exports have: Excel's
// (";" as delimiter, ja/nej, and for some types a "sep=;" line, a byte
// order mark and CRLF line ends, or Windows-1252 text) and a plain one
// ("," as delimiter, true/false, UTF-8, LF). Which shape a file has
// depends on its type and year. Every record is valid against the
// vocabulary and every rule of the promise compiles, so a repository
// loads without a single diagnostic.
//
// The output depends only on the options: the same seed gives the same
// bytes, and with Git the same commit hashes.
package testrepo

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// Options say what Write writes.
type Options struct {
	// Records is the number of activity records, spread over the years
	// (the assessments, AssessmentsPerYear a year, come on top).
	Records int
	// Years are the years that get records, and the promise is in force
	// from the first to the last; default 2019 to 2023.
	Years []int
	// Seed chooses the records.
	Seed int64
	// Promises is the number of promises, one per municipality, each with
	// its own folder under data/ and its share of the records; 0 is the
	// single promise of Mullsjö counting all of data/.
	Promises int
	// Git makes dir a git repository (with the git command line): rules
	// in a first commit, then one commit per year of records, each with a
	// fixed author, committer and date.
	Git bool
}

// DefaultYears are the years used when Options.Years is empty.
var DefaultYears = []int{2019, 2020, 2021, 2022, 2023}

// Write writes the repository into dir, which is created when missing and
// should be empty.
func Write(dir string, opt Options) error {
	if opt.Records < 0 || opt.Promises < 0 {
		return fmt.Errorf("testrepo: Records %d and Promises %d, want 0 or more", opt.Records, opt.Promises)
	}
	years := slices.Clone(opt.Years)
	if len(years) == 0 {
		years = slices.Clone(DefaultYears)
	}
	slices.Sort(years)
	years = slices.Compact(years)
	if years[0] < 1900 || years[len(years)-1] > 9998 {
		return fmt.Errorf("testrepo: years %d..%d out of range", years[0], years[len(years)-1])
	}
	first, last := years[0], years[len(years)-1]

	w := &writer{dir: dir, git: opt.Git}
	w.file("rules/activities.yaml", []byte(Activities))
	w.file("rules/calendar.yaml", []byte(calendarYAML(first, last)))
	// folders are the data folders of the promises, "data/" for the one
	// promise of the default layout.
	folders := []string{"data/"}
	if opt.Promises == 0 {
		w.file(PromiseFile, []byte(promiseYAML(kommuner[0], "", first, last)))
	} else {
		folders = folders[:0]
		for _, k := range Kommuner(opt.Promises) {
			w.file("rules/"+k.ID+".yaml", []byte(promiseYAML(k, "data: data/"+k.ID+"/\n", first, last)))
			folders = append(folders, "data/"+k.ID+"/")
		}
	}
	if w.git {
		w.run("", "init", "-q")
		w.commit(fmt.Sprintf("%d-01-02T09:00:00+01:00", first), "Medborgarlöften, aktivitetstyper och läsårstider")
	}

	g := &gen{rng: rand.New(rand.NewPCG(uint64(opt.Seed), 0x6c6f6674655f7265))}
	for i, y := range years {
		n := share(opt.Records, len(years), i)
		for j, f := range folders {
			g.year(w, f, y, share(n, len(folders), j))
			w.file(fmt.Sprintf("%s%d/bedomningar.jsonl", f, y), assessments(y))
		}
		if w.git {
			w.commit(fmt.Sprintf("%d-12-30T15:00:00+01:00", y), fmt.Sprintf("Registreringar %d", y))
		}
	}
	return w.err
}

// share is the i-th of n split into parts nearly equal parts.
func share(n, parts, i int) int {
	k := n / parts
	if i < n%parts {
		k++
	}
	return k
}

// writer writes files and runs git, keeping the first error.
type writer struct {
	dir  string
	git  bool
	dirs map[string]bool
	err  error
}

func (w *writer) file(rel string, data []byte) {
	if w.err != nil {
		return
	}
	name := filepath.Join(w.dir, filepath.FromSlash(rel))
	if d := filepath.Dir(name); !w.dirs[d] {
		if w.err = os.MkdirAll(d, 0o755); w.err != nil {
			return
		}
		if w.dirs == nil {
			w.dirs = map[string]bool{}
		}
		w.dirs[d] = true
	}
	w.err = os.WriteFile(name, data, 0o644)
}

// commit stages everything and commits it at date.
func (w *writer) commit(date, msg string) {
	w.run("", "add", "-A")
	w.run(date, "commit", "-q", "-m", msg)
}

// run runs git in the repository, isolated from the user's and the
// system's configuration, with both dates set to date.
func (w *writer) run(date string, args ...string) {
	if w.err != nil {
		return
	}
	if date == "" {
		date = "2000-01-01T00:00:00+01:00"
	}
	cmd := exec.Command("git", append([]string{
		"-c", "init.defaultBranch=main",
		"-c", "core.autocrlf=false",
		"-c", "commit.gpgSign=false",
		"-c", "gc.auto=0",
	}, args...)...)
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(),
		"GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Uppföljning Mullsjö",
		"GIT_AUTHOR_EMAIL=uppfoljning@example.org",
		"GIT_COMMITTER_NAME=Uppföljning Mullsjö",
		"GIT_COMMITTER_EMAIL=uppfoljning@example.org",
		"GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_DATE="+date,
	)
	if out, err := cmd.CombinedOutput(); err != nil {
		w.err = fmt.Errorf("testrepo: git %s: %v\n%s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
}

// assessments are the year's assessments of the two manual commitments.
func assessments(y int) []byte {
	lines := []string{
		`{"date": "%d-04-26", "type": "assessment", "by": ["polisen"], "commitment": "droger.samverkan", "status": "on_track", "note": "Samverkan med skola och kommun fortsätter enligt plan."}`,
		`{"date": "%d-06-14", "type": "assessment", "by": ["kommunen"], "commitment": "skadegorelse.polisanmalan", "status": "on_track", "note": "Rutinen för polisanmälan används; två orsaksanalyser har bjudits in."}`,
		`{"date": "%d-12-15", "type": "assessment", "by": "polisen+kommunen", "commitment": "droger.samverkan", "status": "met", "note": "Samverkan bedöms uppfylld för året."}`,
	}
	var b []byte
	for _, l := range lines[:AssessmentsPerYear] {
		b = fmt.Appendf(b, l+"\n", y)
	}
	return b
}

// gen draws records. All randomness comes from rng, in a fixed order.
type gen struct {
	rng *rand.Rand
	buf []byte
	st  style
}

// style is the shape of one CSV file.
type style struct {
	delim     byte
	crlf      bool
	excel     bool // BOM and "sep=;" line
	cp1252    bool
	yes, no   string
	emptyBool bool // false as an empty cell
}

var (
	excelStyle = style{delim: ';', yes: "ja", no: "nej"}
	plainStyle = style{delim: ',', yes: "true", no: "false"}
)

// activity is one activity type of the vocabulary as the generator sees it.
type activity struct {
	id     string
	weight int      // share of the records, in percent
	fields []string // columns after date, type and by
	// excel is the Excel shape the type's files have in the years where
	// (year+shift) is even; in the other years, and always when excel is
	// 0, they are plain. 1: ";", ja/nej, false as an empty cell; 2: also
	// the "sep=;" line, a byte order mark and CRLF; 3: ";", ja/nej in
	// Windows-1252.
	excel int
	shift int
	row   func(g *gen)
}

var activities = []activity{
	{id: "trafikkontroll", weight: 50, excel: 2, shift: 0,
		fields: []string{"riktad_mot", "bilinspektor", "form", "plats", "antal_kontrollerade"},
		row: func(g *gen) {
			g.cell(g.by(97, 0))
			riktad := g.pct(22)
			g.cell(pick(riktad, "bilburen_ungdom", "allman"))
			if riktad {
				g.bool(g.pct(55))
			} else {
				g.bool(g.pct(5))
			}
			g.cell(pick(g.pct(35), "civil", "uniformerad"))
			g.cell(g.of(trafikPlatser))
			if g.pct(95) {
				g.int(3 + g.rng.IntN(38))
			} else {
				g.cell("")
			}
		}},
	{id: "hundsok", weight: 6, excel: 0, shift: 1,
		fields: []string{"plats", "skola"},
		row: func(g *gen) {
			g.cell(g.by(90, 0))
			switch r := g.rng.IntN(10); {
			case r < 5:
				g.cell("grundskola")
				g.cell(g.of(grundskolor))
			case r < 7:
				g.cell("gymnasium")
				g.cell("gymnasiet")
			default:
				g.cell("annan")
				g.cell("")
			}
		}},
	{id: "ledningsgrupp", weight: 3, excel: 3, shift: 0,
		fields: []string{"tema"},
		row: func(g *gen) {
			g.cell(g.by(0, 85))
			g.cell(g.of(teman))
		}},
	{id: "utvardering", weight: 3, excel: 0, shift: 0,
		fields: []string{"anteckning"},
		row: func(g *gen) {
			g.cell(g.by(10, 10))
			g.cell(g.of(utvarderingar))
		}},
	{id: "samverkansmote", weight: 14, excel: 1, shift: 1,
		fields: []string{"med"},
		row: func(g *gen) {
			g.cell(g.by(15, 25))
			g.sep()
			n := 0
			for _, v := range verksamheter {
				if g.pct(45) {
					if n > 0 {
						g.buf = append(g.buf, '+')
					}
					g.buf = append(g.buf, v...)
					n++
				}
			}
			if n == 0 {
				g.buf = append(g.buf, "skola"...)
			}
		}},
	{id: "kompetensutbildning", weight: 6, excel: 0, shift: 1,
		fields: []string{"deltagare", "amne"},
		row: func(g *gen) {
			g.cell(g.by(0, 88))
			if g.pct(93) {
				g.int(6 + g.rng.IntN(40))
			} else {
				g.cell("")
			}
			g.cell(g.of(amnen))
		}},
	{id: "trafikbeslut", weight: 6, excel: 1, shift: 0,
		fields: []string{"atgard", "plats"},
		row: func(g *gen) {
			g.cell(g.by(0, 100))
			g.cell(g.of(atgarder))
			g.cell(g.of(gator))
		}},
	{id: "orsaksanalys", weight: 12, excel: 3, shift: 1,
		fields: []string{"brottstyp", "anteckning"},
		row: func(g *gen) {
			g.cell(g.by(12, 8))
			i := g.rng.IntN(len(brottstyper))
			g.cell(brottstyper[i])
			g.cell(analyser[i][g.rng.IntN(len(analyser[i]))])
		}},
}

// monthWeights spread records over the year, fewer in July.
var monthWeights = [12]int{9, 9, 10, 9, 9, 8, 4, 7, 9, 10, 9, 7}

var (
	trafikPlatser = []string{"Mullsjö centrum", "väg 26/47", "Sandhem", "Bjurbäcken", "Nyboholm",
		"Grimstorp", "väg 185", "Ryfors", "Idrottsvägen, Mullsjö", "Järnvägsgatan", "Habovägen"}
	grundskolor   = []string{"Sandhems skola", "Nyboholmsskolan", "grundskola 7–9", "grundskola F–6, Sandhem", ""}
	teman         = []string{"lägesbild", "ANDT-arbete", "trygghet i centrum", "skadegörelse i skolmiljö", "inför sommarlovet", ""}
	utvarderingar = []string{
		"Tertialuppföljning: samverkan fungerar, fortsätt med gemensam lägesbild.",
		"Kontaktvägarna till skolan behöver förtydligas.",
		"Bra uppslutning från socialtjänsten; fler möten på fritidsgården önskas.",
		"",
	}
	verksamheter = []string{"skola", "socialtjanst", "fritidsgard", "elevhalsa", "raddningstjanst"}
	amnen        = []string{"risk- och skyddsfaktorer", "orosanmälan", "ANDT", "normbrytande beteende", "våld i nära relation"}
	atgarder     = []string{"upphojning", "avsmalning", "sidoforskjutning", "annan", ""}
	gator        = []string{"Storgatan", "Sandhemsvägen", "skolområdet Nyboholm", "Bjurbäcksvägen", "centrum", ""}
	brottstyper  = []string{"anlagd_brand", "stold", "rasistiskt_klotter", "skadegorelse"}
	analyser     = [][]string{
		{"Bränder i containrar vid idrottsplatsen. Polisanmälan gjord för varje tillfälle.", "Brand i förråd, helgkväll; ökad närvaro."},
		{"Stölder ur bodar på byggarbetsplatser, nattetid.", "Cykelstölder vid stationen."},
		{"Klotter på skolområdet och i gångtunnlar, mönster: helgkvällar.", "Snabb sanering och ökad närvaro."},
		{"Skadegörelse på busskurer; kameror diskuteras.", "Krossade rutor i centrum, \"samma grupp\" misstänks."},
	}
)

// year writes n records dated in year y into folder (ending in /), in one
// file per month and type.
func (g *gen) year(w *writer, folder string, y, n int) {
	var counts [12][]int
	for m := range counts {
		counts[m] = make([]int, len(activities))
	}
	monthTotal, typeTotal := 0, 0
	for _, wt := range monthWeights {
		monthTotal += wt
	}
	for _, a := range activities {
		typeTotal += a.weight
	}
	for range n {
		m := weighted(g.rng.IntN(monthTotal), monthWeights[:], func(x int) int { return x })
		t := weighted(g.rng.IntN(typeTotal), activities, func(a activity) int { return a.weight })
		counts[m][t]++
	}
	var perDay [32]int
	for m := range 12 {
		days := daysIn(y, time.Month(m+1))
		for t, a := range activities {
			k := counts[m][t]
			if k == 0 {
				continue
			}
			clear(perDay[:])
			for range k {
				perDay[1+g.rng.IntN(days)]++
			}
			g.st = plainStyle
			if (y+a.shift)%2 == 0 && a.excel > 0 {
				g.st = excelStyle
				g.st.excel, g.st.crlf = a.excel == 2, a.excel == 2
				g.st.cp1252 = a.excel == 3
				g.st.emptyBool = a.excel == 1
			}
			g.buf = g.buf[:0]
			g.header(a)
			for d := 1; d <= days; d++ {
				for range perDay[d] {
					g.date(y, m+1, d)
					g.cell(a.id)
					a.row(g)
					g.eol()
				}
			}
			data := g.buf
			if g.st.cp1252 {
				enc, err := charmap.Windows1252.NewEncoder().Bytes(data)
				if err != nil && w.err == nil {
					w.err = fmt.Errorf("testrepo: %s %d-%02d: %v", a.id, y, m+1, err)
				}
				data = enc
			}
			w.file(fmt.Sprintf("%s%d/%02d/%s.csv", folder, y, m+1, a.id), data)
		}
	}
}

func (g *gen) header(a activity) {
	if g.st.excel {
		g.buf = append(g.buf, 0xEF, 0xBB, 0xBF)
		g.buf = append(g.buf, "sep="...)
		g.buf = append(g.buf, g.st.delim)
		g.eol()
	}
	g.buf = append(g.buf, "date"...)
	for _, f := range append([]string{"type", "by"}, a.fields...) {
		g.buf = append(g.buf, g.st.delim)
		g.buf = append(g.buf, f...)
	}
	g.eol()
}

func (g *gen) eol() {
	if g.st.crlf {
		g.buf = append(g.buf, '\r')
	}
	g.buf = append(g.buf, '\n')
}

func (g *gen) date(y, m, d int) {
	g.buf = strconv.AppendInt(g.buf, int64(y), 10)
	g.buf = append(g.buf, '-', '0'+byte(m/10), '0'+byte(m%10), '-', '0'+byte(d/10), '0'+byte(d%10))
}

func (g *gen) sep() { g.buf = append(g.buf, g.st.delim) }

// cell writes a delimiter and s, quoted when it must be.
func (g *gen) cell(s string) {
	g.sep()
	if strings.IndexByte(s, g.st.delim) < 0 && strings.IndexByte(s, '"') < 0 {
		g.buf = append(g.buf, s...)
		return
	}
	g.buf = append(g.buf, '"')
	g.buf = append(g.buf, strings.ReplaceAll(s, `"`, `""`)...)
	g.buf = append(g.buf, '"')
}

func (g *gen) int(n int) {
	g.sep()
	g.buf = strconv.AppendInt(g.buf, int64(n), 10)
}

func (g *gen) bool(b bool) {
	switch {
	case b:
		g.cell(g.st.yes)
	case g.st.emptyBool:
		g.cell("")
	default:
		g.cell(g.st.no)
	}
}

// by is "polisen" with percent polisen, "kommunen" with percent kommunen,
// else "polisen+kommunen".
func (g *gen) by(polisen, kommunen int) string {
	switch r := g.rng.IntN(100); {
	case r < polisen:
		return "polisen"
	case r < polisen+kommunen:
		return "kommunen"
	}
	return "polisen+kommunen"
}

func (g *gen) pct(p int) bool        { return g.rng.IntN(100) < p }
func (g *gen) of(vs []string) string { return vs[g.rng.IntN(len(vs))] }

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// weighted returns the index of the item that r, below the sum of the
// weights, falls on.
func weighted[T any](r int, items []T, weight func(T) int) int {
	for i, it := range items {
		if r -= weight(it); r < 0 {
			return i
		}
	}
	return len(items) - 1
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// HaveGit reports whether the git command, which Options.Git needs, is
// installed.
func HaveGit() bool {
	_, err := exec.LookPath("git")
	return err == nil
}
