package draft

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Sureness says how sure a reading is.
type Sureness int

const (
	Low    Sureness = iota // an approximation, or a guessed activity type
	Medium                 // a count implied or an activity type read from a word not in the tables
	High                   // a number, a frequency and a known activity type
)

func (s Sureness) String() string { return [...]string{"låg", "medel", "hög"}[s] }

// suggestion is a rule read from a commitment's text.
type suggestion struct {
	act     noun
	guessed bool // the activity type is not from the table of nouns
	op      string
	n       int
	window  string // "" for the whole year
	filters []qualifier
	per     *perEnum
	joint   bool
	// recurring: the count is read from "varannan vecka" alone, a
	// recurrence that a part of the year does not bound.
	recurring bool
	notes     []string
	sure      Sureness
}

// token is a word of a lower-cased sentence and its byte offsets.
type token struct {
	w          string
	start, end int
}

var wordRe = regexp.MustCompile(`[\p{L}\p{N}%][\p{L}\p{N}%/\-]*`)

func tokens(s string) []token {
	var out []token
	for _, m := range wordRe.FindAllStringIndex(s, -1) {
		out = append(out, token{strings.TrimRight(s[m[0]:m[1]], "-/"), m[0], m[1]})
	}
	return out
}

// match is a phrase found in a sentence.
type match struct {
	start, end int
	f          frequency
}

// findFrequency returns the first frequency phrase in s (the longest at
// the same place).
func findFrequency(s string) (match, bool) {
	best, found := match{}, false
	for _, f := range frequencies {
		m := f.re.FindStringSubmatchIndex(s)
		if m == nil {
			continue
		}
		if !found || m[2] < best.start || (m[2] == best.start && m[3] > best.end) {
			best, found = match{m[2], m[3], f}, true
		}
	}
	return best, found
}

// number reads a token as a count: digits or a number word.
func number(t token) (int, bool) {
	if n, err := strconv.Atoi(t.w); err == nil {
		return n, n > 0 && n < 100000
	}
	n, ok := numberWords[t.w]
	return n, ok && n > 0
}

// countAt is a number read as a count and where it stands.
type countAt struct {
	n     int
	i     int  // index of its token
	unit  bool // followed by gånger, ggr, stycken…
	years bool // a year, when no unit follows
}

// counts returns the numbers of a sentence that may be counts.
func counts(ts []token, freqStart int) []countAt {
	var out []countAt
	for i, t := range ts {
		n, ok := number(t)
		if !ok {
			continue
		}
		next := ""
		if i+1 < len(ts) {
			next = ts[i+1].w
		}
		if i > 0 && notCountBefore[ts[i-1].w] && !unitRe.MatchString(next) {
			continue
		}
		if notCountRe.MatchString(next) {
			continue
		}
		unit := unitRe.MatchString(next)
		if n >= 1900 && n <= 2100 && !unit {
			continue // a year
		}
		if (t.w == "en" || t.w == "ett") && !unit {
			// an article, unless right before what is counted and how often
			if freqStart < 0 || i+3 < len(ts) && ts[i+3].start <= freqStart {
				continue
			}
		}
		out = append(out, countAt{n: n, i: i, unit: unit})
	}
	return out
}

// readRule reads a rule from one sentence of a commitment; whole is the
// commitment's text, for the activity type and its qualifiers.
func readRule(sentence, whole string, joint bool) (suggestion, bool) {
	s := strings.ToLower(sentence)
	ts := tokens(s)
	fm, hasFreq := findFrequency(s)
	freqStart := -1
	if hasFreq {
		freqStart = fm.start
	}
	cands := counts(ts, freqStart)
	var sg suggestion
	sg.sure = High
	sg.op = ">="
	var c *countAt
	for i := range cands {
		if hasFreq && ts[cands[i].i].start < fm.start {
			c = &cands[i] // the last before the frequency
		}
	}
	if c == nil && hasFreq {
		for i := range cands {
			if ts[cands[i].i].start > fm.end && c == nil {
				c = &cands[i]
			}
		}
	}
	if c == nil && !hasFreq {
		for i := range cands {
			if cands[i].unit || nounAfter(ts, cands[i].i) {
				c = &cands[i]
				break
			}
		}
	}
	read := []int{} // byte offsets of what was read, to quote it
	switch {
	case c != nil:
		sg.n = c.n
		t := ts[c.i]
		read = append(read, t.start, t.end)
		if _, err := strconv.Atoi(t.w); err != nil {
			sg.notes = append(sg.notes, fmt.Sprintf("%q = %d", t.w, c.n))
		}
		if t.w == "en" || t.w == "ett" {
			sg.sure = min(sg.sure, Medium)
		}
		if b, at, ok := boundBefore(s, t.start); ok {
			sg.op = b.op
			read = append(read, at)
			if b.approx {
				sg.sure = Low
				sg.notes = append(sg.notes, "ungefärligt antal: läst som en undre gräns")
			}
		}
		if hasFreq {
			sg.window = fm.f.window
			read = append(read, fm.start, fm.end)
			if fm.f.window == "" && fm.f.implied > 1 {
				// "två trygghetsvandringar varannan månad": 2 × 6 a year
				sg.n *= fm.f.implied
				sg.sure, sg.recurring = Low, true
				sg.notes = append(sg.notes, fmt.Sprintf("%d gånger %q: ungefär %d per år", c.n, s[fm.start:fm.end], sg.n))
			}
		} else {
			sg.sure = min(sg.sure, Medium)
			sg.notes = append(sg.notes, "ingen tidsangivelse: räknat på hela året")
		}
	case hasFreq && fm.f.implied > 0:
		sg.n, sg.window = fm.f.implied, fm.f.window
		sg.recurring = fm.f.implied > 1
		read = append(read, fm.start, fm.end)
		if fm.f.approx {
			sg.sure = Low
			sg.notes = append(sg.notes, fmt.Sprintf("%q ungefär %d gånger per år", s[fm.start:fm.end], fm.f.implied))
		} else if fm.f.window == "" {
			sg.sure = min(sg.sure, Medium)
		}
	default:
		return suggestion{}, false
	}
	skip := [2]int{-1, -1}
	if hasFreq {
		skip = [2]int{fm.start, fm.end}
	}
	sg.readActivity(s, strings.ToLower(whole), ts, c, skip)
	sg.readQualifiers(strings.ToLower(whole))
	if joint {
		if m := jointRe.FindStringSubmatchIndex(s); m != nil {
			sg.joint = true
			sg.notes = append(sg.notes, fmt.Sprintf("%q: båda parterna ska stå i by", s[m[2]:m[3]]))
		}
	}
	sg.notes = append([]string{fmt.Sprintf("läst ur %q: %s", quote(sentence, s, read), sg.reading())}, sg.notes...)
	return sg, true
}

// nounAfter says a known activity noun follows token i (perhaps after a
// unit or one adjective): "20 trafikkontroller", "6 riktade insatser".
func nounAfter(ts []token, i int) bool {
	for j := i + 1; j < len(ts) && j <= i+2; j++ {
		if _, ok := knownNoun(ts[j].w, nouns); ok {
			return true
		}
		if _, ok := knownNoun(ts[j].w, generic); ok {
			return true
		}
	}
	return false
}

// boundBefore finds minst, högst, cirka… right before the byte offset at
// (one word may stand between: "minst 104 stycken" has none, "högst två
// gånger" none, "minst ett hund-sök" none).
func boundBefore(s string, at int) (bound, int, bool) {
	head := strings.TrimRight(s[:at], " ")
	for _, b := range bounds {
		for _, m := range b.re.FindAllStringSubmatchIndex(head, -1) {
			rest := strings.TrimSpace(head[m[3]:])
			if rest == "" || len(strings.Fields(rest)) <= 1 && !strings.ContainsAny(rest, ".,;") {
				return b, m[2], true
			}
		}
	}
	return bound{}, 0, false
}

// quote gives the part of the sentence from the first to the last offset
// read, in the sentence's own letters when lower-casing kept its length.
func quote(orig, lower string, offsets []int) string {
	lo, hi := len(lower), 0
	for _, o := range offsets {
		lo, hi = min(lo, o), max(hi, o)
	}
	if lo >= hi {
		return ""
	}
	if len(orig) == len(lower) {
		return orig[lo:hi]
	}
	return lower[lo:hi]
}

// reading says the rule in words: ">= 9 per år".
func (sg *suggestion) reading() string {
	w := "under året"
	if sg.window != "" {
		w = "per " + sg.window
	}
	return fmt.Sprintf("%s %d %s", sg.op, sg.n, w)
}

// knownNoun finds the noun of the table that word starts with, or ends
// with as the last part of a compound (narkotikakontroller: kontroll),
// which then names the activity type by the whole word.
func knownNoun(word string, table []noun) (noun, bool) {
	for _, n := range table {
		if strings.HasPrefix(word, n.stem) || strings.Contains(n.stem, " ") && strings.HasPrefix(n.stem, word+" ") {
			return n, true
		}
	}
	for _, n := range table {
		i := strings.LastIndex(word, n.stem)
		if i <= 0 || strings.Contains(n.stem, " ") || !endings[word[i+len(n.stem):]] {
			continue
		}
		whole := word[:i+len(n.stem)]
		return noun{stem: whole, id: fold(whole, '_'), title: title(whole)}, true
	}
	return noun{}, false
}

// endings may follow a noun's stem: plural and definite forms.
var endings = map[string]bool{"": true, "er": true, "ar": true, "or": true, "en": true, "et": true, "na": true, "erna": true, "arna": true, "orna": true}

// firstNoun finds the noun of table that stands first in s: a word a
// noun starts, or a phrase of more words ("följa upp").
func firstNoun(s string, table []noun) (noun, string, bool) {
	best, word, at := noun{}, "", -1
	for _, n := range table {
		if strings.Contains(n.stem, " ") {
			if i := strings.Index(s, n.stem); i >= 0 && (at < 0 || i < at) {
				best, word, at = n, n.stem, i
			}
		}
	}
	for _, t := range tokens(s) {
		if at >= 0 && t.start >= at {
			break
		}
		if n, ok := knownNoun(t.w, table); ok && !strings.Contains(n.stem, " ") {
			return n, t.w, true
		}
	}
	return best, word, at >= 0
}

// readActivity chooses the activity type: a known noun in the sentence,
// then in the whole text, then the word after the number.
func (sg *suggestion) readActivity(s, whole string, ts []token, c *countAt, freq [2]int) {
	for _, try := range []struct {
		text  string
		table []noun
	}{{s, nouns}, {whole, nouns}, {s, generic}, {whole, generic}} {
		if n, w, ok := firstNoun(try.text, try.table); ok {
			sg.act = n
			sg.notes = append(sg.notes, fmt.Sprintf("aktivitetstyp %s från ordet %q", n.id, w))
			return
		}
	}
	if c != nil {
		for j := c.i + 1; j < len(ts) && j <= c.i+3; j++ {
			w := ts[j].w
			if unitRe.MatchString(w) || len([]rune(w)) < 5 || adjective(w) || ts[j].start >= freq[0] && ts[j].end <= freq[1] {
				continue
			}
			id := fold(stem(w), '_')
			if id == "" {
				break
			}
			sg.act, sg.guessed = noun{stem: w, id: id, title: title(stem(w))}, true
			sg.sure = min(sg.sure, Medium)
			sg.notes = append(sg.notes, fmt.Sprintf("aktivitetstyp %s gissad från ordet %q", id, w))
			return
		}
	}
	sg.act, sg.guessed = noun{id: "aktivitet", title: "Aktivitet"}, true
	sg.sure = Low
	sg.notes = append(sg.notes, "ingen aktivitet nämns: aktivitetstypen aktivitet är en platshållare, byt namn")
}

func adjective(w string) bool {
	for _, suf := range []string{"ade", "ande", "iga", "liga", "ska", "erade"} {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// stem takes a plural or definite ending off a noun: trygghetsvandringar →
// trygghetsvandring.
func stem(w string) string {
	for _, suf := range []string{"arna", "erna", "orna", "ar", "er", "or", "en", "et", "na"} {
		if strings.HasSuffix(w, suf) && len([]rune(w))-len([]rune(suf)) >= 4 {
			return strings.TrimSuffix(w, suf)
		}
	}
	return w
}

func title(w string) string {
	r := []rune(w)
	if len(r) == 0 {
		return w
	}
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// readQualifiers finds what narrows the count and the per over an enum.
func (sg *suggestion) readQualifiers(whole string) {
	for _, q := range qualifiers {
		if m := q.re.FindStringSubmatchIndex(whole); m != nil {
			dup := false
			for _, f := range sg.filters {
				dup = dup || f.field == q.field
			}
			if dup {
				continue
			}
			sg.filters = append(sg.filters, q)
			sg.notes = append(sg.notes, fmt.Sprintf("%q: %s", whole[m[2]:m[3]], q.expr()))
		}
	}
	for i := range perEnums {
		p := &perEnums[i]
		if m := p.re.FindStringSubmatchIndex(whole); m != nil {
			sg.per = p
			sg.notes = append(sg.notes, fmt.Sprintf("%q: per %s (varje värde minst en gång)", whole[m[2]:m[3]], p.field))
			break
		}
	}
}

func (q qualifier) expr() string {
	if q.kind == "bool" {
		return "." + q.field
	}
	return fmt.Sprintf(".%s == %q", q.field, q.value)
}

// rule writes the suggestion in the rule language (docs/reference.md §6).
func (sg *suggestion) rule() string {
	var conds []string
	for _, f := range sg.filters {
		conds = append(conds, f.expr())
	}
	if sg.joint {
		conds = append(conds, `"polisen" in .by && "kommunen" in .by`)
	}
	count := "count(" + sg.act.id + ")"
	if len(conds) > 0 {
		count = "count(" + sg.act.id + ", " + strings.Join(conds, " && ") + ")"
	}
	per := ""
	if sg.window != "" {
		per = " per " + sg.window
	}
	r := fmt.Sprintf("%s%s %s %d", count, per, sg.op, sg.n)
	if sg.per != nil {
		r += " &&\n" + count + per + " per " + sg.per.field + " >= 1"
	}
	return r
}

// notCountBefore stands before a number that is no count: a time, a
// number, a school year, a week ("kl 22", "årskurs 8", "vecka 48").
var notCountBefore = map[string]bool{"kl": true, "klockan": true, "nr": true, "under": true, "årskurs": true, "åk": true,
	"klass": true, "vecka": true, "v": true, "vecko": true, "sida": true, "paragraf": true}
