// Package rule is the rule language of lofte (docs/reference.md §6): expr expressions
// over activity records, with count(T), count(T, pred), bare types as
// counts and `per WINDOW` / `per FIELD` clauses. It compiles a rule once,
// into a tree of comparisons joined by && and ||, whose parts the
// evaluator measures window by window. It is the only package that
// imports expr.
package rule

import (
	"fmt"
	"iter"

	"github.com/expr-lang/expr/vm"

	"github.com/lofte/lofte/engine/calendar"
)

// Node is a part of a compiled rule: *And, *Or, *Compare or *Expr.
type Node interface{ node() }

// And holds when both sides hold; its status is the worse of the two.
type And struct{ Left, Right Node }

// Or holds when either side holds; its status is the better of the two.
type Or struct{ Left, Right Node }

// Compare is a count comparison `METRIC [per W] [per F] OP TARGET`, with
// the metric on the left (a rule written `104 <= count(x)` is turned
// around). The metric is a number computed from records; the target does
// not depend on records.
type Compare struct {
	Src       string // the comparison as written, per clauses included
	Op        string // >=, >, <=, <, == or !=
	Metric    *vm.Program
	Target    *vm.Program
	HasWindow bool          // a `per WINDOW` clause
	Window    calendar.Kind // its kind
	Field     string        // a `per FIELD` clause: an enum field, or ""
	Values    []string      // the enum values of Field
	Types     []string      // activity types the metric counts
	// count is the type when the metric is a plain count(T) or T: it is
	// then counted from the record store's dates, without running it.
	count string
	// shrinks marks a metric that a further record can lower (see
	// growing): its comparison is neither met once reached nor missed
	// once exceeded, but judged when its window ends.
	shrinks bool
	// cols is the metric as the record store's columns measure it, for a
	// metric that adds up and whose tests the column path reads; nil
	// otherwise (see columns.go).
	cols *colMetric
}

// Lower reports a lower bound (>=, >) on a metric that records can only
// raise: met once reached, paced until then (docs/reference.md §7).
func (c *Compare) Lower() bool { return (c.Op == ">=" || c.Op == ">") && !c.shrinks }

// Upper reports an upper bound (<=, <) on a metric that records can only
// raise: missed once exceeded. A comparison that is neither Lower nor
// Upper is judged when its window ends.
func (c *Compare) Upper() bool { return (c.Op == "<=" || c.Op == "<") && !c.shrinks }

// Expr is any other boolean expression: it can only be judged when its
// window has ended.
type Expr struct {
	Src   string
	Prog  *vm.Program
	Types []string
}

func (*And) node()     {}
func (*Or) node()      {}
func (*Compare) node() {}
func (*Expr) node()    {}

// Rule is a compiled rule.
type Rule struct {
	Src  string
	Root Node
}

// Holds compares a measured value with a target by the comparison's operator.
func (c *Compare) Holds(value, target float64) bool {
	switch c.Op {
	case ">=":
		return value >= target
	case ">":
		return value > target
	case "<=":
		return value <= target
	case "<":
		return value < target
	case "==":
		return value == target
	case "!=":
		return value != target
	}
	panic(fmt.Sprintf("rule: unknown operator %q", c.Op)) // compile admits only the six above
}

// Leaves yields the comparisons (*Compare) and other expressions (*Expr)
// of the tree n, left to right: the order in which the evaluator lists a
// rule's windows, and in which every walker of a rule (the evaluation's
// series, explain, check) takes them.
func Leaves(n Node) iter.Seq[Node] {
	return func(yield func(Node) bool) { leaves(n, yield) }
}

func leaves(n Node, yield func(Node) bool) bool {
	switch x := n.(type) {
	case *And:
		return leaves(x.Left, yield) && leaves(x.Right, yield)
	case *Or:
		return leaves(x.Left, yield) && leaves(x.Right, yield)
	case nil:
		return true
	}
	return yield(n)
}
