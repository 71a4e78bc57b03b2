package rule

import (
	"strings"
	"testing"

	"github.com/expr-lang/expr/ast"

	"github.com/lofte/lofte/engine/promise"
)

func TestCutPer(t *testing.T) {
	tests := []struct {
		src     string
		cleaned string
		names   [][]string
	}{
		{"count(a) >= 1", "count(a) >= 1", nil},
		{"count(a) per termin >= 1", "count(a)            >= 1", [][]string{{"termin"}}},
		{"a per termin per form >= 1 && b per år < 3", "a                     >= 1 && b        < 3", [][]string{{"termin", "form"}, {"år"}}},
		{`count(a, .x == "per termin") >= 1`, `count(a, .x == "per termin") >= 1`, nil},
		{"count(a, .per == 1) >= 1", "count(a, .per == 1) >= 1", nil},
		{"count(a)\nper tertial >= 1", "count(a)\n            >= 1", [][]string{{"tertial"}}},
	}
	for _, tt := range tests {
		got, clauses, err := cutPer(tt.src)
		if err != nil {
			t.Errorf("cutPer(%q): %v", tt.src, err.Message)
			continue
		}
		if got != tt.cleaned {
			t.Errorf("cutPer(%q) = %q, want %q", tt.src, got, tt.cleaned)
		}
		var names [][]string
		for _, cl := range clauses {
			var n []string
			for _, pn := range cl.names {
				n = append(n, pn.name)
			}
			names = append(names, n)
		}
		if strings.Join(flat(names), ",") != strings.Join(flat(tt.names), ",") || len(names) != len(tt.names) {
			t.Errorf("cutPer(%q) names %v, want %v", tt.src, names, tt.names)
		}
	}
}

func flat(x [][]string) []string {
	var out []string
	for _, s := range x {
		out = append(out, strings.Join(s, " "))
	}
	return out
}

// TestCompileTree checks how rules become trees of comparisons.
func TestCompileTree(t *testing.T) {
	env := testEnv(t)
	tests := []struct {
		src  string
		want string
	}{
		{"count(trafikkontroll) >= 104", "cmp(len(trafikkontroll) >= 104)"},
		{"trafikkontroll >= 104", "cmp(len(trafikkontroll) >= 104)"},
		{"104 <= count(trafikkontroll)", "cmp(len(trafikkontroll) >= 104)"},
		{"count(hundsok) < 3", "cmp(len(hundsok) < 3)"},
		{`count(hundsok, .plats == "grundskola") per termin >= 1`, `cmp(count(hundsok, .plats == "grundskola") >= 1 per termin)`},
		{"count(trafikkontroll) per kvartal per form >= 1", "cmp(len(trafikkontroll) >= 1 per kvartal per form[civil uniformerad])"},
		{"count(trafikkontroll) per riktad_mot >= 1", "cmp(len(trafikkontroll) >= 1 per riktad_mot[bilburen_ungdom allman])"},
		{"hundsok per term >= 1 && trafikkontroll >= 4", "and(cmp(len(hundsok) >= 1 per termin), cmp(len(trafikkontroll) >= 4))"},
		{"hundsok >= 1 || trafikkontroll >= 4", "or(cmp(len(hundsok) >= 1), cmp(len(trafikkontroll) >= 4))"},
		{`all(hundsok, .skola != "")`, "expr"},
		{"count(hundsok) == 2", "cmp(len(hundsok) == 2)"},
		{"sum(map(utbildning, .deltagare ?? 0)) >= 40", "cmp(sum(map(utbildning, .deltagare ?? 0)) >= 40)"},
		{"sum(utbildning, .deltagare ?? 0) >= 40", "cmp(sum(map(utbildning, .deltagare ?? 0)) >= 40)"}, // a checked sum of the mapped values
		{`count(hundsok, .date.Month() == 1) >= 1`, "cmp(count(hundsok, int(.date.Month()) == 1) >= 1)"},
		{`count(hundsok, .date >= date("2022-08-01")) >= 1`, `cmp(count(hundsok, .date != nil && .date >= date({}, "2022-08-01")) >= 1)`}, // nil-guarded; the time zone is bound
		{`count(hundsok, "kommunen" in .by) >= 1`, `cmp(count(hundsok, "kommunen" in .by) >= 1)`},
		{`count(utbildning, .deltagare > 10) >= 1`, `cmp(count(utbildning, .deltagare != nil && .deltagare > 10) >= 1)`},
		{`count(trafikkontroll, !.bilinspektor) >= 1`, `cmp(count(trafikkontroll, !.bilinspektor) >= 1)`},
	}
	for _, tt := range tests {
		r, errs := env.Compile(promise.Text{Value: tt.src})
		if len(errs) > 0 {
			t.Errorf("Compile(%q): %v", tt.src, errs)
			continue
		}
		if got := show(r.Root); got != tt.want {
			t.Errorf("Compile(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}
}

func show(n Node) string {
	switch x := n.(type) {
	case *And:
		return "and(" + show(x.Left) + ", " + show(x.Right) + ")"
	case *Or:
		return "or(" + show(x.Left) + ", " + show(x.Right) + ")"
	case *Compare:
		s := "cmp(" + unbound(x.Metric.Node()) + " " + x.Op + " " + unbound(x.Target.Node())
		if x.HasWindow {
			s += " per " + x.Window.String()
		}
		if x.Field != "" {
			s += " per " + x.Field + "[" + strings.Join(x.Values, " ") + "]"
		}
		return s + ")"
	}
	return "expr"
}

// FuzzCutPer checks the per front end on any input: no panic, the same
// length in runes, and every rune outside the cut clauses unchanged.
func FuzzCutPer(f *testing.F) {
	for _, s := range []string{
		"count(a) per termin >= 1", "a per termin per form >= 1 && b per år < 3",
		`count(a, .x == "per") per`, "per", "per per per", "count(a)\nper tertial >= 1",
		"å per ä >= ö", `"unterminated`, "count(a, .per) per vecka > 0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		got, clauses, err := cutPer(src)
		if err != nil {
			return
		}
		a, b := []rune(src), []rune(got)
		if len(a) != len(b) {
			t.Fatalf("length changed: %q → %q", src, got)
		}
		cut := make([]bool, len(a))
		for _, cl := range clauses {
			if cl.from < 0 || cl.to > len(a) || cl.from > cl.to {
				t.Fatalf("clause %+v out of range for %q", cl, src)
			}
			for i := cl.from; i < cl.to; i++ {
				cut[i] = true
			}
		}
		for i := range a {
			if !cut[i] && a[i] != b[i] {
				t.Fatalf("rune %d changed outside a clause: %q → %q", i, src, got)
			}
		}
	})
}

// FuzzCompile compiles any rule text: never a panic.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		"count(trafikkontroll) >= 104", "hundsok per termin >= 1 && trafikkontroll >= 4",
		`count(hundsok, .plats == "grundskola") per termin per plats >= 1`, "count(", "per", "1 >= per",
		"trafikkontroll per form per riktad_mot > 0", "all(hundsok, .skola != \"\")",
	} {
		f.Add(s)
	}
	env := testEnv(f)
	f.Fuzz(func(t *testing.T, src string) {
		r, errs := env.Compile(promise.Text{Value: src})
		if r == nil && len(errs) == 0 {
			t.Fatalf("no rule and no error for %q", src)
		}
	})
}

// unbound is a compiled part as written before the bounds patcher: its
// checked calls as the operators and builtins they stand for.
func unbound(n ast.Node) string {
	ast.Walk(&n, visitFunc(func(p *ast.Node) {
		switch x := (*p).(type) {
		case *ast.ConditionalNode:
			if c, ok := x.Cond.(*ast.CallNode); ok && c.Callee.(*ast.IdentifierNode).Value == "$tick" {
				*p = x.Exp1
			}
		case *ast.CallNode:
			id, ok := x.Callee.(*ast.IdentifierNode)
			if !ok || !strings.HasPrefix(id.Value, "$") || id.Value == "$tick" {
				return
			}
			name, args := strings.TrimPrefix(id.Value, "$"), x.Arguments[1:]
			for op, fn := range map[string]string{"+": "add", "-": "sub", "*": "mul"} {
				if name == fn || name == fn+"Int" {
					*p = &ast.BinaryNode{Operator: op, Left: args[0], Right: args[1]}
					return
				}
			}
			switch name {
			case "concat":
				*p = &ast.BinaryNode{Operator: "+", Left: args[0], Right: args[1]}
			case "negInt":
				*p = &ast.UnaryNode{Operator: "-", Node: args[0]}
			default:
				*p = &ast.BuiltinNode{Name: name, Arguments: args}
			}
		}
	}))
	return n.String()
}
