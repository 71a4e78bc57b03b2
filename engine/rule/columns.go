package rule

import (
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm/runtime"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
)

// The column path measures a metric that adds up (Compare.Additive) from
// the record store's columns, without the struct tables and without
// running the metric's program: a predicate is taken apart into tests of
// one value each (a field, the parties, the date), and a test is worked
// out once per distinct value of a column (per dictionary code), not
// once per record. It computes what running the program gives, by the
// same functions of expr; whenever it meets what it cannot tell the same
// way (a value that is not a boolean where one is needed, a type error,
// an integer that overflows, a number that is not finite), it declines
// and the program is run instead, so that the figure or the error is the
// program's own (docs/reference.md §6, §10).

// colMetric is a metric the column path can measure: an integer
// combination (root) of counts and sums of records (terms).
type colMetric struct {
	root  colNum
	terms []*colTerm
}

// colNum is a node of the combination: an integer ('i'), a term ('t'), a
// checked function of the bounds patcher ('f'), expr's unary - ('n') or
// unary + ('p').
type colNum struct {
	kind byte
	v    int
	fn   func(args ...any) (any, error)
	args []colNum
}

// colTerm is the number of the records of typ that every one of preds
// keeps, or, with value, the sum of value over them.
type colTerm struct {
	typ    string
	act    *promise.Activity
	preds  []*colPred
	value  *colLeaf
	leaves int // the number of leaves of preds and value
}

// colPred is a predicate of tests: '&', '|', '!' of others, or a leaf 'l'.
type colPred struct {
	op   byte
	l, r *colPred
	leaf *colLeaf
}

// Sources of a leaf's value other than a declared field (index >= 0).
const (
	srcUnset = -1 - iota
	srcNone  // a constant
	srcDate
	srcType
	srcBy
)

// colLeaf is a part of a predicate (or a sum's mapped value) that looks
// at one value of the record at most: node, read as expr reads it with
// that value for the record's member, or test for a scope's field.
type colLeaf struct {
	src  int
	gt   reflect.Type // the rule's type of a declared field
	node ast.Node
	test func(v any) any
	inBy *string // node is `"lit" in .by`
	idx  int
}

// columnPlan is the column path's form of the comparison's metric; nil
// when it has none.
func (e *Env) columnPlan(c *Compare) *colMetric {
	if c.Metric == nil || !c.Additive() {
		return nil
	}
	m := &colMetric{}
	root, ok := (planner{env: e, m: m}).num(c.Metric.Node())
	if !ok {
		return nil
	}
	m.root = root
	return m
}

type planner struct {
	env *Env
	m   *colMetric
}

var colFuncs = map[string]func(args ...any) (any, error){
	"$addInt": intOp('+'), "$subInt": intOp('-'), "$mulInt": intOp('*'), "$negInt": fnNeg,
	"$add": anyOp('+'), "$sub": anyOp('-'), "$mul": anyOp('*'),
}

func (p planner) num(n ast.Node) (colNum, bool) {
	switch x := n.(type) {
	case *ast.IntegerNode:
		return colNum{kind: 'i', v: x.Value}, true
	case *ast.ConstantNode:
		if v, ok := x.Value.(int); ok {
			return colNum{kind: 'i', v: v}, true
		}
	case *ast.UnaryNode:
		kind := map[string]byte{"-": 'n', "+": 'p'}[x.Operator]
		a, ok := p.num(x.Node)
		return colNum{kind: kind, args: []colNum{a}}, ok && kind != 0
	case *ast.CallNode:
		args, ok := meteredCall(x)
		if !ok {
			break
		}
		if callee(x) == "$sum" && len(args) == 1 {
			m, ok := args[0].(*ast.BuiltinNode)
			if !ok || m.Name != "map" || len(m.Arguments) != 2 || m.Map != nil || m.Threshold != nil {
				return colNum{}, false
			}
			t, ok := p.records(m.Arguments[0])
			if !ok {
				return colNum{}, false
			}
			body, ok := predicateBody(m.Arguments[1])
			if !ok {
				return colNum{}, false
			}
			if t.value, ok = p.leaf(body, t); !ok {
				return colNum{}, false
			}
			return p.term(t), true
		}
		fn := colFuncs[callee(x)]
		if fn == nil {
			break
		}
		out := colNum{kind: 'f', fn: fn}
		for _, a := range args {
			c, ok := p.num(a)
			if !ok {
				return colNum{}, false
			}
			out.args = append(out.args, c)
		}
		return out, true
	case *ast.BuiltinNode:
		if x.Map != nil || x.Threshold != nil {
			break
		}
		switch {
		case x.Name == "len" && len(x.Arguments) == 1:
			t, ok := p.records(x.Arguments[0])
			return p.term(t), ok
		case x.Name == "count" && len(x.Arguments) == 2:
			t, ok := p.records(x.Arguments[0])
			if !ok {
				return colNum{}, false
			}
			pr, ok := p.pred(x.Arguments[1], t)
			t.preds = append(t.preds, pr)
			return p.term(t), ok
		}
	}
	return colNum{}, false
}

func (p planner) term(t *colTerm) colNum {
	p.m.terms = append(p.m.terms, t)
	return colNum{kind: 't', v: len(p.m.terms) - 1}
}

// records plans a type's records, or those of them filters keep.
func (p planner) records(n ast.Node) (*colTerm, bool) {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		a := p.env.voc.Activity(x.Value)
		if a == nil || !p.env.isActivity(x.Value) {
			return nil, false
		}
		return &colTerm{typ: x.Value, act: a}, true
	case *ast.BuiltinNode:
		if x.Name != "filter" || len(x.Arguments) != 2 || x.Map != nil || x.Threshold != nil {
			return nil, false
		}
		t, ok := p.records(x.Arguments[0])
		if !ok {
			return nil, false
		}
		pr, ok := p.pred(x.Arguments[1], t)
		t.preds = append(t.preds, pr)
		return t, ok
	}
	return nil, false
}

// predicateBody is the body of a predicate as the bounds patcher left it:
// `$tick(meter) ? body : nil`.
func predicateBody(n ast.Node) (ast.Node, bool) {
	pn, ok := n.(*ast.PredicateNode)
	if !ok {
		return nil, false
	}
	c, ok := pn.Node.(*ast.ConditionalNode)
	if !ok {
		return nil, false
	}
	tick, ok := c.Cond.(*ast.CallNode)
	if !ok || callee(tick) != "$tick" || len(tick.Arguments) != 1 {
		return nil, false
	}
	if _, ok := c.Exp2.(*ast.NilNode); !ok {
		return nil, false
	}
	return c.Exp1, true
}

func (p planner) pred(n ast.Node, t *colTerm) (*colPred, bool) {
	body, ok := predicateBody(n)
	if !ok {
		return nil, false
	}
	return p.tests(body, t)
}

// tests takes a predicate apart into leaves joined by &&, || and !.
func (p planner) tests(n ast.Node, t *colTerm) (*colPred, bool) {
	if l, ok := p.leaf(n, t); ok {
		return &colPred{op: 'l', leaf: l}, true
	}
	switch x := n.(type) {
	case *ast.BinaryNode:
		op := map[string]byte{"&&": '&', "and": '&', "||": '|', "or": '|'}[x.Operator]
		if op == 0 {
			return nil, false
		}
		l, ok := p.tests(x.Left, t)
		if !ok {
			return nil, false
		}
		r, ok := p.tests(x.Right, t)
		return &colPred{op: op, l: l, r: r}, ok
	case *ast.UnaryNode:
		if x.Operator != "!" && x.Operator != "not" {
			return nil, false
		}
		l, ok := p.tests(x.Node, t)
		return &colPred{op: '!', l: l}, ok
	}
	return nil, false
}

// leaf makes a leaf of n when it looks at one value at most and is made
// of what the leaf reader knows.
func (p planner) leaf(n ast.Node, t *colTerm) (*colLeaf, bool) {
	src := srcUnset
	if !readable(n, t.act, &src) {
		return nil, false
	}
	l := &colLeaf{src: src, node: n, idx: t.leaves}
	if src == srcUnset {
		l.src = srcNone
	}
	if src >= 0 {
		l.gt = goType(t.act.Fields[src])
	}
	if b, ok := n.(*ast.BinaryNode); ok && b.Operator == "in" && src == srcBy {
		if s, ok := b.Left.(*ast.StringNode); ok && isMember(b.Right) {
			l.inBy = &s.Value
		}
	}
	t.leaves++
	return l, true
}

func isMember(n ast.Node) bool {
	m, ok := n.(*ast.MemberNode)
	if !ok || m.Optional || m.Method {
		return false
	}
	p, ok := m.Node.(*ast.PointerNode)
	return ok && p.Name == ""
}

// readable reports a node the leaf reader knows, looking at the one
// record value *src at most.
func readable(n ast.Node, a *promise.Activity, src *int) bool {
	switch x := n.(type) {
	case *ast.StringNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NilNode, *ast.ConstantNode:
		return true
	case *ast.ArrayNode:
		for _, e := range x.Nodes {
			if !readable(e, a, src) {
				return false
			}
		}
		return true
	case *ast.MemberNode:
		if !isMember(x) {
			return false
		}
		name, ok := x.Property.(*ast.StringNode)
		if !ok {
			return false
		}
		s := a.FieldIndex(name.Value)
		switch name.Value {
		case promise.FieldDate:
			s = srcDate
		case promise.FieldType:
			s = srcType
		case promise.FieldBy:
			s = srcBy
		}
		if s == -1 || *src != srcUnset && *src != s {
			return false
		}
		*src = s
		return true
	case *ast.CallNode:
		if callee(x) == "$int" {
			args, ok := meteredCall(x)
			return ok && len(args) == 1 && readable(args[0], a, src)
		}
		m, ok := x.Callee.(*ast.MemberNode)
		if !ok || !m.Method || m.Optional || len(x.Arguments) != 0 {
			return false
		}
		name, ok := m.Property.(*ast.StringNode)
		return ok && (name.Value == "Month" || name.Value == "Weekday") && readable(m.Node, a, src)
	case *ast.BinaryNode:
		switch x.Operator {
		case "==", "!=", "<", ">", "<=", ">=", "in", "??", "&&", "and", "||", "or":
			return readable(x.Left, a, src) && readable(x.Right, a, src)
		}
	case *ast.UnaryNode:
		return (x.Operator == "!" || x.Operator == "not") && readable(x.Node, a, src)
	}
	return false
}

// read is the value of a node the leaf reader knows, v being the record
// value the leaf looks at, as expr's machine computes it. It panics where
// the machine fails.
func read(n ast.Node, v any) any {
	switch x := n.(type) {
	case *ast.StringNode:
		return x.Value
	case *ast.IntegerNode:
		return x.Value
	case *ast.FloatNode:
		return x.Value
	case *ast.BoolNode:
		return x.Value
	case *ast.NilNode:
		return nil
	case *ast.ConstantNode:
		return x.Value
	case *ast.ArrayNode:
		out := make([]any, len(x.Nodes))
		for i, e := range x.Nodes {
			out[i] = read(e, v)
		}
		return out
	case *ast.MemberNode:
		return v
	case *ast.CallNode:
		if callee(x) == "$int" {
			r, err := fnInt(nil, read(x.Arguments[1], v))
			if err != nil {
				panic(err)
			}
			return r
		}
		m := x.Callee.(*ast.MemberNode)
		t := read(m.Node, v).(time.Time)
		if m.Property.(*ast.StringNode).Value == "Month" {
			return t.Month()
		}
		return t.Weekday()
	case *ast.UnaryNode:
		return !read(x.Node, v).(bool)
	case *ast.BinaryNode:
		l := read(x.Left, v)
		switch x.Operator {
		case "&&", "and":
			if !l.(bool) {
				return false
			}
			return read(x.Right, v)
		case "||", "or":
			if l.(bool) {
				return true
			}
			return read(x.Right, v)
		case "??":
			if !runtime.IsNil(l) {
				return l
			}
			return read(x.Right, v)
		}
		r := read(x.Right, v)
		switch x.Operator {
		case "==":
			return runtime.Equal(l, r)
		case "!=":
			return !runtime.Equal(l, r)
		case "<":
			return runtime.Less(l, r)
		case ">":
			return runtime.More(l, r)
		case "<=":
			return runtime.LessOrEqual(l, r)
		case ">=":
			return runtime.MoreOrEqual(l, r)
		case "in":
			return runtime.In(l, r)
		}
	}
	panic(fmt.Sprintf("rule: the column path cannot read %T", n))
}

// apply is the leaf's value for the record value v; false where expr's
// machine would fail.
func (l *colLeaf) apply(v any) (out any, ok bool) {
	if l.test != nil {
		return l.test(v), true
	}
	defer func() {
		if recover() != nil {
			out, ok = nil, false
		}
	}()
	return read(l.node, v), true
}

// fromRaw is the leaf's value for a declared field's value as the record
// store keeps it, made what a rule sees (see Tables.table): the zero of
// the field's type when absent.
func (l *colLeaf) fromRaw(raw any) (any, bool) {
	if raw == nil {
		return l.apply(reflect.Zero(l.gt).Interface())
	}
	v := ruleValue(raw)
	if l.gt != anyType && reflect.TypeOf(v) != l.gt {
		return nil, false // the table could not hold it either
	}
	return l.apply(v)
}

// termRun is the reading of one term over the records of one scope: per
// leaf, what it gives for each code of each part's column, worked out
// when first needed.
type termRun struct {
	t      *colTerm
	rows   record.Rows
	preds  []*colPred
	leaves []leafRun
	none   bool // a scope whose field the type does not have: no record
}

type leafRun struct {
	l     *colLeaf
	parts []partMemo // by part, for a declared field
	have  bool       // last holds the value of the date last, or of a constant
	last  calendar.Date
	lastV any
	lastK bool
	bys   map[byKey]memo // by party list, for the parties
}

// byKey names a party list by its backing array and length.
type byKey struct {
	first *string
	n     int
}

func btoiU8(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

type partMemo struct {
	state uint8 // 0 not looked at, 1 coded, 2 read record by record
	codes []uint16
	dict  []any
	memo  []memo
}

type memo struct {
	v  any
	st uint8 // 0 not worked out, 1 v, 2 the machine fails
}

func (t *Tables) termRun(tm *colTerm, s Scope) *termRun {
	r := &termRun{t: tm, rows: t.set.Rows(tm.typ), preds: tm.preds}
	leaves := make([]*colLeaf, tm.leaves, tm.leaves+1)
	var walk func(p *colPred)
	walk = func(p *colPred) {
		if p == nil {
			return
		}
		if p.leaf != nil {
			leaves[p.leaf.idx] = p.leaf
		}
		walk(p.l)
		walk(p.r)
	}
	for _, p := range tm.preds {
		walk(p)
	}
	if tm.value != nil {
		leaves[tm.value.idx] = tm.value
	}
	if s.Field != "" {
		// The scope's filter comes first, as in Tables.filter: the
		// field's value as the rule sees it, when it is text.
		fi := tm.act.FieldIndex(s.Field)
		if fi < 0 {
			r.none = true
		} else {
			value := s.Value
			l := &colLeaf{src: fi, gt: goType(tm.act.Fields[fi]), idx: len(leaves), test: func(v any) any {
				x, ok := v.(string)
				return ok && x == value
			}}
			leaves = append(leaves, l)
			r.preds = append([]*colPred{{op: 'l', leaf: l}}, tm.preds...)
		}
	}
	r.leaves = make([]leafRun, len(leaves))
	for i, l := range leaves {
		r.leaves[i].l = l
		if l.src >= 0 {
			r.leaves[i].parts = make([]partMemo, r.rows.Parts())
		}
	}
	return r
}

// leaf is leaf li's value for record k, row i of part p.
func (r *termRun) leaf(li, k, p, i int) (any, bool) {
	lr := &r.leaves[li]
	l := lr.l
	switch {
	case l.src >= 0:
		pm := &lr.parts[p]
		if pm.state == 0 {
			pm.state = 2
			if codes, dict, ok := r.rows.Column(p, l.src); ok {
				pm.state, pm.codes, pm.dict, pm.memo = 1, codes, dict, make([]memo, len(dict))
			}
		}
		if pm.state == 2 {
			return l.fromRaw(r.rows.Value(k, l.src))
		}
		c := pm.codes[i]
		m := &pm.memo[c]
		if m.st == 0 {
			v, ok := l.fromRaw(pm.dict[c])
			m.v, m.st = v, 2
			if ok {
				m.st = 1
			}
		}
		return m.v, m.st == 1
	case l.src == srcBy:
		by := r.rows.By(k)
		if l.inBy != nil {
			return slices.Contains(by, *l.inBy), true
		}
		// The readers share a party list among the records that write
		// the same parties: a list is read once.
		key := byKey{n: len(by)}
		if len(by) > 0 {
			key.first = &by[0]
		}
		if m, ok := lr.bys[key]; ok {
			return m.v, m.st == 1
		}
		v, ok := l.apply(by)
		if lr.bys == nil {
			lr.bys = map[byKey]memo{}
		}
		lr.bys[key] = memo{v: v, st: 2 - btoiU8(ok)}
		return v, ok
	case l.src == srcDate:
		if d := r.rows.Date(k); !lr.have || d != lr.last {
			lr.lastV, lr.lastK = l.apply(d.Time())
			lr.have, lr.last = true, d
		}
		return lr.lastV, lr.lastK
	}
	if !lr.have {
		var v any
		if l.src == srcType {
			v = r.t.typ
		}
		lr.lastV, lr.lastK = l.apply(v)
		lr.have = true
	}
	return lr.lastV, lr.lastK
}

// holds is predicate p for record k; ok false where the machine fails
// (a test that is not a boolean where the machine needs one).
func (r *termRun) holds(p *colPred, k, part, i int) (holds, ok bool) {
	switch p.op {
	case 'l':
		v, ok := r.leaf(p.leaf.idx, k, part, i)
		b, isBool := v.(bool)
		return b, ok && isBool
	case '!':
		b, ok := r.holds(p.l, k, part, i)
		return !b, ok
	case '&':
		if b, ok := r.holds(p.l, k, part, i); !ok || !b {
			return false, ok
		}
		return r.holds(p.r, k, part, i)
	}
	if b, ok := r.holds(p.l, k, part, i); !ok || b {
		return b, ok
	}
	return r.holds(p.r, k, part, i)
}

// stopCheck is how many records a run reads between looks at its Done.
const stopCheck = 1024

// over is the term over records i..j-1: an int for a count and for a sum
// of integers, a float64 for a sum with a decimal, as $sum gives it.
func (r *termRun) over(i, j int, done <-chan struct{}) (any, bool, error) {
	if r.none {
		i = j
	}
	n, total, isFloat, f := 0, 0, false, 0.0
	for k := i; k < j; k++ {
		if (k-i)%stopCheck == 0 && stopped(done) {
			return nil, false, ErrStopped
		}
		p, ri := r.rows.Ref(k)
		keep := true
		for _, pr := range r.preds {
			b, ok := r.holds(pr, k, p, ri)
			if !ok {
				return nil, false, nil
			}
			if !b {
				keep = false
				break
			}
		}
		if !keep {
			continue
		}
		if r.t.value == nil {
			n++
			continue
		}
		v, ok := r.leaf(r.t.value.idx, k, p, ri)
		if !ok {
			return nil, false, nil
		}
		switch x := v.(type) {
		case int:
			if isFloat {
				f += float64(x)
				continue
			}
			var err error
			if total, err = checked(total, '+', x); err != nil {
				return nil, false, nil
			}
		case float64:
			if !isFloat {
				isFloat, f = true, float64(total)
			}
			f += x
		default:
			return nil, false, nil // nil, or another kind: fnSum decides
		}
	}
	switch {
	case r.t.value == nil:
		return n, true, nil
	case isFloat:
		return f, true, nil
	}
	return total, true, nil
}

func stopped(done <-chan struct{}) bool {
	if done == nil {
		return false
	}
	select {
	case <-done:
		return true
	default:
		return false
	}
}

// eval is the combination's value for the terms' values vals.
func (n colNum) eval(vals []any) (out any, ok bool) {
	switch n.kind {
	case 'i':
		return n.v, true
	case 't':
		return vals[n.v], true
	case 'p':
		return n.args[0].eval(vals)
	case 'n':
		v, ok := n.args[0].eval(vals)
		if !ok {
			return nil, false
		}
		defer func() {
			if recover() != nil {
				out, ok = nil, false
			}
		}()
		return runtime.Negate(v), true
	}
	args := make([]any, len(n.args)+1)
	args[0] = &meter{}
	for i, a := range n.args {
		v, ok := a.eval(vals)
		if !ok {
			return nil, false
		}
		args[i+1] = v
	}
	defer func() {
		if recover() != nil {
			out, ok = nil, false
		}
	}()
	v, err := n.fn(args...)
	return v, err == nil
}

// measureCols measures the metric m over the records of each span
// (dated span[0]..span[1], within the tables' dates, in the scope's
// field and value); ok false when the column path declines.
func (t *Tables) measureCols(m *colMetric, s Scope, spans [][2]calendar.Date) (out []float64, ok bool, err error) {
	if stopped(s.Done) {
		return nil, false, ErrStopped
	}
	runs := make([]*termRun, len(m.terms))
	for i, tm := range m.terms {
		runs[i] = t.termRun(tm, s)
	}
	out = make([]float64, len(spans))
	vals := make([]any, len(m.terms))
	for d, span := range spans {
		for i, r := range runs {
			lo, hi := r.rows.Search(max(span[0], t.from), min(span[1], t.to))
			if hi < lo {
				lo = hi
			}
			v, ok, err := r.over(lo, hi, s.Done)
			if err != nil || !ok {
				return nil, false, err
			}
			vals[i] = v
		}
		v, ok := m.root.eval(vals)
		if !ok {
			return nil, false, nil
		}
		f, err := finite(v)
		if err != nil {
			return nil, false, nil
		}
		out[d] = f
	}
	return out, true, nil
}
