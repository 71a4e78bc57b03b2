package rule

import (
	"github.com/expr-lang/expr/ast"
)

// growing reports whether a metric can only stay or grow when records are
// added: a count (count(T), count(T, pred), a bare T, len(T),
// len(filter(T, pred))), a sum of mapped values (sum(map(T, f)), which
// docs/reference.md §7 paces like a count), and what adds such metrics up,
// adds or takes away a number, multiplies one by a number ≥ 0, divides it
// by a number > 0, or takes the least or greatest of them. Only such a
// metric can be met once reached, or missed once it exceeds an upper
// bound; a metric that a further record can lower (a difference of two
// counts, 100 − count(T)) is judged when its window ends
// (docs/reference.md §7).
func (a additivity) growing(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		return true
	case *ast.ConstantNode:
		_, ok := number(x)
		return ok
	case *ast.IdentifierNode:
		return a.types[x.Value]
	case *ast.UnaryNode:
		return x.Operator == "+" && a.growing(x.Node)
	case *ast.BinaryNode:
		return a.growingOp(x.Operator, x.Left, x.Right)
	case *ast.CallNode:
		args, ok := meteredCall(x)
		switch name := callee(x); {
		case !ok:
		case len(args) == 2 && (name == "$addInt" || name == "$add"):
			return a.growingOp("+", args[0], args[1])
		case len(args) == 2 && (name == "$subInt" || name == "$sub"):
			return a.growingOp("-", args[0], args[1])
		case len(args) == 2 && (name == "$mulInt" || name == "$mul"):
			return a.growingOp("*", args[0], args[1])
		case name == "$sum" && len(args) == 1:
			m, ok := args[0].(*ast.BuiltinNode)
			return ok && m.Name == "map" && len(m.Arguments) == 2 && a.chosen(m.Arguments[0]) && a.fixed(m.Arguments[1])
		}
	case *ast.BuiltinNode:
		switch x.Name {
		case "len":
			return len(x.Arguments) == 1 && a.chosen(x.Arguments[0])
		case "count":
			return len(x.Arguments) == 1 && a.chosen(x.Arguments[0]) ||
				len(x.Arguments) == 2 && a.chosen(x.Arguments[0]) && a.fixed(x.Arguments[1])
		case "max", "min", "float", "int", "floor", "ceil", "round":
			for _, arg := range x.Arguments {
				if !a.growing(arg) {
					return false
				}
			}
			return len(x.Arguments) > 0
		}
	}
	return false
}

func (a additivity) growingOp(op string, l, r ast.Node) bool {
	switch op {
	case "+":
		return a.growing(l) && a.growing(r)
	case "-":
		return a.growing(l) && a.fixed(r)
	case "*":
		return a.growing(l) && nonNegative(r) || nonNegative(l) && a.growing(r)
	case "/":
		v, ok := literal(r)
		return ok && v > 0 && a.growing(l)
	}
	return false
}

// chosen: the records of a counted type, or those of them a predicate
// that looks at no other records chooses.
func (a additivity) chosen(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		return a.types[x.Value]
	case *ast.BuiltinNode:
		return x.Name == "filter" && len(x.Arguments) == 2 && a.chosen(x.Arguments[0]) && a.fixed(x.Arguments[1])
	}
	return false
}

// fixed: an expression that looks at no records of a counted type (a
// number, or a predicate over its own record).
func (a additivity) fixed(n ast.Node) bool {
	ok := true
	ast.Walk(&n, visitFunc(func(n *ast.Node) {
		if id, isID := (*n).(*ast.IdentifierNode); isID && (a.types[id.Value] || id.Value == "$env") {
			ok = false
		}
	}))
	return ok
}

func nonNegative(n ast.Node) bool {
	v, ok := literal(n)
	return ok && v >= 0
}

// literal is the value of a number written in the rule.
func literal(n ast.Node) (float64, bool) {
	switch x := n.(type) {
	case *ast.IntegerNode:
		return float64(x.Value), true
	case *ast.FloatNode:
		return x.Value, true
	case *ast.ConstantNode:
		return number(x)
	}
	return 0, false
}

func number(c *ast.ConstantNode) (float64, bool) {
	switch v := c.Value.(type) {
	case int:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}
