package draft

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// kind is what a block of the document is.
type kind int

const (
	heading kind = iota
	item         // a bullet or a numbered item
	row          // a table row
	para         // a paragraph
)

// block is one heading, list item, table row or paragraph, its lines
// joined.
type block struct {
	kind  kind
	text  string
	cells []string // for a row
}

var (
	mdHeading = regexp.MustCompile(`^(#{1,6})\s+(.*)$`)
	bulletRe  = regexp.MustCompile(`^\s*[•●▪◦·‣∙\-–—*\x{f0b7}\x{f0a7}\x{f076}]\s*(\S.*)$`)
	numberRe  = regexp.MustCompile(`^\s*(?:\d{1,2}|[a-h])[.)]\s+(\S.*)$`)
	tableRe   = regexp.MustCompile(`^\s*\|(.*)\|\s*$`)
	ruleRowRe = regexp.MustCompile(`^[\s|:\-]+$`)
	// pageNumberRe is a line that is a page's number: "Sida 3 av 5", "- 3 -", "3 (5)".
	pageNumberRe = regexp.MustCompile(`(?i)^(?:(?:sida|sid\.?|page)\s*\d{1,3}|[-–]\s*\d{1,3}\s*[-–]|\d{1,3})(?:\s*(?:av|/|\(|of)\s*\d{1,3}\)?)?$`)
)

// blocks splits a document's text (the plain form of package docread)
// into blocks. Lines that continue a paragraph or an item, as a PDF wraps
// them, are joined to it.
func blocks(text string) []block {
	text = strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\u00ad", "", "\u200b", "", "\t", " ", "\r", "").Replace(text)
	var out []block
	open := false // the last block takes continuation lines
	blank := true // the line before was blank
	lines := strings.Split(text, "\n")
	wrapped := wrapWidth(lines)
	for _, line := range lines {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		if strings.TrimSpace(line) == "" {
			open, blank = false, true
			continue
		}
		follows := !blank
		blank = false
		if pageNumberRe.MatchString(strings.TrimSpace(line)) {
			continue // a PDF's page number, kept in a text saved from it
		}

		if m := mdHeading.FindStringSubmatch(line); m != nil {
			out = append(out, block{kind: heading, text: clean(m[2])})
			open = false
			continue
		}
		if m := tableRe.FindStringSubmatch(line); m != nil {
			if !ruleRowRe.MatchString(line) {
				var cells []string
				for _, c := range strings.Split(m[1], "|") {
					cells = append(cells, clean(c))
				}
				out = append(out, block{kind: row, text: clean(strings.Join(cells, " ")), cells: cells})
			}
			open = false
			continue
		}
		m := bulletRe.FindStringSubmatch(line)
		if m == nil || dashJoins(line) {
			m = numberRe.FindStringSubmatch(line)
		}
		if m != nil {
			out = append(out, block{kind: item, text: clean(m[1])})
			open = utf8.RuneCountInString(line) >= wrapped
			continue
		}
		if (open || follows && len(out) > 0 && unfinished(out[len(out)-1], line)) && len(out) > 0 && !headingAfter(out[len(out)-1].text, line) {
			out[len(out)-1].text = join(out[len(out)-1].text, clean(line))
		} else {
			out = append(out, block{kind: para, text: clean(line)})
			open = true
		}
		if utf8.RuneCountInString(line) < wrapped {
			open = false
		}
	}
	for i := range out {
		if out[i].kind == para && looksLikeHeading(out[i].text) {
			out[i].kind = heading
		}
	}
	return out
}

// unfinished says a line goes on with the item or paragraph right above
// it however short that was: the block ends in no punctuation and the line
// starts with a small letter or a digit ("… vid minst" "30 tillfällen
// under året."), as a PDF wraps a line that pdftotext made longer.
func unfinished(b block, line string) bool {
	if b.kind != item && b.kind != para || strings.ContainsAny(b.text[len(b.text)-1:], ".!?:;") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(line))
	return unicode.IsLower(r) || unicode.IsDigit(r)
}

// headingAfter says a line that could continue a paragraph is a heading
// after it: the paragraph ends a sentence and the line looks like a
// heading ("... på kvälls/nattetid." "Skadegörelse").
func headingAfter(prev, line string) bool {
	return strings.ContainsAny(prev[len(prev)-1:], ".!?:") && looksLikeHeading(clean(line))
}

// wrapWidth is the length from which a line was wrapped: three quarters
// of the longest lines' length (the 90th percentile, against a stray long
// line). A text whose paragraphs are one line each gives a width no line
// reaches short of its end, which is right too: blank lines part them.
func wrapWidth(lines []string) int {
	var n []int
	for _, l := range lines {
		if c := utf8.RuneCountInString(strings.TrimSpace(l)); c > 0 {
			n = append(n, c)
		}
	}
	if len(n) == 0 {
		return 0
	}
	slices.Sort(n)
	return n[len(n)*9/10] * 3 / 4
}

// dashJoins says a line starting with a dash is a wrapped line's "–
// continuation" rather than a bullet: a hyphen right before a word ("-sök").
func dashJoins(line string) bool {
	t := strings.TrimLeft(line, " ")
	return strings.HasPrefix(t, "-") && len(t) > 1 && t[1] != ' '
}

// join adds a wrapped line to the text before it; a word broken at a
// hyphen ("hund-" "sök") is joined without a space.
func join(a, b string) string {
	if strings.HasSuffix(a, "-") && len(a) > 1 {
		r, _ := utf8.DecodeLastRuneInString(strings.TrimSuffix(a, "-"))
		if unicode.IsLetter(r) {
			return a + b
		}
	}
	return a + " " + b
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// looksLikeHeading says a one-line paragraph is a heading: short, no end
// punctuation, no promise in it.
func looksLikeHeading(s string) bool {
	if utf8.RuneCountInString(s) > 60 || len(strings.Fields(s)) > 8 {
		return false
	}
	if strings.ContainsAny(s[len(s)-1:], ".:;,!?") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) || !strings.ContainsFunc(s, unicode.IsLetter) {
		return false // a date or a number is no heading
	}
	return !modalRe.MatchString(strings.ToLower(s))
}

// sentences splits a text at ., ! or ? followed by a space and a capital
// letter, but not after an abbreviation (t.ex., bl.a.).
func sentences(s string) []string {
	var out []string
	start := 0
	rs := []rune(s)
	for i := 0; i+2 < len(rs); i++ {
		if !strings.ContainsRune(".!?", rs[i]) || rs[i+1] != ' ' || !unicode.IsUpper(rs[i+2]) {
			continue
		}
		if rs[i] == '.' && abbreviation(string(rs[max(start, i-10):i+1])) {
			continue
		}
		out = append(out, strings.TrimSpace(string(rs[start:i+1])))
		start = i + 2
	}
	if rest := strings.TrimSpace(string(rs[start:])); rest != "" {
		out = append(out, rest)
	}
	return out
}

var abbrRe = regexp.MustCompile(`(?i)(?:^|[\s(])(?:t\.ex|bl\.a|m\.m|ca|kl|resp|inkl|s\.k|dvs|osv|fr\.o\.m|t\.o\.m|jfr|st|nr)\.$`)

func abbreviation(s string) bool { return abbrRe.MatchString(s) }
