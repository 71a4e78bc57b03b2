package engine_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/report"
	"github.com/lofte/lofte/internal/testrepo"
)

// cacheRepo is a generated git repository whose files have problems in
// places: a record with a bad date and one of an unknown type in a
// committed CSV file, a YAML file that does not parse, and an
// uncommitted change to the working tree.
func cacheRepo(t *testing.T) string {
	t.Helper()
	if !testrepo.HaveGit() {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	if err := testrepo.Write(dir, testrepo.Options{Records: 4000, Years: []int{2021, 2022}, Seed: 3, Git: true}); err != nil {
		t.Fatal(err)
	}
	g := &repo{t: t, dir: dir}
	csv := filepath.Join(dir, "data", "2022", "03")
	entries, err := os.ReadDir(csv)
	if err != nil || len(entries) < 2 {
		t.Fatalf("no record files in %s: %v", csv, err)
	}
	for i, e := range entries[:2] {
		p := filepath.Join(csv, e.Name())
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		line := strings.SplitN(string(b), "\n", 3)[1] // a record of the file, in its shape
		bad := strings.Replace(line, "2022-03-", "2022-13-", 1)
		if i == 1 {
			bad = strings.Replace(line, strings.TrimSuffix(e.Name(), ".csv"), "ingen_sadan_typ", 1)
		}
		if err := os.WriteFile(p, append(b, []byte(bad+"\n")...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g.write("data/trasig.yaml", "- {date: 2022-03-01, type: [\n")
	g.commit("", "fel i några filer")
	g.write("data/ny.yaml", "- {date: 2022-05-02, type: trafikkontroll, by: polisen}\n- {date: 2022-05-40, type: trafikkontroll, by: polisen}\n")
	return dir
}

// evaluated is the report of a run, as JSON and as text, and the records
// read, one line each.
func evaluated(t *testing.T, dir string, o engine.Options) string {
	t.Helper()
	o.Today = func() calendar.Date { return calendar.NewDate(2022, 8, 31) }
	e, err := engine.Open(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	return render(t, e, o.Rev != "HEAD~1")
}

// render is the report of e, as JSON and as text, and the records read.
func render(t *testing.T, e *engine.Engine, errs bool) string {
	t.Helper()
	rep := e.Evaluate(y2022, calendar.NewDate(2022, 8, 31))
	var b bytes.Buffer
	if err := report.JSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	if err := report.Text(&b, rep, report.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	set := e.Repository().Records
	for _, typ := range set.Types() {
		for _, r := range set.Of(typ) {
			fmt.Fprintf(&b, "%s %v %v %#v %s\n", r.Type, r.Date, r.By, r.Values, r.Pos)
		}
	}
	if rep.Diags.Errors() == 0 && errs {
		t.Fatal("the repository has no errors: the test needs some")
	}
	return b.String()
}

func parsedDir(dir string) string { return filepath.Join(dir, ".git", "lofte", "parsed") }

func cacheEntries(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(parsedDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(parsedDir(dir), e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// TestParseCacheSameReport: a run with the cache, cold and warm, gives
// the report and the records a run without it gives, for the working
// tree and a revision, files with problems included.
func TestParseCacheSameReport(t *testing.T) {
	dir := cacheRepo(t)
	for _, rev := range []string{"", "HEAD", "HEAD~1"} {
		want := evaluated(t, dir, engine.Options{Rev: rev, NoParseCache: true})
		for _, run := range []string{"cold", "warm"} {
			if got := evaluated(t, dir, engine.Options{Rev: rev}); got != want {
				t.Errorf("rev %q, %s cache: the report differs from one without cache:\n%s\nwant:\n%s", rev, run, got, want)
			}
		}
	}
	if n := len(cacheEntries(t, dir)); n == 0 {
		t.Error("nothing cached")
	}
}

// TestParseCacheDamaged: an entry cut short, with a byte changed, of
// another version, or not an entry at all, is not used: the file is
// parsed again, the report is the same, and the entry is written anew.
func TestParseCacheDamaged(t *testing.T) {
	dir := cacheRepo(t)
	want := evaluated(t, dir, engine.Options{NoParseCache: true})
	evaluated(t, dir, engine.Options{})
	good := cacheEntries(t, dir)
	damage := map[string]func([]byte) []byte{
		"cut short":   func(b []byte) []byte { return b[:len(b)*2/3] },
		"header only": func(b []byte) []byte { return b[:40] },
		"empty":       func([]byte) []byte { return nil },
		"flipped byte": func(b []byte) []byte {
			b = bytes.Clone(b)
			b[len(b)-3] ^= 1
			return b
		},
		"other version": func(b []byte) []byte {
			b = bytes.Clone(b)
			binary.LittleEndian.PutUint32(b[8:], binary.LittleEndian.Uint32(b[8:])+1)
			return b
		},
		"garbage": func(b []byte) []byte { return bytes.Repeat([]byte{0xa5}, len(b)) },
	}
	for name, f := range damage {
		for file, b := range good {
			if err := os.WriteFile(filepath.Join(parsedDir(dir), file), f(b), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if got := evaluated(t, dir, engine.Options{}); got != want {
			t.Errorf("%s: the report differs from one without cache:\n%s\nwant:\n%s", name, got, want)
		}
		after := cacheEntries(t, dir)
		for file, b := range good {
			if !bytes.Equal(after[file], b) {
				t.Errorf("%s: entry %s not written again", name, file)
			}
		}
	}
}

// TestParseCacheConcurrent: runs at the same time, on an empty cache and
// on one being written, each get the report of a run without cache.
func TestParseCacheConcurrent(t *testing.T) {
	dir := cacheRepo(t)
	want := map[string]string{"": evaluated(t, dir, engine.Options{NoParseCache: true}),
		"HEAD": evaluated(t, dir, engine.Options{NoParseCache: true, Rev: "HEAD"})}
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			rev := ""
			if i%2 == 1 {
				rev = "HEAD"
			}
			got := evaluated(t, dir, engine.Options{Rev: rev})
			if got != want[rev] {
				t.Errorf("run %d: the report differs from one without cache", i)
			}
		})
	}
	wg.Wait()
}

// TestParseCacheBounded: entries no run reads any more are dropped once
// the cache holds more than twice the files of the repository read.
func TestParseCacheBounded(t *testing.T) {
	dir := cacheRepo(t)
	voc := filepath.Join(dir, "rules", "activities.yaml")
	orig, err := os.ReadFile(voc)
	if err != nil {
		t.Fatal(err)
	}
	evaluated(t, dir, engine.Options{})
	files := len(cacheEntries(t, dir))
	for i := range 4 { // each vocabulary a new key for every file
		if err := os.WriteFile(voc, fmt.Appendf(bytes.Clone(orig), "# %d\n", i), 0o644); err != nil {
			t.Fatal(err)
		}
		evaluated(t, dir, engine.Options{})
		if n := len(cacheEntries(t, dir)); n > 2*files+16 {
			t.Fatalf("after %d vocabularies the cache has %d entries, for %d files", i+2, n, files)
		}
	}
}

// TestParseCacheReload: a long-running reader (watch), whose stat cache
// gives unchanged files without their bytes, reads them from the cache,
// and still shows the lines of those with problems; after a change to
// the vocabulary and back, its reports are those of a fresh run without
// cache.
func TestParseCacheReload(t *testing.T) {
	dir := cacheRepo(t)
	old := time.Now().Add(-time.Hour) // older than the stat cache's "racily clean" second
	err := filepath.WalkDir(filepath.Join(dir, "data"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			err = os.Chtimes(p, old, old)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	evaluated(t, dir, engine.Options{}) // the cache warm
	today := func() calendar.Date { return calendar.NewDate(2022, 8, 31) }
	e, err := engine.Open(dir, engine.Options{Now: time.Now, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	voc := filepath.Join(dir, "rules", "activities.yaml")
	orig, err := os.ReadFile(voc)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range [][]byte{nil, append(bytes.Clone(orig), "# en kommentar\n"...), orig, orig} {
		if v != nil {
			if err := os.WriteFile(voc, v, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r, err := e.Reload()
		if err != nil {
			t.Fatal(err)
		}
		want := evaluated(t, dir, engine.Options{NoParseCache: true})
		if got := render(t, e, true); got != want {
			t.Errorf("reload %d: the report differs from a fresh one without cache:\n%s\nwant:\n%s", i, got, want)
		}
		for _, d := range r.Diags {
			if d.File != "" && d.Line > 0 && r.Snapshot.File(d.File) == nil && strings.HasPrefix(d.File, "data/") {
				t.Errorf("reload %d: %s has a problem but no bytes for its line", i, d.File)
			}
		}
	}
}

// TestWarmRunReadsNoRecordFile: a run after one that changed nothing reads
// no record file without a problem (the stat cache gives their blob ids,
// the parse cache their records), gives the same report as a run without
// caches, and with KeepFiles still has the bytes of every file.
func TestWarmRunReadsNoRecordFile(t *testing.T) {
	dir := cacheRepo(t)
	old := time.Now().Add(-time.Hour) // older than the stat cache's "racily clean" second
	err := filepath.WalkDir(filepath.Join(dir, "data"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			err = os.Chtimes(p, old, old)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := evaluated(t, dir, engine.Options{NoParseCache: true})
	evaluated(t, dir, engine.Options{}) // the caches warm
	e, err := engine.Open(dir, engine.Options{Today: func() calendar.Date { return calendar.NewDate(2022, 8, 31) }})
	if err != nil {
		t.Fatal(err)
	}
	if got := render(t, e, true); got != want {
		t.Errorf("warm run: the report differs from one without caches:\n%s\nwant:\n%s", got, want)
	}
	unread := 0
	for _, f := range e.Repository().Snapshot.Files {
		if f.Unchanged {
			unread++
		}
	}
	if unread == 0 {
		t.Error("a warm run read every record file")
	}
	// The parse cache damaged, the stat cache not: the files it has
	// unchanged are read after all, and parsed again.
	for file := range cacheEntries(t, dir) {
		if err := os.WriteFile(filepath.Join(parsedDir(dir), file), []byte("trasig"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := evaluated(t, dir, engine.Options{}); got != want {
		t.Errorf("the parse cache damaged: the report differs from one without caches:\n%s\nwant:\n%s", got, want)
	}
	kept, err := engine.Open(dir, engine.Options{KeepFiles: true})
	if err != nil {
		t.Fatal(err)
	}
	for path, b := range kept.Files() {
		if disk, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path))); err != nil || !bytes.Equal(b, disk) {
			t.Errorf("KeepFiles: %s has %d bytes, the file %d (%v)", path, len(b), len(disk), err)
		}
	}
	if len(kept.Files()) != len(e.Repository().Snapshot.Files) {
		t.Errorf("KeepFiles: %d files, want %d", len(kept.Files()), len(e.Repository().Snapshot.Files))
	}
}
