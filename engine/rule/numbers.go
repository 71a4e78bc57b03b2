package rule

import (
	"math"

	"github.com/expr-lang/expr/ast"
)

// constant is the value of a constant part of a rule: an integer or a
// float, as expr computes it.
type constant struct {
	isInt bool
	i     int
	f     float64
}

func (c constant) float() float64 {
	if c.isInt {
		return float64(c.i)
	}
	return c.f
}

// checkNumbers computes the constant arithmetic of a rule (numbers and
// + - * / % ** on them) as expr would, and reports at its place a part
// whose result is not a number a report can hold: an integer that does
// not fit in 64 bits (expr would wrap it round) or a result that is not
// finite (1 / 0, 10 ** 400). The rest is checked when the rule runs
// (bounds.go).
func (c *compiler) checkNumbers(root ast.Node) {
	vals := map[ast.Node]constant{}
	ast.Walk(&root, visitFunc(func(n *ast.Node) {
		var v constant
		switch x := (*n).(type) {
		case *ast.IntegerNode:
			v = constant{isInt: true, i: x.Value}
		case *ast.FloatNode:
			v = constant{f: x.Value}
		case *ast.UnaryNode:
			a, ok := vals[x.Node]
			if !ok || (x.Operator != "-" && x.Operator != "+") {
				return
			}
			v = a
			if x.Operator == "-" {
				if a.isInt && a.i == math.MinInt64 {
					c.numberFail(x, "heltalet blir för stort: -(%d) ryms inte i ett heltal (högst %d)", a.i, math.MaxInt64)
					return
				}
				v.i, v.f = -a.i, -a.f
			}
		case *ast.BinaryNode:
			l, lok := vals[x.Left]
			r, rok := vals[x.Right]
			if !lok || !rok {
				return
			}
			var ok bool
			if v, ok = c.arith(x, l, r); !ok {
				return
			}
		default:
			return
		}
		if !v.isInt && (math.IsInf(v.f, 0) || math.IsNaN(v.f)) {
			c.numberFail(*n, "%s ger %v, som inte är ett ändligt tal: ett mål eller en gräns måste vara ett vanligt tal", (*n).String(), v.f)
			return
		}
		vals[*n] = v
	}))
}

// arith is one operation on constants, false when it is not arithmetic
// on numbers or fails (reported).
func (c *compiler) arith(x *ast.BinaryNode, l, r constant) (constant, bool) {
	if l.isInt && r.isInt {
		switch x.Operator {
		case "+", "-", "*":
			s, err := checked(l.i, rune(x.Operator[0]), r.i)
			if err != nil {
				c.numberFail(x, "%s", err.Error())
				return constant{}, false
			}
			return constant{isInt: true, i: s}, true
		case "%":
			if r.i == 0 {
				c.numberFail(x, "%s delar med noll", x.String())
				return constant{}, false
			}
			if r.i == -1 { // MinInt64 % -1 is 0 in Go, as it is in arithmetic
				return constant{isInt: true}, true
			}
			return constant{isInt: true, i: l.i % r.i}, true
		}
	}
	a, b := l.float(), r.float()
	switch x.Operator {
	case "+":
		return constant{f: a + b}, true
	case "-":
		return constant{f: a - b}, true
	case "*":
		return constant{f: a * b}, true
	case "/":
		return constant{f: a / b}, true
	case "**", "^":
		return constant{f: math.Pow(a, b)}, true
	}
	return constant{}, false
}

// numberFail reports a constant part at its place: a binary operation at
// its operator, as expr places it.
func (c *compiler) numberFail(n ast.Node, format string, args ...any) {
	c.failHint(n.Location().From, "skriv målet som ett tal, t.ex. count(trafikkontroll) >= 104", format, args...)
}
