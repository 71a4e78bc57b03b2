package record

import (
	"errors"
	"io"
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// rowReader is what a CSV file's rows are read with: encoding/csv's
// Reader, or the lineScanner below.
type rowReader interface {
	Read() ([]string, error)
	FieldPos(field int) (line, column int)
}

// errGiveUp is the lineScanner's answer to a row it does not read the
// way encoding/csv would: the file is then read again with encoding/csv.
var errGiveUp = errors.New("record: row left to encoding/csv")

// lineScanner reads the rows of a CSV file as encoding/csv does, with
// TrimLeadingSpace and any number of fields a row, for the rows that fit
// on one line: unquoted fields, and quoted ones that end on their line.
// It gives up (errGiveUp) on anything else: a quote in an unquoted field,
// text after a closing quote, a quoted value spanning lines. Those are
// rare, and encoding/csv says what is wrong with them and where.
//
// A row's cells are slices of the file's text: reading costs no
// allocation a row (encoding/csv makes one string a row), except for a
// quoted value holding a doubled quote.
type lineScanner struct {
	text  string
	off   int  // where the next line starts
	line  int  // the number of the last line read
	comma byte // ';' or ','
	row   []string
	cells []span // the cells of the last row read: cells[:n], in the whole of cells
	n     int
	esc   []string // the values holding a doubled quote, unescaped
	cols  []int    // each cell's column in bytes, from 1: cols[:n]
}

// span is a cell: text[start:end], or esc[start] when end is -1. Kept
// as numbers, a row's cells cost no pointer written to the heap.
type span struct{ start, end int }

// newLineScanner reads body, which must not change while it does. The
// cells are slices of body's bytes, not a copy: whatever the reader keeps
// of a cell, it copies (textValue, the column names, the caches' keys).
func newLineScanner(body []byte, comma byte) *lineScanner {
	if len(body) == 0 {
		return &lineScanner{comma: comma}
	}
	return &lineScanner{text: unsafe.String(&body[0], len(body)), comma: comma}
}

// FieldPos returns the line and the byte column of cell i of the last
// row read.
func (s *lineScanner) FieldPos(i int) (line, column int) {
	if i < 0 || i >= s.n {
		return s.line, 0
	}
	return s.line, s.cols[i]
}

// isSpace is unicode.IsSpace for ASCII.
var isSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// leadingSpace is the length of the white space s starts with, as
// encoding/csv's TrimLeadingSpace counts it.
func leadingSpace(s string) int {
	i := 0
	for i < len(s) {
		if b := s[i]; b < utf8.RuneSelf {
			if !isSpace[b] {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			return i
		}
		i += n
	}
	return i
}

// Read returns the next row; its slice is reused by the next call.
func (s *lineScanner) Read() ([]string, error) {
	if err := s.scan(); err != nil {
		return nil, err
	}
	return s.strings(), nil
}

// strings returns the cells of the last row read; the slice is reused
// by the next call.
func (s *lineScanner) strings() []string {
	s.row = s.row[:0]
	for i := range s.n {
		s.row = append(s.row, s.cell(i))
	}
	return s.row
}

// cellAt is cell i of the last row read, "" when it has no such cell.
func (s *lineScanner) cellAt(i int) string {
	if i < 0 || i >= s.n {
		return ""
	}
	return s.cell(i)
}

// cell is cell i of the last row read.
func (s *lineScanner) cell(i int) string {
	c := s.cells[i]
	if c.end < 0 {
		return s.esc[c.start]
	}
	return s.text[c.start:c.end]
}

// scan reads the next row, for cell and len.
func (s *lineScanner) scan() error {
	text := s.text
	var pos, end int // the line: text[pos:end]
	for {
		if s.off >= len(text) {
			return io.EOF
		}
		pos = s.off
		if i := strings.IndexByte(text[pos:], '\n'); i >= 0 {
			end, s.off = pos+i, pos+i+1
		} else {
			end, s.off = len(text), len(text)
		}
		s.line++
		// encoding/csv reads "\r\n" as "\n", and drops a "\r" before the
		// end of the file.
		if end > pos && text[end-1] == '\r' {
			end--
		}
		if end > pos { // empty lines are skipped
			break
		}
	}
	s.esc = s.esc[:0]
	// The cells go into local slices, stored in s only when they grow: a
	// store of a slice into s costs a write barrier while the collector
	// runs.
	cells, cols, err := s.cells[:0], s.cols[:0], error(nil)
	lineStart, comma := pos, s.comma
	for {
		if pos < end && (text[pos] >= utf8.RuneSelf || isSpace[text[pos]]) {
			pos += leadingSpace(text[pos:end])
		}
		if pos == end || text[pos] != '"' {
			j := stopAt(text, pos, end, comma)
			if j < end && text[j] == '"' {
				err = errGiveUp
				break
			}
			cells, cols = append(cells, span{pos, j}), append(cols, pos-lineStart+1)
			if j == end {
				break
			}
			pos = j + 1
			continue
		}
		start := pos
		pos++
		var buf []byte // only for a value holding ""
		cell := span{pos, pos}
		more := false // a delimiter follows the closing quote
		for {
			i := strings.IndexByte(text[pos:end], '"')
			if i < 0 {
				err = errGiveUp // the value goes on to the next line, or never ends
				break
			}
			if buf != nil {
				buf = append(buf, text[pos:pos+i]...)
			} else {
				cell.end = pos + i
			}
			pos += i + 1
			if pos < end && text[pos] == '"' {
				if buf == nil {
					buf = append([]byte(nil), text[cell.start:cell.end]...)
				}
				buf = append(buf, '"')
				pos++
				continue
			}
			if pos < end && text[pos] != comma {
				err = errGiveUp // text after the closing quote
				break
			}
			if pos < end {
				pos, more = pos+1, true
			}
			break
		}
		if err != nil {
			break
		}
		if buf != nil {
			cell = span{len(s.esc), -1}
			s.esc = append(s.esc, string(buf))
		}
		cells, cols = append(cells, cell), append(cols, start-lineStart+1)
		if !more {
			break
		}
	}
	if cap(cells) != cap(s.cells) {
		s.cells = cells[:cap(cells)]
	}
	if cap(cols) != cap(s.cols) {
		s.cols = cols[:cap(cols)]
	}
	s.n = len(cells)
	return err
}

// Bytes repeated in each byte of a word, for stopAt.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
	quote = '"' * ones
)

// stopAt returns the index of the first comma or quote in text[j:end],
// or end when there is none. It looks at 8 bytes at a time: a byte of a
// word x is b when x^(b*ones) has a zero byte there, and (v-ones)&^v&highs
// marks the lowest zero byte of v exactly (the bits above it may be
// wrong, which the count of trailing zeros never reaches).
func stopAt(text string, j, end int, comma byte) int {
	commas := uint64(comma) * ones
	// The word may go past end (into the line's end, the next line): a
	// stop found there is end.
	for ; j < end && j+8 <= len(text); j += 8 {
		x := load64(text, j)
		c, q := x^commas, x^quote
		if m := ((c-ones)&^c | (q-ones)&^q) & highs; m != 0 {
			return min(j+bits.TrailingZeros64(m)>>3, end)
		}
	}
	if j >= end {
		return end
	}
	for ; j < end; j++ {
		if b := text[j]; b == comma || b == '"' {
			return j
		}
	}
	return end
}
