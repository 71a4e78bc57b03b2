package repository_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// historyRepo writes a repository of n commits with git fast-import: the
// rules, then commits that each add two traffic controls, dated one day
// after the other from 2019 and committed 0 to 14 days later, to the
// file of their month (monthly) or to one file that keeps growing.
func historyRepo(tb testing.TB, n int, monthly bool) string {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("git is not installed")
	}
	dir := tb.TempDir()
	run := func(stdin []byte, args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		cmd.Stdin = bytes.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run(nil, "-c", "init.defaultBranch=main", "init", "-q")
	var b bytes.Buffer
	files := map[string]string{}
	start := time.Date(2019, 1, 1, 12, 0, 0, 0, time.UTC)
	commit := func(mark int, when time.Time, msg string, changed ...string) {
		fmt.Fprintf(&b, "commit refs/heads/main\nmark :%d\ncommitter Anna <anna@polisen.se> %d +0100\ndata %d\n%s\n",
			mark, when.Unix(), len(msg), msg)
		if mark > 1 {
			fmt.Fprintf(&b, "from :%d\n", mark-1)
		}
		for _, p := range changed {
			fmt.Fprintf(&b, "M 100644 inline %s\ndata %d\n%s\n", p, len(files[p]), files[p])
		}
	}
	files["rules/activities.yaml"], files["rules/p.yaml"] = provVocab, provPromise
	commit(1, start, "regler", "rules/activities.yaml", "rules/p.yaml")
	for i := range n {
		day := start.AddDate(0, 0, i)
		p := "data/trafik.csv"
		if monthly {
			p = fmt.Sprintf("data/%d/%02d/trafik.csv", day.Year(), day.Month())
		}
		if files[p] == "" {
			files[p] = "date,type,by,form\n"
		}
		files[p] += fmt.Sprintf("%s,trafikkontroll,polisen,civil\n%s,trafikkontroll,polisen,uniformerad\n",
			day.Format(time.DateOnly), day.Format(time.DateOnly))
		commit(i+2, day.AddDate(0, 0, i%15).Add(time.Duration(i)*time.Second), fmt.Sprintf("kontroller %d", i), p)
	}
	run(b.Bytes(), "fast-import", "--quiet")
	run(nil, "checkout", "-q", "-f", "main")
	run(nil, "gc", "-q")
	return dir
}

func loadDir(tb testing.TB, dir string) (*repository.Repository, *source.Repo) {
	tb.Helper()
	src, err := source.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	snap, err := src.WorkTree()
	if err != nil {
		tb.Fatal(err)
	}
	return repository.Load(snap), src
}

// BenchmarkProvenance reads the provenance of every record of a history
// of 2,000 commits (4,000 records): cold (no cache), from the cache, and
// after one new commit; with monthly files and with one growing file
// (each commit's version of the file is read whole, so that case grows
// with the square of the history).
func BenchmarkProvenance(b *testing.B) {
	for _, layout := range []struct {
		name    string
		monthly bool
	}{{"monthly", true}, {"one-file", false}} {
		dir := historyRepo(b, 2000, layout.monthly)
		r, src := loadDir(b, dir)
		cache := filepath.Join(dir, ".git", "lofte")
		b.Run(layout.name+"/cold", func(b *testing.B) {
			for b.Loop() {
				if err := os.RemoveAll(cache); err != nil {
					b.Fatal(err)
				}
				p, err := r.ReadProvenance(src, 0)
				if err != nil || p.History.Walked != 2001 {
					b.Fatalf("%v, walked %d", err, p.History.Walked)
				}
			}
		})
		b.Run(layout.name+"/cached", func(b *testing.B) {
			for b.Loop() {
				p, err := r.ReadProvenance(src, 0)
				if err != nil || p.History.Walked != 0 {
					b.Fatalf("%v, walked %d", err, p.History.Walked)
				}
			}
		})
	}
}

// TestProvenanceGenerated checks the generated history: every record has
// the commit that added it, and the lag is what the generator made.
func TestProvenanceGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("a generated history")
	}
	dir := historyRepo(t, 300, true)
	r, src := loadDir(t, dir)
	p, err := r.ReadProvenance(src, 0)
	if err != nil {
		t.Fatal(err)
	}
	recs := r.Records.Of("trafikkontroll")
	if len(recs) != 600 {
		t.Fatalf("%d records", len(recs))
	}
	for i := range recs {
		c, ok := p.Origin(&recs[i])
		if !ok {
			t.Fatalf("%s has no commit", recs[i].Pos)
		}
		if want := fmt.Sprintf("kontroller %d", i/2); c.Subject != want {
			t.Fatalf("%s: %q, want %q", recs[i].Pos, c.Subject, want)
		}
	}
	if l := p.Lags["trafikkontroll"]; l.Median != 7 || l.P90 != 13 {
		t.Errorf("lag %+v", l)
	}
}
