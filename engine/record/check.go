package record

import (
	"fmt"
	"github.com/lofte/lofte/engine/privacy"
	"slices"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
)

// node is a YAML or JSON value with its place, the common ground on
// which records of both formats are checked.
type node struct {
	kind   nodeKind
	text   string  // scalar
	items  []*node // list
	fields []field // map, in file order
	pos    diag.Pos
	bad    bool // malformed; already reported
}

type nodeKind uint8

const (
	nullNode nodeKind = iota
	scalarNode
	listNode
	mapNode
)

type field struct {
	key    string
	keyPos diag.Pos
	val    *node
}

// checker validates the records of one file against the vocabulary and
// collects the diagnostics. It also caches what rows repeat (types,
// parties), which is what makes large CSV files cheap.
type checker struct {
	file    string
	format  format
	voc     *promise.Vocabulary
	parties []string
	party   map[string]string            // id → the same id, held by parties
	types   map[string]*promise.Activity // as written → activity
	by      map[string][]string          // as written → party ids
	enums   map[*promise.Type][]any      // enum values, boxed once
	status  *promise.Type                // assessment's status
	text    map[string]any               // text values, boxed once
	slab    []any                        // backing store of Values
	slabLen int                          // size of the last block
	sink    *chunkBuilder                // where CSV records go, when not returned
	scratch []any                        // the values of the record being read, with a sink
	diags   diag.List
}

// invalidValue marks a field whose value was reported as bad, so that it
// is not reported again as missing. Its record is always left out.
type invalidValue struct{}

const (
	cacheLimit = 1024 // entries per cache of a checker
	maxFields  = 256  // fields of one record
)

func newChecker(file string, f format, voc *promise.Vocabulary, parties []string) *checker {
	c := &checker{
		file:    file,
		format:  f,
		voc:     voc,
		parties: parties,
		party:   make(map[string]string, len(parties)),
		types:   make(map[string]*promise.Activity),
		by:      make(map[string][]string),
		enums:   make(map[*promise.Type][]any),
		text:    make(map[string]any),
	}
	for _, p := range parties {
		c.party[p] = p
	}
	if a := voc.Activity(promise.Assessment); a != nil {
		if f := a.Field("status"); f != nil {
			c.status = &f.Type
		}
	}
	return c
}

func (c *checker) errorf(pos diag.Pos, hint, format string, args ...any) {
	// A message quotes what was written; an identity number in it must
	// not be repeated (it may be the reason the record is bad).
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = privacy.Redact(s)
		}
	}
	c.diags.Add(pos, hint, format, args...)
}

// tag names field as the field of the problems reported since the
// diagnostic at index from that name none yet.
func (c *checker) tag(from int, field string) {
	for _, d := range c.diags[from:] {
		if d.Field == "" {
			d.Field = field
		}
	}
}

// values returns a zeroed slice of n values cut from a shared block, to
// save an allocation per record. Blocks grow with the file, so that a
// small file does not hold on to a large block.
func (c *checker) values(n int) []any {
	if n == 0 {
		return nil
	}
	if c.sink != nil && c.format == formatCSV { // copied into columns at once
		if cap(c.scratch) < n {
			c.scratch = make([]any, n)
		}
		v := c.scratch[:n:n]
		clear(v)
		return v
	}
	if len(c.slab) < n {
		c.slabLen = min(max(2*c.slabLen, 32), 4096)
		c.slab = make([]any, max(n, c.slabLen))
	}
	v := c.slab[:n:n]
	c.slab = c.slab[n:]
	return v
}

// activity finds the activity type written as s, exactly or else
// ignoring case.
func (c *checker) activity(s string, pos diag.Pos) *promise.Activity {
	s = strings.TrimSpace(s)
	if a := c.types[s]; a != nil {
		return a
	}
	a := c.voc.Activity(s)
	if a == nil {
		for _, cand := range c.voc.Activities {
			if strings.EqualFold(cand.ID, s) {
				a = cand
				break
			}
		}
	}
	if a == nil {
		hint := diag.DidYouMean(s, c.voc.IDs())
		if hint == "" {
			hint = "aktivitetstyperna står i rules/activities.yaml"
		}
		c.errorf(pos, hint, unknownType+"%q", s)
		return nil
	}
	if len(c.types) < cacheLimit {
		c.types[strings.Clone(s)] = a
	}
	return a
}

// unknownType begins the message of a record whose type is not in the
// vocabulary.
const unknownType = "okänd aktivitetstyp "

// IsUnknownType reports whether d is the error of a record whose activity
// type is not in the vocabulary: the records of a repository whose
// vocabulary is missing all have it, and a caller may tell them as one.
func IsUnknownType(d *diag.Diagnostic) bool {
	return d.Severity == diag.Error && strings.HasPrefix(d.Message, unknownType)
}

// partyIDs reads a by value written as text: one party id, or several
// joined with "+".
func (c *checker) partyIDs(s string, pos diag.Pos) ([]string, bool) {
	if ids, ok := c.by[s]; ok {
		return ids, true
	}
	var ids []string
	if !c.addParties(&ids, s, pos) {
		return nil, false
	}
	if len(c.by) < cacheLimit {
		c.by[strings.Clone(s)] = ids
	}
	return ids, true
}

func (c *checker) addParties(ids *[]string, s string, pos diag.Pos) bool {
	ok := true
	for part := range strings.SplitSeq(s, "+") {
		id, known := c.partyID(strings.TrimSpace(part), pos)
		if !known {
			ok = false
		} else if !slices.Contains(*ids, id) {
			*ids = append(*ids, id)
		}
	}
	return ok
}

func (c *checker) partyID(s string, pos diag.Pos) (string, bool) {
	switch {
	case s == "":
		c.errorf(pos, "flera parter skrivs polisen+kommunen", "by: tom part")
		return "", false
	case len(c.parties) == 0:
		return strings.Clone(s), true
	case c.party[s] != "":
		return c.party[s], true
	}
	for _, p := range c.parties {
		if strings.EqualFold(p, s) {
			return p, true
		}
	}
	hint := diag.DidYouMean(s, c.parties)
	switch {
	case hint != "":
	case strings.ContainsAny(s, ",;/& "):
		hint = "flera parter skrivs polisen+kommunen"
	default:
		hint = "kända parter: " + strings.Join(c.parties, ", ")
	}
	c.errorf(pos, hint, "okänd part %q", s)
	return "", false
}

// missing reports a record without one of the core fields.
func (c *checker) missing(pos diag.Pos, name string) {
	var hint string
	switch name {
	case promise.FieldDate:
		hint = dateHint
	case promise.FieldType:
		hint = "ange en aktivitetstyp ur rules/activities.yaml"
	case promise.FieldBy:
		hint = "ange vem som gjorde aktiviteten, t.ex. polisen eller polisen+kommunen"
	}
	from := len(c.diags)
	c.errorf(pos, hint, "posten saknar %s", name)
	c.tag(from, name)
}

// required reports each required field of act that the record does not
// give. Values that were given but bad are reported already.
func (c *checker) required(act *promise.Activity, vals []any, pos diag.Pos) {
	for i, f := range act.Fields {
		if f.Required && vals[i] == nil {
			from := len(c.diags)
			c.errorf(pos, "", "%s kräver fältet %q", act.ID, f.Name)
			c.tag(from, f.Name)
		}
	}
}

func (c *checker) unknownField(pos diag.Pos, name string, act *promise.Activity) {
	from := len(c.diags)
	c.errorf(pos, diag.DidYouMean(name, act.FieldNames()), "okänt fält %q för %s", name, act.ID)
	c.tag(from, name)
}

// records checks the top-level value of a YAML document or JSON file: a
// list of records, one record, or nothing.
func (c *checker) records(root *node, out []Record) []Record {
	switch root.kind {
	case nullNode:
	case mapNode:
		if r, ok := c.record(root); ok {
			out = append(out, r)
		}
	case listNode:
		for _, n := range root.items {
			if n.kind != mapNode {
				hint := "en post skrivs som fält: värde, t.ex. date: 2022-03-14"
				if c.format == formatJSON {
					hint = `en post är ett objekt, t.ex. {"date": "2022-03-14", …}`
				}
				c.errorf(n.pos, hint, "väntade en post, fick %s", describe(n))
				continue
			}
			if r, ok := c.record(n); ok {
				out = append(out, r)
			}
		}
	default:
		c.errorf(root.pos, "", "väntade en lista med poster eller en post, fick %s", describe(root))
	}
	return out
}

func describe(n *node) string {
	switch n.kind {
	case nullNode:
		return "ett tomt värde"
	case scalarNode:
		return fmt.Sprintf("värdet %q", n.text)
	case listNode:
		return "en lista"
	}
	return "en mappning"
}

// record checks one YAML mapping or JSON object.
func (c *checker) record(n *node) (Record, bool) {
	start := len(c.diags)
	rec := Record{Pos: n.pos}
	if n.bad {
		return rec, false
	}
	if len(n.fields) > maxFields {
		c.errorf(n.pos, "", "posten har %d fält, fler än %d", len(n.fields), maxFields)
		return rec, false
	}
	dup := c.duplicates(n.fields)
	var typ, date, by *node
	for i, f := range n.fields {
		if dup != nil && dup[i] {
			continue
		}
		switch f.key {
		case promise.FieldType:
			typ = f.val
		case promise.FieldDate:
			date = f.val
		case promise.FieldBy:
			by = f.val
		}
	}
	from := len(c.diags)
	act := c.typeNode(typ, n.pos)
	c.tag(from, promise.FieldType)
	from = len(c.diags)
	rec.Date = c.dateNode(date, n.pos)
	c.tag(from, promise.FieldDate)
	from = len(c.diags)
	rec.By = c.byNode(by, n.pos)
	c.tag(from, promise.FieldBy)
	if act != nil {
		rec.Type = act.ID
		rec.Values = c.values(len(act.Fields))
		for i, f := range n.fields {
			if dup != nil && dup[i] || isCore(f.key) {
				continue
			}
			j := act.FieldIndex(f.key)
			if j < 0 {
				c.unknownField(f.keyPos, f.key, act)
				continue
			}
			from := len(c.diags)
			rec.Values[j] = c.nodeValue(f.key, &act.Fields[j].Type, f.val)
			c.tag(from, f.key)
		}
		c.required(act, rec.Values, n.pos)
	}
	return rec, len(c.diags) == start
}

// duplicates reports fields named twice (and empty names) and marks
// them to be skipped; nil when there are none.
func (c *checker) duplicates(fields []field) []bool {
	var dup []bool
	for i, f := range fields {
		first := -1
		if f.key != "" {
			first = firstIndex(fields[:i], f.key)
			if first < 0 {
				continue
			}
		}
		if dup == nil {
			dup = make([]bool, len(fields))
		}
		dup[i] = true
		from := len(c.diags)
		if first < 0 {
			c.errorf(f.keyPos, "", "ett fältnamn måste vara en text")
		} else {
			c.errorf(f.keyPos, "", "fältet %q finns redan på rad %d", f.key, fields[first].keyPos.Line)
		}
		c.tag(from, f.key)
	}
	return dup
}

// firstIndex returns the index of key in fields, or -1. A record has at
// most maxFields fields, so a scan is cheaper than a map.
func firstIndex(fields []field, key string) int {
	for i := range fields {
		if fields[i].key == key {
			return i
		}
	}
	return -1
}

// blank reports whether a core field is absent, null or empty.
func blank(n *node) bool {
	return n == nil || n.kind == nullNode || n.kind == scalarNode && strings.TrimSpace(n.text) == ""
}

func isCore(name string) bool {
	return name == promise.FieldDate || name == promise.FieldType || name == promise.FieldBy
}

func (c *checker) typeNode(n *node, recPos diag.Pos) *promise.Activity {
	switch {
	case blank(n):
		c.missing(recPos, promise.FieldType)
	case n.kind == scalarNode:
		return c.activity(n.text, n.pos)
	default:
		c.errorf(n.pos, "", "type: väntade en aktivitetstyp, fick %s", describe(n))
	}
	return nil
}

func (c *checker) dateNode(n *node, recPos diag.Pos) (d calendar.Date) {
	switch {
	case blank(n):
		c.missing(recPos, promise.FieldDate)
	case n.kind == scalarNode:
		d, _ = c.date(promise.FieldDate, -1, strings.TrimSpace(n.text), n.pos)
	default:
		c.errorf(n.pos, dateHint, "date: väntade ett datum, fick %s", describe(n))
	}
	return d
}

func (c *checker) byNode(n *node, recPos diag.Pos) []string {
	switch {
	case blank(n):
	case n.kind == scalarNode:
		ids, _ := c.partyIDs(n.text, n.pos)
		return ids
	case n.kind == listNode:
		var ids []string
		for _, it := range n.items {
			if it.kind != scalarNode {
				c.errorf(it.pos, "", "by: väntade en part, fick %s", describe(it))
				continue
			}
			c.addParties(&ids, it.text, it.pos)
		}
		if len(n.items) > 0 {
			return ids
		}
	default:
		c.errorf(n.pos, "", "by: väntade en part eller en lista med parter, fick %s", describe(n))
		return nil
	}
	c.missing(recPos, promise.FieldBy)
	return nil
}

// nodeValue converts a YAML or JSON value of a declared field.
func (c *checker) nodeValue(name string, t *promise.Type, n *node) any {
	switch n.kind {
	case nullNode:
		return c.scalar(name, -1, t, "", n.pos)
	case scalarNode:
		return c.scalar(name, -1, t, n.text, n.pos)
	case listNode:
		if t.Kind != promise.List {
			c.errorf(n.pos, "", "%s: väntade %s, fick en lista", name, typeWord(t))
			return invalidValue{}
		}
		list := make([]any, len(n.items))
		for i, it := range n.items {
			if list[i] = c.element(name, i, t.Elem, it); list[i] == (invalidValue{}) {
				return invalidValue{}
			}
		}
		return list
	}
	c.errorf(n.pos, "", "%s: väntade %s, fick en mappning", name, typeWord(t))
	return invalidValue{}
}

func (c *checker) element(name string, i int, t *promise.Type, n *node) any {
	switch n.kind {
	case scalarNode:
		if v := c.scalar(name, i, t, n.text, n.pos); v != nil {
			return v
		}
	case listNode:
		if t.Kind == promise.List {
			return c.nodeValue(fmt.Sprintf("%s[%d]", name, i+1), t, n)
		}
		c.errorf(n.pos, "", "%s[%d]: väntade %s, fick en lista", name, i+1, typeWord(t))
		return invalidValue{}
	case mapNode:
		c.errorf(n.pos, "", "%s[%d]: väntade %s, fick en mappning", name, i+1, typeWord(t))
		return invalidValue{}
	}
	c.errorf(n.pos, "", "%s[%d]: tomt element", name, i+1)
	return invalidValue{}
}

func typeWord(t *promise.Type) string {
	switch t.Kind {
	case promise.String:
		return "en text"
	case promise.Int:
		return "ett heltal"
	case promise.Number:
		return "ett tal"
	case promise.Bool:
		return "ja eller nej"
	case promise.Date:
		return "ett datum"
	case promise.Enum:
		return "ett av värdena " + strings.Join(t.Enum, ", ")
	}
	return "en lista"
}

// text returns a string value boxed for Values. A CSV cell is a slice of
// its whole line: the value is copied so that the line can be freed, and
// values that repeat (places, themes) are shared and boxed once.
func (c *checker) textValue(s string) any {
	if v, ok := c.text[s]; ok {
		return v
	}
	var v any = strings.Clone(s)
	if len(c.text) < cacheLimit {
		c.text[v.(string)] = v
	}
	return v
}
