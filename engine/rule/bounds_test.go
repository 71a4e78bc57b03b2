package rule

import (
	"errors"
	"strings"
	"testing"

	"github.com/expr-lang/expr/vm"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
)

func boundsTables(t *testing.T, env *Env, n int) *Tables {
	t.Helper()
	day, _ := calendar.ParseDate("2022-02-01")
	rs := make([]record.Record, n)
	for i := range rs {
		rs[i] = record.Record{Type: "hundsok", Date: day, By: []string{"polisen"}, Values: []any{"grundskola", nil}}
	}
	from, _ := calendar.ParseDate("2022-01-01")
	to, _ := calendar.ParseDate("2022-12-31")
	return env.Tables(record.NewSet(rs), from, to)
}

// TestTextBounds: a rule may build at most MaxTextBytes of text in a run,
// refused before it is built; ordinary text functions work.
func TestTextBounds(t *testing.T) {
	env := testEnv(t)
	tables := boundsTables(t, env, 1)
	scope := Scope{Start: 0, End: 1 << 20}
	tests := []struct {
		src  string
		want string // "" for a rule that holds
	}{
		{`len(repeat("ab", 10)) == 20`, ""},
		{`upper("a") == "A"`, ""},
		{`lower("A") + "b" == "ab"`, ""},
		{`join(split("a,b", ","), ";") == "a;b"`, ""},
		{`replace("aa", "a", "bb") == "bbbb"`, ""},
		{`string(12) == "12"`, ""},
		{`sum([1, 2.5]) == 3.5`, ""},
		{`-sum([1, 2]) + 2 * 3 - 1 == 2`, ""},
		{`len(repeat(repeat("ab", 50000), 40000)) > 0`, "MiB text"},
		{`len(repeat("ab", 9000000)) > 0`, "MiB text"},
		{`len(join(map(1..100000, repeat("x", 200)))) > 0`, "MiB text"},
		{`len(replace(repeat("a", 100000), "a", repeat("b", 1000))) > 0`, "MiB text"},
		{`len(split(repeat("a", 2000000), "")) > 0`, "MiB text"},
		{`len(reduce(1..100, #acc + #acc + "x", "x")) > 0`, "MiB text"},
		{`let s = repeat("x", 1000000); len(s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s) > 0`, "MiB text"},
		{`len(string(1..1000)) > 0`, "stöds inte"},
	}
	for _, tt := range tests {
		r, errs := env.Compile(promise.Text{Value: tt.src})
		if len(errs) > 0 {
			t.Errorf("compile %q: %v", tt.src, errs)
			continue
		}
		x, ok := r.Root.(*Expr)
		if !ok {
			t.Fatalf("%q is not an expression", tt.src)
		}
		got, err := tables.Holds(x, scope)
		switch {
		case tt.want == "" && (err != nil || !got):
			t.Errorf("%s = %v, %v; want true", tt.src, got, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v; want one with %q", tt.src, err, tt.want)
		}
	}
}

// TestDisabledBuiltins: builtins that could build data without bound are
// not part of the rule language.
func TestDisabledBuiltins(t *testing.T) {
	env := testEnv(t)
	for _, src := range []string{`len(toJSON(1..10)) > 0`, `len(fromJSON("[1]")) > 0`, `bitshl(1, 63) < 0`, `toBase64("a") != ""`} {
		if _, errs := env.Compile(promise.Text{Value: src}); len(errs) == 0 {
			t.Errorf("%s compiled; want an error", src)
		}
	}
}

// TestStopped: a run whose Done channel is closed ends at its next
// element with ErrStopped, however much work is left.
func TestStopped(t *testing.T) {
	env := testEnv(t)
	tables := boundsTables(t, env, 400)
	r, errs := env.Compile(promise.Text{Value: `count(hundsok, count(hundsok, count(hundsok, "polisen" in .by) == 400) == 400) >= 1`})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	c := r.Root.(*Compare)
	done := make(chan struct{})
	close(done)
	// Run the program itself, past the check before a run starts, so
	// that the predicate has to stop it.
	env2 := map[string]any{meterKey: &meter{done: done}, "hundsok": tables.between("hundsok", 0, 1<<20).Interface()}
	if _, err := vm.Run(c.Metric, env2); !errors.Is(err, ErrStopped) {
		t.Errorf("run with Done closed: %v; want ErrStopped", err)
	}
	if _, _, err := tables.Measure(c, Scope{Start: 0, End: 1 << 20, Done: done}); err == nil || !strings.Contains(err.Error(), "avbröts") {
		t.Errorf("Measure with Done closed: %v; want it stopped", err)
	}
}
