package record

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/lofte/lofte/engine/diag"
)

// JSON is read by a small parser of its own rather than encoding/json:
// it keeps the line and column of every value and key, and says where a
// syntax error is and what was expected there, in Swedish.

func (c *checker) jsonFile(data []byte) []Record {
	p := jsonParser{data: data, pc: newPosCounter(c.file, data, 1)}
	if p.skipSpace(); p.i == len(data) {
		return nil
	}
	root, err := p.value(0)
	if err == nil {
		if p.skipSpace(); p.i < len(data) {
			err = p.fail(p.i, "flera poster skrivs som en lista [{…}, {…}], eller en per rad i en .jsonl-fil",
				"text efter JSON-värdet")
		}
	}
	if err != nil {
		c.jsonError(err)
		return nil
	}
	return c.records(root, nil)
}

// jsonlFile reads one object per line; a bad line costs only itself.
func (c *checker) jsonlFile(data []byte) []Record {
	var recs []Record
	lineNo := 0
	for line := range bytes.Lines(data) {
		lineNo++
		if r, ok := c.jsonlLine(bytes.TrimRight(line, "\r\n"), lineNo); ok {
			recs = append(recs, r)
		}
	}
	return recs
}

const jsonlHint = "varje rad i en .jsonl-fil är ett objekt {…}"

func (c *checker) jsonlLine(line []byte, lineNo int) (Record, bool) {
	if len(bytes.TrimSpace(line)) == 0 {
		return Record{}, false
	}
	pc := newPosCounter(c.file, line, lineNo)
	if i := bytes.IndexByte(line, 0); i >= 0 {
		c.errorf(pc.at(i), "är det en binärfil?", "raden innehåller en NUL-byte")
		return Record{}, false
	}
	p := jsonParser{data: line, pc: pc}
	n, err := p.value(0)
	if err == nil {
		if p.skipSpace(); p.i < len(line) {
			err = p.fail(p.i, jsonlHint, "text efter objektet")
		}
	}
	if err != nil {
		c.jsonError(err)
		return Record{}, false
	}
	if n.kind != mapNode {
		c.errorf(n.pos, jsonlHint, "väntade en post, fick %s", describe(n))
		return Record{}, false
	}
	return c.record(n)
}

func (c *checker) jsonError(err error) {
	if e, ok := err.(*jsonSyntaxError); ok {
		c.errorf(e.pos, e.hint, "ogiltig JSON: %s", e.msg)
		return
	}
	c.errorf(diag.Pos{File: c.file}, "", "ogiltig JSON: %v", err)
}

type jsonSyntaxError struct {
	pos       diag.Pos
	msg, hint string
}

func (e *jsonSyntaxError) Error() string { return e.pos.String() + ": " + e.msg }

type jsonParser struct {
	data []byte
	i    int
	pc   *posCounter
}

func (p *jsonParser) fail(off int, hint, format string, args ...any) error {
	return &jsonSyntaxError{pos: p.pc.at(off), msg: fmt.Sprintf(format, args...), hint: hint}
}

// unexpected reports the character at p.i where something else was
// expected.
func (p *jsonParser) unexpected(expected, hint string) error {
	if p.i >= len(p.data) {
		return p.fail(p.i, hint, "%s, men texten tar slut", expected)
	}
	r, n := utf8.DecodeRune(p.data[p.i:])
	if r == utf8.RuneError && n == 1 {
		return p.fail(p.i, "spara filen som UTF-8", "ogiltig UTF-8")
	}
	if r == '\'' && hint == "" {
		hint = `text skrivs inom dubbla citattecken "…"`
	}
	return p.fail(p.i, hint, "%s, fick %q", expected, r)
}

func (p *jsonParser) skipSpace() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) peek() byte {
	if p.i < len(p.data) {
		return p.data[p.i]
	}
	return 0
}

func (p *jsonParser) value(depth int) (*node, error) {
	p.skipSpace()
	if depth > maxDepth {
		return nil, p.fail(p.i, "", "för djupt nästlad JSON")
	}
	pos := p.pc.at(p.i)
	switch ch := p.peek(); {
	case ch == '{':
		return p.object(pos, depth)
	case ch == '[':
		return p.array(pos, depth)
	case ch == '"':
		s, err := p.str()
		return &node{kind: scalarNode, text: s, pos: pos}, err
	case ch == '-' || '0' <= ch && ch <= '9':
		s, err := p.number()
		return &node{kind: scalarNode, text: s, pos: pos}, err
	case 'a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z':
		return p.literal(pos)
	}
	return nil, p.unexpected("väntade ett värde", "")
}

func (p *jsonParser) object(pos diag.Pos, depth int) (*node, error) {
	n := &node{kind: mapNode, pos: pos}
	p.i++ // {
	if p.skipSpace(); p.peek() == '}' {
		p.i++
		return n, nil
	}
	for {
		p.skipSpace()
		if p.peek() != '"' {
			hint := `fältnamn skrivs inom dubbla citattecken`
			if p.peek() == '}' {
				hint = "ta bort kommatecknet efter det sista fältet"
			}
			return nil, p.unexpected("väntade ett fältnamn", hint)
		}
		keyPos := p.pc.at(p.i)
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		if p.skipSpace(); p.peek() != ':' {
			return nil, p.unexpected("väntade : efter fältnamnet", "")
		}
		p.i++
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.fields = append(n.fields, field{key: key, keyPos: keyPos, val: v})
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.i++
		case '}':
			p.i++
			return n, nil
		default:
			return nil, p.unexpected("väntade , eller } efter ett fält", "saknas ett kommatecken?")
		}
	}
}

func (p *jsonParser) array(pos diag.Pos, depth int) (*node, error) {
	n := &node{kind: listNode, pos: pos}
	p.i++ // [
	if p.skipSpace(); p.peek() == ']' {
		p.i++
		return n, nil
	}
	for {
		if p.skipSpace(); p.peek() == ']' {
			return nil, p.unexpected("väntade ett värde", "ta bort kommatecknet efter det sista elementet")
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, v)
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.i++
		case ']':
			p.i++
			return n, nil
		default:
			return nil, p.unexpected("väntade , eller ] efter ett element", "saknas ett kommatecken?")
		}
	}
}

// str reads a string; p.i is at its opening quote.
func (p *jsonParser) str() (string, error) {
	start := p.i
	escaped := false
	for p.i++; p.i < len(p.data); {
		switch ch := p.data[p.i]; {
		case ch == '"':
			p.i++
			raw := p.data[start:p.i]
			if !escaped {
				return string(raw[1 : len(raw)-1]), nil
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return "", p.fail(start, `giltiga är \" \\ \/ \b \f \n \r \t och \uXXXX`,
					"ogiltig escape-sekvens i texten")
			}
			return s, nil
		case ch == '\\':
			// Skip what is escaped, so that \" does not end the text;
			// json.Unmarshal checks the escape below.
			escaped = true
			p.i++
			if p.i < len(p.data) && p.data[p.i] < utf8.RuneSelf {
				p.i++
			}
		case ch == '\n':
			return "", p.fail(start, `saknas ett avslutande "?`, "texten avslutas inte på raden")
		case ch < 0x20:
			return "", p.fail(p.i, `skriv radbrytning som \n och tabb som \t`, "kontrolltecken %q i en text", rune(ch))
		case ch < utf8.RuneSelf:
			p.i++
		default:
			r, n := utf8.DecodeRune(p.data[p.i:])
			if r == utf8.RuneError && n == 1 {
				return "", p.fail(p.i, "spara filen som UTF-8", "ogiltig UTF-8")
			}
			p.i += n
		}
	}
	return "", p.fail(start, `saknas ett avslutande "?`, "texten avslutas aldrig")
}

// number reads a number as JSON writes it and returns its text.
func (p *jsonParser) number() (string, error) {
	start := p.i
	for p.i < len(p.data) {
		ch := p.data[p.i]
		if !('0' <= ch && ch <= '9' || ch == '-' || ch == '+' || ch == '.' || ch == 'e' || ch == 'E') {
			break
		}
		p.i++
	}
	s := string(p.data[start:p.i])
	if !validJSONNumber(s) {
		return "", p.fail(start, "decimaltecknet i JSON är punkt, utan inledande nollor", "ogiltigt tal %q", s)
	}
	return s, nil
}

// validJSONNumber checks -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validJSONNumber(s string) bool {
	i := 0
	run := func() int { // digits from i
		j := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if run() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if run() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if run() == 0 {
			return false
		}
	}
	return i == len(s)
}

func (p *jsonParser) literal(pos diag.Pos) (*node, error) {
	start := p.i
	for p.i < len(p.data) {
		ch := p.data[p.i]
		if !('a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z' || '0' <= ch && ch <= '9' || ch == '_') {
			break
		}
		p.i++
	}
	switch w := string(p.data[start:p.i]); w {
	case "true", "false":
		return &node{kind: scalarNode, text: w, pos: pos}, nil
	case "null":
		return &node{kind: nullNode, pos: pos}, nil
	case "True", "False", "TRUE", "FALSE", "Null", "NULL", "None":
		return nil, p.fail(start, "skriv true, false och null med gemener", "okänt värde %s", w)
	default:
		return nil, p.fail(start, `text skrivs inom dubbla citattecken "…"`, "okänt värde %s", w)
	}
}
