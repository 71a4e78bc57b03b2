package record

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
)

// Chunk is the records of one file in columns, per type: what a Set read
// from files is made of. A Set keeps, per type, the chunks' rows in date
// order as references, and makes Records of them only when asked for them
// (Of, Between); rules, provenance and the counts read the columns
// through Rows. A Chunk is read-only once made.
type Chunk struct {
	file  string
	n     int
	parts []*part // one per type, by type
}

// part is the rows of one type in one file, in file order.
type part struct {
	file   string
	typ    string
	nf     int             // the type's number of values a record
	dates  []calendar.Date // nil when days holds them
	days   []uint16        // the dates as days after day0, when they span fewer than 65,536 days
	day0   calendar.Date
	line   []int32 // nil when row i is on line line0+i (a CSV file of one type)
	line0  int32
	col    []int32 // nil when every row starts in column colAll (CSV: 0, the whole line)
	colAll int32
	// by is each row's index in bys, in by8 instead when bys has at most
	// 256 lists (nearly always: a file's records name few parties).
	by   []uint32
	by8  []uint8
	bys  [][]string
	vals []column // one per value
}

// column is one value of the rows of a part: codes into a dictionary of
// the distinct values, boxed once, or the values themselves when there
// are too many distinct ones for a dictionary to pay.
type column struct {
	codes []uint16 // 0 is nil; nil when raw is used
	dict  []any    // dict[0] is nil
	raw   []any
}

// maxDict is the number of distinct values a column codes; past it the
// column keeps its values as they are. Codes fit in 16 bits.
const maxDict = 1 << 12

// dictKey is the key of a value in a column's dictionary: two values have
// the same key only when they are the same value of the same type
// (0 and -0 are not, as a map would have them).
func dictKey(v any) any {
	switch x := v.(type) {
	case float64:
		return floatKey(math.Float64bits(x))
	case []any:
		var b strings.Builder
		listKey(&b, x)
		return listKeyString(b.String())
	}
	return v
}

type (
	floatKey      uint64
	listKeyString string
)

func listKey(b *strings.Builder, list []any) {
	for _, e := range list {
		var s string
		switch x := e.(type) {
		case nil:
			s = "-"
		case string:
			s = "s" + x
		case int:
			s = "i" + strconv.Itoa(x)
		case float64:
			s = "f" + strconv.FormatUint(math.Float64bits(x), 16)
		case bool:
			s = "b" + strconv.FormatBool(x)
		case calendar.Date:
			s = "d" + strconv.Itoa(int(x))
		case []any:
			var inner strings.Builder
			listKey(&inner, x)
			s = "l" + inner.String()
		default:
			s = "?"
		}
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
}

// NewChunk puts the records of one file, as Parse returns them, in
// columns: every record has the Pos.File file, and the records of a type
// have the same number of values (those of the first one of the type are
// kept).
func NewChunk(file string, recs []Record) *Chunk {
	cb := newChunkBuilder(file, len(recs))
	for i := range recs {
		cb.add(&recs[i])
	}
	return cb.done()
}

// chunkBuilder puts records into columns one by one.
type chunkBuilder struct {
	file   string
	n      int
	hint   int // the number of records expected, for the first type's columns
	byType map[string]*partBuilder
}

func newChunkBuilder(file string, hint int) *chunkBuilder {
	return &chunkBuilder{file: file, hint: hint, byType: map[string]*partBuilder{}}
}

// add puts r into the columns; they keep nothing of r but its By.
func (cb *chunkBuilder) add(r *Record) {
	cb.part(r.Type, len(r.Values)).add(r)
	cb.n++
}

// part is the builder of the rows of type typ, of nf values a row.
func (cb *chunkBuilder) part(typ string, nf int) *partBuilder {
	b := cb.byType[typ]
	if b == nil {
		b = newPartBuilder(cb.file, typ, nf, cb.hint)
		cb.byType[typ] = b
		cb.hint = 0
	}
	return b
}

func (cb *chunkBuilder) done() *Chunk {
	c := &Chunk{file: cb.file, n: cb.n}
	for _, b := range cb.byType {
		c.parts = append(c.parts, b.done())
	}
	slices.SortFunc(c.parts, func(a, b *part) int { return strings.Compare(a.typ, b.typ) })
	return c
}

// Len is the number of records of the chunk.
func (c *Chunk) Len() int {
	if c == nil {
		return 0
	}
	return c.n
}

// Types lists the types the chunk has records of, sorted.
func (c *Chunk) Types() []string {
	if c == nil {
		return nil
	}
	out := make([]string, len(c.parts))
	for i, p := range c.parts {
		out[i] = p.typ
	}
	return out
}

// Records returns the chunk's records, by type, each type in file order.
func (c *Chunk) Records() []Record {
	if c == nil {
		return nil
	}
	out := make([]Record, 0, c.n)
	for _, p := range c.parts {
		vals := make([]any, p.len()*p.nf)
		for i := range p.len() {
			out = append(out, p.record(i, vals[i*p.nf:(i+1)*p.nf:(i+1)*p.nf]))
		}
	}
	return out
}

func (c *Chunk) part(typ string) *part {
	if c == nil {
		return nil
	}
	i, ok := slices.BinarySearchFunc(c.parts, typ, func(p *part, t string) int { return strings.Compare(p.typ, t) })
	if !ok {
		return nil
	}
	return c.parts[i]
}

type partBuilder struct {
	p     *part
	byIdx map[byKey]uint32
	keys  []map[any]uint32
}

// byKey names a party list by its backing array: the readers share one
// list among the records that write the same parties.
type byKey struct {
	first *string
	n     int
}

func newPartBuilder(file, typ string, nf, hint int) *partBuilder {
	p := &part{file: file, typ: typ, nf: nf, vals: make([]column, nf),
		dates: make([]calendar.Date, 0, hint), line: make([]int32, 0, hint), col: make([]int32, 0, hint), by: make([]uint32, 0, hint)}
	b := &partBuilder{p: p, byIdx: map[byKey]uint32{}, keys: make([]map[any]uint32, nf)}
	for i := range b.keys {
		b.keys[i] = map[any]uint32{}
		p.vals[i].dict = []any{nil}
		p.vals[i].codes = make([]uint16, 0, hint)
	}
	return b
}

func (b *partBuilder) add(r *Record) {
	p := b.p
	p.dates = append(p.dates, r.Date)
	p.line = append(p.line, int32(r.Pos.Line))
	p.col = append(p.col, int32(r.Pos.Col))
	p.by = append(p.by, b.byCode(r.By))
	for f := range p.nf {
		var v any
		if f < len(r.Values) {
			v = r.Values[f]
		}
		b.addValue(f, v)
	}
}

// addValue appends v to column f and returns its code in the column's
// dictionary; coded is false when the column keeps its values as they
// are.
func (b *partBuilder) addValue(f int, v any) (code uint32, coded bool) {
	col := &b.p.vals[f]
	if col.raw != nil {
		col.raw = append(col.raw, v)
		return 0, false
	}
	ok := true
	if v != nil {
		k := dictKey(v)
		code, ok = b.keys[f][k]
		if !ok && len(col.dict) < maxDict {
			code = uint32(len(col.dict))
			col.dict = append(col.dict, v)
			b.keys[f][k] = code
			ok = true
		}
	}
	if !ok { // too many distinct values: the column keeps them as they are
		n := len(col.codes)
		col.raw = make([]any, n, max(2*n, 16))
		for i, c := range col.codes {
			col.raw[i] = col.dict[c]
		}
		col.raw = append(col.raw, v)
		col.codes, col.dict, b.keys[f] = nil, nil, nil
		return 0, false
	}
	col.codes = append(col.codes, uint16(code))
	return code, true
}

// byCode is the index of a party list in the part's list of them.
func (b *partBuilder) byCode(by []string) uint32 {
	key := byKey{n: len(by)}
	if len(by) > 0 {
		key.first = &by[0]
	}
	if i, ok := b.byIdx[key]; ok {
		return i
	}
	i := uint32(len(b.p.bys))
	b.p.bys = append(b.p.bys, by)
	b.byIdx[key] = i
	return i
}

func (b *partBuilder) done() *part {
	p := b.p
	if cap(p.dates) > 2*len(p.dates)+64 { // a hint too large: let the rest go
		p.dates, p.line, p.col, p.by = slices.Clone(p.dates), slices.Clone(p.line), slices.Clone(p.col), slices.Clone(p.by)
		for i := range p.vals {
			if p.vals[i].codes != nil {
				p.vals[i].codes = slices.Clone(p.vals[i].codes)
			}
		}
	}
	p.narrow()
	return p
}

// narrow puts the columns of lines, start columns and party lists in
// their smaller forms when they fit (see part).
func (p *part) narrow() {
	if len(p.dates) > 0 {
		lo, hi := slices.Min(p.dates), slices.Max(p.dates)
		if int64(hi)-int64(lo) <= math.MaxUint16 {
			p.days, p.day0 = make([]uint16, len(p.dates)), lo
			for i, d := range p.dates {
				p.days[i] = uint16(d - lo)
			}
			p.dates = nil
		}
	}
	if consecutive(p.line) {
		p.line, p.line0 = nil, p.line[0]
	}
	if len(p.col) > 0 && !slices.ContainsFunc(p.col, func(c int32) bool { return c != p.col[0] }) {
		p.col, p.colAll = nil, p.col[0]
	}
	if p.by != nil && len(p.bys) <= 256 {
		p.by8 = make([]uint8, len(p.by))
		for i, b := range p.by {
			p.by8[i] = uint8(b)
		}
		p.by = nil
	}
}

// byOf is the index in bys of row i's parties.
func (p *part) byOf(i int) int {
	if p.by8 != nil {
		return int(p.by8[i])
	}
	return int(p.by[i])
}

// len is the number of rows.
func (p *part) len() int {
	if p.dates == nil {
		return len(p.days)
	}
	return len(p.dates)
}

// date is the date of row i.
func (p *part) date(i int) calendar.Date {
	if p.dates == nil {
		return p.day0 + calendar.Date(p.days[i])
	}
	return p.dates[i]
}

// appendDates appends the dates of the rows to out.
func (p *part) appendDates(out []calendar.Date) []calendar.Date {
	if p.dates != nil {
		return append(out, p.dates...)
	}
	for _, d := range p.days {
		out = append(out, p.day0+calendar.Date(d))
	}
	return out
}

// consecutive reports whether lines are n, n+1, n+2...
func consecutive(lines []int32) bool {
	for i := 1; i < len(lines); i++ {
		if lines[i] != lines[i-1]+1 {
			return false
		}
	}
	return len(lines) > 0
}

// lineOf is the line where row i starts.
func (p *part) lineOf(i int) int {
	if p.line == nil {
		return int(p.line0) + i
	}
	return int(p.line[i])
}

// colOf is the column where row i starts.
func (p *part) colOf(i int) int {
	if p.col == nil {
		return int(p.colAll)
	}
	return int(p.col[i])
}

// value is value f of row i.
func (p *part) value(i, f int) any {
	col := &p.vals[f]
	if col.raw != nil {
		return col.raw[i]
	}
	return col.dict[col.codes[i]]
}

func (p *part) pos(i int) diag.Pos {
	return diag.Pos{File: p.file, Line: p.lineOf(i), Col: p.colOf(i)}
}

// record makes row i a Record, its values in vals.
func (p *part) record(i int, vals []any) Record {
	for f := range vals {
		vals[f] = p.value(i, f)
	}
	if len(vals) == 0 {
		vals = nil
	}
	return Record{Type: p.typ, Date: p.date(i), By: p.bys[p.byOf(i)], Values: vals, Pos: p.pos(i)}
}
