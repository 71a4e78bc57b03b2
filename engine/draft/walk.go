package draft

import (
	"fmt"
	"slices"
	"strings"
)

// subject reads the parties a sentence starts with ("Polisen och Mullsjö
// kommun ska", "Områdespolisen skall", "Båda parter") and how many tokens
// they take. It stops at the first word that is not a party's.
func subject(ts []token) ([]string, int) {
	var owners []string
	add := func(p ...string) {
		for _, x := range p {
			if !slices.Contains(owners, x) {
				owners = append(owners, x)
			}
		}
	}
	i := 0
	for ; i < len(ts) && i < 10; i++ {
		w := ts[i].w
		switch {
		case strings.Contains(w, "polis"):
			add(Police)
		case strings.HasPrefix(w, "kommun") || municipalWord(w):
			add(Municipality)
		case w == "båda" || w == "parter" || w == "parterna" || w == "vi" || w == "gemensamt":
			add(Police, Municipality)
		case w == "och" || w == "samt" || w == "tillsammans" || w == "med" || w == "i" || w == "den" || w == "lokala":
			// a connective between parties
		case i+1 < len(ts) && strings.HasPrefix(ts[i+1].w, "kommun"),
			i+2 < len(ts) && strings.HasPrefix(ts[i+2].w, "kommun") && !strings.Contains(ts[i+1].w, "polis"):
			// the municipality's name, of one or two words
		case i > 0 && strings.HasPrefix(ts[i-1].w, "lokalpolisområde"):
			// the local police area's name
		default:
			return trimOwners(owners, i, ts)
		}
	}
	return trimOwners(owners, i, ts)
}

// canonical orders owners as the promise file lists its parties.
func canonical(o []string) []string {
	slices.SortFunc(o, func(a, b string) int {
		if a == b {
			return 0
		}
		if a == Police {
			return -1
		}
		return 1
	})
	return o
}

// trimOwners gives no owners when the subject is only connectives.
func trimOwners(owners []string, n int, ts []token) ([]string, int) {
	if len(owners) == 0 {
		return nil, 0
	}
	canonical(owners)
	// "med" and "i" end a subject they do not connect: "Polisen i samverkan".
	for n > 0 && (ts[n-1].w == "med" || ts[n-1].w == "i" || ts[n-1].w == "tillsammans") {
		n--
	}
	return owners, n
}

// municipalWord is a municipal body that stands for the municipality.
func municipalWord(w string) bool {
	for _, p := range []string{"socialtjänst", "socialförvaltning", "fritidsgård", "fritidsförvaltning", "förvaltning", "skolan", "skolorna", "förskolan", "kommunstyrelse", "räddningstjänst", "fältassistent", "fältgrupp"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// byRe finds the doer later in a sentence: "sker varje tertial av båda parter".
var (
	byBothRe   = phrase(`av båda parter(?:na)?|gemensamt av polis(?:en)? och kommun(?:en)?|av polis(?:en)? och kommun(?:en)?`)
	byPoliceRe = phrase(`av (?:lokal|områdes|kommun)?polis(?:en)?`)
	byMuniRe   = phrase(`av kommun(?:en)?`)
)

// owners reads who does what a sentence promises, and says from what.
func owners(sentence string) ([]string, string) {
	s := strings.ToLower(sentence)
	ts := tokens(s)
	if o, n := subject(ts); n > 0 {
		return o, sentence[:min(len(sentence), ts[n-1].end)]
	}
	switch {
	case byBothRe.MatchString(s):
		return []string{Police, Municipality}, byBothRe.FindStringSubmatch(s)[1]
	case byPoliceRe.MatchString(s):
		return []string{Police}, byPoliceRe.FindStringSubmatch(s)[1]
	case byMuniRe.MatchString(s):
		return []string{Municipality}, byMuniRe.FindStringSubmatch(s)[1]
	}
	return nil, ""
}

// walker reads blocks in order, keeping the area and the owner that the
// headings and lead lines ("Polisen åtar sig att:") set.
type walker struct {
	d        *Draft
	listMode bool   // the document promises in list items or table rows
	area     *Area  // the heading commitments are under
	pending  string // a heading not yet an area (no commitment under it yet)
	owner    []string
	ownerBy  string
	header   map[string]int // a table's columns: text, owner, freq, area
}

// listMode says the document's commitments are items or rows: then its
// paragraphs only introduce them.
func listMode(bs []block) bool {
	for _, b := range bs {
		if (b.kind == item || b.kind == row) && len(strings.Fields(b.text)) >= 5 {
			return true
		}
	}
	return false
}

func (w *walker) block(bs []block, i int, b block) {
	switch b.kind {
	case heading:
		w.header = nil
		if ownerHeadingRe.MatchString(strings.TrimSpace(b.text)) {
			w.owner, _ = owners(b.text)
			if len(w.owner) == 0 {
				w.owner = []string{Police, Municipality} // "Gemensamma åtaganden"
			}
			w.ownerBy = b.text
			return
		}
		w.owner, w.ownerBy = nil, ""
		if metaRe.MatchString(strings.ToLower(b.text)) {
			return // the document's title, not an area
		}
		w.pending = b.text
	case para:
		w.header = nil
		if o := leadOwners(b.text); o != nil {
			w.owner, w.ownerBy = o, b.text
			return
		}
		if strings.HasSuffix(b.text, ":") && len(strings.Fields(b.text)) <= 12 {
			if o, _ := owners(b.text); len(o) > 0 {
				w.owner, w.ownerBy = o, b.text
			}
			return
		}
		if !w.listMode {
			w.prose(b.text)
		}
	case item:
		if o := leadOwners(b.text); o != nil {
			w.owner, w.ownerBy = o, b.text // "1. Polisen ska" before its a) b) items
			return
		}
		if len(strings.Fields(b.text)) < 4 && !modalRe.MatchString(strings.ToLower(b.text)) {
			return // a list of areas or topics, not a promise
		}
		if len(w.owner) == 0 && topic(b.text) {
			return // "1. Narkotika bland unga vuxna": a list of focus areas
		}
		w.commitments(itemText(b.text), "")
	case row:
		w.row(b)
	}
}

// leadWords may follow the parties of a line that only leads the items
// after it: "Polisen ska", "Kommunen kommer att:", "Vi åtar oss att".
var leadWords = map[string]bool{"ska": true, "skall": true, "kommer": true, "att": true, "åtar": true, "sig": true,
	"oss": true, "lovar": true, "gemensamt": true, "tillsammans": true, "vi": true}

// leadOwners gives the parties of a line that names who does the items
// after it and nothing more ("Polisen ska", "Polisen och kommunen ska
// gemensamt:"), nil for any other line.
func leadOwners(text string) []string {
	ts := tokens(strings.ToLower(strings.TrimSuffix(strings.TrimSpace(text), ":")))
	o, n := subject(ts)
	if len(o) == 0 || n == len(ts) && !strings.HasSuffix(text, ":") {
		return nil
	}
	for _, t := range ts[n:] {
		if !leadWords[t.w] {
			return nil
		}
	}
	return o
}

// topic says an item names a topic rather than promises: a few words, no
// sentence, no verb of promise and no count ("Narkotika bland unga vuxna").
func topic(text string) bool {
	if len(strings.Fields(text)) > 6 || strings.ContainsAny(text[len(text)-1:], ".!?") || modalRe.MatchString(strings.ToLower(text)) {
		return false
	}
	_, counted := readRule(text, text, false)
	return !counted
}

// itemText is an item's text without the comma or semicolon that joins it
// to the next item ("genomföra 20 trafikkontroller under året,").
func itemText(text string) string {
	return strings.TrimRight(text, ",; ")
}

// prose reads a paragraph of a document without lists: each sentence that
// promises starts a commitment, the sentences after it belong to it.
func (w *walker) prose(text string) {
	var cur *Commitment
	for _, s := range sentences(text) {
		ls := strings.ToLower(s)
		if metaRe.MatchString(ls) {
			cur = nil
			continue
		}
		o, _ := owners(s)
		if modalRe.MatchString(ls) && (len(o) > 0 || len(w.owner) > 0) {
			cur = w.commitments(s, "")
			continue
		}
		if cur != nil {
			w.extend(cur, s)
		}
	}
}

// commitments adds the commitments of one item: its first sentence
// starts one, and a later sentence with its own doer and count starts
// another ("Utvärdering av samverkan sker varje tertial av båda parter.").
func (w *walker) commitments(text, extra string) *Commitment {
	var cur *Commitment
	for _, s := range sentences(text) {
		if cur == nil {
			cur = w.add(s, extra)
			continue
		}
		o, _ := owners(s)
		if cur.act == nil && len(o) > 0 {
			if _, ok := readRule(s, s, len(o) == 2); ok {
				cur = w.add(s, extra)
				continue
			}
		}
		w.extend(cur, s)
	}
	return cur
}

// extend adds a sentence to a commitment's text.
func (w *walker) extend(c *Commitment, s string) {
	c.parts = append(c.parts, s)
}

// add starts a commitment from its first sentence.
func (w *walker) add(s, extra string) *Commitment {
	c := &Commitment{parts: []string{s}}
	o, from := owners(s)
	switch {
	case len(o) > 0:
		c.Owner = o
		c.Notes = append(c.Notes, fmt.Sprintf("ansvarig: %q", from))
	case len(w.owner) > 0:
		c.Owner = w.owner
		c.Notes = append(c.Notes, fmt.Sprintf("ansvarig: från %q", w.ownerBy))
		if len(c.Owner) == 2 && jointRe.MatchString(strings.ToLower(w.ownerBy)) {
			c.jointBy = w.ownerBy // "Gemensamt åtar vi oss att:"
		}
	default:
		c.Owner = []string{Police, Municipality}
		c.Notes = append(c.Notes, "ansvarig: texten säger inte vem; båda parter tills någon ändrar det")
	}
	c.Area = w.areaID()
	c.extra = extra
	w.d.Commitments = append(w.d.Commitments, c)
	return c
}

// areaID makes the pending heading an area the first time a commitment
// stands under it.
func (w *walker) areaID() string {
	if w.pending != "" {
		a := Area{ID: areaSlug(w.pending), Title: w.pending}
		w.pending = ""
		for _, x := range w.d.Areas {
			if x.ID == a.ID {
				w.area = &x
				return x.ID
			}
		}
		w.d.Areas = append(w.d.Areas, a)
		w.area = &w.d.Areas[len(w.d.Areas)-1]
	}
	if w.area == nil {
		a := Area{ID: "allmant", Title: "Allmänt"}
		w.d.Areas = append(w.d.Areas, a)
		w.area = &a
	}
	return w.area.ID
}

// areaSlug makes an area's id from its heading: its first three words.
func areaSlug(title string) string {
	f := strings.Fields(title)
	if len(f) > 3 {
		f = f[:3]
	}
	s := fold(strings.Join(f, " "), '-')
	if s == "" {
		return "omrade"
	}
	return s
}

// row reads a table row: the first row with column names is the header;
// every row after it is a commitment.
func (w *walker) row(b block) {
	if w.header == nil {
		h := map[string]int{}
		for i, c := range b.cells {
			for name, re := range map[string]interface{ MatchString(string) bool }{"owner": colOwner, "freq": colFreq, "area": colArea, "text": colText} {
				if _, ok := h[name]; !ok && re.MatchString(c) && len(strings.Fields(c)) <= 3 {
					h[name] = i
				}
			}
		}
		if len(h) >= 2 {
			w.header = h
			return
		}
		w.header = map[string]int{}
	}
	cell := func(name string) string {
		if i, ok := w.header[name]; ok && i < len(b.cells) {
			return b.cells[i]
		}
		return ""
	}
	text := cell("text")
	if text == "" { // no header: the longest cell
		for _, c := range b.cells {
			if len(c) > len(text) {
				text = c
			}
		}
	}
	if len(strings.Fields(text)) < 2 {
		return
	}
	if a := cell("area"); a != "" && (w.area == nil || w.area.Title != a) {
		w.pending = a
	}
	saved, savedBy := w.owner, w.ownerBy
	if o := cell("owner"); o != "" {
		if os, _ := owners(o); len(os) > 0 {
			w.owner, w.ownerBy = os, o
		}
	}
	c := w.commitments(text, cell("freq"))
	if o := cell("owner"); o != "" && c != nil {
		if os, _ := owners(o); len(os) > 0 {
			c.Owner = os
			c.Notes[0] = fmt.Sprintf("ansvarig: kolumnen %q", o)
		}
	}
	w.owner, w.ownerBy = saved, savedBy
}
