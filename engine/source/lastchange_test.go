package source

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// lastChanges runs LastChanges and renders "path=short subject" lines.
func lastChanges(tb testing.TB, r *Repo, rev string, paths ...string) string {
	tb.Helper()
	got, err := r.LastChanges(rev, paths)
	if err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	for _, p := range paths {
		if c, ok := got[p]; ok {
			fmt.Fprintf(&b, "%s=%s\n", p, c.Subject)
		} else {
			fmt.Fprintf(&b, "%s=-\n", p)
		}
	}
	return b.String()
}

func TestLastChangesLinear(t *testing.T) {
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a1", "data/2022/x.csv", "x1", "data/2022/y.csv", "y1")
	r.commit("2022-01-10T12:00:00+01:00", "första")
	r.write("data/2022/x.csv", "x2")
	r.commit("2022-01-11T12:00:00+01:00", "x ändras")
	r.write("data/2023/z.csv", "z1")
	r.commit("2022-01-12T12:00:00+01:00", "z läggs till")
	r.write("data/2022/y.csv", "y2")
	r.commit("2022-01-13T12:00:00+01:00", "y ändras")
	r.write("data/2022/y.csv", "y1")
	r.commit("2022-01-14T12:00:00+01:00", "y tillbaka")
	repo := mustOpen(t, r.dir)
	got := lastChanges(t, repo, "", "rules/a.yaml", "data/2022/x.csv", "data/2022/y.csv", "data/2023/z.csv", "data/saknas.csv")
	want := "rules/a.yaml=första\ndata/2022/x.csv=x ändras\ndata/2022/y.csv=y tillbaka\ndata/2023/z.csv=z läggs till\ndata/saknas.csv=-\n"
	if got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
	// At an older revision.
	got = lastChanges(t, repo, "HEAD~3", "data/2022/x.csv", "data/2022/y.csv", "data/2023/z.csv")
	want = "data/2022/x.csv=x ändras\ndata/2022/y.csv=första\ndata/2023/z.csv=-\n"
	if got != want {
		t.Errorf("at HEAD~3 got\n%swant\n%s", got, want)
	}
	c, _ := repo.LastChanges("", []string{"rules/a.yaml"})
	ch := c["rules/a.yaml"]
	if ch.Author != "Test" || ch.Email != "test@example.org" || ch.When.Format(time.RFC3339) != "2022-01-10T12:00:00+01:00" ||
		len(ch.Short()) != 7 || ch.Blob != BlobHash([]byte("a1")) {
		t.Errorf("change %+v", ch)
	}
}

// TestLastChangesMerge: a file changed on a side branch is the side
// branch's commit, not the merge's; a file whose side-branch version was
// overwritten in the merge is the merge's; a newer side-branch version
// that did not win is passed over.
func TestLastChangesMerge(t *testing.T) {
	r := newTestRepo(t)
	r.write("data/a.csv", "a1", "data/b.csv", "b1", "data/c.csv", "c1")
	r.commit("2022-01-10T12:00:00+01:00", "bas")
	r.git("checkout", "-q", "-b", "sido")
	r.write("data/a.csv", "a-sido")
	r.commit("2022-01-11T12:00:00+01:00", "a på sidan")
	r.write("data/c.csv", "c-sido")
	r.commit("2022-01-14T12:00:00+01:00", "c på sidan, nyast")
	r.git("checkout", "-q", "main")
	r.write("data/b.csv", "b-main", "data/c.csv", "c-main")
	r.commit("2022-01-12T12:00:00+01:00", "b och c på main")
	cmd := gitCommand(r.dir, "merge", "-q", "--no-ff", "-m", "sammanslagning", "sido")
	cmd.Env = gitEnv("2022-01-15T12:00:00+01:00")
	_ = cmd.Run() // conflict in c.csv, resolved below
	r.write("data/c.csv", "c-main")
	r.git("add", "data/c.csv")
	r.gitAt("2022-01-15T12:00:00+01:00", "commit", "-q", "--no-edit")
	got := lastChanges(t, mustOpen(t, r.dir), "", "data/a.csv", "data/b.csv", "data/c.csv")
	want := "data/a.csv=a på sidan\ndata/b.csv=b och c på main\ndata/c.csv=b och c på main\n"
	if got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
}

// TestLastChangesSubfolder: the commitments root in a subfolder of the
// work tree.
func TestLastChangesSubfolder(t *testing.T) {
	r := newTestRepo(t)
	r.write("loften/rules/a.yaml", "a1", "loften/data/x.csv", "x1", "annat.txt", "1")
	r.commit("2022-01-10T12:00:00+01:00", "första")
	r.write("loften/data/x.csv", "x2", "annat.txt", "2")
	r.commit("2022-01-11T12:00:00+01:00", "andra")
	got := lastChanges(t, mustOpen(t, r.path("loften")), "", "rules/a.yaml", "data/x.csv")
	if want := "rules/a.yaml=första\ndata/x.csv=andra\n"; got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
}

// TestLastChangesAgainstGit compares with `git log -1 -- path` on a
// longer history with merges.
func TestLastChangesAgainstGit(t *testing.T) {
	r := manyCommits(t, 300, 40)
	repo := mustOpen(t, r.dir)
	var paths []string
	for i := range 40 {
		paths = append(paths, manyPath(i))
	}
	got, err := repo.LastChanges("", paths)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		want := r.git("log", "-1", "--format=%H", "--", p)
		if got[p].Hash != want {
			t.Errorf("%s: %s, git says %s", p, got[p].Hash, want)
		}
	}
}

func manyPath(i int) string { return fmt.Sprintf("data/%d/%02d/typ%02d.csv", 2020+i%4, i%12+1, i) }

// manyCommits writes a repository of n commits, each changing one of files
// files (and every 50th a merge of a short side branch), with git
// fast-import.
func manyCommits(tb testing.TB, n, files int) *testRepo {
	tb.Helper()
	r := newTestRepo(tb)
	var b bytes.Buffer
	when := time.Date(2020, 1, 1, 12, 0, 0, 0, time.UTC).Unix()
	mark := 0
	commit := func(branch, msg string, from int, merge int, path, data string) int {
		mark++
		when += 3600
		fmt.Fprintf(&b, "commit refs/heads/%s\nmark :%d\nauthor Test <test@example.org> %d +0100\ncommitter Test <test@example.org> %d +0100\n", branch, mark, when, when)
		fmt.Fprintf(&b, "data %d\n%s\n", len(msg), msg)
		if from > 0 {
			fmt.Fprintf(&b, "from :%d\n", from)
		}
		if merge > 0 {
			fmt.Fprintf(&b, "merge :%d\n", merge)
		}
		if path != "" {
			fmt.Fprintf(&b, "M 100644 inline %s\ndata %d\n%s\n", path, len(data), data)
		}
		return mark
	}
	var head int
	for i := range files {
		head = commit("main", fmt.Sprintf("fil %d", i), head, 0, manyPath(i), "date,type,by\n")
	}
	head = commit("main", "regler", head, 0, "rules/a.yaml", "promise: a\n")
	for i := 0; i < n; i++ {
		row := fmt.Sprintf("date,type,by\n2022-01-01,t,polisen # %d\n", i)
		if i%50 == 49 {
			// The merge takes the side branch's version of the file.
			side := commit("sido", fmt.Sprintf("sido %d", i), head, 0, manyPath((i*7)%files), row+"sido\n")
			head = commit("main", fmt.Sprintf("merge %d", i), head, side, manyPath((i*7)%files), row+"sido\n")
			continue
		}
		head = commit("main", fmt.Sprintf("ändring %d", i), head, 0, manyPath((i*7)%files), row)
	}
	cmd := gitCommand(r.dir, "fast-import", "--quiet")
	cmd.Stdin = &b
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("fast-import: %v\n%s", err, out)
	}
	r.git("checkout", "-q", "-f", "main")
	return r
}

// BenchmarkLastChanges finds the last commit of files in a history of
// 2,000 commits (packed): 100 files changed recently, and the same with a
// file last changed in the first commits, which makes the walk go through
// the whole history. It is one walk however many files are asked for.
func BenchmarkLastChanges(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git is not installed")
	}
	r := manyCommits(b, 2000, 100)
	r.git("gc", "-q")
	repo := mustOpen(b, r.dir)
	var recent []string
	for i := range 100 {
		recent = append(recent, manyPath(i))
	}
	for _, bc := range []struct {
		name  string
		paths []string
	}{{"recent", recent}, {"whole-history", append(recent, "rules/a.yaml")}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				got, err := repo.LastChanges("", bc.paths)
				if err != nil {
					b.Fatal(err)
				}
				if len(got) != len(bc.paths) {
					b.Fatalf("%d found", len(got))
				}
			}
		})
	}
}
