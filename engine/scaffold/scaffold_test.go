package scaffold

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/check"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/ruletest"
	"github.com/lofte/lofte/engine/source"
)

// TestWrite: the scaffold loads without an error, its rule tests pass, and
// check finds no error (only the warnings of an empty repository).
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	paths, err := Write(dir, Options{Year: 2024, Version: "v1.2.3", CI: CIServices})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"rules/exempel.yaml", "README.md", ".github/workflows/lofte.yml", ".gitlab-ci.yml"} {
		if !slices.Contains(paths, p) {
			t.Errorf("%s missing from %v", p, paths)
		}
	}
	for _, p := range []string{".github/workflows/lofte.yml", ".gitlab-ci.yml"} {
		if b, _ := os.ReadFile(filepath.Join(dir, p)); !strings.Contains(string(b), `LOFTE_VERSION: "1.2.3"`) {
			t.Errorf("%s does not pin 1.2.3:\n%s", p, b)
		}
	}
	if !slices.Contains(paths, "rules/exempel.yaml") || !slices.Contains(paths, "README.md") {
		t.Errorf("paths %v", paths)
	}
	snap := &source.Snapshot{Root: dir}
	files := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "{{") {
			t.Errorf("%s: template left: %s", p, data)
		}
		if strings.HasPrefix(p, "rules/") || strings.HasPrefix(p, "data/") {
			snap.Files = append(snap.Files, source.File{Path: p, Data: data})
			files[p] = data
		}
	}
	r := repository.Load(snap)
	tests, errs := ruletest.Parse(files, r)
	diags := check.Check(check.Input{Repo: r, Files: files, Today: calendar.NewDate(2024, 3, 1), Extra: errs})
	if diags.Errors() > 0 {
		t.Errorf("check: %v", diags)
	}
	if len(tests) == 0 {
		t.Fatal("no rule tests")
	}
	for _, res := range ruletest.Run(r, tests) {
		if !res.Pass() {
			t.Errorf("test %s failed: %+v", res.Test.Name, res.Failures)
		}
	}
	if rep := r.Evaluate(calendar.Period{First: 2024, Last: 2024}, calendar.NewDate(2024, 3, 1)); len(rep.Evaluations) != 1 {
		t.Errorf("evaluations %v", rep.Evaluations)
	}
}

func TestRefuses(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "rules"), 0o755)
	os.WriteFile(filepath.Join(dir, ".github-x"), nil, 0o644)
	if _, err := Write(dir, Options{Year: 2024}); err == nil || !strings.Contains(err.Error(), "rules/") {
		t.Errorf("err %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "rules")); len(entries) != 0 {
		t.Errorf("wrote into rules/: %v", entries)
	}
	// A README of its own is kept: the guide goes to LOFTE.md.
	dir = t.TempDir()
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("vårt\n"), 0o644)
	paths, err := Write(dir, Options{Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "README.md")); string(b) != "vårt\n" || !slices.Contains(paths, "LOFTE.md") {
		t.Errorf("README %q, paths %v", b, paths)
	}
	if _, err := Write(dir, Options{Year: 2024}); err == nil {
		t.Error("second Write did not refuse")
	}
}

// TestCIChoice: only the CI files asked for are written, the first
// release is pinned when no version is given, an unknown service is
// refused, and an existing CI file of a service not asked for is no
// conflict.
func TestCIChoice(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".gitlab-ci.yml"), []byte("vårt\n"), 0o644)
	if c := Conflicts(dir, Options{CI: CIServices}); !slices.Equal(c, []string{".gitlab-ci.yml"}) {
		t.Errorf("conflicts %v", c)
	}
	paths, err := Write(dir, Options{Year: 2024, CI: []string{"github"}})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(paths, ".gitlab-ci.yml") || !slices.Contains(paths, ".github/workflows/lofte.yml") {
		t.Errorf("paths %v", paths)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".github/workflows/lofte.yml")); !strings.Contains(string(b), `LOFTE_VERSION: "`+FirstRelease+`"`) {
		t.Errorf("workflow does not pin %s:\n%s", FirstRelease, b)
	}
	if slices.ContainsFunc(Files(Options{}), func(p string) bool { return strings.Contains(p, "ci") || strings.HasPrefix(p, ".github") }) {
		t.Errorf("files without CI: %v", Files(Options{}))
	}
	if _, err := Write(t.TempDir(), Options{Year: 2024, CI: []string{"jenkins"}}); err == nil || !strings.Contains(err.Error(), "jenkins") {
		t.Errorf("err %v", err)
	}
}
