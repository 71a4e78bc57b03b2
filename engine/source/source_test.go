package source

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// baseRepo is a repository with one commit holding two rule files, two
// data files and dotfiles that must never be read.
func baseRepo(t *testing.T) *testRepo {
	t.Helper()
	r := newTestRepo(t)
	r.write(
		"rules/activities.yaml", "typer\n",
		"rules/mullsjo.yaml", "löfte\n",
		"data/2022/trafik.csv", "datum;plats\n",
		"data/2021/a.yaml", "- a\n",
		"data/.keep", "",
		"data/.cache/x.csv", "dold\n",
		"README.md", "utanför rules och data\n",
	)
	r.commit("2022-01-10T12:00:00+01:00", "första")
	return r
}

var baseFiles = []string{
	"data/2021/a.yaml", "- a\n",
	"data/2022/trafik.csv", "datum;plats\n",
	"rules/activities.yaml", "typer\n",
	"rules/mullsjo.yaml", "löfte\n",
}

func TestWorkTreeClean(t *testing.T) {
	r := baseRepo(t)
	s, err := mustOpen(t, r.dir).WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	wantListing(t, s, baseFiles...)
	if want := r.git("rev-parse", "HEAD"); s.Commit != want {
		t.Errorf("Commit = %q, want %q", s.Commit, want)
	}
	if s.Dirty || !s.Git || s.Root != r.dir || len(s.Warnings) != 0 {
		t.Errorf("Dirty=%v Git=%v Root=%q Warnings=%q, want clean git snapshot of %s", s.Dirty, s.Git, s.Root, s.Warnings, r.dir)
	}
}

func TestWorkTreeDirty(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *testRepo)
		dirty  bool
	}{
		{"unchanged", func(r *testRepo) {}, false},
		{"changed", func(r *testRepo) { r.write("data/2022/trafik.csv", "datum;plats\n2022-02-01;Mullsjö\n") }, true},
		{"same size change", func(r *testRepo) { r.write("rules/mullsjo.yaml", "LÖFTE\n") }, true},
		{"added", func(r *testRepo) { r.write("data/2022/ny.csv", "x\n") }, true},
		{"added and staged", func(r *testRepo) { r.write("data/2022/ny.csv", "x\n"); r.git("add", "-A") }, true},
		{"deleted", func(r *testRepo) { rm(t, r.path("rules/activities.yaml")) }, true},
		{"folder deleted", func(r *testRepo) { rm(t, r.path("data/2021")) }, true},
		{"dotfile changed", func(r *testRepo) { r.write("data/.keep", "x", "rules/.swp", "y") }, false},
		{"outside rules and data", func(r *testRepo) { r.write("README.md", "ändrad\n", "notes.csv", "x") }, false},
		{"mode changed", func(r *testRepo) {
			if err := os.Chmod(r.path("rules/mullsjo.yaml"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"ignored file added", func(r *testRepo) {
			r.write(".gitignore", "*.tmp\n", "data/2022/x.tmp", "utkast\n")
		}, false},
		{"ignored by info/exclude", func(r *testRepo) {
			r.write(".git/info/exclude", "utkast/\n", "data/utkast/y.csv", "z\n")
		}, false},
		{"tracked file matching an ignore rule, changed", func(r *testRepo) {
			r.write(".gitignore", "*.csv\n", "data/2022/trafik.csv", "ändrad\n")
		}, true},
		{"ignored file re-included", func(r *testRepo) {
			r.write("data/.gitignore", "*.tmp\n!viktig.tmp\n", "data/viktig.tmp", "x\n")
		}, true},
		{"ignored file staged with add -f", func(r *testRepo) {
			r.write(".gitignore", "*.tmp\n", "data/x.tmp", "x\n")
			r.git("add", "-f", "data/x.tmp")
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := baseRepo(t)
			tt.change(r)
			s, err := mustOpen(t, r.dir).WorkTree()
			if err != nil {
				t.Fatal(err)
			}
			if s.Dirty != tt.dirty {
				t.Errorf("Dirty = %v, want %v (files:\n%s)", s.Dirty, tt.dirty, listing(s.Files))
			}
			if s.Commit != r.git("rev-parse", "HEAD") {
				t.Errorf("Commit = %q, want HEAD", s.Commit)
			}
		})
	}
}

func rm(t *testing.T, name string) {
	t.Helper()
	if err := os.RemoveAll(name); err != nil {
		t.Fatal(err)
	}
}

func TestWorkTreeIgnoredNotRead(t *testing.T) {
	r := baseRepo(t)
	r.write(".gitignore", "*.tmp\nprivat/\n", "data/x.tmp", "utkast\n", "data/privat/p.csv", "hemligt\n")
	s, err := mustOpen(t, r.dir).WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	wantListing(t, s, baseFiles...)
	wantWarning(t, s, "data/x.tmp ignoreras av git")
	wantWarning(t, s, "mappen data/privat ignoreras av git")
}

func TestWorkTreeMatchesRevisionHead(t *testing.T) {
	r := baseRepo(t)
	repo := mustOpen(t, r.dir)
	wt, err := repo.WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Revision("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if listing(wt.Files) != listing(head.Files) || wt.Commit != head.Commit {
		t.Errorf("working tree %s\n%s\ndiffers from HEAD %s\n%s", wt.Commit, listing(wt.Files), head.Commit, listing(head.Files))
	}
	if head.Dirty {
		t.Error("a revision is never dirty")
	}
}

func TestWorkTreeNoCommits(t *testing.T) {
	r := newTestRepo(t)
	repo := mustOpen(t, r.dir)
	s, err := repo.WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	if s.Commit != "" || s.Dirty || !s.Git {
		t.Errorf("empty repository: Commit=%q Dirty=%v Git=%v, want \"\" false true", s.Commit, s.Dirty, s.Git)
	}
	r.write("rules/a.yaml", "a\n")
	if s, err = repo.WorkTree(); err != nil {
		t.Fatal(err)
	}
	wantListing(t, s, "rules/a.yaml", "a\n")
	if s.Commit != "" || !s.Dirty {
		t.Errorf("files without commit: Commit=%q Dirty=%v, want \"\" true", s.Commit, s.Dirty)
	}
	_, err = repo.Revision("HEAD")
	wantErr(t, err, "inga commits", r.dir)
	_, err = repo.KnownAt(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	wantErr(t, err, "inga commits", r.dir)
}

func TestRevision(t *testing.T) {
	r := baseRepo(t)
	first := r.git("rev-parse", "HEAD")
	r.git("tag", "v1")
	r.gitAt("2022-01-11T12:00:00+01:00", "tag", "-a", "-m", "annoterad", "v1a")
	r.write("data/2022/trafik.csv", "ändrad\n", "rules/ny.yaml", "ny\n")
	rm(t, r.path("rules/activities.yaml"))
	second := r.commit("2022-02-01T12:00:00+01:00", "andra")
	r.write("data/2022/trafik.csv", "ej committad\n")

	firstFiles := baseFiles
	secondFiles := []string{
		"data/2021/a.yaml", "- a\n",
		"data/2022/trafik.csv", "ändrad\n",
		"rules/mullsjo.yaml", "löfte\n",
		"rules/ny.yaml", "ny\n",
	}
	tests := []struct {
		rev    string
		commit string
		files  []string
	}{
		{"HEAD", second, secondFiles},
		{"main", second, secondFiles},
		{"HEAD~1", first, firstFiles},
		{"HEAD^", first, firstFiles},
		{"v1", first, firstFiles},
		{"v1a", first, firstFiles},
		{"refs/tags/v1", first, firstFiles},
		{first[:7], first, firstFiles},
		{first, first, firstFiles},
		{second[:10], second, secondFiles},
	}
	repo := mustOpen(t, r.dir)
	for _, tt := range tests {
		t.Run(tt.rev, func(t *testing.T) {
			s, err := repo.Revision(tt.rev)
			if err != nil {
				t.Fatal(err)
			}
			if s.Commit != tt.commit || s.Dirty || !s.Git || s.Root != r.dir {
				t.Errorf("Commit=%q Dirty=%v Git=%v Root=%q, want %q false true %q", s.Commit, s.Dirty, s.Git, s.Root, tt.commit, r.dir)
			}
			wantListing(t, s, tt.files...)
		})
	}
}

func TestRevisionUnknown(t *testing.T) {
	r := baseRepo(t)
	repo := mustOpen(t, r.dir)
	for _, rev := range []string{"finns-inte", "HEAD~5", "HEAD^2", "deadbeef", "", "^", "~", "HEAD^{tree}", "a..b", "HEAD~-1"} {
		s, err := repo.Revision(rev)
		if err == nil {
			t.Errorf("Revision(%q) = %s, want an error", rev, s.Commit)
			continue
		}
		wantErr(t, err, "okänd revision", "HEAD~1")
	}
	for _, rev := range []string{"HEAD@{1}", "main@{yesterday}", "main:rules/a.yaml", "@{-1}", "HEAD@{", ":/x"} {
		_, err := repo.Revision(rev)
		wantErr(t, err, "stöder", "--known-at")
	}
}

func TestRevisionMergeSecondParent(t *testing.T) {
	r := mergeRepo(t)
	s, err := mustOpen(t, r.dir).Revision("main^2")
	if err != nil {
		t.Fatal(err)
	}
	if want := r.git("rev-parse", "gren"); s.Commit != want {
		t.Errorf("main^2 = %s, want %s", s.Commit, want)
	}
}

// mergeRepo has a first-parent history c1 (2022-01-10), c2 (2022-03-01) and
// a merge (2022-04-01) of a branch gren with one commit dated 2022-02-01.
func mergeRepo(t *testing.T) *testRepo {
	t.Helper()
	r := newTestRepo(t)
	r.write("rules/a.yaml", "c1\n")
	r.commit("2022-01-10T12:00:00+01:00", "c1")
	r.git("branch", "gren")
	r.write("rules/a.yaml", "c2\n")
	r.commit("2022-03-01T12:00:00+01:00", "c2")
	r.git("checkout", "-q", "gren")
	r.write("data/g.csv", "gren\n")
	r.commit("2022-02-01T12:00:00+01:00", "g1")
	r.git("checkout", "-q", "main")
	r.gitAt("2022-04-01T12:00:00+02:00", "merge", "-q", "--no-ff", "-m", "merge", "gren")
	return r
}

func TestKnownAt(t *testing.T) {
	r := mergeRepo(t)
	sthlm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	// midnight after the asked day, as the caller passes it
	after := func(day string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, day, sthlm)
		if err != nil {
			t.Fatal(err)
		}
		return d.AddDate(0, 0, 1)
	}
	repo := mustOpen(t, r.dir)
	tests := []struct {
		day  string
		rev  string
		data string
	}{
		{"2022-01-10", "main~2", "c1\n"},
		// gren's commit (2022-02-01) is older than the merge but not on
		// the first-parent history: c1 is the answer.
		{"2022-02-15", "main~2", "c1\n"},
		{"2022-03-01", "main~1", "c2\n"},
		{"2022-03-31", "main~1", "c2\n"},
		{"2022-04-01", "main", "c2\n"},
		{"2030-01-01", "main", "c2\n"},
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			s, err := repo.KnownAt(after(tt.day))
			if err != nil {
				t.Fatal(err)
			}
			if want := r.git("rev-parse", tt.rev); s.Commit != want {
				t.Errorf("KnownAt(%s) = %s, want %s (%s)", tt.day, s.Commit, tt.rev, want)
			}
			if len(s.Files) == 0 || string(s.Files[len(s.Files)-1].Data) != tt.data {
				t.Errorf("files:\n%s", listing(s.Files))
			}
		})
	}
	_, err = repo.KnownAt(after("2022-01-09"))
	wantErr(t, err, "2022-01-09", "2022-01-10")
}

func TestPlainFolder(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "rules/a.yaml", "a\n", "data/b.csv", "b\n", "data/.dold", "x")
	repo := mustOpen(t, dir)
	s, err := repo.WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	wantListing(t, s, "data/b.csv", "b\n", "rules/a.yaml", "a\n")
	if s.Git || s.Commit != "" || s.Dirty || s.Root != dir {
		t.Errorf("Git=%v Commit=%q Dirty=%v Root=%q, want a plain folder %s", s.Git, s.Commit, s.Dirty, s.Root, dir)
	}
	if want := "inget git-förråd hittades i " + dir + ": läser mappen som den är, utan commit"; len(s.Warnings) != 1 || s.Warnings[0] != want {
		t.Errorf("Warnings = %q, want [%q]", s.Warnings, want)
	}
	_, err = repo.Revision("HEAD")
	wantErr(t, err, "--rev kräver ett git-förråd", dir)
	_, err = repo.KnownAt(time.Now())
	wantErr(t, err, "--known-at kräver ett git-förråd", dir)
}

func TestOpenMissingFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "saknas")
	_, err := Open(dir)
	wantErr(t, err, dir, "finns inte")
}

func TestRootInSubfolder(t *testing.T) {
	r := newTestRepo(t)
	r.write("go.mod", "module x\n")
	r.commit("2022-01-01T12:00:00+01:00", "före kommunerna")
	r.write(
		"rules/annat.yaml", "inte vårt\n",
		"kommuner/mullsjo/rules/a.yaml", "a\n",
		"kommuner/mullsjo/data/2022/b.csv", "b\n",
		"kommuner/habo/rules/h.yaml", "h\n",
	)
	first := r.commit("2022-01-10T12:00:00+01:00", "första")
	r.write("kommuner/mullsjo/data/2022/b.csv", "b2\n", "kommuner/habo/rules/h.yaml", "h2\n")
	r.commit("2022-02-10T12:00:00+01:00", "andra")

	root := r.path("kommuner/mullsjo")
	for _, dir := range []string{root, r.path("kommuner/mullsjo/data/2022"), r.path("kommuner/mullsjo/rules")} {
		repo := mustOpen(t, dir)
		if repo.Root() != root {
			t.Errorf("Open(%s).Root() = %s, want %s", dir, repo.Root(), root)
		}
	}
	repo := mustOpen(t, r.path("kommuner/mullsjo/data"))
	wt, err := repo.WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	wantListing(t, wt, "data/2022/b.csv", "b2\n", "rules/a.yaml", "a\n")
	if wt.Dirty {
		t.Error("clean subfolder root reported dirty")
	}
	old, err := repo.Revision(first[:8])
	if err != nil {
		t.Fatal(err)
	}
	wantListing(t, old, "data/2022/b.csv", "b\n", "rules/a.yaml", "a\n")
	before, err := repo.Revision("HEAD~2")
	if err != nil {
		t.Fatal(err)
	}
	wantListing(t, before)
	wantWarning(t, before, "mappen kommuner/mullsjo fanns inte i commit")

	// A change elsewhere in the git work tree does not make this root dirty.
	r.write("kommuner/habo/rules/h.yaml", "h3\n")
	if wt, err = repo.WorkTree(); err != nil || wt.Dirty {
		t.Errorf("change outside the root: Dirty=%v err=%v, want clean", wt.Dirty, err)
	}

	// A folder without rules/ below the top: the git top holds rules/.
	if got := mustOpen(t, r.path("kommuner")).Root(); got != r.dir {
		t.Errorf("Open(kommuner).Root() = %s, want the top %s", got, r.dir)
	}
}

func TestRootNotFoundAboveTop(t *testing.T) {
	outer := t.TempDir()
	writeFiles(t, outer, "rules/a.yaml", "utanför förrådet\n")
	inner := filepath.Join(outer, "repo")
	runGit(t, outer, "", "-c", "init.defaultBranch=main", "init", "-q", inner)
	writeFiles(t, inner, "data/x/b.csv", "b\n")
	dir := filepath.Join(inner, "data", "x")
	if got := mustOpen(t, dir).Root(); got != dir {
		t.Errorf("Root() = %s, want %s: the search stops at the git top", got, dir)
	}
}

func TestPlainFolderNoUpwardSearch(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "rules/a.yaml", "a\n", "data/x/b.csv", "b\n")
	sub := filepath.Join(dir, "data")
	if got := mustOpen(t, sub).Root(); got != sub {
		t.Errorf("Root() = %s, want %s", got, sub)
	}
}

func TestLinkedWorktree(t *testing.T) {
	r := baseRepo(t)
	wtDir := filepath.Join(t.TempDir(), "arbete")
	r.git("worktree", "add", "-q", "-b", "gren", wtDir)
	writeFiles(t, wtDir, "data/2022/ny.csv", "ny\n")
	runGit(t, wtDir, "", "add", "-A")
	runGit(t, wtDir, "2022-03-01T12:00:00+01:00", "commit", "-q", "-m", "i arbetskatalogen")
	writeFiles(t, wtDir, "data/2022/osparad.csv", "x\n")

	repo := mustOpen(t, filepath.Join(wtDir, "data"))
	if repo.Root() != wtDir {
		t.Errorf("Root() = %s, want %s", repo.Root(), wtDir)
	}
	s, err := repo.WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	if want := runGit(t, wtDir, "", "rev-parse", "HEAD"); s.Commit != want {
		t.Errorf("Commit = %s, want the worktree's HEAD %s", s.Commit, want)
	}
	if !s.Dirty {
		t.Error("untracked file in the linked worktree not reported")
	}
	main, err := repo.Revision("main")
	if err != nil {
		t.Fatal(err)
	}
	wantListing(t, main, baseFiles...)
	head, err := repo.Revision("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if len(head.Files) != len(baseFiles)/2+1 {
		t.Errorf("HEAD of the linked worktree:\n%s", listing(head.Files))
	}
}

func TestSHA256Repository(t *testing.T) {
	requireGit(t)
	dir := t.TempDir()
	cmd := []string{"-c", "init.defaultBranch=main", "init", "-q", "--object-format=sha256"}
	if out, err := gitCommand(dir, cmd...).CombinedOutput(); err != nil {
		t.Skipf("git cannot make a SHA-256 repository: %v %s", err, out)
	}
	writeFiles(t, dir, "rules/a.yaml", "a\n")
	runGit(t, dir, "", "add", "-A")
	runGit(t, dir, "", "commit", "-q", "-m", "sha256")
	for _, from := range []string{dir, filepath.Join(dir, "rules")} {
		_, err := Open(from)
		wantErr(t, err, "git-förrådet i "+dir+" ", "SHA-256", "SHA-1")
	}
}

func TestBrokenGitFolder(t *testing.T) {
	r := baseRepo(t)
	r.write(".git/config", "[core\nbrutet")
	_, err := Open(r.path("data"))
	wantErr(t, err, "kan inte läsa git-förrådet i "+r.dir, "git fsck")
}

func TestEmptyGitFolder(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "rules/a.yaml", "a\n")
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Open(filepath.Join(dir, "rules"))
	wantErr(t, err, dir+" har en .git som inte är ett fungerande git-förråd")
}

// Symbolic links (docs/design.md, "Symbolic links"): a target under rules/
// or data/ is read there only, a file elsewhere in the root is read once,
// as its first link, and a target outside the root is an unread file (an
// error), never dropped with a warning alone; the working tree and a
// commit alike.
func TestSymlinks(t *testing.T) {
	outer := t.TempDir()
	writeFiles(t, outer, "hemlig.csv", "utanför\n")
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n", "delad/gemensam.yaml", "gemensam\n", "data/2022/a.csv", "poster\n")
	links := map[string]string{
		"data/ut.csv":         filepath.Join(outer, "hemlig.csv"),
		"data/ut-relativ.csv": "../../" + filepath.Base(outer) + "/hemlig.csv",
		"data/in.yaml":        "../delad/gemensam.yaml",
		"data/kedja.yaml":     "in.yaml",
		"data/kopia.csv":      "2022/a.csv",
		"data/mapp":           "../delad",
		"data/ar":             "2022",
		"data/trasig.csv":     "finns-inte.csv",
	}
	for name, target := range links {
		if err := os.Symlink(target, r.path(name)); err != nil {
			t.Fatal(err)
		}
	}
	r.commit("2022-01-10T12:00:00+01:00", "länkar")
	repo := mustOpen(t, r.dir)
	wt, err := repo.WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Revision("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Snapshot{wt, head} {
		wantListing(t, s, "data/2022/a.csv", "poster\n", "data/in.yaml", "gemensam\n", "rules/a.yaml", "a\n")
		wantWarning(t, s, "data/kopia.csv är en symbolisk länk till data/2022/a.csv, som läses som den är, och läses inte en gång till")
		wantWarning(t, s, "data/ar är en symbolisk länk till data/2022, som läses som den är")
		wantWarning(t, s, "data/kedja.yaml är en symbolisk länk till delad/gemensam.yaml, som redan läses som data/in.yaml")
		wantWarning(t, s, "data/trasig.csv är en symbolisk länk till finns-inte.csv, som inte finns")
		if len(s.Warnings) != 4 {
			t.Errorf("warnings: %q", s.Warnings)
		}
		var unread []string
		for _, u := range s.Unread {
			unread = append(unread, u.Path+": "+u.Message)
		}
		want := []string{
			"data/mapp: mappen är en symbolisk länk till delad och läses inte: flytta filerna hit i stället för att länka",
			"data/ut-relativ.csv: filen är en symbolisk länk till ../../" + filepath.Base(outer) + "/hemlig.csv, utanför " + r.dir +
				", och läses inte: flytta eller kopiera hit det länken pekar på",
			"data/ut.csv: filen är en symbolisk länk till " + filepath.Join(outer, "hemlig.csv") + ", utanför " + r.dir +
				", och läses inte: flytta eller kopiera hit det länken pekar på",
		}
		slices.Sort(unread)
		if !slices.Equal(unread, want) {
			t.Errorf("unread:\n%s\nwant:\n%s", strings.Join(unread, "\n"), strings.Join(want, "\n"))
		}
	}
	if wt.Dirty {
		t.Error("committed symbolic links reported dirty")
	}
	r.write("delad/gemensam.yaml", "ändrad\n")
	if wt, err = repo.WorkTree(); err != nil || !wt.Dirty {
		t.Errorf("change behind a link: Dirty=%v err=%v, want dirty", wt.Dirty, err)
	}
}

// A data/ that is a symbolic link out of the root is an error naming it,
// in the working tree and in a commit.
func TestDataLinkOutside(t *testing.T) {
	outer := t.TempDir()
	writeFiles(t, outer, "data/a.csv", "poster\n")
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n")
	if err := os.Symlink(filepath.Join(outer, "data"), r.path("data")); err != nil {
		t.Fatal(err)
	}
	r.commit("2022-01-10T12:00:00+01:00", "länkad data")
	repo := mustOpen(t, r.dir)
	wt, err := repo.WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Revision("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Snapshot{wt, head} {
		if len(s.Unread) != 1 || s.Unread[0].Path != "data" || !strings.Contains(s.Unread[0].Message, "mappen är en symbolisk länk till "+filepath.Join(outer, "data")+", utanför") {
			t.Errorf("unread: %+v", s.Unread)
		}
	}
}

func TestShallowClone(t *testing.T) {
	r := mergeRepo(t)
	clone := filepath.Join(t.TempDir(), "grund")
	runGit(t, r.dir, "", "clone", "-q", "--depth", "1", "file://"+r.dir, clone)
	repo := mustOpen(t, clone)
	if _, err := repo.Revision("HEAD"); err != nil {
		t.Fatal(err)
	}
	_, err := repo.Revision("HEAD~1")
	wantErr(t, err, "grund klon", "git fetch --unshallow")
	_, err = repo.KnownAt(time.Date(2022, 3, 2, 0, 0, 0, 0, time.UTC))
	wantErr(t, err, "grund klon", "git fetch --unshallow")
}

func TestSurvivesGC(t *testing.T) {
	r := baseRepo(t)
	repo := mustOpen(t, r.dir)
	if _, err := repo.Revision("HEAD"); err != nil {
		t.Fatal(err)
	}
	r.write("rules/b.yaml", "b\n")
	r.commit("2022-01-11T12:00:00+01:00", "b")
	r.git("gc", "-q", "--prune=now")
	s, err := repo.Revision("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Files) != len(baseFiles)/2+1 {
		t.Errorf("after gc:\n%s", listing(s.Files))
	}
}

func TestMissingRules(t *testing.T) {
	r := newTestRepo(t)
	r.write("data/a.csv", "a\n")
	r.commit("", "utan regler")
	repo := mustOpen(t, r.dir)
	wt, err := repo.WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	wantWarning(t, wt, "ingen mapp rules/")
	head, err := repo.Revision("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	wantWarning(t, head, "ingen mapp rules/")
	if !strings.HasPrefix(listing(head.Files), "data/a.csv=") {
		t.Errorf("files:\n%s", listing(head.Files))
	}
}
