package rule

import (
	"github.com/expr-lang/expr/ast"

	"github.com/lofte/lofte/engine/calendar"
)

// Additive reports whether the comparison's metric adds up over records:
// whether the metric of a span of days is the metric of no record plus,
// for each day, what that day's records add to it. It holds for counts
// (count(T), count(T, pred), a bare T, len(filter(T, pred))), sums
// (sum(map(T, f))) and integer multiples, sums and differences of them
// and of integers, when every predicate and mapped value looks at its own
// record alone: no other type's records, no #index, nothing that builds
// text (which a run meters as a whole). Then a line of the metric through
// the days (a burn-up chart, the status of past days) can be measured a
// day at a time, each record once (docs/reference.md §10). A false answer
// only means that the metric is measured from the start of its span.
func (c *Compare) Additive() bool {
	if c.Metric == nil {
		return false
	}
	a := additivity{types: map[string]bool{}}
	for _, t := range c.Types {
		a.types[t] = true
	}
	return a.affine(c.Metric.Node())
}

// MeasureDays measures a comparison's metric over the records of each of
// days alone, in the field and value of scope s (its dates are not used):
// for a metric that adds up (Additive), what each day's records add to
// it. It is Measure for each day without the target, in one run of the
// metric per day, or, for a metric the column path reads, in one pass
// over the days' records without running it (see columns.go).
func (t *Tables) MeasureDays(c *Compare, s Scope, days []calendar.Date) ([]float64, error) {
	if c.Metric == nil {
		return nil, errNotCompiled
	}
	if c.cols != nil {
		spans := make([][2]calendar.Date, len(days))
		for i, d := range days {
			spans[i] = [2]calendar.Date{d, d}
		}
		out, ok, err := t.measureCols(c.cols, s, spans)
		if err != nil || ok {
			return out, err
		}
	}
	out := make([]float64, len(days))
	env := make(map[string]any, len(c.Types)+1)
	for i, d := range days {
		env[meterKey] = &meter{done: s.Done}
		for _, typ := range c.Types {
			rows := t.between(typ, d, d)
			if s.Field != "" {
				rows = t.filter(typ, rows, s.Field, s.Value)
			}
			env[typ] = rows.Interface()
		}
		v, err := t.runFloat(c.Metric, env)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

type additivity struct{ types map[string]bool }

// affine: a number, or a sum of integer multiples of counts and sums.
func (a additivity) affine(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.IntegerNode:
		return true
	case *ast.ConstantNode:
		_, ok := x.Value.(int)
		return ok
	case *ast.UnaryNode:
		return (x.Operator == "-" || x.Operator == "+") && a.affine(x.Node)
	case *ast.BinaryNode:
		return a.linear(x.Operator, x.Left, x.Right)
	case *ast.CallNode:
		args, ok := meteredCall(x)
		switch name := callee(x); {
		case !ok:
		case name == "$negInt" && len(args) == 1:
			return a.affine(args[0])
		case len(args) == 2 && (name == "$addInt" || name == "$add"):
			return a.linear("+", args[0], args[1])
		case len(args) == 2 && (name == "$subInt" || name == "$sub"):
			return a.linear("-", args[0], args[1])
		case len(args) == 2 && (name == "$mulInt" || name == "$mul"):
			return a.linear("*", args[0], args[1])
		case name == "$sum" && len(args) == 1:
			m, ok := args[0].(*ast.BuiltinNode)
			return ok && m.Name == "map" && len(m.Arguments) == 2 && a.records(m.Arguments[0]) && a.own(m.Arguments[1])
		}
	case *ast.BuiltinNode:
		switch {
		case x.Name == "len" && len(x.Arguments) == 1:
			return a.records(x.Arguments[0])
		case x.Name == "count" && len(x.Arguments) == 2:
			return a.records(x.Arguments[0]) && a.own(x.Arguments[1])
		}
	}
	return false
}

func (a additivity) linear(op string, l, r ast.Node) bool {
	switch op {
	case "+", "-":
		return a.affine(l) && a.affine(r)
	case "*":
		return integer(l) && a.affine(r) || integer(r) && a.affine(l)
	}
	return false
}

// integer: an integer written in the rule.
func integer(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.IntegerNode:
		return true
	case *ast.ConstantNode:
		_, ok := x.Value.(int)
		return ok
	case *ast.UnaryNode:
		return x.Operator == "-" && integer(x.Node)
	case *ast.CallNode:
		args, ok := meteredCall(x)
		return ok && callee(x) == "$negInt" && len(args) == 1 && integer(args[0])
	}
	return false
}

// records: the records of a counted type, or those of them a predicate
// that looks at its own record chooses.
func (a additivity) records(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		return a.types[x.Value]
	case *ast.BuiltinNode:
		return x.Name == "filter" && len(x.Arguments) == 2 && a.records(x.Arguments[0]) && a.own(x.Arguments[1])
	}
	return false
}

// ownCalls are the functions of the bounds patcher a predicate may call
// and still look at its own record alone: they check numbers and ask
// whether the run is stopped, and build no text.
var ownCalls = map[string]bool{
	"$tick": true, "$addInt": true, "$subInt": true, "$mulInt": true, "$negInt": true,
	"$int": true, "$sub": true, "$mul": true,
}

// own reports a predicate that looks at its own record alone.
func (a additivity) own(n ast.Node) bool {
	if _, ok := n.(*ast.PredicateNode); !ok {
		return false
	}
	ok := true
	ast.Walk(&n, visitFunc(func(n *ast.Node) {
		switch x := (*n).(type) {
		case *ast.IdentifierNode:
			if a.types[x.Value] || x.Value == "$env" {
				ok = false
			}
		case *ast.PointerNode:
			if x.Name != "" { // #index, #acc: the record's place among others
				ok = false
			}
		case *ast.CallNode:
			if name := callee(x); name != "" && name[0] == '$' && !ownCalls[name] {
				ok = false
			}
		}
	}))
	return ok
}

// callee is the name of a called function, or "" for a method.
func callee(c *ast.CallNode) string {
	if id, ok := c.Callee.(*ast.IdentifierNode); ok {
		return id.Value
	}
	return ""
}

// meteredCall returns the arguments of a call of a bounds function after
// the run's meter.
func meteredCall(c *ast.CallNode) ([]ast.Node, bool) {
	if len(c.Arguments) == 0 {
		return nil, false
	}
	if id, ok := c.Arguments[0].(*ast.IdentifierNode); !ok || id.Value != meterKey {
		return nil, false
	}
	return c.Arguments[1:], true
}
