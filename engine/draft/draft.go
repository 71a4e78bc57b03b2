// Package draft reads the text of a signed medborgarlöfte and drafts a
// promise file and the activity types its rules need, for a person to
// review (docs/reference.md §9, lofte draft). It is pure: text in, YAML
// out. The rules of Swedish it reads are tables in swedish.go; every rule
// it suggests carries comments saying what it was read from and how sure
// the reading is, and a commitment with no count to read is assessed by
// hand (assess: manual). Nothing is invented without a comment saying so.
package draft

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lofte/lofte/engine/privacy"
	"github.com/lofte/lofte/engine/promise"
)

// The party ids of a draft (docs/reference.md §2).
const (
	Police       = "polisen"
	Municipality = "kommunen"
)

// Options are what the caller knows beside the text.
type Options struct {
	// ID is the promise's id; "" makes one from the municipality's name.
	ID string
	// Year is the year the promise governs when the text names none
	// (the caller's today: the package never reads the clock).
	Year int
	// Source is the document's file name, for the file's header.
	Source string
	// Vocabulary is the repository's activity types: a rule uses a field
	// of one only when it is declared there (nil: none).
	Vocabulary *promise.Vocabulary
}

// Commitment is one drafted commitment.
type Commitment struct {
	ID      string
	Area    string
	Owner   []string
	Text    string // verbatim
	Rule    string // "" when assessed by hand
	Notes   []string
	Sure    Sureness
	Manual  bool
	act     *suggestion
	extra   string   // a table's frequency cell, read with the text
	jointBy string   // the lead line saying the parties do it together
	parts   []string // the sentences of Text, while the document is read
}

// Area is a heading commitments stand under.
type Area struct{ ID, Title string }

// Activity is a proposed activity type.
type Activity struct {
	ID, Title string
	Fields    []Field
}

// Field is a proposed field: kind is bool or enum.
type Field struct {
	Name   string
	Kind   string
	Values []string
}

// Draft is a drafted promise.
type Draft struct {
	ID, Title    string
	PoliceName   string
	Municipality string // the municipality's name, "" when not found
	// MunicipalityParty is the party as the document names it: "Vaggeryds
	// kommun" (Municipality is "Vaggeryd").
	MunicipalityParty string
	First, Last       int // the years it governs
	Areas             []Area
	Commitments       []*Commitment
	// Activities are the activity types the rules use that Options.Vocabulary
	// does not have, in order of first use.
	Activities []*Activity
	// Notes are comments for the file's header: how the title, parties and
	// years were read.
	Notes  []string
	source string
}

// Read drafts a promise from a document's text (the plain form of package
// docread).
func Read(text string, opt Options) *Draft {
	text = printable(text)
	d := &Draft{source: opt.Source}
	if privacy.ContainsIDNumber(text) {
		// nothing about a person is copied (docs/reference.md §11)
		text = privacy.Redact(text)
		d.Notes = append(d.Notes, "dokumentet har personnummer: de är utbytta mot ÅÅMMDD-NNNN i utkastet")
	}
	bs := blocks(text)
	d.readParties(text)
	d.readYears(bs, text, opt.Year)
	w := walker{d: d, listMode: listMode(bs)}
	for i, b := range bs {
		w.block(bs, i, b)
	}
	for _, c := range d.Commitments {
		c.Text, c.parts = strings.Join(c.parts, " "), nil
	}
	d.ID = opt.ID
	if d.ID == "" {
		d.ID = fold(d.Municipality, '-')
		if d.ID == "" {
			d.ID = "medborgarlofte"
		}
	}
	d.suggest()
	d.readTitle(bs)
	d.ids()
	d.vocabulary(opt.Vocabulary)
	return d
}

var (
	muniRe = regexp.MustCompile(`(?:^|[^\p{L}\p{N}-])((?:[A-ZÅÄÖ][\p{L}-]+ )?[A-ZÅÄÖ][\p{L}-]+) kommuns?(?:$|[^\p{L}])`)
	lpoRe  = regexp.MustCompile(`[Ll]okalpolisområde(?:t)? ([A-ZÅÄÖ][\p{L}-]+(?: [A-ZÅÄÖ][\p{L}-]+)?)`)
	// Capitalised words before a municipality's name that are not part of it.
	notName = map[string]bool{"Polisen": true, "Och": true, "Att": true, "Med": true, "I": true, "Inom": true, "Där": true, "Polismyndigheten": true, "Både": true, "För": true, "Samt": true, "Av": true, "Till": true}
)

// readParties finds the municipality (the name most often before "kommun")
// and the police's local area.
func (d *Draft) readParties(text string) {
	seen := map[string]int{}
	var order []string
	for _, m := range muniRe.FindAllStringSubmatch(text, -1) {
		name := m[1]
		if f := strings.Fields(name); len(f) == 2 && notName[f[0]] {
			name = f[1]
		}
		if notName[name] {
			continue
		}
		if seen[name] == 0 {
			order = append(order, name)
		}
		seen[name]++
	}
	sort.SliceStable(order, func(i, j int) bool { return seen[order[i]] > seen[order[j]] })
	if len(order) > 0 {
		d.Municipality = baseName(order[0], text)
		d.MunicipalityParty = order[0] + " kommun"
		d.Notes = append(d.Notes, fmt.Sprintf("kommunen: %q står %d gånger i dokumentet", order[0]+" kommun", seen[order[0]]))
	} else {
		d.Notes = append(d.Notes, "kommunens namn hittades inte (\"... kommun\"): fyll i parties.kommunen")
	}
	d.PoliceName = "Polismyndigheten"
	if m := lpoRe.FindStringSubmatch(text); m != nil {
		d.PoliceName = "Polismyndigheten, lokalpolisområde " + m[1]
		d.Notes = append(d.Notes, fmt.Sprintf("polisen: %q", m[0]))
	} else {
		d.Notes = append(d.Notes, "lokalpolisområdet står inte i dokumentet: lägg gärna till det i parties.polisen")
	}
}

// baseName takes the genitive s off a municipality's name as "X kommun"
// writes it ("Vaggeryds kommun": Vaggeryd), but not off the names that
// end in s ("Tranås", "Bollnäs", "Kramfors", "Grums"). The name without
// the s standing alone in the text settles it.
func baseName(name, text string) string {
	stem, ok := strings.CutSuffix(name, "s")
	if !ok || utf8.RuneCountInString(stem) < 2 {
		return name
	}
	if regexp.MustCompile(`(?:^|[^\p{L}\p{N}-])` + regexp.QuoteMeta(stem) + `(?:$|[^\p{L}\p{N}-])`).MatchString(text) {
		return stem
	}
	l := strings.ToLower(name)
	for _, own := range []string{"ås", "näs", "fors", "grums"} {
		if strings.HasSuffix(l, own) {
			return name
		}
	}
	if r, _ := utf8.DecodeLastRuneInString(stem); strings.ContainsRune("aeiouyåäöé", unicode.ToLower(r)) {
		return name
	}
	return stem
}

var (
	yearRangeRe = regexp.MustCompile(`(20\d\d)\s*(?:[-–—]|till|och)\s*(20\d\d)`)
	// strongYearRe is a year said of the promise itself, not of its
	// background ("under 2022 genomfördes en enkät").
	strongYearRe = regexp.MustCompile(`gäller|medborgarlöfte|även|års$|^år`)
	yearCtxRe    = regexp.MustCompile(`(?i)(?:även under|under|för|gäller(?: för| (?:även )?under)?|medborgarlöfte(?:t|n)?(?: för)?|år)\s+(?:år\s+)?(20\d\d)|(20\d\d) års`)
)

// readYears finds the years: a range (2021–2022) in a heading or the text,
// else the years named with the promise ("2021 års", "även under 2022").
func (d *Draft) readYears(bs []block, text string, fallback int) {
	for _, b := range bs {
		if m := yearRangeRe.FindStringSubmatch(b.text); m != nil && b.kind == heading {
			if d.setYears(m[1], m[2]) {
				d.Notes = append(d.Notes, fmt.Sprintf("åren: rubriken %q", b.text))
				return
			}
		}
	}
	if m := yearRangeRe.FindStringSubmatch(text); m != nil && d.setYears(m[1], m[2]) {
		d.Notes = append(d.Notes, fmt.Sprintf("åren: %q", m[0]))
		return
	}
	yearRe := regexp.MustCompile(`(?:^|[^\p{N}])(20\d\d)(?:$|[^\p{N}])`)
	title := 0
	for _, b := range bs {
		if b.kind != heading || !metaRe.MatchString(strings.ToLower(b.text)) {
			continue
		}
		if m := yearRe.FindStringSubmatch(b.text); m != nil {
			title, _ = strconv.Atoi(m[1])
			d.Notes = append(d.Notes, fmt.Sprintf("åren: rubriken %q", b.text))
			break
		}
	}
	var years, strong []int
	var said, saidStrong []string
	for _, m := range yearCtxRe.FindAllStringSubmatch(text, -1) {
		y, _ := strconv.Atoi(m[1] + m[2])
		w := strings.TrimSpace(m[0])
		years, said = append(years, y), append(said, w)
		if strongYearRe.MatchString(strings.ToLower(w)) {
			strong, saidStrong = append(strong, y), append(saidStrong, w)
		}
	}
	if len(strong) > 0 {
		years, said = strong, saidStrong
	}
	if title > 0 {
		// a later year the promise is said to govern too ("gäller även
		// under 2025"); the years before the title's are its background.
		d.First, d.Last = title, title
		for i, y := range strong {
			if y > d.Last && y <= title+5 {
				d.Last = y
				d.Notes = append(d.Notes, fmt.Sprintf("åren: %q", saidStrong[i]))
			}
		}
		return
	}
	if len(years) > 0 {
		d.First, d.Last = slices.Min(years), slices.Max(years)
		d.Notes = append(d.Notes, fmt.Sprintf("åren: %s", strings.Join(quoted(said), ", ")))
		return
	}
	d.First, d.Last = fallback, fallback
	d.Notes = append(d.Notes, fmt.Sprintf("inga år står i dokumentet: valid är satt till %d, ändra om det behövs", fallback))
}

func (d *Draft) setYears(a, b string) bool {
	x, _ := strconv.Atoi(a)
	y, _ := strconv.Atoi(b)
	if y < x || y-x > 5 {
		return false
	}
	d.First, d.Last = x, y
	return true
}

func quoted(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

// Years gives the years as a title writes them: 2022 or 2021–2022.
func (d *Draft) Years() string {
	if d.First == d.Last {
		return strconv.Itoa(d.First)
	}
	return fmt.Sprintf("%d–%d", d.First, d.Last)
}

// readTitle makes the title from the municipality and the years.
func (d *Draft) readTitle(bs []block) {
	first := ""
	for _, b := range bs {
		if b.kind == heading || b.kind == para {
			first = b.text
			break
		}
	}
	if d.Municipality != "" {
		d.Title = fmt.Sprintf("Medborgarlöfte %s %s", d.Municipality, d.Years())
		if first != "" {
			d.Notes = append(d.Notes, fmt.Sprintf("titeln: kommunens namn och åren; dokumentets första rad är %q", first))
		}
		return
	}
	d.Title = first
	if d.Title == "" {
		d.Title = "Medborgarlöfte " + d.Years()
	}
}

// ids gives every commitment an id: area.what, unique in the promise.
func (d *Draft) ids() {
	used := map[string]int{}
	for _, c := range d.Commitments {
		what := ""
		if c.act != nil {
			what = fold(c.act.act.id, '-')
		} else {
			what = idWord(c.Text)
		}
		id := c.Area + "." + what
		used[id]++
		if n := used[id]; n > 1 {
			id = fmt.Sprintf("%s-%d", id, n)
		}
		c.ID = id
	}
}

// idWord makes the part of a manual commitment's id after its area: a
// known noun in it, else its first long word after the subject.
func idWord(text string) string {
	s := strings.ToLower(text)
	for _, table := range [][]noun{nouns, idNouns, generic} {
		if n, _, ok := firstNoun(s, table); ok {
			return fold(n.id, '-')
		}
	}
	ts := tokens(s)
	_, skip := subject(ts)
	for _, t := range ts[skip:] {
		if len([]rune(t.w)) >= 6 && !stopWords[t.w] && !modalRe.MatchString(t.w) {
			return fold(stem(t.w), '-')
		}
	}
	return "atagande"
}

// printable drops what YAML may not hold: control characters other than
// line ends and tabs, and bytes that are not UTF-8.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r >= 0x7f && r <= 0x9f || r == 0xfeff || r == 0xfffe || r == 0xffff || r == utf8.RuneError:
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}
