package source

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// testRepo is a real git repository in a temporary folder, driven by the
// git command line with a fixed identity, dates and no user configuration.
type testRepo struct {
	tb  testing.TB
	dir string
}

func newTestRepo(tb testing.TB, args ...string) *testRepo {
	tb.Helper()
	requireGit(tb)
	r := &testRepo{tb: tb, dir: tb.TempDir()}
	r.git(append([]string{"-c", "init.defaultBranch=main", "init", "-q"}, args...)...)
	return r
}

func requireGit(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("git is not installed")
	}
}

// gitEnv isolates git from the user's configuration and fixes dates.
func gitEnv(date string) []string {
	if date == "" {
		date = "2022-01-10T12:00:00+01:00"
	}
	return append(os.Environ(),
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Test",
		"GIT_AUTHOR_EMAIL=test@example.org",
		"GIT_COMMITTER_NAME=Test",
		"GIT_COMMITTER_EMAIL=test@example.org",
		"GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_DATE="+date,
	)
}

// git runs git in the repository and returns its trimmed output.
func (r *testRepo) git(args ...string) string {
	r.tb.Helper()
	return r.gitAt("", args...)
}

// gitAt runs git with both dates set to date.
func (r *testRepo) gitAt(date string, args ...string) string {
	r.tb.Helper()
	return runGit(r.tb, r.dir, date, args...)
}

func runGit(tb testing.TB, dir, date string, args ...string) string {
	tb.Helper()
	cmd := gitCommand(dir, args...)
	cmd.Env = gitEnv(date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func gitCommand(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv("")
	return cmd
}

// commit stages everything and commits it at date.
func (r *testRepo) commit(date, msg string) string {
	r.tb.Helper()
	r.git("add", "-A")
	r.gitAt(date, "commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

// write creates or replaces files, given as path and content pairs.
func (r *testRepo) write(pathsAndData ...string) {
	r.tb.Helper()
	writeFiles(r.tb, r.dir, pathsAndData...)
}

func writeFiles(tb testing.TB, dir string, pathsAndData ...string) {
	tb.Helper()
	for i := 0; i+1 < len(pathsAndData); i += 2 {
		name := filepath.Join(dir, filepath.FromSlash(pathsAndData[i]))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(pathsAndData[i+1]), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

func (r *testRepo) path(rel string) string {
	return filepath.Join(r.dir, filepath.FromSlash(rel))
}

// listing renders files as "path=content" lines for comparison.
func listing(files []File) string {
	var b strings.Builder
	for _, f := range files {
		b.WriteString(f.Path + "=" + string(f.Data) + "\n")
	}
	return b.String()
}

func wantListing(tb testing.TB, s *Snapshot, want ...string) {
	tb.Helper()
	w := ""
	for i := 0; i+1 < len(want); i += 2 {
		w += want[i] + "=" + want[i+1] + "\n"
	}
	if got := listing(s.Files); got != w {
		tb.Errorf("files:\n%s\nwant:\n%s", got, w)
	}
}

func mustOpen(tb testing.TB, dir string) *Repo {
	tb.Helper()
	r, err := Open(dir)
	if err != nil {
		tb.Fatalf("Open(%s): %v", dir, err)
	}
	return r
}

func wantErr(tb testing.TB, err error, fragments ...string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("no error, want one containing %q", fragments)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			tb.Errorf("error %q does not contain %q", err, f)
		}
	}
}

func wantWarning(tb testing.TB, s *Snapshot, fragment string) {
	tb.Helper()
	for _, w := range s.Warnings {
		if strings.Contains(w, fragment) {
			return
		}
	}
	tb.Errorf("no warning contains %q; warnings: %q", fragment, s.Warnings)
}
