package rule

import (
	"strings"

	"github.com/expr-lang/expr/ast"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
)

type visitFunc func(*ast.Node)

func (f visitFunc) Visit(n *ast.Node) { f(n) }

// checkEnums reports a predicate that compares an enum field with a value
// the field cannot have (`.plats == "gymnasiet"`): such a typo would
// silently count nothing.
func (c *compiler) checkEnums(root ast.Node) {
	var calls []*ast.BuiltinNode
	ast.Walk(&root, visitFunc(func(n *ast.Node) {
		if b, ok := (*n).(*ast.BuiltinNode); ok && len(b.Arguments) == 2 {
			calls = append(calls, b)
		}
	}))
	for _, b := range calls {
		id, ok := b.Arguments[0].(*ast.IdentifierNode)
		if !ok || !c.env.isActivity(id.Value) {
			continue
		}
		act := c.env.voc.Activity(id.Value)
		pred := b.Arguments[1]
		ast.Walk(&pred, visitFunc(func(n *ast.Node) {
			bn, ok := (*n).(*ast.BinaryNode)
			if !ok {
				return
			}
			switch bn.Operator {
			case "==", "!=":
				c.checkEnum(act, bn.Left, bn.Right)
				c.checkEnum(act, bn.Right, bn.Left)
			case "in", "not in":
				if arr, ok := bn.Right.(*ast.ArrayNode); ok {
					for _, el := range arr.Nodes {
						c.checkEnum(act, bn.Left, el)
					}
				}
			}
		}))
	}
}

func (c *compiler) checkEnum(act *promise.Activity, field, value ast.Node) {
	lit, ok := value.(*ast.StringNode)
	if !ok || !isField(field) {
		return
	}
	name, ok := field.(*ast.MemberNode).Property.(*ast.StringNode)
	if !ok {
		return
	}
	f := act.Field(name.Value)
	if f == nil || f.Type.Kind != promise.Enum {
		return
	}
	for _, v := range f.Type.Enum {
		if v == lit.Value {
			return
		}
	}
	c.failHint(lit.Location().From, diag.DidYouMean(lit.Value, f.Type.Enum),
		"%q är inte ett värde för %s.%s, som kan vara %s", lit.Value, act.ID, f.Name, strings.Join(f.Type.Enum, ", "))
}
