package record

import (
	"errors"
	"io"
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
	cols  []int // each cell's column in bytes, from 1
}

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
	if i < 0 || i >= len(s.cols) {
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
	var line string
	for {
		if s.off >= len(s.text) {
			return nil, io.EOF
		}
		rest := s.text[s.off:]
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, s.off = rest[:i], s.off+i+1
		} else {
			line, s.off = rest, len(s.text)
		}
		s.line++
		// encoding/csv reads "\r\n" as "\n", and drops a "\r" before the
		// end of the file.
		line = strings.TrimSuffix(line, "\r")
		if line != "" { // empty lines are skipped
			break
		}
	}
	s.row, s.cols = s.row[:0], s.cols[:0]
	col := 1
	for {
		sp := leadingSpace(line)
		line, col = line[sp:], col+sp
		if line == "" || line[0] != '"' {
			field := line
			i := strings.IndexByte(line, s.comma)
			if i >= 0 {
				field = line[:i]
			}
			if strings.IndexByte(field, '"') >= 0 {
				return nil, errGiveUp
			}
			s.row, s.cols = append(s.row, field), append(s.cols, col)
			if i < 0 {
				return s.row, nil
			}
			line, col = line[i+1:], col+i+1
			continue
		}
		start := col
		line, col = line[1:], col+1
		var value string
		var buf []byte // only for a value holding ""
		more := false  // a delimiter follows the closing quote
		for {
			i := strings.IndexByte(line, '"')
			if i < 0 {
				return nil, errGiveUp // the value goes on to the next line, or never ends
			}
			if buf != nil {
				buf = append(buf, line[:i]...)
			} else {
				value = line[:i]
			}
			line, col = line[i+1:], col+i+1
			if line != "" && line[0] == '"' {
				if buf == nil {
					buf = append([]byte(nil), value...)
				}
				buf = append(buf, '"')
				line, col = line[1:], col+1
				continue
			}
			if line != "" && line[0] != s.comma {
				return nil, errGiveUp // text after the closing quote
			}
			if line != "" {
				line, col, more = line[1:], col+1, true
			}
			break
		}
		if buf != nil {
			value = string(buf)
		}
		s.row, s.cols = append(s.row, value), append(s.cols, start)
		if !more {
			return s.row, nil
		}
	}
}
