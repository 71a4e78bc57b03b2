package rule

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
)

var update = flag.Bool("update", false, "rewrite golden files")

func testEnv(t testing.TB) *Env {
	t.Helper()
	src, err := os.ReadFile("testdata/activities.yaml")
	if err != nil {
		t.Fatal(err)
	}
	voc, errs := promise.ParseVocabulary("rules/activities.yaml", src)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return NewEnv(voc)
}

// TestCompileErrors checks the full message of each bad rule, snippet and
// caret included, against testdata/compile/NAME.golden.
func TestCompileErrors(t *testing.T) {
	env := testEnv(t)
	files, _ := filepath.Glob("testdata/compile/*.yaml")
	if len(files) == 0 {
		t.Fatal("no test files")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			rel := "rules/" + name + ".yaml"
			p, errs := promise.ParsePromise(rel, src)
			if len(errs) > 0 || len(p.Commitments) != 1 {
				t.Fatalf("promise did not parse: %v", errs)
			}
			_, errs = env.Compile(p.Commitments[0].Rule)
			if len(errs) == 0 {
				t.Fatal("rule compiled; want an error")
			}
			var b strings.Builder
			for _, d := range errs {
				b.WriteString(d.Error() + "\n" + diag.Snippet(src, d.Pos) + "\n")
			}
			golden := strings.TrimSuffix(file, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
