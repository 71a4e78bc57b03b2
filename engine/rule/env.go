package rule

import (
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
)

// Env is the typed environment rules compile against: every activity type
// of the vocabulary is a list of structs whose fields are the record's
// fields, typed from the vocabulary, so that a typo in a predicate
// (`.plast`) is a compile error and not a silent nil.
type Env struct {
	voc     *promise.Vocabulary
	structs map[string]reflect.Type // activity id → record struct type
	names   map[string]string       // struct type's printed form → activity id, for messages
	sample  map[string]any          // activity id → empty typed slice, for expr.Env
}

var (
	timeType   = reflect.TypeOf(time.Time{})
	anyType    = reflect.TypeOf((*any)(nil)).Elem()
	stringsTyp = reflect.TypeOf([]string(nil))
)

// Core fields are the first three fields of every record struct.
const (
	fieldDate = iota
	fieldType
	fieldBy
	firstDeclared
)

// NewEnv builds the environment of a vocabulary.
func NewEnv(voc *promise.Vocabulary) *Env {
	e := &Env{voc: voc, structs: map[string]reflect.Type{}, names: map[string]string{}, sample: map[string]any{meterKey: (*meter)(nil)}}
	for _, a := range voc.Activities {
		fields := []reflect.StructField{
			{Name: "Date", Type: timeType, Tag: `expr:"date"`},
			{Name: "Type", Type: reflect.TypeOf(""), Tag: `expr:"type"`},
			{Name: "By", Type: stringsTyp, Tag: `expr:"by"`},
		}
		for i, f := range a.Fields {
			fields = append(fields, reflect.StructField{
				Name: "F" + string(rune('A'+i%26)) + itoa(i),
				Type: goType(f),
				Tag:  reflect.StructTag(`expr:"` + f.Name + `"`),
			})
		}
		st := reflect.StructOf(fields)
		e.structs[a.ID] = st
		e.names[st.String()] = a.ID
		e.sample[a.ID] = reflect.MakeSlice(reflect.SliceOf(reflect.PointerTo(st)), 0, 0).Interface()
	}
	return e
}

// goType is the Go type a rule sees for a field: concrete when the field
// is required, else any, so that an absent field is nil (docs/reference.md §3). A bool
// is always a bool: an absent one is false, so `.bilinspektor` and
// `!.bilinspektor` work as predicates.
func goType(f *promise.Field) reflect.Type {
	if f.Type.Kind == promise.Bool {
		return reflect.TypeOf(false) // absent is false, as an empty cell is
	}
	if !f.Required {
		return anyType
	}
	switch f.Type.Kind {
	case promise.Int:
		return reflect.TypeOf(0)
	case promise.Number:
		return reflect.TypeOf(0.0)
	case promise.Date:
		return timeType
	case promise.List:
		return reflect.TypeOf([]any(nil))
	}
	return reflect.TypeOf("")
}

// ruleValue converts a record value to what a rule sees.
func ruleValue(v any) any {
	switch x := v.(type) {
	case calendar.Date:
		return x.Time()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = ruleValue(e)
		}
		return out
	}
	return v
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// Tables holds the records of one evaluation as rule values: per activity
// type, the records dated in the evaluated span as structs sorted by date,
// and their dates for binary search. A type's table is built the first
// time a rule asks for it, so types no rule counts cost nothing.
type Tables struct {
	env      *Env
	set      *record.Set
	from, to calendar.Date
	mu       sync.Mutex // guards tables: a rule stopped by the watchdog may still run
	tables   map[string]*table
	vms      sync.Pool // *vm.VM: one per goroutine at a time
}

type table struct {
	dates []calendar.Date
	rows  reflect.Value // []*struct, pointing into one backing array
}

// Tables prepares the records dated from..to for evaluation.
func (e *Env) Tables(set *record.Set, from, to calendar.Date) *Tables {
	return &Tables{env: e, set: set, from: from, to: to, tables: map[string]*table{}}
}

// table returns the table of typ, building it on first use. Rows are
// pointers so that expr does not copy a struct for every predicate call.
func (t *Tables) table(typ string) *table {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tb, ok := t.tables[typ]; ok {
		return tb
	}
	a := t.env.voc.Activity(typ)
	if a == nil {
		return nil
	}
	// Read from the set's columns: no Record is made.
	rows := t.set.Rows(typ)
	from, to := rows.Search(t.from, t.to)
	n := to - from
	st := t.env.structs[typ]
	backing := reflect.MakeSlice(reflect.SliceOf(st), n, n)
	tb := &table{dates: t.set.Dates(typ, t.from, t.to), rows: reflect.MakeSlice(reflect.SliceOf(reflect.PointerTo(st)), n, n)}
	for i := range n {
		k := from + i
		row := backing.Index(i)
		row.Field(fieldDate).Set(reflect.ValueOf(rows.Date(k).Time()))
		row.Field(fieldType).SetString(typ)
		row.Field(fieldBy).Set(reflect.ValueOf(rows.By(k)))
		for j := range min(rows.NumValues(k), len(a.Fields)) {
			if v := rows.Value(k, j); v != nil {
				row.Field(firstDeclared + j).Set(reflect.ValueOf(ruleValue(v)))
			}
		}
		tb.rows.Index(i).Set(row.Addr())
	}
	t.tables[typ] = tb
	return tb
}

// between returns the rows of typ dated start..end inclusive.
func (t *Tables) between(typ string, start, end calendar.Date) reflect.Value {
	tb := t.table(typ)
	if tb == nil || end < start {
		return reflect.ValueOf(t.env.sample[typ])
	}
	i := sort.Search(len(tb.dates), func(k int) bool { return tb.dates[k] >= start })
	j := sort.Search(len(tb.dates), func(k int) bool { return tb.dates[k] > end })
	return tb.rows.Slice(i, j)
}

// filter keeps the rows whose field name equals value.
func (t *Tables) filter(typ string, rows reflect.Value, field, value string) reflect.Value {
	idx := firstDeclared + t.env.voc.Activity(typ).FieldIndex(field)
	match := func(i int) bool {
		f := rows.Index(i).Elem().Field(idx)
		if f.Kind() == reflect.Interface {
			f = f.Elem()
		}
		return f.IsValid() && f.Kind() == reflect.String && f.String() == value
	}
	n := 0
	for i := 0; i < rows.Len(); i++ {
		if match(i) {
			n++
		}
	}
	out := reflect.MakeSlice(rows.Type(), 0, n)
	for i := 0; i < rows.Len() && out.Len() < n; i++ {
		if match(i) {
			out = reflect.Append(out, rows.Index(i))
		}
	}
	return out
}
