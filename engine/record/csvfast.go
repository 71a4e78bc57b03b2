package record

import (
	"strings"
	"unicode/utf8"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
)

// The fast path of a CSV file read into columns. Rows of a file repeat
// their cells (a type, a date, parties, a handful of enum values), and a
// cell converts the same way wherever it stands in a column: the fast
// path keeps, per type and column, what each distinct cell became, its
// code in the column's dictionary, and puts a row into the columns
// without making a Record, a value or a string. A cell seen for the first
// time is converted as the slow path converts it (checker.scalar); a row
// the slow path would report, or treat in any other way than putting it
// into the columns as it is, is left to the slow path (csvTable.row), all
// of it. So the two read every file the same (TestFastRowsAsSlow).

// fastType is what the fast path keeps of one activity type of a file.
type fastType struct {
	act      *promise.Activity
	cols     []int        // csvTable.columns
	pb       *partBuilder // made with the first row of the type put in
	cells    []cellCache  // per column of a field
	by       cellCache    // the by cell → its index in the part's party lists
	required []int        // the required fields
	slow     bool         // a required field has no column: every row is reported
	// The row being read, per field: the index of its cell's entry in
	// cells[from[f]], noValue when no column gives the field, or newValue
	// when the cell is new to the cache (its value in val).
	entry []int32
	from  []int
	val   []any
}

// fastType returns the fast path's state for act, made on first use.
func (t *csvTable) fastType(act *promise.Activity) *fastType {
	if ft := t.fast[act]; ft != nil {
		return ft
	}
	nf := len(act.Fields)
	ft := &fastType{act: act, cols: t.columns(act), cells: make([]cellCache, len(t.names)),
		entry: make([]int32, nf), from: make([]int, nf), val: make([]any, nf)}
	has := make([]bool, nf)
	for i, col := range ft.cols {
		if col >= 0 {
			has[col] = true
			ft.from[col] = i
		}
	}
	for f, fd := range act.Fields {
		if !has[f] {
			ft.entry[f] = noValue
		}
		if fd.Required {
			ft.required = append(ft.required, f)
			ft.slow = ft.slow || !has[f]
		}
	}
	if t.fast == nil {
		t.fast = map[*promise.Activity]*fastType{}
	}
	t.fast[act] = ft
	return ft
}

// value is the value of field f of the row being read.
func (ft *fastType) value(f int) any {
	switch e := ft.entry[f]; e {
	case noValue:
		return nil
	case newValue:
		return ft.val[f]
	default:
		return ft.cells[ft.from[f]].entries[e].val
	}
}

// typeOf returns the fast path's state for the type written as raw; nil
// when the slow path must read the row.
func (t *csvTable) typeOf(raw string) *fastType {
	if t.lastType != nil && raw == t.lastTypeRaw {
		return t.lastType
	}
	ft, seen := t.types[raw]
	if !seen {
		c := t.c
		if s := strings.TrimSpace(raw); s != "" {
			from := len(c.diags)
			act := c.activity(s, t.pos(t.typ))
			if len(c.diags) > from {
				c.diags = c.diags[:from]
			} else if act != nil {
				ft = t.fastType(act)
			}
		}
		if t.types == nil {
			t.types = map[string]*fastType{}
		}
		if len(t.types) < cacheLimit {
			t.types[raw] = ft
		}
	}
	if ft != nil {
		t.lastType, t.lastTypeRaw = ft, raw
	}
	return ft
}

// fastRow puts a row into the columns as the slow path would; false when
// it leaves the row to the slow path, having changed nothing.
func (t *csvTable) fastRow(row *lineScanner) bool {
	if row.n > len(t.names) || t.by < 0 {
		return false
	}
	ft := t.typeOf(row.cellAt(t.typ))
	if ft == nil || ft.slow {
		return false
	}
	c := t.c
	// The date, from its fixed places.
	raw := row.cellAt(t.date)
	var date calendar.Date
	if t.lastDateRaw != "" && raw == t.lastDateRaw {
		date = t.lastDate
	} else {
		d, p := parseDate(trimCell(raw))
		if p != dateOK {
			return false
		}
		date, t.lastDate, t.lastDateRaw = d, d, raw
	}
	// The parties.
	byRaw := row.cellAt(t.by)
	byE, byHit := ft.by.lookup(byRaw)
	var byIDs []string
	var byCode uint32
	if byHit {
		byCode = ft.by.entries[byE].code
	} else {
		s := strings.TrimSpace(byRaw)
		if s == "" {
			return false
		}
		from := len(c.diags)
		ids, ok := c.partyIDs(s, t.pos(t.by))
		if !ok || len(c.diags) > from {
			c.diags = c.diags[:from]
			return false
		}
		byIDs = ids
	}
	// The values.
	for i, col := range ft.cols {
		raw := row.cellAt(i)
		switch {
		case col >= 0:
			if e, ok := ft.cells[i].lookup(raw); ok {
				ft.entry[col] = int32(e)
				continue
			}
			from := len(c.diags)
			v := c.scalar(t.names[i], -1, &ft.act.Fields[col].Type, raw, t.cellPosN(i, row.n))
			if len(c.diags) > from || v == (invalidValue{}) {
				c.diags = c.diags[:from]
				return false
			}
			ft.entry[col], ft.val[col] = newValue, v
		case col == colCore || blankCell(raw):
		case col == colUndeclar && t.unknown[unknownColumn{ft.act, i}]:
			// Reported already; the column is not read.
		default:
			return false
		}
	}
	for _, f := range ft.required {
		if ft.value(f) == nil {
			return false
		}
	}
	// The row is in: into the columns with it.
	if ft.pb == nil {
		ft.pb = c.sink.part(ft.act.ID, len(ft.entry))
	}
	pb := ft.pb
	p := pb.p
	line := row.line
	p.dates = append(p.dates, date)
	p.line = append(p.line, int32(line+t.lineOffset))
	p.col = append(p.col, 0)
	if !byHit {
		byCode = pb.byCode(byIDs)
		if _, shared := c.by[strings.TrimSpace(byRaw)]; shared {
			// byCode knows a list by its backing array: only the
			// lists the checker shares are the same list each time.
			ft.by.insert(byRaw, byCode, nil)
		}
	}
	p.by = append(p.by, byCode)
	for f := range p.nf {
		col := &p.vals[f]
		switch e := ft.entry[f]; {
		case e == newValue:
			i := ft.from[f]
			code, _ := pb.addValue(f, ft.val[f])
			ft.cells[i].insert(row.cellAt(i), code, ft.val[f])
			ft.val[f] = nil
		case col.raw != nil:
			col.raw = append(col.raw, ft.value(f))
		case e == noValue:
			col.codes = append(col.codes, 0)
		default:
			col.codes = append(col.codes, uint16(ft.cells[ft.from[f]].entries[e].code))
		}
	}
	c.sink.n++
	return true
}

// trimCell is strings.TrimSpace, with a shortcut for the cells that need
// no trimming.
func trimCell(s string) string {
	if s != "" && !isSpaceByte(s[0]) && !isSpaceByte(s[len(s)-1]) {
		return s
	}
	return strings.TrimSpace(s)
}

// isSpaceByte reports whether b is white space or may begin or end a
// character that is.
func isSpaceByte(b byte) bool { return b >= utf8.RuneSelf || isSpace[b] }

// blankCell reports whether s is empty once trimmed.
func blankCell(s string) bool { return s == "" || trimCell(s) == "" }

// cellCache is a small open-addressing table from the text of a cell, as
// written, to what it became: its value and its code in its column. It
// holds at most cacheLimit cells; it looks at the last cell found first,
// since neighbouring rows repeat.
type cellCache struct {
	entries []cellEntry
	slots   []uint16 // index+1 in entries; 0 is free
	last    int      // index+1 of the last entry found
}

type cellEntry struct {
	key  string
	code uint32
	val  any
}

// maxProbe bounds the slots a lookup looks at: a file made to collide
// costs misses, not time.
const maxProbe = 8

// What fastType.entry holds for a field without an entry.
const (
	noValue  = -1
	newValue = -2
)

func (cc *cellCache) lookup(s string) (int, bool) {
	if cc.last > 0 && cc.entries[cc.last-1].key == s {
		return cc.last - 1, true
	}
	if len(cc.slots) == 0 {
		return 0, false
	}
	mask := len(cc.slots) - 1
	i := int(hashCell(s)) & mask
	for range maxProbe {
		e := int(cc.slots[i])
		if e == 0 {
			return 0, false
		}
		if cc.entries[e-1].key == s {
			cc.last = e
			return e - 1, true
		}
		i = (i + 1) & mask
	}
	return 0, false
}

func (cc *cellCache) insert(s string, code uint32, val any) {
	if len(cc.entries) >= cacheLimit {
		return
	}
	if 2*(len(cc.entries)+1) > len(cc.slots) {
		cc.grow()
	}
	if cc.place(s, len(cc.entries)+1) {
		cc.entries = append(cc.entries, cellEntry{s, code, val})
		cc.last = len(cc.entries)
	}
}

// place puts entry e (index+1) in a free slot for s; false when the
// slots it may take are all taken.
func (cc *cellCache) place(s string, e int) bool {
	mask := len(cc.slots) - 1
	i := int(hashCell(s)) & mask
	for range maxProbe {
		if cc.slots[i] == 0 {
			cc.slots[i] = uint16(e)
			return true
		}
		i = (i + 1) & mask
	}
	return false
}

func (cc *cellCache) grow() {
	n := max(16, 2*len(cc.slots))
	cc.slots = make([]uint16, n)
	kept := cc.entries[:0]
	for _, en := range cc.entries {
		if cc.place(en.key, len(kept)+1) {
			kept = append(kept, en)
		}
	}
	cc.entries, cc.last = kept, 0
}

// hashCell is a cheap hash of a cell's text: its length and up to 24 of
// its bytes (the first, the middle and the last 8). The table compares
// the whole text, so cells that differ elsewhere only share a slot.
func hashCell(s string) uint64 {
	n := len(s)
	h := uint64(n) * 0x9E3779B97F4A7C15
	switch {
	case n >= 8:
		h ^= load64(s, 0)
		h = (h ^ h>>29) * 0xBF58476D1CE4E5B9
		h ^= load64(s, n/2-4)
		h = (h ^ h>>29) * 0xBF58476D1CE4E5B9
		h ^= load64(s, n-8)
	case n >= 4:
		h ^= uint64(load32(s, 0))<<32 | uint64(load32(s, n-4))
	case n > 0:
		h ^= uint64(s[0])<<16 | uint64(s[n/2])<<8 | uint64(s[n-1])
	}
	h = (h ^ h>>31) * 0x94D049BB133111EB
	return h ^ h>>29
}

func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func load32(s string, i int) uint32 {
	s = s[i : i+4]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}
