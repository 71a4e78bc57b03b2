package rule

import (
	"fmt"
	"reflect"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/lofte/lofte/engine/calendar"
)

// Scope is what a part of a rule sees: the records dated Start..End, and
// with a `per FIELD` clause only those whose Field equals Value.
type Scope struct {
	Start, End calendar.Date
	Field      string
	Value      string
}

// Measure computes a comparison's metric and target in a scope.
func (t *Tables) Measure(c *Compare, s Scope) (value, target float64, err error) {
	v, err := t.run(c.Metric, c.Types, s)
	if err != nil {
		return 0, 0, err
	}
	if value, err = toFloat(v); err != nil {
		return 0, 0, err
	}
	tv, err := t.run(c.Target, nil, s)
	if err != nil {
		return 0, 0, err
	}
	target, err = toFloat(tv)
	return value, target, err
}

// Holds evaluates a general expression in a scope.
func (t *Tables) Holds(e *Expr, s Scope) (bool, error) {
	v, err := t.run(e.Prog, e.Types, s)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("regeln gav %T, inte sant eller falskt", v)
	}
	return b, nil
}

func (t *Tables) run(p *vm.Program, types []string, s Scope) (any, error) {
	if p == nil {
		return nil, fmt.Errorf("regeln kunde inte kompileras")
	}
	env := make(map[string]any, len(types))
	for _, typ := range types {
		rows := t.between(typ, s.Start, s.End)
		if s.Field != "" {
			rows = t.filter(typ, rows, s.Field, s.Value)
		}
		env[typ] = rows.Interface()
	}
	v, _ := t.vms.Get().(*vm.VM)
	if v == nil {
		v = new(vm.VM)
	}
	out, err := v.Run(p, env)
	t.vms.Put(v)
	if err != nil {
		msg := err.Error()
		if fe, ok := err.(*file.Error); ok {
			msg = fe.Message // without expr's snippet of the rebuilt part
		}
		return nil, fmt.Errorf("regeln kunde inte beräknas: %s (saknas ett fält i någon post? skriv t.ex. .antal ?? 0)", msg)
	}
	return out, nil
}

func toFloat(v any) (float64, error) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	}
	return 0, fmt.Errorf("regeln jämför %v, som inte är ett tal", v)
}
