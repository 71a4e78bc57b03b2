package record

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"unsafe"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
)

// CodecVersion is the version of the encoding of a parsed file
// (EncodeParsed), and of what parsing gives: it changes whenever the
// encoding, the columns of a Chunk or the reading of a file change
// meaning, so that what was stored by another version is read again.
const CodecVersion = 5

// EncodeParsed appends to b what ParseChunk gave for one file, its
// records and its problems, in a form DecodeParsed reads back the same.
//
// The encoding is made to be read fast: first every string, together
// (read as one string, which the others are parts of), then the
// structure in varints, and the columns of numbers at a fixed width
// (dates 2 bytes after a first day or 4, lines and start columns 4,
// codes 2, party lists 1 or 4; lines and start columns only when they
// do not follow from the first),
// little-endian (read by copying).
func EncodeParsed(b []byte, c *Chunk, diags diag.List) []byte {
	// The structure and the strings are built apart, in buffers the next
	// call uses again, then appended to b.
	e := encoders.Get().(*encoder)
	defer func() {
		e.b, e.s = e.b[:0], e.s[:0]
		encoders.Put(e)
	}()
	if c == nil {
		c = &Chunk{}
	}
	e.str(c.file)
	e.uint(uint64(c.n))
	e.uint(uint64(len(c.parts)))
	for _, p := range c.parts {
		e.part(p)
	}
	e.uint(uint64(len(diags)))
	for _, d := range diags {
		e.str(d.File)
		e.int(int64(d.Line))
		e.int(int64(d.Col))
		e.int(int64(d.Severity))
		e.str(d.Message)
		e.str(d.Hint)
		e.str(d.Field)
	}
	b = binary.AppendUvarint(b, uint64(len(e.s)))
	b = append(b, e.s...)
	return append(b, e.b...)
}

// int32s writes a column of 32-bit numbers, or, when vs is nil, the one
// number the rows derive theirs from (first line, common column).
func (e *encoder) int32s(vs []int32, one int32) {
	if vs == nil {
		e.b = append(e.b, 0)
		e.int(int64(one))
		return
	}
	e.b = append(e.b, 1)
	for _, v := range vs {
		e.u32(uint32(v))
	}
}

// part writes one part: its dates, lines, columns, parties and values.
func (e *encoder) part(p *part) {
	e.str(p.typ)
	e.uint(uint64(p.nf))
	e.uint(uint64(p.len()))
	if p.dates == nil {
		e.b = append(e.b, 0)
		e.int(int64(p.day0))
		e.b = appendU16s(e.b, p.days)
	} else {
		e.b = append(e.b, 1)
		for _, d := range p.dates {
			e.u32(uint32(d))
		}
	}
	e.int32s(p.line, p.line0)
	e.int32s(p.col, p.colAll)
	if p.by8 != nil {
		e.b = append(e.b, 1)
		e.b = append(e.b, p.by8...)
	} else {
		e.b = append(e.b, 4)
		for _, v := range p.by {
			e.u32(v)
		}
	}
	e.uint(uint64(len(p.bys)))
	for _, by := range p.bys {
		if by == nil {
			e.uint(0)
			continue
		}
		e.uint(uint64(len(by)) + 1)
		for _, s := range by {
			e.str(s)
		}
	}
	for _, col := range p.vals {
		if col.raw != nil {
			e.b = append(e.b, 1)
			for _, v := range col.raw {
				e.value(v)
			}
			continue
		}
		e.b = append(e.b, 0)
		e.uint(uint64(len(col.dict)))
		for _, v := range col.dict {
			e.value(v)
		}
		e.b = appendU16s(e.b, col.codes)
	}
}

// DecodeParsed reads what EncodeParsed wrote. Bytes it did not write
// give an error, never a panic nor a Chunk that does not hold together.
func DecodeParsed(data []byte) (c *Chunk, diags diag.List, err error) {
	defer func() {
		if v := recover(); v != nil { // belt and braces: the checks below should catch all
			c, diags, err = nil, nil, fmt.Errorf("trasig kodning: %v", v)
		}
	}()
	d := decoder{b: data}
	if n := d.count(); d.err == nil {
		d.s, d.b = string(d.b[:n]), d.b[n:] // every string, in one
	}
	c = &Chunk{file: d.str(), n: d.count()}
	nparts := d.count()
	total := 0
	for range nparts {
		if d.err != nil {
			break
		}
		p := d.part(c.file)
		if d.err != nil {
			break
		}
		if len(c.parts) > 0 && c.parts[len(c.parts)-1].typ >= p.typ {
			d.fail()
			break
		}
		total += p.len()
		c.parts = append(c.parts, p)
	}
	if total != c.n {
		d.fail()
	}
	diags = d.diags()
	if d.err == nil && (len(d.b) != 0 || len(d.s) != 0) {
		d.fail()
	}
	if d.err != nil {
		return nil, nil, d.err
	}
	return c, diags, nil
}

// part reads the records of one type of a file.
func (d *decoder) part(file string) *part {
	p := &part{file: file, typ: d.str(), nf: d.count()}
	rows := d.count()
	if d.err != nil || rows == 0 || rows > len(d.b)/2 {
		d.fail()
		return p
	}
	switch d.byte() {
	case 0:
		if p.day0 = calendar.Date(d.int32(d.int())); int64(p.day0)+math.MaxUint16 > math.MaxInt32 {
			d.fail()
		}
		p.days = d.u16s(make([]uint16, rows))
	case 1:
		p.dates = u32s(d, make([]calendar.Date, rows))
	default:
		d.fail()
	}
	if d.err != nil {
		return p
	}
	switch d.byte() {
	case 0:
		if p.line0 = d.int32(d.int()); int64(p.line0)+int64(rows) > math.MaxInt32 {
			d.fail()
		}
	case 1:
		p.line = u32s(d, make([]int32, rows))
	default:
		d.fail()
	}
	switch d.byte() {
	case 0:
		p.colAll = d.int32(d.int())
	case 1:
		p.col = u32s(d, make([]int32, rows))
	default:
		d.fail()
	}
	switch d.byte() {
	case 1:
		if len(d.b) < rows {
			d.fail()
			return p
		}
		p.by8 = make([]uint8, rows)
		d.b = d.b[copy(p.by8, d.b):]
	case 4:
		p.by = u32s(d, make([]uint32, rows))
	default:
		d.fail()
	}
	if d.err != nil {
		return p
	}
	p.bys = make([][]string, d.count())
	for i := range p.bys {
		n := d.count() - 1
		if n >= 0 && d.err == nil {
			p.bys[i] = make([]string, n)
			for j := range n {
				p.bys[i][j] = d.str()
			}
		}
	}
	if p.by8 != nil && int(slices.Max(p.by8)) >= len(p.bys) || p.by != nil && int(slices.Max(p.by)) >= len(p.bys) {
		d.fail()
		return p
	}
	p.vals = make([]column, p.nf)
	for f := range p.vals {
		if d.err != nil {
			break
		}
		d.column(&p.vals[f], rows)
	}
	return p
}

// column reads one field's values: raw, or a dictionary and codes.
func (d *decoder) column(col *column, rows int) {
	switch d.byte() {
	case 1:
		col.raw = make([]any, rows)
		for i := range rows {
			col.raw[i] = d.value(0)
		}
	case 0:
		col.dict = make([]any, d.count())
		for i := range col.dict {
			col.dict[i] = d.value(0)
		}
		if len(col.dict) == 0 || col.dict[0] != nil || rows > len(d.b)/2 {
			d.fail()
			return
		}
		col.codes = d.u16s(make([]uint16, rows))
		if d.err == nil && int(slices.Max(col.codes)) >= len(col.dict) {
			d.fail()
		}
	default:
		d.fail()
	}
}

// diags reads the file's problems; nil when there are none.
func (d *decoder) diags() diag.List {
	diags := make(diag.List, d.count())
	for i := range diags {
		if d.err != nil {
			break
		}
		diags[i] = &diag.Diagnostic{Pos: diag.Pos{File: d.str(), Line: int(d.int()), Col: int(d.int())},
			Severity: diag.Severity(d.int())}
		diags[i].Message, diags[i].Hint, diags[i].Field = d.str(), d.str(), d.str()
	}
	if len(diags) == 0 {
		return nil
	}
	return diags
}

// Value tags of the encoding.
const (
	tagNil = iota
	tagString
	tagInt
	tagFloat
	tagTrue
	tagFalse
	tagDate
	tagList
	tagNilList
)

// encoder writes the structure and the numbers to b, the strings to s.
type encoder struct{ b, s []byte }

var encoders = sync.Pool{New: func() any { return new(encoder) }}

// appendU16s appends vs to b, 2 bytes each, little-endian.
func appendU16s(b []byte, vs []uint16) []byte {
	n := len(b)
	b = slices.Grow(b, 2*len(vs))[:n+2*len(vs)]
	out := b[n:]
	for i, v := range vs {
		binary.LittleEndian.PutUint16(out[2*i:2*i+2], v)
	}
	return b
}

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) u32(v uint32)  { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.s = append(e.s, s...)
}

func (e *encoder) value(v any) {
	switch x := v.(type) {
	case nil:
		e.b = append(e.b, tagNil)
	case string:
		e.b = append(e.b, tagString)
		e.str(x)
	case int:
		e.b = append(e.b, tagInt)
		e.int(int64(x))
	case float64:
		e.b = append(e.b, tagFloat)
		e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(x))
	case bool:
		if x {
			e.b = append(e.b, tagTrue)
		} else {
			e.b = append(e.b, tagFalse)
		}
	case calendar.Date:
		e.b = append(e.b, tagDate)
		e.int(int64(x))
	case []any:
		if x == nil {
			e.b = append(e.b, tagNilList)
			return
		}
		e.b = append(e.b, tagList)
		e.uint(uint64(len(x)))
		for _, y := range x {
			e.value(y)
		}
	default:
		// Not a value a reader gives: stored as a tag no decoder
		// accepts, so the file is read again rather than misread.
		e.b = append(e.b, 0xff)
	}
}

var errCorrupt = errors.New("trasig kodning")

// decoder reads the structure and the numbers from b, the strings from
// s, in the order they were written.
type decoder struct {
	b   []byte
	s   string
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.b, d.s = nil, ""
}

// u32s fills dst with 4-byte little-endian numbers.
func u32s[T ~int32 | ~uint32](d *decoder, dst []T) []T {
	if len(d.b) < 4*len(dst) {
		d.fail()
		return dst[:0]
	}
	src := d.b[:4*len(dst)]
	if littleEndian && len(dst) > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&dst[0])), len(src)), src)
	} else {
		for i := range dst {
			dst[i] = T(binary.LittleEndian.Uint32(src[4*i:]))
		}
	}
	d.b = d.b[len(src):]
	return dst
}

// u16s fills dst with 2-byte little-endian numbers.
func (d *decoder) u16s(dst []uint16) []uint16 {
	if len(d.b) < 2*len(dst) {
		d.fail()
		return dst[:0]
	}
	src := d.b[:2*len(dst)]
	if littleEndian && len(dst) > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&dst[0])), len(src)), src)
	} else {
		for i := range dst {
			dst[i] = binary.LittleEndian.Uint16(src[2*i:])
		}
	}
	d.b = d.b[len(src):]
	return dst
}

// littleEndian is set where numbers are kept in memory as the encoding
// writes them: a column is then read with one copy.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a number of elements, each at least one byte long: more
// than the bytes left is corruption (and no allocation is made for it).
func (d *decoder) count() int {
	v := d.uint()
	if v > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(v)
}

func (d *decoder) int32(v int64) int32 {
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.fail()
		return 0
	}
	return int32(v)
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) str() string {
	n := d.uint()
	if n > uint64(len(d.s)) {
		d.fail()
		return ""
	}
	s := d.s[:n]
	d.s = d.s[n:]
	return s
}

// maxCodecDepth bounds the nesting of lists read.
const maxCodecDepth = 32

func (d *decoder) value(depth int) any {
	switch d.byte() {
	case tagNil:
		return nil
	case tagString:
		return d.str()
	case tagInt:
		v := d.int()
		if int64(int(v)) != v {
			d.fail()
		}
		return int(v)
	case tagFloat:
		if len(d.b) < 8 {
			d.fail()
			return nil
		}
		v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
		d.b = d.b[8:]
		return v
	case tagTrue:
		return true
	case tagFalse:
		return false
	case tagDate:
		return calendar.Date(d.int32(d.int()))
	case tagNilList:
		return []any(nil)
	case tagList:
		n := d.count()
		if depth >= maxCodecDepth {
			d.fail()
			return nil
		}
		list := make([]any, n)
		for i := range list {
			list[i] = d.value(depth + 1)
		}
		return list
	}
	d.fail()
	return nil
}
