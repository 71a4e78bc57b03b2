package rule

import (
	"fmt"
	"math"
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
	// Done, when closed, stops the runs of the scope: a rule stopped by
	// the watchdog ends at its next element with ErrStopped rather than
	// running on unseen (nil: never).
	Done <-chan struct{}
}

// Measure computes a comparison's metric and target in a scope.
func (t *Tables) Measure(c *Compare, s Scope) (value, target float64, err error) {
	served := false
	switch {
	case c.count != "" && c.Metric != nil:
		value, served = float64(t.count(c.count, s)), true
	case c.cols != nil:
		vs, ok, err := t.measureCols(c.cols, s, [][2]calendar.Date{{s.Start, s.End}})
		if err != nil {
			return 0, 0, fmt.Errorf("regeln kunde inte beräknas: %w", err)
		}
		if ok {
			value, served = vs[0], true
		}
	}
	if !served {
		v, err := t.run(c.Metric, c.Types, s)
		if err != nil {
			return 0, 0, err
		}
		if value, err = finite(v); err != nil {
			return 0, 0, err
		}
	}
	tv, err := t.run(c.Target, nil, s)
	if err != nil {
		return 0, 0, err
	}
	if target, err = finite(tv); err != nil {
		return 0, 0, err
	}
	return value, target, nil
}

// finite is a measured number, or an error when it is not a finite
// number: a status judged on ±Inf or NaN would be a wrong status, and
// JSON cannot hold them (docs/design.md, "Tal som inte kan skrivas").
func finite(v any) (float64, error) {
	f, err := toFloat(v)
	if err == nil && (math.IsInf(f, 0) || math.IsNaN(f)) {
		return 0, ruleErr("regeln gav %v, som inte är ett ändligt tal", f)
	}
	return f, err
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

// count is the number of records of typ a rule sees in the scope, as
// len(T) would give it over the rows of between and filter, read from the
// store's dates and columns.
func (t *Tables) count(typ string, s Scope) int {
	a := t.env.voc.Activity(typ)
	if a == nil {
		return 0
	}
	rows := t.set.Rows(typ)
	i, j := rows.Search(max(s.Start, t.from), min(s.End, t.to))
	if s.Field == "" {
		return j - i
	}
	f, n := a.FieldIndex(s.Field), 0
	if f < 0 {
		return 0
	}
	for k := i; k < j; k++ {
		if v, ok := rows.Value(k, f).(string); ok && v == s.Value {
			n++
		}
	}
	return n
}

func (t *Tables) run(p *vm.Program, types []string, s Scope) (any, error) {
	if p == nil {
		return nil, fmt.Errorf("regeln kunde inte kompileras")
	}
	env := make(map[string]any, len(types)+1)
	env[meterKey] = &meter{done: s.Done}
	for _, typ := range types {
		rows := t.between(typ, s.Start, s.End)
		if s.Field != "" {
			rows = t.filter(typ, rows, s.Field, s.Value)
		}
		env[typ] = rows.Interface()
	}
	out, err := t.runEnv(p, env)
	if err != nil {
		if re, ok := ruleError(err); ok {
			return nil, fmt.Errorf("regeln kunde inte beräknas: %s", re.Msg)
		}
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
