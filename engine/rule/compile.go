package rule

import (
	"reflect"
	"regexp"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
)

// MaxNodes bounds the size of a rule, and MaxDepth how deeply its
// brackets nest: a rule is a line of a promise, and a deeper one is a
// mistake or an attack on the parser.
const (
	MaxNodes = 2000
	MaxDepth = 32
)

// tooDeep returns the rune offset at which src nests deeper than MaxDepth.
func tooDeep(src string) (int, bool) {
	depth, i := 0, 0
	inString, escaped := rune(0), false
	for _, r := range src {
		switch {
		case escaped:
			escaped = false
		case inString != 0 && r == '\\':
			escaped = true
		case inString != 0:
			if r == inString {
				inString = 0
			}
		case r == '"' || r == '\'' || r == '`':
			inString = r
		case r == '(' || r == '[' || r == '{':
			if depth++; depth > MaxDepth {
				return i, true
			}
		case r == ')' || r == ']' || r == '}':
			depth--
		}
		i++
	}
	return 0, false
}

var flipped = map[string]string{">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}

// options are the expr options every program of a rule is compiled with:
// the typed environment, the rule language's meaning of count, dates in
// Sweden, no clock (time is an argument: docs/reference.md §7), and the
// bounds on numbers, text and time of bounds.go.
func (e *Env) options() []expr.Option {
	return append([]expr.Option{
		expr.Env(e.sample),
		expr.Patch(patcher{e}),
		expr.Timezone(calendar.Stockholm.String()),
		expr.DisableBuiltin("now"),
		expr.MaxNodes(MaxNodes),
	}, boundsOptions()...)
}

// patcher gives expr the rule language's meanings: count(T) is the number
// of records (expr's one-argument count counts true elements), a bare type
// in a comparison or sum is its count, and Month() and Weekday() of a date
// are plain numbers so that `.date.Month() == 1` works.
type patcher struct{ env *Env }

func (p patcher) Visit(n *ast.Node) {
	switch x := (*n).(type) {
	case *ast.BuiltinNode:
		if x.Name == "count" && len(x.Arguments) == 1 {
			ast.Patch(n, &ast.BuiltinNode{Name: "len", Arguments: x.Arguments})
		}
	case *ast.BinaryNode:
		switch x.Operator {
		case ">=", ">", "<=", "<", "==", "!=", "+", "-", "*", "/":
			for _, side := range []*ast.Node{&x.Left, &x.Right} {
				if id, ok := (*side).(*ast.IdentifierNode); ok && p.env.isActivity(id.Value) {
					ast.Patch(side, &ast.BuiltinNode{Name: "len", Arguments: []ast.Node{id}})
				}
			}
		}
		switch x.Operator {
		case ">=", ">", "<=", "<":
			// An absent field is nil, and nil is not ordered: a record
			// without the field does not match, rather than failing.
			for _, side := range []ast.Node{x.Left, x.Right} {
				if isField(side) {
					guard := &ast.BinaryNode{Operator: "!=", Left: side, Right: &ast.NilNode{}}
					ast.Patch(n, &ast.BinaryNode{Operator: "&&", Left: guard, Right: x})
					return
				}
			}
		}
	case *ast.CallNode:
		if m, ok := x.Callee.(*ast.MemberNode); ok {
			if s, ok := m.Property.(*ast.StringNode); ok && (s.Value == "Month" || s.Value == "Weekday") && len(x.Arguments) == 0 {
				ast.Patch(n, &ast.BuiltinNode{Name: "int", Arguments: []ast.Node{x}})
			}
		}
	}
}

// isField reports a record field in a predicate: `.name`.
func isField(n ast.Node) bool {
	m, ok := n.(*ast.MemberNode)
	if !ok {
		return false
	}
	_, ok = m.Node.(*ast.PointerNode)
	return ok
}

func (e *Env) isActivity(name string) bool { _, ok := e.structs[name]; return ok }

// compiler compiles one rule.
type compiler struct {
	env     *Env
	text    promise.Text
	src     string // the rule with per clauses blanked out
	clauses []perClause
	used    []bool
	errs    diag.List
}

// Compile compiles a commitment's rule. Errors name the place in the rule
// file (text carries it) and suggest the closest name.
func (e *Env) Compile(text promise.Text) (*Rule, diag.List) {
	c := &compiler{env: e, text: text}
	src, clauses, ferr := cutPer(text.Value)
	if ferr != nil {
		c.fail(ferr.From, "%s", ferr.Message)
		return nil, c.errs
	}
	if at, ok := tooDeep(src); ok {
		c.fail(at, "regeln är nästlad i fler än %d nivåer av parenteser: dela upp den", MaxDepth)
		return nil, c.errs
	}
	c.src, c.clauses, c.used = src, clauses, make([]bool, len(clauses))
	tree, err := parser.Parse(src)
	if err != nil {
		c.exprError(err)
		return nil, c.errs
	}
	if c.checkNumbers(tree.Node); len(c.errs) > 0 {
		return nil, c.errs
	}
	opts := append(e.options(), expr.AsBool())
	if _, err := expr.Compile(src, opts...); err != nil {
		c.exprError(err)
		return nil, c.errs
	}
	c.checkEnums(tree.Node)
	root := c.build(tree.Node)
	for i, cl := range c.clauses {
		if !c.used[i] {
			c.fail(cl.from, "per hör inte till någon jämförelse: skriv den mellan det som räknas och jämförelsen, t.ex. count(hundsok) per termin >= 1")
		}
	}
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	return &Rule{Src: text.Value, Root: root}, nil
}

func (c *compiler) fail(offset int, format string, args ...any) {
	c.errs.Add(c.text.Pos(offset), "", format, args...)
}

func (c *compiler) failHint(offset int, hint, format string, args ...any) {
	c.errs.Add(c.text.Pos(offset), hint, format, args...)
}

// build turns the checked expression into the rule tree.
func (c *compiler) build(n ast.Node) Node {
	if b, ok := n.(*ast.BinaryNode); ok {
		switch b.Operator {
		case "&&", "and":
			return &And{c.build(b.Left), c.build(b.Right)}
		case "||", "or":
			return &Or{c.build(b.Left), c.build(b.Right)}
		case ">=", ">", "<=", "<", "==", "!=":
			if cmp := c.compare(b); cmp != nil {
				return cmp
			}
		}
	}
	return &Expr{Src: strings.TrimSpace(n.String()), Prog: c.program(n.String(), true), Types: c.types(n)}
}

// compare makes a Compare of a comparison with records on exactly one side.
func (c *compiler) compare(b *ast.BinaryNode) Node {
	metric, target, op := b.Left, b.Right, b.Operator
	ml, tl := c.types(metric), c.types(target)
	if len(ml) == 0 && len(tl) > 0 {
		metric, target, op, ml, tl = target, metric, flipped[op], tl, ml
	}
	var cl *perClause
	for i := range c.clauses {
		if c.clauses[i].next == b.Location().From {
			cl, c.used[i] = &c.clauses[i], true
		}
	}
	if len(ml) == 0 || len(tl) > 0 {
		if cl != nil {
			c.fail(cl.from, "per kräver en jämförelse där ena sidan räknar poster och den andra är ett tal, t.ex. count(hundsok) per termin >= 1")
		}
		return nil
	}
	msrc := metric.String()
	if id, ok := metric.(*ast.IdentifierNode); ok {
		msrc = "len(" + id.Value + ")"
	}
	prog := c.program(msrc, false)
	if prog != nil && !numeric(prog.Node().Type()) {
		if cl != nil {
			c.fail(cl.from, "per kräver att ena sidan är ett antal eller en summa")
		}
		return nil
	}
	cmp := &Compare{Src: c.span(b, cl), Op: op, Metric: prog, Target: c.program(target.String(), false), Types: ml}
	if prog != nil {
		a := additivity{types: map[string]bool{}}
		for _, t := range ml {
			a.types[t] = true
		}
		cmp.shrinks = !a.growing(prog.Node())
	}
	if typ, ok := c.plainCount(metric); ok && prog != nil {
		cmp.count = typ
	}
	cmp.cols = c.env.columnPlan(cmp)
	if cl != nil {
		c.perNames(cmp, cl)
	}
	return cmp
}

// plainCount reports a metric that is the number of records of one type:
// count(T) or a bare T.
func (c *compiler) plainCount(n ast.Node) (string, bool) {
	if b, ok := n.(*ast.BuiltinNode); ok && b.Name == "count" && len(b.Arguments) == 1 {
		n = b.Arguments[0]
	}
	if id, ok := n.(*ast.IdentifierNode); ok && c.env.isActivity(id.Value) {
		return id.Value, true
	}
	return "", false
}

// span is the comparison's text for reports: the rule itself when it is
// one comparison, else a rebuilt form with its per clauses.
func (c *compiler) span(b *ast.BinaryNode, cl *perClause) string {
	s := b.Left.String()
	if cl != nil {
		for _, n := range cl.names {
			s += " per " + n.name
		}
	}
	return s + " " + b.Operator + " " + b.Right.String()
}

// perNames resolves the names of a per clause: at most one window kind and
// one enum field of every counted type.
func (c *compiler) perNames(cmp *Compare, cl *perClause) {
	for _, n := range cl.names {
		if k, ok := calendar.ParseKind(n.name); ok {
			if cmp.HasWindow {
				c.fail(n.from, "bara ett fönster per jämförelse: %q kommer efter ett annat fönster", n.name)
			}
			cmp.HasWindow, cmp.Window = true, k
			continue
		}
		if f := c.enumField(cmp.Types, n.name); f != nil {
			if cmp.Field != "" {
				c.fail(n.from, "bara ett fält per jämförelse: %q kommer efter %q", n.name, cmp.Field)
			}
			cmp.Field, cmp.Values = n.name, f.Type.Enum
			continue
		}
		cands := calendar.KindNames()
		for _, t := range cmp.Types {
			for _, f := range c.env.voc.Activity(t).Fields {
				if f.Type.Kind == promise.Enum {
					cands = append(cands, f.Name)
				}
			}
		}
		if f := c.env.voc.Activity(cmp.Types[0]).Field(n.name); f != nil {
			c.fail(n.from, "per %s: fältet %s i %s är inte ett enum-fält; per fungerar bara med enum-fält", n.name, n.name, cmp.Types[0])
			continue
		}
		c.failHint(n.from, diag.DidYouMean(n.name, cands),
			"okänt fönster eller fält %q efter per: fönster är år, halvår, tertial, kvartal, månad, vecka, dag och termin", n.name)
	}
}

// enumField returns the enum field name when every type has it, same values.
func (c *compiler) enumField(types []string, name string) *promise.Field {
	var first *promise.Field
	for _, t := range types {
		f := c.env.voc.Activity(t).Field(name)
		if f == nil || f.Type.Kind != promise.Enum {
			return nil
		}
		if first == nil {
			first = f
		}
	}
	return first
}

// types lists the activity types an expression refers to.
func (c *compiler) types(n ast.Node) []string {
	var v typeVisitor
	v.env = c.env
	ast.Walk(&n, &v)
	return v.found
}

type typeVisitor struct {
	env   *Env
	found []string
}

func (v *typeVisitor) Visit(n *ast.Node) {
	if id, ok := (*n).(*ast.IdentifierNode); ok && v.env.isActivity(id.Value) {
		for _, f := range v.found {
			if f == id.Value {
				return
			}
		}
		v.found = append(v.found, id.Value)
	}
}

// program compiles a part of a rule already checked as a whole.
func (c *compiler) program(src string, asBool bool) *vm.Program {
	opts := c.env.options()
	if asBool {
		opts = append(opts, expr.AsBool())
	}
	p, err := expr.Compile(src, opts...)
	if err != nil {
		// The whole rule compiled, so a part failing is a bug in the
		// rebuilt text; report it rather than crash.
		c.fail(0, "intern fel i regeln (%s): %v", src, err)
		return nil
	}
	return p
}

func numeric(t reflect.Type) bool {
	if t == nil {
		return true
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Interface:
		return true
	}
	return false
}

var (
	unknownName = regexp.MustCompile(`^unknown name (\S+)`)
	noField     = regexp.MustCompile(`^type (.+) has no field (\S+)`)
	structType  = regexp.MustCompile(`struct \{[^}]*\}`)
)

// exprError translates an expr error into the user's words and place.
func (c *compiler) exprError(err error) {
	fe, ok := err.(*file.Error)
	if !ok {
		msg := err.Error()
		if strings.HasPrefix(msg, "expected bool, but got ") {
			c.failHint(0, "lägg till en jämförelse, t.ex. count(trafikkontroll) >= 104",
				"regeln ska ge sant eller falskt, men ger %s", strings.TrimPrefix(msg, "expected bool, but got "))
			return
		}
		c.fail(0, "%s", c.readable(msg))
		return
	}
	if m := unknownName.FindStringSubmatch(fe.Message); m != nil {
		c.failHint(fe.From, diag.DidYouMean(m[1], c.env.voc.IDs()), "okänd aktivitetstyp %q", m[1])
		return
	}
	if m := noField.FindStringSubmatch(fe.Message); m != nil {
		if id, ok := c.env.names[m[1]]; ok {
			a := c.env.voc.Activity(id)
			c.failHint(fe.From, diag.DidYouMean(m[2], a.FieldNames()), "aktivitetstypen %s har inget fält %q", id, m[2])
			return
		}
	}
	c.fail(fe.From, "fel i regeln: %s", c.readable(fe.Message))
}

// readable replaces the printed record struct types in expr's messages by
// the activity's name.
func (c *compiler) readable(msg string) string {
	return structType.ReplaceAllStringFunc(msg, func(s string) string {
		if id, ok := c.env.names[s]; ok {
			return id
		}
		return "post"
	})
}
