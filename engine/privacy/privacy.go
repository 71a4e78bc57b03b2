// Package privacy finds Swedish personal identity numbers (personnummer
// and samordningsnummer) in text, so that records, which are counts of
// activities and never data about people, cannot carry them, and so that
// nothing lofte prints repeats one (docs/reference.md §11). It never
// returns or prints the number it finds.
package privacy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ContainsIDNumber reports whether s holds a personnummer or a
// samordningsnummer: 10 or 12 digits, a real month, a day of the month
// (plus 60 for a samordningsnummer) and a valid Luhn check digit. The
// digits must stand on their own: a longer run of digits (an order number)
// is not one.
//
// The number is found however it was typed or pasted:
//   - before the last four digits: nothing, `-`, `+` (100 years or older),
//     any other dash or hyphen (Unicode Pd, such as the en dash a word
//     processor puts for `-`, or U+2011), a minus sign (U+2212), or one
//     space (any Unicode space separator), and a dash or plus with one
//     space on either side or both (`811218 - 9876`);
//   - dashes inside the date as well (`1981-12-18-9876`); such a number
//     must then end in a dash and four digits, and not be one link of a
//     longer chain of dashed numbers (a date range such as
//     `2022-03-01–2022-03-31` is not one);
//   - fullwidth digits (U+FF10–FF19) as well as ASCII ones;
//   - invisible format characters (Unicode Cf: zero-width space and
//     joiners U+200B–U+200D, word joiner U+2060, U+FEFF, soft hyphen)
//     anywhere between its characters.
func ContainsIDNumber(s string) bool {
	_, end := find(s, 0)
	return end > 0
}

// Index returns where (in bytes) the first identity number of s begins,
// or -1: for a message that points at the place without repeating it.
func Index(s string) int {
	start, end := find(s, 0)
	if end == 0 {
		return -1
	}
	return start
}

// Redact replaces every identity number in s by the mask ÅÅMMDD-NNNN, for
// messages that quote what a user wrote.
func Redact(s string) string {
	return replace(s, func(b *strings.Builder, span string) {
		b.WriteString("ÅÅMMDD-NNNN")
	})
}

// Mask replaces every identity number in s character for character: each
// digit by X and each separator or invisible character by `-`. The result
// has as many characters (runes) as s, so that a caret under a line still
// points at the same column.
func Mask(s string) string {
	return replace(s, func(b *strings.Builder, span string) {
		for _, r := range span {
			if _, ok := digitRune(r); ok {
				b.WriteByte('X')
			} else {
				b.WriteByte('-')
			}
		}
	})
}

// replace writes s with every identity number replaced by what put writes.
// A number next to one replaced can become one once its neighbour is gone
// (a link of a chain of dashed numbers is none, but the last link left
// is), so it goes on until none is left: each pass removes ten digits or
// more.
func replace(s string, put func(b *strings.Builder, span string)) string {
	for {
		r, changed := replaceOnce(s, put)
		if !changed {
			return r
		}
		s = r
	}
}

func replaceOnce(s string, put func(b *strings.Builder, span string)) (string, bool) {
	start, end := find(s, 0)
	if end == 0 {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	last := 0
	for end > 0 {
		b.WriteString(s[last:start])
		put(&b, s[start:end])
		last = end
		start, end = find(s, end)
	}
	b.WriteString(s[last:])
	return b.String(), true
}

// find returns the span (in bytes) of the first identity number in
// s[from:], or 0, 0. from is 0 or the end of a number find returned.
func find(s string, from int) (start, end int) {
	if !enoughDigits(s[from:]) {
		return 0, 0
	}
	prevDigit := false // the last visible character was a digit
	for i := from; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // the common case: ASCII
			if c >= '0' && c <= '9' {
				if !prevDigit {
					if n := match(s, i); n > 0 {
						return i, n
					}
				}
				prevDigit = true
			} else {
				prevDigit = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch _, digit := digitRune(r); {
		case digit:
			if !prevDigit {
				if n := match(s, i); n > 0 {
					return i, n
				}
			}
			prevDigit = true
		case invisible(r):
			// between digits, it neither joins nor parts them
		default:
			prevDigit = false
		}
		i += size
	}
	return 0, 0
}

// enoughDigits reports whether s has the ten digits a number needs, as a
// quick answer for the many values that do not.
func enoughDigits(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		// An ASCII digit, or the last byte of a fullwidth one (EF BC 90–99,
		// and 90–99 is never the first byte of a character).
		if c := s[i]; c-'0' <= 9 || (c >= 0x90 && c <= 0x99 && i >= 2 && s[i-1] == 0xBC && s[i-2] == 0xEF) {
			if n++; n == 10 {
				return true
			}
		}
	}
	return false
}

// The forms: the digits of the groups YYYY MM DD NNNN or YY MM DD NNNN,
// with an optional separator between groups.
var (
	long  = [4]int{4, 2, 2, 4}
	short = [4]int{2, 2, 2, 4}
)

// match tries the forms at s[i:], a digit not preceded by one, and returns
// the end of the number, or 0.
func match(s string, i int) int {
	// Most text is ASCII: the forms of ASCII digits, with an ASCII
	// separator or none, are checked right here.
	run := 0
	for i+run < len(s) && s[i+run]-'0' <= 9 {
		run++
	}
	end := i + run
	if end < len(s) && (s[end] == '-' || s[end] == '+' || s[end] == ' ') && (run == 6 || run == 8) {
		last := 0
		for end+1+last < len(s) && s[end+1+last]-'0' <= 9 {
			last++
		}
		if last == 4 && (end+5 == len(s) || s[end+5] < utf8.RuneSelf) {
			var d [12]byte
			for k := range run {
				d[k] = s[i+k] - '0'
			}
			for k := range 4 {
				d[run+k] = s[end+1+k] - '0'
			}
			if run == 8 && valid(d[2:12], d[0:2]) || run == 6 && valid(d[:10], nil) {
				return end + 5
			}
			return 0
		}
		return matchSlow(s, i)
	}
	if end == len(s) || s[end] < utf8.RuneSelf && s[end] != '-' && s[end] != '+' && s[end] != ' ' {
		var d [12]byte
		switch run {
		case 12:
			for k := range 12 {
				d[k] = s[i+k] - '0'
			}
			if valid(d[2:12], d[0:2]) {
				return end
			}
		case 10:
			for k := range 10 {
				d[k] = s[i+k] - '0'
			}
			if valid(d[:10], nil) {
				return end
			}
		}
		return 0
	}
	return matchSlow(s, i)
}

// matchSlow is match for any text: look-alike separators, fullwidth
// digits, invisible characters.
func matchSlow(s string, i int) int {
	var d [12]byte
	if end, dated := read(s, i, long, d[:]); end > 0 && valid(d[2:12], d[0:2]) && free(s, i, end, dated) {
		return end
	}
	if end, dated := read(s, i, short, d[:10]); end > 0 && valid(d[:10], nil) && free(s, i, end, dated) {
		return end
	}
	return 0
}

// read reads the groups of digits at s[i:] into d, and returns where they
// end (0 if they are not there or more digits follow) and whether a
// separator stood inside the date.
func read(s string, i int, groups [4]int, d []byte) (end int, dated bool) {
	n := 0
	for g, size := range groups {
		if g > 0 {
			j := skip(s, i)
			if w := sepAt(s, j, g == 3); w > 0 {
				if _, ok := digitAt(s, skip(s, j+w)); ok > 0 {
					i = j + w
					if g < 3 {
						dated = true
					}
				}
			}
		}
		for range size {
			if n > 0 {
				i = skip(s, i)
			}
			v, w := digitAt(s, i)
			if w == 0 {
				return 0, false
			}
			d[n] = v
			n++
			i += w
		}
	}
	if _, w := digitAt(s, skip(s, i)); w > 0 {
		return 0, false
	}
	return i, dated
}

// free checks the looser form with dashes in the date: it must end in a
// dash and four digits, and not be a link of a chain of dashed numbers.
func free(s string, start, end int, dated bool) bool {
	if !dated {
		return true
	}
	// The separator before the last four is a dash.
	i := end
	for range 4 {
		i = back(s, i)
		_, w := utf8.DecodeLastRuneInString(s[:i])
		i -= w
	}
	i = back(s, i)
	if r, _ := utf8.DecodeLastRuneInString(s[:i]); !dash(r) {
		return false
	}
	// Not followed by a dash and a digit.
	if r, w := runeAt(s, skip(s, end)); dash(r) {
		if _, ok := digitAt(s, skip(s, skip(s, end)+w)); ok > 0 {
			return false
		}
	}
	// Not preceded by a digit and a dash.
	j := back(s, start)
	if r, w := utf8.DecodeLastRuneInString(s[:j]); dash(r) {
		if r, _ := utf8.DecodeLastRuneInString(s[:back(s, j-w)]); isDigitRune(r) {
			return false
		}
	}
	return true
}

// valid checks ten digits YYMMDDNNNC (and the century of a 12-digit form).
func valid(d, century []byte) bool {
	if century != nil && (century[0] != 1 || century[1] != 8 && century[1] != 9) &&
		(century[0] != 2 || century[1] != 0) {
		return false
	}
	month := d[2]*10 + d[3]
	day := d[4]*10 + d[5]
	if day > 60 {
		day -= 60 // samordningsnummer
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return false
	}
	return luhn(d)
}

// luhn checks the last digit of d against the others.
func luhn(d []byte) bool {
	sum := 0
	for i, v := range d {
		n := int(v)
		if i%2 == 0 { // weights 2,1,2,1,… from the left for ten digits
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// digitAt returns the value and the width of the digit at s[i], or 0, 0.
func digitAt(s string, i int) (byte, int) {
	if i >= len(s) {
		return 0, 0
	}
	if c := s[i]; c >= '0' && c <= '9' {
		return c - '0', 1
	}
	// A fullwidth digit U+FF10–FF19 is EF BC 90–99.
	if i+2 < len(s) && s[i] == 0xEF && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99 {
		return s[i+2] - 0x90, 3
	}
	return 0, 0
}

func digitRune(r rune) (byte, bool) {
	switch {
	case r >= '0' && r <= '9':
		return byte(r - '0'), true
	case r >= '\uFF10' && r <= '\uFF19':
		return byte(r - '\uFF10'), true
	}
	return 0, false
}

func isDigitRune(r rune) bool { _, ok := digitRune(r); return ok }

// runeAt decodes the rune at s[i], or returns utf8.RuneError, 0 at the end.
func runeAt(s string, i int) (rune, int) {
	if i >= len(s) {
		return utf8.RuneError, 0
	}
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// skip returns the index of the first character at or after i that is
// not an invisible format character.
func skip(s string, i int) int {
	if i < len(s) && s[i] >= utf8.RuneSelf {
		return skipSlow(s, i)
	}
	return i
}

func skipSlow(s string, i int) int {
	for i < len(s) && s[i] >= utf8.RuneSelf {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !invisible(r) {
			break
		}
		i += w
	}
	return i
}

// back returns the end of the last character before i that is not an
// invisible format character.
func back(s string, i int) int {
	for i > 0 && s[i-1] >= utf8.RuneSelf {
		r, w := utf8.DecodeLastRuneInString(s[:i])
		if !invisible(r) {
			break
		}
		i -= w
	}
	return i
}

// invisible reports whether r is a format character (Unicode Cf), which
// shows as nothing: zero-width space and joiners, word joiner, BOM, soft
// hyphen, direction marks.
func invisible(r rune) bool { return r >= 0x80 && unicode.Is(unicode.Cf, r) }

// sepAt returns the width of the separator at s[i] (see sep), or 0.
func sepAt(s string, i int, last bool) int {
	w := sepRune(s, i, last)
	if !last || w == 0 {
		return w
	}
	// Before the last four, a dash or plus may stand between spaces, as
	// people type it: "811218 - 9876", "811218 -9876", "811218- 9876".
	r, _ := runeAt(s, i)
	if space(r) {
		if m, _ := runeAt(s, i+w); dash(m) || plus(m) {
			w += sepRune(s, i+w, true)
		} else {
			return w
		}
	}
	if r, sw := runeAt(s, i+w); space(r) {
		if _, ok := digitAt(s, skip(s, i+w+sw)); ok > 0 {
			w += sw
		}
	}
	return w
}

// sepRune is the width of the one separator at s[i] (see sep), or 0.
func sepRune(s string, i int, last bool) int {
	if i >= len(s) {
		return 0
	}
	if c := s[i]; c < utf8.RuneSelf {
		if c == '-' || last && (c == '+' || c == ' ') {
			return 1
		}
		return 0
	}
	if r, w := utf8.DecodeRuneInString(s[i:]); sep(r, last) {
		return w
	}
	return 0
}

// space reports whether r is a space (any Unicode space separator).
func space(r rune) bool { return r == ' ' || r >= 0x80 && unicode.Is(unicode.Zs, r) }

// plus reports whether r is a plus sign.
func plus(r rune) bool { return r == '+' || r == '\uFF0B' || r == '\uFE62' }

// sep reports whether r may stand between two groups: a dash anywhere,
// and before the last four also a plus or a space.
func sep(r rune, last bool) bool {
	if dash(r) {
		return true
	}
	if !last {
		return false
	}
	return plus(r) || space(r)
}

// dash reports whether r is a hyphen, a dash or a minus sign.
func dash(r rune) bool {
	if r == '-' {
		return true
	}
	if r < 0x80 {
		return false
	}
	return unicode.Is(unicode.Pd, r) || r == '\u2212' || r == '\u2043' ||
		r == '\u02D7' || r == '\u207B' || r == '\u208B'
}
