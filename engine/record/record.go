package record

import (
	"bytes"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
)

// Record is one activity done: a row of a CSV file, an element of a YAML
// or JSON list, a line of a JSONL file.
type Record struct {
	Type string
	Date calendar.Date
	By   []string // party ids, always one or more
	// Values holds the activity's declared fields, aligned with
	// Activity.Fields; an element is nil when the field is absent. Go
	// types: String and Enum string, Int int, Number float64, Bool bool,
	// Date calendar.Date, List []any of element values.
	Values []any
	Pos    diag.Pos // where the record starts
}

type format int

const (
	formatYAML format = iota
	formatJSON
	formatJSONL
	formatCSV
)

var formats = map[string]format{
	".yaml":  formatYAML,
	".yml":   formatYAML,
	".json":  formatJSON,
	".jsonl": formatJSONL,
	".csv":   formatCSV,
}

func formatOf(path string) (format, bool) {
	f, ok := formats[strings.ToLower(filepath.Ext(path))]
	return f, ok
}

// IsRecordFile reports whether path has the extension of a record file:
// .yaml, .yml, .json, .jsonl or .csv, in any case.
func IsRecordFile(path string) bool {
	_, ok := formatOf(path)
	return ok
}

// Parse reads the records of one file, path being relative to the
// repository root, its format chosen by its extension. It returns the
// valid records in file order and a diagnostic for each record left out
// and for each problem with the file as a whole, sorted by place. parties
// lists the known party ids; when it is empty, parties are not checked.
// voc may be nil: then only assessment records are known.
func Parse(path string, data []byte, voc *promise.Vocabulary, parties []string) (recs []Record, diags diag.List) {
	return parse(path, data, voc, parties, nil)
}

// ParseChunk is Parse with the records put in columns as they are read:
// the rows of a CSV file are never held as Records.
func ParseChunk(path string, data []byte, voc *promise.Vocabulary, parties []string) (*Chunk, diag.List) {
	sink := newChunkBuilder(path, 0)
	recs, diags := parse(path, data, voc, parties, sink)
	if sink.n == 0 {
		return NewChunk(path, recs), diags
	}
	return sink.done(), diags
}

// parse is Parse; with a sink, the records of a CSV file go there instead
// of being returned.
func parse(path string, data []byte, voc *promise.Vocabulary, parties []string, sink *chunkBuilder) (recs []Record, diags diag.List) {
	f, ok := formatOf(path)
	if !ok {
		diags.Add(diag.Pos{File: path}, "poster läses från .yaml, .yml, .json, .jsonl och .csv",
			"okänd filtyp %q", filepath.Ext(path))
		return nil, diags
	}
	if voc == nil {
		voc = promise.NewVocabulary(nil)
	}
	c := newChecker(path, f, voc, parties)
	c.sink = sink
	defer func() {
		// A reader bug must not take the tool down: the file is named
		// as unread instead.
		if v := recover(); v != nil {
			recs = nil
			if sink != nil {
				*sink = *newChunkBuilder(path, 0)
			}
			c.diags.Add(diag.Pos{File: path}, "", "internt fel, filen lästes inte: %v", v)
			diags = c.diags
		}
	}()
	data = bytes.TrimPrefix(data, utf8BOM)
	if f == formatCSV || f == formatJSONL {
		data = crLines(data)
	}
	if c.checkBytes(data) {
		switch f {
		case formatYAML:
			recs = c.yamlFile(data)
		case formatJSON:
			recs = c.jsonFile(data)
		case formatJSONL:
			recs = c.jsonlFile(data)
		case formatCSV:
			recs = c.csvFile(data)
		}
	}
	c.diags.Sort()
	return recs, c.diags
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// crLines turns every carriage return not followed by a line feed into a
// line feed, in a copy: Excel for Mac's "CSV (Macintosh)" ends its lines
// with a lone CR, and the CSV and JSON Lines readers split lines on LF
// only, so such a file would be read as one line (docs/reference.md §4).
// data is returned as it is when it has no lone CR.
func crLines(data []byte) []byte {
	i := bytes.IndexByte(data, '\r')
	for i >= 0 && i+1 < len(data) && data[i+1] == '\n' {
		j := bytes.IndexByte(data[i+1:], '\r')
		if j < 0 {
			return data
		}
		i += 1 + j
	}
	if i < 0 {
		return data
	}
	out := bytes.Clone(data)
	for k := i; k < len(out); k++ {
		if out[k] == '\r' && (k+1 == len(out) || out[k+1] != '\n') {
			out[k] = '\n'
		}
	}
	return out
}

// MaxLine is the longest line a record file may have. No record a person
// writes comes near it; a longer line is a sign of a damaged or hostile
// file, and would make the readers hold it whole.
const MaxLine = 1 << 20

// longLine returns the number of the first line longer than MaxLine.
func longLine(data []byte) (int, bool) {
	line := 1
	for len(data) > MaxLine {
		i := bytes.IndexByte(data, '\n')
		if i < 0 || i > MaxLine {
			return line, true
		}
		data = data[i+1:]
		line++
	}
	return 0, false
}

// checkBytes reports whether data can be text of a record file: not
// UTF-16, no NUL byte and, except in CSV, valid UTF-8. JSONL checks its
// lines one by one, so that one bad line does not cost the others.
func (c *checker) checkBytes(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		c.diags.Add(diag.Pos{File: c.file, Line: 1}, "spara filen som UTF-8; i Excel: CSV UTF-8",
			"filen är kodad som UTF-16")
		return false
	}
	if line, ok := longLine(data); ok {
		c.diags.Add(diag.Pos{File: c.file, Line: line}, "dela upp värdet, eller filen i flera filer",
			"raden är längre än %d MiB: filen läses inte", MaxLine>>20)
		return false
	}
	if c.format == formatJSONL {
		return true
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		c.diags.Add(newPosCounter(c.file, data, 1).at(i), "är det en binärfil?", "filen innehåller en NUL-byte")
		return false
	}
	if c.format != formatCSV && !utf8.Valid(data) {
		c.diags.Add(newPosCounter(c.file, data, 1).at(firstInvalidUTF8(data)), "spara filen som UTF-8",
			"filen är inte giltig UTF-8")
		return false
	}
	return true
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// posCounter turns byte offsets into lines and columns (in runes). It
// moves forward from the last offset asked for, so a scan that asks in
// increasing order costs one pass over the data, even on one long line.
type posCounter struct {
	file           string
	data           []byte
	off, line, col int // the position of data[off]
	firstLine      int
}

func newPosCounter(file string, data []byte, firstLine int) *posCounter {
	return &posCounter{file: file, data: data, line: firstLine, col: 1, firstLine: firstLine}
}

func (c *posCounter) at(off int) diag.Pos {
	if off < c.off {
		c.off, c.line, c.col = 0, c.firstLine, 1
	}
	off = min(off, len(c.data))
	for c.off < off {
		switch b := c.data[c.off]; {
		case b == '\n':
			c.line++
			c.col = 1
			c.off++
		case b < utf8.RuneSelf:
			c.col++
			c.off++
		default:
			_, n := utf8.DecodeRune(c.data[c.off:])
			c.off += n
			c.col++
		}
	}
	return diag.Pos{File: c.file, Line: c.line, Col: c.col}
}
