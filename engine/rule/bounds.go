package rule

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm/runtime"
)

// MaxTextBytes bounds the bytes of text one run of a rule may build
// (joined, repeated, replaced or split text, and text added with +): a
// rule counts records, and a rule that builds text without end would take
// the memory of the machine before the watchdog stops it (docs/design.md,
// "Gränser för en regel").
const MaxTextBytes = 16 << 20

// meterKey is the name under which a run's meter is in the environment:
// no rule can write it, so only the calls the bounds patcher inserts see
// it.
const meterKey = " meter"

// meter is the state of one run of a program: the text bytes it has
// built, and the channel that stops it.
type meter struct {
	text int
	done <-chan struct{}
}

// RuleError is an error of a rule at run time that is the rule's own (an
// integer that overflows, a number that is not finite, too much text, a
// stopped run): it is reported as it is, without the hint about absent
// fields.
type RuleError struct{ Msg string }

func (e *RuleError) Error() string { return e.Msg }

// ErrStopped is the error of a run stopped by its Scope's Done channel.
var ErrStopped = &RuleError{"regeln avbröts"}

func ruleErr(format string, args ...any) error { return &RuleError{fmt.Sprintf(format, args...)} }

// charge counts n bytes of text about to be built; past MaxTextBytes it
// refuses, before anything is built.
func (m *meter) charge(n int) error {
	if n < 0 || n > MaxTextBytes || m.text+n > MaxTextBytes {
		return ruleErr("regeln bygger mer än %d MiB text", MaxTextBytes>>20)
	}
	m.text += n
	return nil
}

func (m *meter) stopped() bool {
	if m.done == nil {
		return false
	}
	select {
	case <-m.done:
		return true
	default:
		return false
	}
}

func meterOf(v any) *meter {
	if m, ok := v.(*meter); ok && m != nil {
		return m
	}
	return &meter{} // a program run without one (cannot happen from this package)
}

// boundsOptions are the functions the bounds patcher calls, the builtins
// no rule needs that could build unbounded data, and the patcher.
func boundsOptions() []expr.Option {
	return []expr.Option{
		expr.Function("$tick", fnTick, new(func(*meter) bool)),
		expr.Function("$addInt", intOp('+'), new(func(*meter, int, int) int)),
		expr.Function("$subInt", intOp('-'), new(func(*meter, int, int) int)),
		expr.Function("$mulInt", intOp('*'), new(func(*meter, int, int) int)),
		expr.Function("$negInt", fnNeg, new(func(*meter, int) int)),
		expr.Function("$concat", fnConcat, new(func(*meter, string, string) string)),
		expr.Function("$add", anyOp('+'), new(func(*meter, any, any) any)),
		expr.Function("$sub", anyOp('-'), new(func(*meter, any, any) any)),
		expr.Function("$mul", anyOp('*'), new(func(*meter, any, any) any)),
		expr.Function("$sum", fnSum, new(func(*meter, any) any)),
		expr.Function("$int", fnInt, new(func(*meter, any) int)),
		expr.Function("$repeat", fnRepeat, new(func(*meter, string, int) string)),
		expr.Function("$join", fnJoin, new(func(*meter, any) string), new(func(*meter, any, string) string)),
		expr.Function("$replace", fnReplace, new(func(*meter, string, string, string) string), new(func(*meter, string, string, string, int) string)),
		expr.Function("$upper", textFn(strings.ToUpper), new(func(*meter, string) string)),
		expr.Function("$lower", textFn(strings.ToLower), new(func(*meter, string) string)),
		expr.Function("$split", splitFn(false), new(func(*meter, string, string) []string), new(func(*meter, string, string, int) []string)),
		expr.Function("$splitAfter", splitFn(true), new(func(*meter, string, string) []string), new(func(*meter, string, string, int) []string)),
		expr.Function("$string", fnString, new(func(*meter, any) string)),
		// Text from and to JSON and base64, and bit operations, are no
		// part of counting records; each could build unbounded data.
		expr.DisableBuiltin("toJSON"), expr.DisableBuiltin("fromJSON"),
		expr.DisableBuiltin("toBase64"), expr.DisableBuiltin("fromBase64"),
		expr.DisableBuiltin("bitand"), expr.DisableBuiltin("bitor"), expr.DisableBuiltin("bitxor"),
		expr.DisableBuiltin("bitnand"), expr.DisableBuiltin("bitnot"), expr.DisableBuiltin("bitshl"),
		expr.DisableBuiltin("bitshr"), expr.DisableBuiltin("bitushr"),
		expr.Patch(bounds{}),
	}
}

// bounds rewrites a checked rule so that it cannot overflow, build
// unbounded text or run on once stopped: integer +, - and * and unary -
// are checked, sum adds with checks, int() refuses what does not fit,
// text is built through the meter, and every predicate asks the meter
// whether the run is stopped before each element.
type bounds struct{}

var (
	intType    = reflect.TypeOf(0)
	stringType = reflect.TypeOf("")
)

// guarded are the builtins replaced by a metered function of the same
// name with a $.
var guarded = map[string]bool{
	"repeat": true, "join": true, "replace": true, "upper": true, "lower": true,
	"split": true, "splitAfter": true, "string": true, "int": true,
}

func (bounds) Visit(n *ast.Node) {
	switch x := (*n).(type) {
	case *ast.PredicateNode:
		tick := call("$tick", boolType)
		x.Node = &ast.ConditionalNode{Cond: tick, Exp1: x.Node, Exp2: &ast.NilNode{}}
	case *ast.BinaryNode:
		l, r := x.Left.Type().Kind(), x.Right.Type().Kind()
		name := map[string]string{"+": "add", "-": "sub", "*": "mul"}[x.Operator]
		switch {
		case name == "":
		case l == reflect.Int && r == reflect.Int:
			ast.Patch(n, call("$"+name+"Int", intType, x.Left, x.Right))
		case x.Operator == "+" && l == reflect.String && r == reflect.String:
			ast.Patch(n, call("$concat", stringType, x.Left, x.Right))
		case loose(l) && loose(r) && (l == reflect.Interface || r == reflect.Interface):
			ast.Patch(n, call("$"+name, nil, x.Left, x.Right))
		}
	case *ast.UnaryNode:
		if x.Operator == "-" && x.Node.Type().Kind() == reflect.Int {
			ast.Patch(n, call("$negInt", intType, x.Node))
		}
	case *ast.BuiltinNode:
		switch {
		case x.Name == "sum" && len(x.Arguments) == 2:
			m := &ast.BuiltinNode{Name: "map", Arguments: x.Arguments}
			ast.Patch(n, call("$sum", nil, m))
		case x.Name == "sum":
			ast.Patch(n, call("$sum", nil, x.Arguments...))
		case guarded[x.Name]:
			ast.Patch(n, call("$"+x.Name, x.Type(), x.Arguments...))
		}
	}
}

var boolType = reflect.TypeOf(false)

// loose is a kind + - * may meet with an operand of unknown type: a
// number or a text (not a date or a duration, whose arithmetic cannot
// overflow here).
func loose(k reflect.Kind) bool {
	switch k {
	case reflect.Interface, reflect.Int, reflect.Float64, reflect.String:
		return true
	}
	return false
}

// call is a call of a bounds function with the run's meter first.
func call(name string, t reflect.Type, args ...ast.Node) ast.Node {
	c := &ast.CallNode{
		Callee:    &ast.IdentifierNode{Value: name},
		Arguments: append([]ast.Node{&ast.IdentifierNode{Value: meterKey}}, args...),
	}
	if t != nil {
		c.SetType(t)
	}
	return c
}

func fnTick(args ...any) (any, error) {
	if meterOf(args[0]).stopped() {
		return nil, ErrStopped
	}
	return true, nil
}

func overflow(a int, op rune, b int) error {
	return ruleErr("heltalet blir för stort: %d %c %d ryms inte i ett heltal (högst %d)", a, op, b, math.MaxInt64)
}

// checked does integer arithmetic, or reports that the result does not fit.
func checked(a int, op rune, b int) (int, error) {
	switch op {
	case '+':
		s := a + b
		if (s > a) != (b > 0) {
			return 0, overflow(a, op, b)
		}
		return s, nil
	case '-':
		s := a - b
		if (s < a) != (b > 0) {
			return 0, overflow(a, op, b)
		}
		return s, nil
	}
	if a == 0 || b == 0 {
		return 0, nil
	}
	hi, lo := bits.Mul64(uint64(abs(a)), uint64(abs(b)))
	neg := (a < 0) != (b < 0)
	if hi != 0 || lo > math.MaxInt64+uint64(btoi(neg)) {
		return 0, overflow(a, op, b)
	}
	if neg {
		return int(-lo), nil
	}
	return int(lo), nil
}

func abs(a int) uint64 {
	if a < 0 {
		return uint64(-(a + 1)) + 1
	}
	return uint64(a)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func intOp(op rune) func(args ...any) (any, error) {
	return func(args ...any) (any, error) {
		return checked(args[1].(int), op, args[2].(int))
	}
}

func fnNeg(args ...any) (any, error) {
	a := args[1].(int)
	if a == math.MinInt64 {
		return nil, ruleErr("heltalet blir för stort: -(%d) ryms inte i ett heltal (högst %d)", a, math.MaxInt64)
	}
	return -a, nil
}

func fnConcat(args ...any) (any, error) {
	a, b := args[1].(string), args[2].(string)
	if err := meterOf(args[0]).charge(len(a) + len(b)); err != nil {
		return nil, err
	}
	return a + b, nil
}

// anyOp is + - * with operands of unknown type: checked for integers and
// metered for text, expr's own operator otherwise.
func anyOp(op rune) func(args ...any) (any, error) {
	return func(args ...any) (any, error) {
		a, b := args[1], args[2]
		ai, aok := a.(int)
		bi, bok := b.(int)
		if aok && bok {
			return checked(ai, op, bi)
		}
		as, aok := a.(string)
		bs, bok := b.(string)
		if aok && bok && op == '+' {
			return fnConcat(args[0], as, bs)
		}
		switch op {
		case '+':
			return runtime.Add(a, b), nil
		case '-':
			return runtime.Subtract(a, b), nil
		}
		return runtime.Multiply(a, b), nil
	}
}

// fnSum adds the numbers of a list: integers with overflow checks, floats
// once one is a float, as expr's sum does.
func fnSum(args ...any) (any, error) {
	v := reflect.ValueOf(args[1])
	if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		return nil, ruleErr("sum av %T, som inte är en lista", args[1])
	}
	m := meterOf(args[0])
	total, isFloat, f := 0, false, 0.0
	for i := 0; i < v.Len(); i++ {
		if i%1024 == 0 && m.stopped() {
			return nil, ErrStopped
		}
		e := v.Index(i)
		for e.Kind() == reflect.Interface || e.Kind() == reflect.Pointer {
			if e.IsNil() {
				return nil, ruleErr("sum av en lista med ett tomt värde: skriv t.ex. .antal ?? 0")
			}
			e = e.Elem()
		}
		switch e.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if isFloat {
				f += float64(e.Int())
				continue
			}
			var err error
			if total, err = checked(total, '+', int(e.Int())); err != nil {
				return nil, err
			}
		case reflect.Float32, reflect.Float64:
			if !isFloat {
				isFloat, f = true, float64(total)
			}
			f += e.Float()
		default:
			return nil, ruleErr("sum av %s, som inte är ett tal", e.Type())
		}
	}
	if isFloat {
		return f, nil
	}
	return total, nil
}

// fnInt is expr's int() that refuses a number that does not fit.
func fnInt(args ...any) (any, error) {
	switch x := args[1].(type) {
	case float64:
		if math.IsNaN(x) || x >= 1<<63 || x < -(1<<63) {
			return nil, ruleErr("int(%v): talet ryms inte i ett heltal", x)
		}
		return int(x), nil
	case float32:
		return fnInt(args[0], float64(x))
	case string:
		return runtime.ToInt(x), nil
	}
	v := reflect.ValueOf(args[1])
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(v.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if v.Uint() > math.MaxInt64 {
			return nil, ruleErr("int(%v): talet ryms inte i ett heltal", args[1])
		}
		return int(v.Uint()), nil
	}
	return nil, ruleErr("int(%v): inte ett tal", args[1])
}

func fnRepeat(args ...any) (any, error) {
	s, n := args[1].(string), args[2].(int)
	if n < 0 {
		return nil, ruleErr("repeat med ett negativt antal (%d)", n)
	}
	if n > 0 && len(s) > MaxTextBytes/n {
		return nil, ruleErr("regeln bygger mer än %d MiB text", MaxTextBytes>>20)
	}
	if err := meterOf(args[0]).charge(len(s) * n); err != nil {
		return nil, err
	}
	return strings.Repeat(s, n), nil
}

func fnJoin(args ...any) (any, error) {
	v := reflect.ValueOf(args[1])
	if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		return nil, ruleErr("join av %T, som inte är en lista", args[1])
	}
	glue := ""
	if len(args) > 2 {
		glue = args[2].(string)
	}
	parts := make([]string, v.Len())
	size := 0
	for i := range parts {
		e := v.Index(i)
		if e.Kind() == reflect.Interface {
			e = e.Elem()
		}
		if e.Kind() != reflect.String {
			return nil, ruleErr("join av en lista med annat än text")
		}
		parts[i] = e.String()
		size += len(parts[i]) + len(glue)
		if size > MaxTextBytes {
			return nil, ruleErr("regeln bygger mer än %d MiB text", MaxTextBytes>>20)
		}
	}
	if err := meterOf(args[0]).charge(size); err != nil {
		return nil, err
	}
	return strings.Join(parts, glue), nil
}

func fnReplace(args ...any) (any, error) {
	s, old, new := args[1].(string), args[2].(string), args[3].(string)
	n := -1
	if len(args) > 4 {
		n = args[4].(int)
	}
	k := strings.Count(s, old)
	if old == "" {
		k = utf8.RuneCountInString(s) + 1
	}
	if n >= 0 && n < k {
		k = n
	}
	grow := len(new) - len(old)
	size := len(s)
	if grow > 0 {
		if k > 0 && grow > MaxTextBytes/k {
			return nil, ruleErr("regeln bygger mer än %d MiB text", MaxTextBytes>>20)
		}
		size += k * grow
	}
	if err := meterOf(args[0]).charge(size); err != nil {
		return nil, err
	}
	return strings.Replace(s, old, new, n), nil
}

func textFn(f func(string) string) func(args ...any) (any, error) {
	return func(args ...any) (any, error) {
		s := args[1].(string)
		if err := meterOf(args[0]).charge(len(s)); err != nil {
			return nil, err
		}
		return f(s), nil
	}
}

// splitFn charges the pieces of a split (a text header each, 16 bytes)
// before splitting.
func splitFn(after bool) func(args ...any) (any, error) {
	return func(args ...any) (any, error) {
		s, sep := args[1].(string), args[2].(string)
		n := -1
		if len(args) > 3 {
			n = args[3].(int)
		}
		k := strings.Count(s, sep) + 1
		if sep == "" {
			k = utf8.RuneCountInString(s)
		}
		if n >= 0 && n < k {
			k = n
		}
		if err := meterOf(args[0]).charge(16 * k); err != nil {
			return nil, err
		}
		if after {
			return strings.SplitAfterN(s, sep, n), nil
		}
		return strings.SplitN(s, sep, n), nil
	}
}

// fnString is expr's string() for single values; a list or a map could be
// written as text of any length.
func fnString(args ...any) (any, error) {
	v := reflect.ValueOf(args[1])
	switch v.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Struct, reflect.Pointer:
		if _, ok := args[1].(fmt.Stringer); !ok {
			return nil, ruleErr("string() av en lista eller post stöds inte i regler")
		}
	}
	s := fmt.Sprintf("%v", args[1])
	if err := meterOf(args[0]).charge(len(s)); err != nil {
		return nil, err
	}
	return s, nil
}

// ruleError returns the rule's own error in err, if it is one.
func ruleError(err error) (*RuleError, bool) {
	var re *RuleError
	ok := errors.As(err, &re)
	return re, ok
}
