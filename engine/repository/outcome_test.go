package repository_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/history"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
	"github.com/lofte/lofte/internal/testrepo"
)

// outcomeRepo is a generated repository read as lofte reads it: through
// a Loader with the parse cache, so that changed files have their blob id.
type outcomeRepo struct {
	t   *testing.T
	dir string
	src *source.Repo
}

func (o *outcomeRepo) git(args ...string) {
	o.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = o.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.org", "GIT_COMMITTER_NAME=Test",
		"GIT_COMMITTER_EMAIL=test@example.org", "GIT_AUTHOR_DATE=2022-07-04T10:00:00+02:00",
		"GIT_COMMITTER_DATE=2022-07-04T10:00:00+02:00")
	if out, err := cmd.CombinedOutput(); err != nil {
		o.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func (o *outcomeRepo) load() *repository.Repository {
	o.t.Helper()
	snap, err := o.src.WorkTree()
	if err != nil {
		o.t.Fatal(err)
	}
	l := repository.NewLoader()
	l.UseCache(repository.NewParseCache(filepath.Join(o.src.CacheDir(), "parsed")))
	return l.Load(snap)
}

// appendCopy appends to the CSV file rel a copy of its last line (the
// same record again) and reports the file's bytes before.
func (o *outcomeRepo) appendCopy(rel string) {
	o.t.Helper()
	name := filepath.Join(o.dir, filepath.FromSlash(rel))
	data, err := os.ReadFile(name)
	if err != nil {
		o.t.Fatal(err)
	}
	body := bytes.TrimRight(data, "\r\n")
	last := data[bytes.LastIndexByte(body, '\n')+1:]
	if err := os.WriteFile(name, append(data, last...), 0o644); err != nil {
		o.t.Fatal(err)
	}
}

func (o *outcomeRepo) cacheFile() string { return filepath.Join(o.src.CacheDir(), "outcome.bin") }

var (
	outcomeAsOf   = day("2022-06-30")
	outcomeKnown  = day("2022-07-10")
	outcomePeriod = calendar.Period{First: 2022, Last: 2022}
)

// check compares what ReadLags gives, first as it finds the cache
// (wantPartial: from the cache), then again (from the cache, which the
// first read left fitting), with the full reading of history (history.Read,
// which uses no outcome cache): the same lags, known day, commit of every
// record and statuses.
func (o *outcomeRepo) check(name string, wantPartial bool) {
	o.t.Helper()
	for i, want := range []bool{wantPartial, true} {
		r := o.load()
		full, err := history.Read(o.src, r.Snapshot, r.Vocab, r.Records, outcomeKnown)
		if err != nil {
			o.t.Fatal(err)
		}
		fast, err := r.ReadLags(o.src, outcomeKnown)
		if err != nil {
			o.t.Fatal(err)
		}
		if fast.Partial() != want {
			o.t.Errorf("%s, read %d: from the cache %v, want %v", name, i+1, fast.Partial(), want)
		}
		if !reflect.DeepEqual(fast.Lags, full.Lags) || fast.Known != full.Known {
			o.t.Errorf("%s, read %d: lags %v known %v, want %v known %v", name, i+1, fast.Lags, fast.Known, full.Lags, full.Known)
		}
		if len(full.Lags) == 0 {
			o.t.Errorf("%s: no lags measured: the test measures nothing", name)
		}
		n, diff := 0, 0
		for _, typ := range r.Records.Types() {
			recs := r.Records.Of(typ)
			for j := range recs {
				a, aok := fast.Origin(&recs[j])
				b, bok := full.Origin(&recs[j])
				if bok {
					n++
				}
				if aok != bok || a.Hash != b.Hash || a.Author != b.Author || a.Email != b.Email ||
					a.Subject != b.Subject || !a.When.Equal(b.When) {
					if diff++; diff <= 3 {
						o.t.Errorf("%s, read %d: %s: origin %+v %v, want %+v %v", name, i+1, recs[j].Pos, a, aok, b, bok)
					}
				}
			}
		}
		if n == 0 {
			o.t.Errorf("%s: no record has a commit", name)
		}
		got, wantS := statuses(r, fast), statuses(r, full)
		if !strings.Contains(wantS, " behind true") {
			o.t.Errorf("%s: no status is provisional: the test checks little", name)
		}
		if got != wantS {
			o.t.Errorf("%s, read %d: statuses\n%s\nwant\n%s", name, i+1, got, wantS)
		}
		if err := fast.Complete(); err != nil || fast.History == nil || len(fast.Placed()) != len(full.Placed()) {
			o.t.Errorf("%s: complete: %v, placed %d, want %d", name, err, len(fast.Placed()), len(full.Placed()))
		}
	}
}

// statuses evaluates r with prov and lists each result's status, whether
// it is provisional and by which lags.
func statuses(r *repository.Repository, prov *history.Provenance) string {
	r.UseProvenance(prov, nil)
	rep := r.Evaluate(outcomePeriod, outcomeAsOf)
	var b strings.Builder
	for _, ev := range rep.Evaluations {
		for _, res := range ev.Results {
			fmt.Fprintf(&b, "%s %s %v %v", res.Commitment.ID, res.Status, res.Provisional, res.Lags)
			for _, w := range res.Windows {
				fmt.Fprintf(&b, " %v", w.Provisional)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// TestOutcomeCacheDifferential checks the outcome cache against the full
// reading of history on a generated repository, through the changes that
// must make it miss: a new commit, a change not committed, a renamed
// file, another vocabulary, and a cache damaged or of another version.
func TestOutcomeCacheDifferential(t *testing.T) {
	if !testrepo.HaveGit() {
		t.Skip("git is not installed")
	}
	o := &outcomeRepo{t: t, dir: t.TempDir()}
	if err := testrepo.Write(o.dir, testrepo.Options{Records: 4000, Years: []int{2021, 2022}, Seed: 7, Git: true}); err != nil {
		t.Fatal(err)
	}
	// A target that the records of 2022 fall behind at the end of June,
	// so that lags have something to mark provisional.
	rules := filepath.Join(o.dir, filepath.FromSlash(testrepo.PromiseFile))
	data, err := os.ReadFile(rules)
	if err != nil || !bytes.Contains(data, []byte("count(trafikkontroll) >= 104")) {
		t.Fatalf("%s: %v, or no count(trafikkontroll) >= 104", rules, err)
	}
	if err := os.WriteFile(rules, bytes.Replace(data, []byte("count(trafikkontroll) >= 104"), []byte("count(trafikkontroll) >= 1200"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	o.git("commit", "-qam", "högre mål")
	if o.src, err = source.Open(o.dir); err != nil {
		t.Fatal(err)
	}
	o.check("first reading", false)

	// A commit appending records (one the same as a record before it).
	o.appendCopy("data/2022/03/trafikkontroll.csv")
	o.appendCopy("data/2022/03/trafikkontroll.csv")
	o.git("commit", "-qam", "fler kontroller")
	o.check("new commit", false)

	// A change in the working tree, not committed.
	o.appendCopy("data/2022/05/trafikkontroll.csv")
	o.check("uncommitted change", false)
	o.git("checkout", "-q", "--", ".")
	o.check("change undone", false) // the cache holds the last reading only

	// A renamed file, first in the working tree, then committed.
	if err := os.MkdirAll(filepath.Join(o.dir, "data/2022/flyttat"), 0o755); err != nil {
		t.Fatal(err)
	}
	o.git("mv", "data/2022/04/trafikkontroll.csv", "data/2022/flyttat/trafikkontroll.csv")
	o.check("renamed, not committed", false)
	o.git("commit", "-qm", "flyttat")
	o.check("renamed", false)

	// Another vocabulary: a title changed.
	voc := filepath.Join(o.dir, "rules/activities.yaml")
	data, err = os.ReadFile(voc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("title: Trafikkontroll")) {
		t.Fatal("the vocabulary has no title Trafikkontroll")
	}
	if err := os.WriteFile(voc, bytes.Replace(data, []byte("title: Trafikkontroll"), []byte("title: Kontroll i trafiken"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	o.check("vocabulary changed", false)
	o.git("commit", "-qam", "ny titel")
	o.check("vocabulary committed", false)

	// A damaged cache, or one of another version, is read as none and
	// written again.
	damage := func(name string, f func([]byte) []byte) {
		t.Helper()
		data, err := os.ReadFile(o.cacheFile())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(o.cacheFile(), f(bytes.Clone(data)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	damage("head", func(b []byte) []byte { b[70] ^= 0x55; return b })
	o.check("damaged head", false)
	damage("truncated", func(b []byte) []byte { return b[:len(b)/2] })
	o.check("truncated", false)
	damage("version", func(b []byte) []byte { b[8]++; return b })
	o.check("another version", false)
	damage("empty", func(b []byte) []byte { return nil })
	o.check("empty", false)
	// A damaged body is found only when Origin reads it: the head still
	// fits, and Origin then reads the whole history.
	damage("body", func(b []byte) []byte { b[len(b)-2] ^= 0x55; return b })
	o.check("damaged body", true)
}

// BenchmarkReadLags reads the recording lags of a generated repository of
// 100,000 records: from the outcome cache (warm), and by the full reading
// of history whose outcome the cache keeps (full; its own cache of the
// walk warm).
func BenchmarkReadLags(b *testing.B) {
	if !testrepo.HaveGit() {
		b.Skip("git is not installed")
	}
	dir := b.TempDir()
	if err := testrepo.Write(dir, testrepo.Options{Records: 100_000, Seed: 1, Git: true}); err != nil {
		b.Fatal(err)
	}
	src, err := source.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	snap, err := src.WorkTree()
	if err != nil {
		b.Fatal(err)
	}
	r := repository.NewLoader().Load(snap)
	if _, err := r.ReadProvenance(src, 0); err != nil { // both caches written
		b.Fatal(err)
	}
	b.Run("warm", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if p, err := r.ReadLags(src, 0); err != nil || !p.Partial() {
				b.Fatalf("%v, from the cache %v", err, p.Partial())
			}
		}
	})
	b.Run("full", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.ReadProvenance(src, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
}
