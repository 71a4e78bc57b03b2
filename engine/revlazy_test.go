package engine_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
)

// A warm run at a revision, or at a day with --known-at, reads no record
// file that the parse cache has: only those whose problems are shown, and
// gives the report of a run without caches.
func TestWarmRevisionReadsNoRecordFile(t *testing.T) {
	dir := cacheRepo(t)
	for _, o := range []engine.Options{{Rev: "HEAD"}, {KnownAt: "2022-08-31"}} {
		bare := o
		bare.NoParseCache, bare.KeepFiles = true, true
		want := evaluated(t, dir, bare)
		if err := os.RemoveAll(parsedDir(dir)); err != nil {
			t.Fatal(err)
		}
		if got := evaluated(t, dir, o); got != want { // cold
			t.Errorf("%+v cold: the report differs from one without caches:\n%s\nwant:\n%s", o, got, want)
		}
		o.Today = func() calendar.Date { return calendar.NewDate(2022, 8, 31) }
		e, err := engine.Open(dir, o)
		if err != nil {
			t.Fatal(err)
		}
		if got := render(t, e, true); got != want {
			t.Errorf("%+v warm: the report differs from one without caches:\n%s\nwant:\n%s", o, got, want)
		}
		r := e.Repository()
		unread := 0
		for _, f := range r.Snapshot.Files {
			switch {
			case f.Unchanged:
				unread++
			case strings.HasPrefix(f.Path, "data/") && !strings.Contains(want, f.Path):
				t.Errorf("%+v warm: %s read, and it has no problem shown", o, f.Path)
			}
		}
		if unread < 10 {
			t.Errorf("%+v warm: %d record files left unread", o, unread)
		}
	}
}

// At a revision, a record file over the size limit is reported as it is
// without caches, the cache cold or warm; a record file whose object is
// damaged is an error naming it and the commit when it must be read.
func TestRevisionLimitsAndDamage(t *testing.T) {
	dir := cacheRepo(t)
	var big string
	var size int64
	err := filepath.Walk(filepath.Join(dir, "data"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && fi.Size() > size {
			big, size = p, fi.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(dir, big)
	rel = filepath.ToSlash(rel)
	o := engine.Options{Rev: "HEAD", MaxFileSize: size - 1}
	bare := o
	bare.NoParseCache, bare.KeepFiles = true, true
	want := evaluated(t, dir, bare)
	if !strings.Contains(want, rel) || !strings.Contains(want, "--max-file-size") {
		t.Fatalf("%s, of %d bytes, not reported too large over %d", rel, size, size-1)
	}
	for _, run := range []string{"cold", "warm"} {
		if got := evaluated(t, dir, o); got != want {
			t.Errorf("%s: the report differs from one without caches:\n%s\nwant:\n%s", run, got, want)
		}
	}

	// A damaged object: read when the parse cache does not have it.
	blob := gitOut(t, dir, "rev-parse", "HEAD:"+rel)
	short := gitOut(t, dir, "rev-parse", "--short=7", "HEAD")
	obj := filepath.Join(dir, ".git", "objects", blob[:2], blob[2:])
	if _, err := os.Stat(obj); err != nil {
		t.Skipf("the object of %s is not loose: %v", rel, err)
	}
	if err := os.Chmod(obj, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(obj, []byte("inte en zlib-ström"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(parsedDir(dir)); err != nil {
		t.Fatal(err)
	}
	_, err = engine.Open(dir, engine.Options{Rev: "HEAD"})
	if err == nil || !strings.Contains(err.Error(), rel+" i commit "+short) {
		t.Errorf("a damaged object: %v; want an error naming %s and commit %s", err, rel, short)
	}
	// Missing: an error, the cache warm or not.
	if err := os.Remove(obj); err != nil {
		t.Fatal(err)
	}
	_, err = engine.Open(dir, engine.Options{Rev: "HEAD"})
	if err == nil || !strings.Contains(err.Error(), rel+" i commit "+short) {
		t.Errorf("a missing object: %v; want an error naming %s and commit %s", err, rel, short)
	}
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}
