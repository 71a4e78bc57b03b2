package diag

import (
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Messages are written in Swedish where they are made, and that Swedish
// is what JSON carries (docs/reference.md §9). In English (--lang en) a
// message is put into English when it is shown: the catalog (en.go) maps
// each Swedish format string of the engine to an English one with the
// same verbs in the same order, and a message is matched against the
// Swedish formats to find the values that were put into it. The values
// stay as they were (they are the user's names, numbers and quoted
// text), except that a value which is itself a Swedish message (an error
// put into another) is put into English the same way.
//
// Reading the message rather than keeping its format makes the English a
// function of the Swedish alone: a diagnostic read from a cache, or one
// given a prefix after it was made, is put into English as well.

// In returns d in lang: d itself for Swedish, else a copy with the
// message and the hint in English.
func (d *Diagnostic) In(lang string) *Diagnostic {
	if lang != "en" || d == nil {
		return d
	}
	c := *d
	c.Message = English(d.Message)
	c.Hint = English(d.Hint)
	return &c
}

// In returns the list with every diagnostic in lang (see Diagnostic.In).
func (l List) In(lang string) List {
	if lang != "en" {
		return l
	}
	out := make(List, len(l))
	for i, d := range l {
		out[i] = d.In(lang)
	}
	return out
}

// Translate returns msg in lang: msg itself for Swedish, else English.
func Translate(lang, msg string) string {
	if lang != "en" {
		return msg
	}
	return English(msg)
}

// English returns the Swedish message msg in English, or msg as it is
// when no format of the catalog makes it. A message of several lines
// that no format makes as a whole is put into English line by line.
func English(msg string) string {
	if msg == "" {
		return msg
	}
	c := loadCatalog()
	if out, ok := c.english(msg, 0); ok {
		return out
	}
	if strings.Contains(msg, "\n") {
		lines := strings.Split(msg, "\n")
		for i, l := range lines {
			if out, ok := c.english(l, 0); ok {
				lines[i] = out
			}
		}
		return strings.Join(lines, "\n")
	}
	return msg
}

// maxDepth bounds how deep values are put into English: a message in an
// error in a message.
const maxDepth = 6

// entry is one format of the catalog, parsed.
type entry struct {
	sv, en string
	svLits []string // the literal text around the verbs of sv
	enLits []string // the same for en
	verbs  []string // the verbs of sv (and of en), in order
	lists  []bool   // the verbs whose values are lists made by And
	re     *regexp.Regexp
	weight int // how much literal text sv has: the more, the more specific
}

type catalog struct {
	exact   map[string]string // formats without verbs
	entries []*entry          // formats with verbs, the most specific first
}

var (
	catalogOnce sync.Once
	theCatalog  *catalog
)

func loadCatalog() *catalog {
	catalogOnce.Do(func() { theCatalog = buildCatalog(english, lists) })
	return theCatalog
}

// buildCatalog parses pairs of Swedish and English formats, with the
// verbs of each Swedish format that are lists (by index). A pair whose
// verbs differ is left out (the test of the catalog names it).
func buildCatalog(pairs [][2]string, lists map[string][]int) *catalog {
	c := &catalog{exact: map[string]string{}}
	for _, p := range pairs {
		e, ok := parseEntry(p[0], p[1])
		if !ok {
			continue
		}
		for _, i := range lists[p[0]] {
			if i >= 0 && i < len(e.verbs) {
				if e.lists == nil {
					e.lists = make([]bool, len(e.verbs))
				}
				e.lists[i] = true
			}
		}
		if len(e.verbs) == 0 {
			c.exact[e.svLits[0]] = e.enLits[0]
			continue
		}
		c.entries = append(c.entries, e)
	}
	sort.SliceStable(c.entries, func(i, j int) bool { return c.entries[i].weight > c.entries[j].weight })
	return c
}

func parseEntry(sv, en string) (*entry, bool) {
	svLits, svVerbs := splitFormat(sv)
	enLits, enVerbs := splitFormat(en)
	if !sameVerbs(svVerbs, enVerbs) {
		return nil, false
	}
	e := &entry{sv: sv, en: en, svLits: svLits, enLits: enLits, verbs: svVerbs}
	var re strings.Builder
	re.WriteString(`(?s)^`)
	for i, lit := range svLits {
		e.weight += len(lit)
		re.WriteString(regexp.QuoteMeta(lit))
		if i < len(svVerbs) {
			re.WriteString(verbPattern(svVerbs[i]))
		}
	}
	re.WriteString(`$`)
	var err error
	if e.re, err = regexp.Compile(re.String()); err != nil {
		return nil, false
	}
	return e, true
}

// verbPattern is what a verb may have written.
func verbPattern(verb string) string {
	switch verb[len(verb)-1] {
	case 'd':
		return `([-+]?[0-9]+)`
	case 'q':
		return `("(?:[^"\\]|\\.)*"|` + "`[^`]*`" + `)`
	}
	return `(.*?)`
}

func sameVerbs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// splitFormat splits a format of package fmt into its literal text
// (with %% as %) and its verbs: len(lits) == len(verbs)+1.
func splitFormat(format string) (lits, verbs []string) {
	var lit strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			lit.WriteByte(format[i])
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0123456789.*[]", format[j]) >= 0 {
			j++
		}
		if j >= len(format) {
			lit.WriteString(format[i:])
			break
		}
		if format[j] == '%' && j == i+1 {
			lit.WriteByte('%')
			i = j
			continue
		}
		lits = append(lits, lit.String())
		lit.Reset()
		verbs = append(verbs, format[i:j+1])
		i = j
	}
	return append(lits, lit.String()), verbs
}

// english puts msg into English when a format of the catalog makes it.
func (c *catalog) english(msg string, depth int) (string, bool) {
	if en, ok := c.exact[msg]; ok {
		return en, true
	}
	if depth >= maxDepth {
		return msg, false
	}
	for _, e := range c.entries {
		if !strings.HasPrefix(msg, e.svLits[0]) || !strings.HasSuffix(msg, e.svLits[len(e.svLits)-1]) {
			continue
		}
		m := e.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		var b strings.Builder
		for i, lit := range e.enLits {
			b.WriteString(lit)
			if i >= len(e.verbs) {
				break
			}
			v := m[i+1]
			switch e.verbs[i][len(e.verbs[i])-1] {
			case 's', 'v', 'w':
				if e.lists != nil && e.lists[i] {
					v = c.list(v, depth+1)
				} else if out, ok := c.english(v, depth+1); ok {
					v = out
				}
			}
			b.WriteString(v)
		}
		out := b.String()
		return out, out != msg || e.sv == e.en
	}
	return msg, false
}

// list puts a list made by And into English: "a, b och c" becomes "a, b
// and c", and each item that is a message is put into English as well.
func (c *catalog) list(v string, depth int) string {
	at := strings.LastIndex(v, " och ")
	if at < 0 {
		if out, ok := c.english(v, depth); ok {
			return out
		}
		return v
	}
	items := append(strings.Split(v[:at], ", "), v[at+len(" och "):])
	for i, it := range items {
		if out, ok := c.english(it, depth); ok {
			items[i] = out
		}
	}
	return AndIn(items, "en")
}
