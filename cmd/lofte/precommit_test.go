package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestPreCommitHooks: the hook definitions of .pre-commit-hooks.yaml have
// what pre-commit requires (id, name, entry, language), run a command lofte
// has, without file names (lofte reads the whole repository), and on the
// files a commitments repository keeps.
func TestPreCommitHooks(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID, Name, Entry, Language, Files string
		PassFilenames                    *bool `yaml:"pass_filenames"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) == 0 {
		t.Fatal("no hooks")
	}
	root := newRoot(io.Discard, io.Discard)
	ids := map[string]bool{}
	for _, h := range hooks {
		if h.ID == "" || h.Name == "" || h.Entry == "" || ids[h.ID] {
			t.Errorf("hook %+v: id, name and entry are required, ids unique", h)
		}
		ids[h.ID] = true
		if h.Language != "golang" && h.Language != "system" {
			t.Errorf("%s: language %q", h.ID, h.Language)
		}
		args := strings.Fields(h.Entry)
		if cmd, rest, err := root.Find(args[1:]); args[0] != "lofte" || err != nil || cmd == root || len(rest) != 0 {
			t.Errorf("%s: entry %q is no lofte command", h.ID, h.Entry)
		}
		if h.PassFilenames == nil || *h.PassFilenames {
			t.Errorf("%s: file names are passed", h.ID)
		}
		if re, err := regexp.Compile(h.Files); err != nil || !re.MatchString("rules/exempel.yaml") || re.MatchString("README.md") {
			t.Errorf("%s: files %q", h.ID, h.Files)
		}
	}
	if !ids["lofte-check"] {
		t.Error("no lofte-check hook")
	}
}

// TestPreCommit runs the hooks with pre-commit itself (Debian's package;
// .ci/run installs it and sets LOFTE_PRECOMMIT_TEST=1) in a repository
// lofte init made, as its README says to: the golang hooks build lofte
// from this repository's HEAD (pre-commit takes hooks from a commit), the
// -installed ones run the lofte on PATH. A commit with a broken rule is
// refused, with the problem's place; the mended commit goes in.
func TestPreCommit(t *testing.T) {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		if os.Getenv("LOFTE_PRECOMMIT_TEST") == "1" {
			t.Fatal("LOFTE_PRECOMMIT_TEST=1 but pre-commit is not on PATH")
		}
		t.Skip("pre-commit is not installed")
	}
	if testing.Short() {
		t.Skip("builds lofte")
	}
	head, err := exec.Command("git", "-C", "../..", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skip("the project is no git repository")
	}
	project, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	bin := filepath.Join(work, "bin")
	if out, err := exec.Command("go", "build", "-o", filepath.Join(bin, "lofte"), ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	repo := filepath.Join(work, "kommun")
	env := gitEnv("PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "PRE_COMMIT_HOME="+filepath.Join(work, "pre-commit"))
	run := func(dir string, args ...string) (string, error) {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run(work, "lofte", "init", "--ci", "none", repo); err != nil {
		t.Fatalf("lofte init: %v\n%s", err, out)
	}
	config := "repos:\n  - repo: " + project + "\n    rev: " + strings.TrimSpace(string(head)) + "\n    hooks:\n" +
		"      - id: lofte-check\n      - id: lofte-test\n      - id: lofte-check-installed\n      - id: lofte-test-installed\n"
	if err := os.WriteFile(filepath.Join(repo, ".pre-commit-config.yaml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"pre-commit", "install"}, {"git", "add", ".pre-commit-config.yaml"}} {
		if out, err := run(repo, args...); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if out, err := run(repo, "pre-commit", "run", "--all-files"); err != nil || strings.Count(out, "Passed") != 4 {
		t.Fatalf("the hooks on a sound repository: %v\n%s", err, out)
	}
	if out, err := run(repo, "git", "commit", "-m", "pre-commit"); err != nil {
		t.Fatalf("git commit: %v\n%s", err, out)
	}

	rule := filepath.Join(repo, "rules/exempel.yaml")
	good, err := os.ReadFile(rule)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(good), "count(trafikkontroll) >= 24", "count(trafikkontrol) >= 24", 1)
	if bad == string(good) {
		t.Fatal("the example has no rule count(trafikkontroll) >= 24")
	}
	os.WriteFile(rule, []byte(bad), 0o644)
	run(repo, "git", "add", "rules/exempel.yaml")
	out, err := run(repo, "git", "commit", "-m", "Fel")
	if err == nil || !strings.Contains(out, "Failed") || !regexp.MustCompile(`rules/exempel\.yaml:\d+:\d+: .*okänd aktivitetstyp "trafikkontrol"`).MatchString(out) {
		t.Fatalf("a commit with a broken rule: %v\n%s", err, out)
	}
	mended := strings.Replace(string(good), "under året.", "under hela året.", 1)
	os.WriteFile(rule, []byte(mended), 0o644)
	run(repo, "git", "add", "rules/exempel.yaml")
	if out, err := run(repo, "git", "commit", "-m", "Rätt"); err != nil || strings.Count(out, "Passed") != 4 {
		t.Fatalf("the mended commit: %v\n%s", err, out)
	}
}
