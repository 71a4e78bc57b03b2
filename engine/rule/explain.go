package rule

import (
	"reflect"
	"sort"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/lofte/lofte/engine/record"
)

// Contribution is one record of a scope and what it adds to a
// comparison's metric: 1 for a record a count counts, 0 for one its
// predicate turns away, the field's value for a sum.
type Contribution struct {
	Record record.Record
	Value  float64
}

// Records returns the records of typ in the scope (dated Start..End, and
// with a `per FIELD` clause only those whose field has the value), in date
// order: the records a rule sees there.
func (t *Tables) Records(typ string, s Scope) []record.Record {
	_, recs := t.scoped(typ, s)
	return recs
}

// scoped returns the rows of typ in the scope and their records, aligned.
func (t *Tables) scoped(typ string, s Scope) (reflect.Value, []record.Record) {
	tb := t.table(typ)
	if tb == nil || s.End < s.Start {
		return reflect.Value{}, nil
	}
	all := t.set.Between(typ, t.from, t.to)
	i := sort.Search(len(tb.dates), func(k int) bool { return tb.dates[k] >= s.Start })
	j := sort.Search(len(tb.dates), func(k int) bool { return tb.dates[k] > s.End })
	rows, recs := tb.rows.Slice(i, j), all[i:j:j]
	if s.Field == "" {
		return rows, recs
	}
	fi := t.env.voc.Activity(typ).FieldIndex(s.Field)
	var keep []int
	for k := range recs {
		if v, _ := recs[k].Values[fi].(string); fi >= 0 && v == s.Value {
			keep = append(keep, k)
		}
	}
	out := reflect.MakeSlice(rows.Type(), 0, len(keep))
	kept := make([]record.Record, 0, len(keep))
	for _, k := range keep {
		out = reflect.Append(out, rows.Index(k))
		kept = append(kept, recs[k])
	}
	return out, kept
}

// Contributions measures what each record of the comparison's types in
// the scope adds to its metric: the metric over that record alone less
// the metric over no record. For counts and sums, the metrics the rule
// language is made for, the contributions add up to the metric.
func (t *Tables) Contributions(c *Compare, s Scope) ([]Contribution, error) {
	empty := make(map[string]any, len(c.Types)+1)
	empty[meterKey] = &meter{done: s.Done}
	for _, typ := range c.Types {
		empty[typ] = t.env.sample[typ]
	}
	base, err := t.runFloat(c.Metric, empty)
	if err != nil {
		return nil, err
	}
	var out []Contribution
	for _, typ := range c.Types {
		rows, recs := t.scoped(typ, s)
		for k := range recs {
			env := make(map[string]any, len(empty))
			for n, v := range empty {
				env[n] = v
			}
			env[meterKey] = &meter{done: s.Done}
			env[typ] = rows.Slice(k, k+1).Interface()
			v, err := t.runFloat(c.Metric, env)
			if err != nil {
				return nil, err
			}
			out = append(out, Contribution{Record: recs[k], Value: v - base})
		}
	}
	return out, nil
}

func (t *Tables) runFloat(p *vm.Program, env map[string]any) (float64, error) {
	v, err := t.runEnv(p, env)
	if err != nil {
		return 0, err
	}
	return finite(v)
}

// runEnv runs a program on a VM of the pool, unless the run's meter says
// it is stopped already.
func (t *Tables) runEnv(p *vm.Program, env map[string]any) (any, error) {
	if p == nil {
		return nil, errNotCompiled
	}
	if m, _ := env[meterKey].(*meter); m != nil && m.stopped() {
		return nil, ErrStopped
	}
	m, _ := t.vms.Get().(*vm.VM)
	if m == nil {
		m = new(vm.VM)
	}
	v, err := m.Run(p, env)
	t.vms.Put(m)
	return v, err
}

type constErr string

func (e constErr) Error() string { return string(e) }

const errNotCompiled = constErr("regeln kunde inte kompileras")

// TargetValue is the comparison's target when it does not depend on
// records or dates (a number, or arithmetic on numbers): false otherwise.
func (c *Compare) TargetValue() (float64, bool) {
	if c.Target == nil {
		return 0, false
	}
	v, err := vm.Run(c.Target, map[string]any{meterKey: &meter{}})
	if err != nil {
		return 0, false
	}
	f, err := finite(v)
	return f, err == nil
}

// Parts is the comparison as written, taken apart: the metric (what is
// counted, "count(hundsok, .plats == \"grundskola\")"), the target
// ("1"), and for each counted type the predicate that chooses its
// records (".plats == \"grundskola\""), "" when every record counts.
type Parts struct {
	Metric     string
	Target     string
	Predicates map[string]string
}

// Parts takes the comparison apart from its text.
func (c *Compare) Parts() Parts {
	p := Parts{Predicates: map[string]string{}}
	src, _, ferr := cutPer(c.Src)
	if ferr != nil {
		return p
	}
	tree, err := parser.Parse(src)
	if err != nil {
		return p
	}
	b, ok := tree.Node.(*ast.BinaryNode)
	if !ok {
		return p
	}
	metric, target := b.Left, b.Right
	if !mentions(metric, c.Types) { // written the other way round: 104 <= count(x)
		metric, target = target, metric
	}
	p.Metric, p.Target = strings.TrimSpace(metric.String()), strings.TrimSpace(target.String())
	for _, typ := range c.Types {
		p.Predicates[typ] = ""
	}
	ast.Walk(&metric, visitFunc(func(n *ast.Node) {
		call, ok := (*n).(*ast.BuiltinNode)
		if !ok || len(call.Arguments) != 2 || !predicateBuiltins[call.Name] {
			return
		}
		if id, ok := call.Arguments[0].(*ast.IdentifierNode); ok {
			if _, counted := p.Predicates[id.Value]; counted && p.Predicates[id.Value] == "" {
				p.Predicates[id.Value] = strings.TrimSpace(call.Arguments[1].String())
			}
		}
	}))
	return p
}

// predicateBuiltins are expr's builtins whose second argument chooses
// elements (map's transforms them).
var predicateBuiltins = map[string]bool{
	"count": true, "filter": true, "all": true, "any": true, "none": true, "one": true,
	"find": true, "findIndex": true, "findLast": true, "findLastIndex": true,
}

// mentions reports whether n names one of the types.
func mentions(n ast.Node, types []string) bool {
	found := false
	ast.Walk(&n, visitFunc(func(n *ast.Node) {
		if id, ok := (*n).(*ast.IdentifierNode); ok {
			for _, t := range types {
				found = found || id.Value == t
			}
		}
	}))
	return found
}
