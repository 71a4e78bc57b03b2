package source

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lofte/lofte/engine/privacy"
)

var testAuthor = Identity{Name: "Anna Andersson", Email: "anna@example.org", When: time.Date(2022, 9, 14, 10, 0, 0, 0, time.UTC)}

func appendLine(line string) func([]byte) ([]byte, error) {
	return func(old []byte) ([]byte, error) { return append(old, line+"\n"...), nil }
}

func update(tb testing.TB, r *Repo, path, line string, commit bool) (string, error) {
	tb.Helper()
	return r.UpdateFile(Update{Path: path, Edit: appendLine(line), Commit: commit, Message: "Ny post: " + line, Author: testAuthor})
}

func TestUpdateFileCommits(t *testing.T) {
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n", "data/2022/x.yaml", "- 1\n", "README.md", "läs\n")
	r.commit("", "första")
	r.write("README.md", "ändrad men inte incheckad\n", "rules/a.yaml", "b\n")
	r.git("add", "rules/a.yaml") // staged: must stay staged and out of the commit
	repo := mustOpen(t, r.dir)
	hash, err := update(t, repo, "data/2022/x.yaml", "- 2", true)
	if err != nil {
		t.Fatal(err)
	}
	if head := r.git("rev-parse", "HEAD"); head != hash {
		t.Errorf("HEAD %s, commit %s", head, hash)
	}
	if got := r.git("show", "--format=%an <%ae> %s", "--name-only", "HEAD"); got != "Anna Andersson <anna@example.org> Ny post: - 2\n\ndata/2022/x.yaml" {
		t.Errorf("commit:\n%s", got)
	}
	if got := r.git("show", "HEAD:data/2022/x.yaml"); got != "- 1\n- 2" {
		t.Errorf("committed file %q", got)
	}
	if got := r.git("status", "--porcelain"); got != "M README.md\nM  rules/a.yaml" {
		t.Errorf("status:\n%s", got)
	}
	r.git("fsck", "--strict")
	// A new file in a new folder.
	if _, err := update(t, repo, "data/2023/y.yaml", "- 3", true); err != nil {
		t.Fatal(err)
	}
	if got := r.git("show", "HEAD:data/2023/y.yaml"); got != "- 3" {
		t.Errorf("new file %q", got)
	}
	if got := r.git("log", "--format=%s"); got != "Ny post: - 3\nNy post: - 2\nförsta" {
		t.Errorf("log:\n%s", got)
	}
	r.git("fsck", "--strict")
	r.git("diff", "--quiet", "HEAD", "--", "data")
}

func TestUpdateFileRefuses(t *testing.T) {
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n", "data/x.yaml", "- 1\n", "data/y.yaml", "- 1\n")
	r.commit("", "första")
	repo := mustOpen(t, r.dir)

	// Changed, not committed.
	r.write("data/x.yaml", "- 1\n- hand\n")
	_, err := update(t, repo, "data/x.yaml", "- 2", true)
	wantErr(t, err, "data/x.yaml har ändringar som inte är incheckade", "--no-commit")
	if b, _ := os.ReadFile(r.path("data/x.yaml")); string(b) != "- 1\n- hand\n" {
		t.Errorf("file changed: %q", b)
	}
	// Without a commit it is fine.
	if h, err := update(t, repo, "data/x.yaml", "- 2", false); err != nil || h != "" {
		t.Fatalf("no commit: %q %v", h, err)
	}
	if b, _ := os.ReadFile(r.path("data/x.yaml")); string(b) != "- 1\n- hand\n- 2\n" {
		t.Errorf("file %q", b)
	}
	// Staged only.
	r.write("data/y.yaml", "- staged\n")
	r.git("add", "data/y.yaml")
	r.write("data/y.yaml", "- 1\n")
	_, err = update(t, repo, "data/y.yaml", "- 2", true)
	wantErr(t, err, "data/y.yaml har ändringar")
	r.git("reset", "-q")
	// Untracked.
	r.write("data/z.yaml", "- 1\n")
	_, err = update(t, repo, "data/z.yaml", "- 2", true)
	wantErr(t, err, "data/z.yaml har ändringar")
	os.Remove(r.path("data/z.yaml"))

	// An edit that fails writes nothing.
	_, err = repo.UpdateFile(Update{Path: "data/w.yaml", Commit: true, Author: testAuthor,
		Edit: func([]byte) ([]byte, error) { return nil, errors.New("nej") }})
	wantErr(t, err, "nej")
	if _, err := os.Stat(r.path("data/w.yaml")); err == nil {
		t.Error("data/w.yaml written")
	}
	if _, err := os.Stat(filepath.Join(r.dir, ".git", "index.lock")); err == nil {
		t.Error("index.lock left behind")
	}

	// A message with an identity number: nothing is written or committed.
	head := r.git("rev-parse", "HEAD")
	_, err = repo.UpdateFile(Update{Path: "data/w.yaml", Commit: true, Author: testAuthor,
		Message: "Kontroll 19811218–9876", Edit: appendLine("- 1")})
	wantErr(t, err, "personnummer")
	if privacy.ContainsIDNumber(err.Error()) {
		t.Errorf("error %q repeats the number", err)
	}
	if _, err := os.Stat(r.path("data/w.yaml")); err == nil {
		t.Error("data/w.yaml written")
	}
	if r.git("rev-parse", "HEAD") != head {
		t.Error("committed")
	}
	_, err = repo.CommitFiles([]string{"data/x.yaml"}, Update{Author: testAuthor, Message: "811218-9876"})
	wantErr(t, err, "personnummer")

	// During a merge.
	os.WriteFile(filepath.Join(r.dir, ".git", "MERGE_HEAD"), []byte(r.git("rev-parse", "HEAD")+"\n"), 0o644)
	_, err = update(t, repo, "data/w.yaml", "- 1", true)
	wantErr(t, err, "en sammanslagning (merge) pågår")
	os.Remove(filepath.Join(r.dir, ".git", "MERGE_HEAD"))
	os.MkdirAll(filepath.Join(r.dir, ".git", "rebase-merge"), 0o755)
	_, err = update(t, repo, "data/w.yaml", "- 1", true)
	wantErr(t, err, "en rebase pågår")
	os.RemoveAll(filepath.Join(r.dir, ".git", "rebase-merge"))

	// A lock held by someone else, past the timeout.
	defer func(d time.Duration) { LockTimeout = d }(LockTimeout)
	LockTimeout = 50 * time.Millisecond
	os.WriteFile(filepath.Join(r.dir, ".git", "index.lock"), nil, 0o644)
	_, err = update(t, repo, "data/w.yaml", "- 1", true)
	wantErr(t, err, "index.lock finns kvar")
}

// TestUpdateFileConcurrent: ten updates at once, each waiting for the
// index lock, give ten commits and lose no line, also with git committing
// another file at the same time.
func TestUpdateFileConcurrent(t *testing.T) {
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n", "data/x.yaml", "")
	r.commit("", "första")
	r.git("gc", "-q") // the branch in packed-refs
	repo := mustOpen(t, r.dir)
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range 10 {
		wg.Go(func() {
			_, errs[i] = update(t, repo, "data/x.yaml", fmt.Sprintf("- %d", i), true)
		})
	}
	wg.Go(func() {
		r.write("annat.txt", "1\n")
		cmd := gitCommand(r.dir, "-c", "core.filesRefLockTimeout=5000", "add", "annat.txt")
		for range 200 {
			if cmd.Run() == nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
			cmd = gitCommand(r.dir, "add", "annat.txt")
		}
	})
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(r.git("log", "--format=%s"), "\n") + 1; n != 11 {
		t.Errorf("%d commits, want 11", n)
	}
	committed := r.git("show", "HEAD:data/x.yaml")
	for i := range 10 {
		if !strings.Contains(committed, fmt.Sprintf("- %d", i)) {
			t.Errorf("line %d lost:\n%s", i, committed)
		}
	}
	r.git("fsck", "--strict")
	if st := r.git("status", "--porcelain", "--", "data"); st != "" {
		t.Errorf("status: %s", st)
	}
	if st := r.git("status", "--porcelain", "--", "annat.txt"); st != "A  annat.txt" {
		t.Errorf("the file git added is %q", st)
	}
}

func TestUpdateFileUnbornAndWorktree(t *testing.T) {
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n")
	repo := mustOpen(t, r.dir)
	if _, err := update(t, repo, "data/x.yaml", "- 1", true); err != nil {
		t.Fatal(err)
	}
	if got := r.git("log", "--format=%s", "main"); got != "Ny post: - 1" {
		t.Errorf("log %q", got)
	}
	// rules/a.yaml was never added: it stays untracked.
	if st := r.git("status", "--porcelain"); st != "?? rules/" {
		t.Errorf("status %q", st)
	}
	r.git("add", "rules")
	r.commit("", "regler")
	wt := filepath.Join(t.TempDir(), "wt")
	r.git("worktree", "add", "-q", "-b", "sido", wt)
	wrepo := mustOpen(t, wt)
	if _, err := update(t, wrepo, "data/x.yaml", "- 2", true); err != nil {
		t.Fatal(err)
	}
	if got := r.git("log", "--format=%s", "-1", "sido"); got != "Ny post: - 2" {
		t.Errorf("worktree branch: %q", got)
	}
	if got := r.git("log", "--format=%s", "-1", "main"); got != "regler" {
		t.Errorf("main moved: %q", got)
	}
	st := runGit(t, wt, "", "status", "--porcelain")
	if st != "" {
		t.Errorf("worktree status %q", st)
	}
}

func TestUpdateFilePlainFolder(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "rules/a.yaml", "a\n")
	repo := mustOpen(t, dir)
	if h, err := update(t, repo, "data/x.yaml", "- 1", true); err != nil || h != "" {
		t.Fatalf("%q %v", h, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "data/x.yaml")); string(b) != "- 1\n" {
		t.Errorf("%q", b)
	}
}

func TestInit(t *testing.T) {
	requireGit(t)
	dir := filepath.Join(t.TempDir(), "ny")
	writeFiles(t, dir, "rules/a.yaml", "a\n", "data/README.md", "data\n", "annat.txt", "inte med\n")
	hash, err := Init(dir, []string{"rules/a.yaml", "data/README.md"}, "Nytt förråd", testAuthor, Identity{})
	if err != nil {
		t.Fatal(err)
	}
	r := &testRepo{tb: t, dir: dir}
	if got := r.git("rev-parse", "HEAD"); got != hash {
		t.Errorf("HEAD %s, want %s", got, hash)
	}
	if got := r.git("symbolic-ref", "HEAD"); got != "refs/heads/main" {
		t.Errorf("branch %s", got)
	}
	if got := r.git("ls-tree", "-r", "--name-only", "HEAD"); got != "data/README.md\nrules/a.yaml" {
		t.Errorf("tree %q", got)
	}
	if st := r.git("status", "--porcelain"); st != "?? annat.txt" {
		t.Errorf("status %q", st)
	}
	r.git("fsck", "--strict")
}

func TestIdentities(t *testing.T) {
	r := newTestRepo(t)
	r.git("config", "user.name", "Bo Berg")
	r.git("config", "user.email", "bo@example.org")
	repo := mustOpen(t, r.dir)
	now := time.Date(2022, 9, 14, 10, 0, 0, 0, time.UTC)
	for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE"} {
		t.Setenv(k, "")
	}
	t.Setenv("HOME", t.TempDir())
	a, c, err := repo.Identities(now)
	if err != nil || a.Name != "Bo Berg" || a.Email != "bo@example.org" || !a.When.Equal(now) || c.Name != "Bo Berg" {
		t.Errorf("%+v %+v %v", a, c, err)
	}
	t.Setenv("GIT_AUTHOR_NAME", "Cia")
	t.Setenv("GIT_AUTHOR_DATE", "2022-01-02T03:04:05+01:00")
	a, c, _ = repo.Identities(now)
	if a.Name != "Cia" || a.Email != "bo@example.org" || a.When.Format(time.RFC3339) != "2022-01-02T03:04:05+01:00" || c.Name != "Bo Berg" {
		t.Errorf("%+v %+v", a, c)
	}
	r.git("config", "--unset", "user.name")
	t.Setenv("GIT_AUTHOR_NAME", "")
	_, _, err = repo.Identities(now)
	wantErr(t, err, "git config user.name")
	for _, s := range []string{"@1662026400 +0200", "2022-09-01 12:00:00 +0200", "Thu, 01 Sep 2022 12:00:00 +0200"} {
		if tm, ok := parseGitDate(s); !ok || tm.Unix() != 1662026400 {
			t.Errorf("%s: %v %v", s, tm, ok)
		}
	}
}

// Several files in one commit; an edit that fails puts back those made
// before it, and nothing is committed.
func TestUpdateFiles(t *testing.T) {
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n", "data/2022/x.yaml", "- 1\n")
	r.commit("", "första")
	repo := mustOpen(t, r.dir)
	head := r.git("rev-parse", "HEAD")
	_, err := repo.UpdateFiles([]FileEdit{
		{Path: "data/2022/x.yaml", Edit: appendLine("- 2")},
		{Path: "data/2023/y.yaml", Edit: appendLine("- 3")},
		{Path: "data/2024/z.yaml", Edit: func([]byte) ([]byte, error) { return nil, errors.New("nej") }},
	}, Update{Commit: true, Message: "tre", Author: testAuthor})
	wantErr(t, err, "nej")
	if got := r.git("rev-parse", "HEAD"); got != head {
		t.Error("a commit was made")
	}
	if got := r.git("status", "--porcelain", "--untracked-files=all"); got != "" {
		t.Errorf("left behind:\n%s", got)
	}
	hash, err := repo.UpdateFiles([]FileEdit{
		{Path: "data/2022/x.yaml", Edit: appendLine("- 2")},
		{Path: "data/2023/y.yaml", Edit: appendLine("- 3")},
	}, Update{Commit: true, Message: "två", Author: testAuthor})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.git("show", "--format=%s", "--name-only", hash); got != "två\n\ndata/2022/x.yaml\ndata/2023/y.yaml" {
		t.Errorf("commit:\n%s", got)
	}
	if got := r.git("status", "--porcelain"); got != "" {
		t.Errorf("status:\n%s", got)
	}
	r.git("fsck", "--strict")
}
