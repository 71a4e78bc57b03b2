package record

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
	"golang.org/x/text/encoding/charmap"
)

// What a CSV column is, for one activity type: the index of a declared
// field, or one of these.
const (
	colCore     = -1 // date, type or by
	colUnnamed  = -2 // empty header cell
	colUndeclar = -3 // not a field of the type
)

// csvTable is the state of one CSV file being read.
type csvTable struct {
	c          *checker
	r          rowReader
	comma      rune
	body       []byte // the text the reader reads, for columns in runes
	lineOffset int    // lines before body: the "sep=" line
	lineEnds   []int  // built on the first error that needs it
	names      []string
	date, typ  int // column indexes; by is -1 when absent
	by         int
	fields     map[*promise.Activity][]int // per type: column → colX or field index
	headerPos  []diag.Pos                  // each header cell, its column in bytes
	unknown    map[unknownColumn]bool      // reported once, at the header cell
	rowExtra   int                         // diagnostics of the current row that leave it in
	gaveUp     bool                        // the line scanner gave up on the header
	// The fast path's state (csvfast.go), with a sink.
	fast        map[*promise.Activity]*fastType
	types       map[string]*fastType // the type cell as written → its state; nil for the slow path
	lastType    *fastType
	lastTypeRaw string
	lastDate    calendar.Date
	lastDateRaw string
}

// unknownColumn is a column that names no field of a type.
type unknownColumn struct {
	act *promise.Activity
	col int
}

func (c *checker) csvFile(data []byte) []Record {
	from := len(c.diags)
	recs, ok := c.csvRows(data, true)
	if !ok {
		// A row the line scanner leaves to encoding/csv: the file is read
		// again, all of it, so that every row is read the same way.
		c.diags = c.diags[:from]
		if c.sink != nil {
			*c.sink = *newChunkBuilder(c.file, 0)
		}
		recs, _ = c.csvRows(data, false)
	}
	return recs
}

// slowRowsOnly turns the fast path off, for the tests that compare it
// with the slow one.
var slowRowsOnly = false

// csvRows reads the records of a CSV file, with the line scanner when
// fast is true; false when the scanner gave up.
func (c *checker) csvRows(data []byte, fast bool) ([]Record, bool) {
	t := c.newCSVTable(data, fast)
	if t == nil {
		return nil, true
	}
	if !t.header() {
		return nil, !t.gaveUp
	}
	// One record a line, at most: growing the slice would copy it over
	// and over.
	lines := bytes.Count(t.body, []byte("\n")) + 1
	var recs []Record
	if c.sink != nil {
		c.sink.hint = lines
	} else {
		recs = make([]Record, 0, lines)
	}
	// With a sink, a row the line scanner reads goes into the columns
	// by the fast path when it can (csvfast.go).
	ls, _ := t.r.(*lineScanner)
	if c.sink == nil || slowRowsOnly {
		ls = nil
	}
	for {
		var row []string
		var err error
		if ls != nil {
			if err = ls.scan(); err == nil {
				if t.fastRow(ls) {
					continue
				}
				row = ls.strings()
			}
		} else {
			row, err = t.r.Read()
		}
		switch {
		case err == io.EOF:
			if len(recs) == 0 {
				return nil, true
			}
			return recs, true
		case err == errGiveUp:
			return nil, false
		case err != nil:
			if !t.readError(err) {
				return recs, true
			}
		default:
			if rec, ok := t.row(row); ok && c.sink != nil {
				c.sink.add(&rec)
			} else if ok {
				recs = append(recs, rec)
			}
		}
	}
}

// newCSVTable decodes data and sets up the reader, the line scanner when
// fast is true, else encoding/csv; nil when the file cannot be read.
func (c *checker) newCSVTable(data []byte, fast bool) *csvTable {
	if !utf8.Valid(data) {
		// Excel's plain "CSV" export: Windows-1252, one byte per
		// character, so lines and columns stay where they were.
		var err error
		if data, err = charmap.Windows1252.NewDecoder().Bytes(data); err != nil {
			c.errorf(diag.Pos{File: c.file}, "spara filen som UTF-8", "filen kunde inte läsas som Windows-1252: %v", err)
			return nil
		}
	}
	comma, body, ok := c.csvDelimiter(data)
	if !ok {
		return nil
	}
	t := &csvTable{c: c, body: body, comma: comma, fields: make(map[*promise.Activity][]int)}
	if len(body) < len(data) {
		t.lineOffset = 1
	}
	if fast {
		t.r = newLineScanner(body, byte(comma))
		return t
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	r.TrimLeadingSpace = true
	t.r = r
	return t
}

// csvDelimiter honours an Excel "sep=" first line (and cuts it off), or
// else picks ";" when the header holds more of them than ",".
func (c *checker) csvDelimiter(data []byte) (comma rune, body []byte, ok bool) {
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	first = bytes.TrimSpace(first)
	if len(first) >= 4 && strings.EqualFold(string(first[:4]), "sep=") {
		switch sep := string(first[4:]); sep {
		case ";", ",":
			return rune(sep[0]), rest, true
		default:
			c.errorf(diag.Pos{File: c.file, Line: 1}, `skriv "sep=;" eller "sep=,"`, "avgränsaren %q stöds inte", sep)
			return 0, nil, false
		}
	}
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		return ';', data, true
	}
	return ',', data, true
}

// header reads the header row; false when the file cannot be read.
func (t *csvTable) header() bool {
	row, err := t.r.Read()
	if err == io.EOF {
		return false
	}
	if err == errGiveUp {
		t.gaveUp = true
		return false
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			t.parseError(pe)
		}
		return false
	}
	c := t.c
	defer t.fixColumns(len(c.diags))
	t.names = make([]string, len(row))
	t.headerPos = make([]diag.Pos, len(row))
	for i := range row {
		t.headerPos[i] = t.pos(i)
	}
	t.date, t.typ, t.by = -1, -1, -1
	ok := true
	for i, h := range row {
		name := strings.Clone(strings.TrimSpace(h)) // kept in diagnostics: not a slice of the file
		t.names[i] = name
		if j := indexOf(t.names[:i], name); j >= 0 && name != "" {
			c.errorf(t.pos(i), "", "kolumnen %q finns redan (kolumn %d)", name, j+1)
			ok = false
		}
		// The core columns whatever their case: Excel users write Date;Type;By
		// (docs/reference.md §4).
		switch strings.ToLower(name) {
		case promise.FieldDate:
			t.date = firstCol(t.date, i)
		case promise.FieldType:
			t.typ = firstCol(t.typ, i)
		case promise.FieldBy:
			t.by = firstCol(t.by, i)
		}
	}
	for _, core := range []struct {
		name string
		col  int
	}{{promise.FieldDate, t.date}, {promise.FieldType, t.typ}} {
		if core.col < 0 {
			sep := string(t.comma)
			hint := "första raden ska namnge fälten, t.ex. date" + sep + "type" + sep + "by"
			if len(row) > 0 {
				if _, p := parseDate(strings.TrimSpace(row[0])); p == dateOK {
					hint = "rubrikraden saknas: " + hint
				}
			}
			for _, name := range t.names {
				if slices.Contains(swedishNames[core.name], strings.ToLower(name)) {
					hint = fmt.Sprintf("kolumnen heter %s, inte %s", core.name, name)
				}
			}
			c.errorf(diag.Pos{File: c.file, Line: 1 + t.lineOffset}, hint, "kolumnen %s saknas", core.name)
			ok = false
		}
	}
	return ok
}

// swedishNames are column names people write for the core fields.
var swedishNames = map[string][]string{
	promise.FieldDate: {"datum", "dag"},
	promise.FieldType: {"typ", "aktivitet", "aktivitetstyp"},
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

// columns maps each column to a field of act, once per type.
func (t *csvTable) columns(act *promise.Activity) []int {
	if cols, ok := t.fields[act]; ok {
		return cols
	}
	cols := make([]int, len(t.names))
	for i, name := range t.names {
		switch {
		case i == t.date || i == t.typ || i == t.by:
			cols[i] = colCore
		case name == "":
			cols[i] = colUnnamed
		default:
			cols[i] = act.FieldIndex(name)
			if cols[i] < 0 {
				cols[i] = foldedField(act, name)
			}
		}
	}
	t.fields[act] = cols
	return cols
}

// firstCol is col, or i when no column was found yet.
func firstCol(col, i int) int {
	if col >= 0 {
		return col
	}
	return i
}

// foldedField is the index of the one field of act whose name is name but
// for case (a header Plats for the field plats), or colUndeclar.
func foldedField(act *promise.Activity, name string) int {
	found := colUndeclar
	for j, f := range act.Fields {
		if strings.EqualFold(f.Name, name) {
			if found != colUndeclar {
				return colUndeclar // plats and Plats both declared: the header must say which
			}
			found = j
		}
	}
	return found
}

func cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// row checks one data row; false when it is left out, or blank.
func (t *csvTable) row(row []string) (Record, bool) {
	blank := true
	for _, s := range row {
		if strings.TrimSpace(s) != "" {
			blank = false
			break
		}
	}
	if blank {
		return Record{}, false
	}
	c := t.c
	start := len(c.diags)
	t.rowExtra = 0
	line, _ := t.r.FieldPos(0)
	rec := Record{Pos: diag.Pos{File: c.file, Line: line + t.lineOffset}}
	var act *promise.Activity
	if s := cell(row, t.typ); s == "" {
		c.missing(rec.Pos, promise.FieldType)
	} else {
		act = c.activity(s, t.pos(t.typ))
		c.tag(start, promise.FieldType)
	}
	from := len(c.diags)
	if s := cell(row, t.date); s == "" {
		c.missing(rec.Pos, promise.FieldDate)
	} else {
		rec.Date, _ = c.date(promise.FieldDate, -1, s, t.pos(t.date))
	}
	c.tag(from, promise.FieldDate)
	from = len(c.diags)
	if s := cell(row, t.by); s == "" && t.by < 0 {
		c.errorf(rec.Pos, "lägg till kolumnen by, t.ex. polisen eller polisen+kommunen", "posten saknar by")
	} else if s == "" {
		c.missing(rec.Pos, promise.FieldBy)
	} else {
		rec.By, _ = c.partyIDs(s, t.pos(t.by))
	}
	c.tag(from, promise.FieldBy)
	for i := len(t.names); i < len(row); i++ {
		if strings.TrimSpace(row[i]) != "" {
			c.errorf(t.pos(i), `omge ett värde som innehåller `+string(t.comma)+` med citattecken "…"`,
				"fler värden än kolumner")
			break
		}
	}
	if act != nil {
		rec.Type = act.ID
		rec.Values = c.values(len(act.Fields))
		t.values(act, row, rec.Values)
		c.required(act, rec.Values, rec.Pos)
	}
	t.fixColumns(start)
	return rec, len(c.diags)-t.rowExtra == start
}

// values converts the cells of row for the fields of act. A column the
// row lacks counts as an empty cell.
func (t *csvTable) values(act *promise.Activity, row []string, vals []any) {
	c := t.c
	for i, col := range t.columns(act) {
		s := ""
		if i < len(row) {
			s = row[i]
		}
		switch {
		case col >= 0:
			from := len(c.diags)
			vals[col] = c.scalar(t.names[i], -1, &act.Fields[col].Type, s, t.cellPos(i, row))
			c.tag(from, t.names[i])
		case col == colCore || strings.TrimSpace(s) == "":
		case col == colUnnamed:
			c.errorf(t.pos(i), "ge kolumnen ett namn på första raden", "värde i en kolumn utan namn")
		default:
			t.unknownColumn(act, i)
		}
	}
}

// unknownColumn reports, once, at its header cell, a column that names no
// field of act and has a value in a row of that type. The column is then
// read on no row of the type: every row is treated alike, the ones with
// an empty cell and the ones with a value, and all of them count
// (docs/design.md, "A misspelled CSV column").
func (t *csvTable) unknownColumn(act *promise.Activity, i int) {
	k := unknownColumn{act, i}
	if t.unknown[k] {
		return
	}
	if t.unknown == nil {
		t.unknown = map[unknownColumn]bool{}
	}
	t.unknown[k] = true
	t.rowExtra++
	hint := diag.DidYouMean(t.names[i], act.FieldNames())
	if hint == "" {
		hint = "fälten står i " + promise.ActivitiesFile
	}
	t.c.errorf(t.headerPos[i], hint, "okänt fält %q för %s: kolumnen läses inte på någon rad av typen, raderna räknas utan den",
		t.names[i], act.ID)
}

// pos is the position of cell i of the current row. Its column counts
// bytes until fixColumns makes it count runes: only for the few cells
// that get a diagnostic.
func (t *csvTable) pos(i int) diag.Pos {
	line, col := t.r.FieldPos(i)
	return diag.Pos{File: t.c.file, Line: line + t.lineOffset, Col: col}
}

// fixColumns turns the byte columns of the diagnostics from index from on
// into rune columns.
func (t *csvTable) fixColumns(from int) {
	for _, d := range t.c.diags[from:] {
		if d.Col > 0 {
			d.Col = t.runeColumn(d.Line-t.lineOffset, d.Col)
		}
	}
}

// cellPos is pos for a cell the row may lack, then the row's line.
func (t *csvTable) cellPos(i int, row []string) diag.Pos {
	return t.cellPosN(i, len(row))
}

// cellPosN is cellPos for a row of n cells.
func (t *csvTable) cellPosN(i, n int) diag.Pos {
	if i < n {
		return t.pos(i)
	}
	line, _ := t.r.FieldPos(0)
	return diag.Pos{File: t.c.file, Line: line + t.lineOffset}
}

// runeColumn turns a byte column of a line of body into runes.
func (t *csvTable) runeColumn(line, col int) int {
	if t.lineEnds == nil {
		t.lineEnds = lineEnds(t.body)
	}
	start := 0
	if line >= 2 && line-2 < len(t.lineEnds) {
		start = t.lineEnds[line-2]
	}
	end := min(start+col-1, len(t.body))
	if start > end {
		return col
	}
	return utf8.RuneCount(t.body[start:end]) + 1
}

// readError reports an error of the reader; false when reading cannot
// go on.
func (t *csvTable) readError(err error) bool {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		t.c.errorf(diag.Pos{File: t.c.file}, "", "filen kunde inte läsas: %v", err)
		return false
	}
	t.parseError(pe)
	return true
}

func (t *csvTable) parseError(pe *csv.ParseError) {
	c := t.c
	pos := diag.Pos{File: c.file, Line: pe.Line + t.lineOffset, Col: t.runeColumn(pe.Line, max(pe.Column, 1))}
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		c.errorf(pos, `skriv hela värdet inom "…" och ett citattecken i det som ""`,
			"citattecken i ett värde som inte står inom citattecken")
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine:
		c.errorf(diag.Pos{File: c.file, Line: pe.StartLine + t.lineOffset},
			`saknas ett avslutande "? raderna efter lästes som en del av värdet`,
			"värdet inom citattecken avslutas aldrig")
	case errors.Is(pe.Err, csv.ErrQuote):
		c.errorf(pos, `skriv hela värdet inom "…" och ett citattecken i det som ""`,
			"text efter ett avslutande citattecken")
	default:
		c.errorf(pos, "", "raden kunde inte läsas: %v", pe.Err)
	}
}

// CSVHeader returns the column names of a CSV record file, read as Parse
// reads it (byte order mark, Windows-1252, a "sep=" line, the delimiter),
// so that a column number can be found for a field; nil without a header.
func CSVHeader(data []byte) []string {
	c := newChecker("", formatCSV, promise.NewVocabulary(nil), nil)
	t := c.newCSVTable(bytes.TrimPrefix(data, utf8BOM), false)
	if t == nil {
		return nil
	}
	row, err := t.r.Read()
	if err != nil {
		return nil
	}
	names := make([]string, len(row))
	for i, s := range row {
		names[i] = strings.TrimSpace(s)
	}
	return names
}
