package source

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// age sets the modification time of files of r an hour back, so that the
// stat cache trusts them.
func age(t testing.TB, r *testRepo, names ...string) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	for _, n := range names {
		if err := os.Chtimes(r.path(n), old, old); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWorkTreeSince(t *testing.T) {
	r := newTestRepo(t)
	files := []string{"rules/a.yaml", "data/x.csv", "data/y.csv"}
	r.write("rules/a.yaml", "a\n", "data/x.csv", "x1\n", "data/y.csv", "y1\n")
	r.commit("2022-01-10T12:00:00+01:00", "c")
	age(t, r, files...)
	repo := mustOpen(t, r.dir)
	byPath := func(s *Snapshot) map[string]File {
		m := map[string]File{}
		for _, f := range s.Files {
			m[f.Path] = f
		}
		return m
	}
	// The first read reads every file and gives the blob ids of records.
	s, err := repo.WorkTreeSince(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	first := byPath(s)
	if s.Dirty || first["data/x.csv"].Unchanged || string(first["data/x.csv"].Data) != "x1\n" ||
		first["data/x.csv"].ID != BlobID(plumbingHash(r.git("hash-object", "data/x.csv"))) ||
		first["rules/a.yaml"].ID != (BlobID{}) {
		t.Fatalf("first read: %+v, dirty %v", first, s.Dirty)
	}
	// Nothing changed: the records are not read again, rules/ is.
	s, err = repo.WorkTreeSince(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	second := byPath(s)
	if x := second["data/x.csv"]; !x.Unchanged || x.Data != nil || x.ID != first["data/x.csv"].ID || s.Dirty {
		t.Errorf("unchanged file: %+v, dirty %v", x, s.Dirty)
	}
	if a := second["rules/a.yaml"]; a.Unchanged || string(a.Data) != "a\n" {
		t.Errorf("rules/ file: %+v", a)
	}
	if b, err := s.ReadData("data/x.csv"); err != nil || string(b) != "x1\n" {
		t.Errorf("ReadData: %q, %v", b, err)
	}
	// Same size, other content, old time: read again, and dirty.
	r.write("data/x.csv", "x2\n")
	age(t, r, "data/x.csv")
	s, err = repo.WorkTreeSince(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	third := byPath(s)
	if x := third["data/x.csv"]; x.Unchanged || string(x.Data) != "x2\n" || x.ID == first["data/x.csv"].ID || !s.Dirty {
		t.Errorf("changed file: %+v, dirty %v", x, s.Dirty)
	}
	if !third["data/y.csv"].Unchanged {
		t.Errorf("y.csv read again")
	}
	// A file written just now is read every time (racily clean).
	r.write("data/y.csv", "y2\n")
	for range 2 {
		s, err = repo.WorkTreeSince(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if y := byPath(s)["data/y.csv"]; y.Unchanged || string(y.Data) != "y2\n" {
			t.Errorf("a file written just now: %+v", y)
		}
	}
	// Back to the committed content: clean again, by blob id.
	r.write("data/x.csv", "x1\n", "data/y.csv", "y1\n")
	age(t, r, files...)
	for range 2 {
		if s, err = repo.WorkTreeSince(time.Now()); err != nil || s.Dirty {
			t.Errorf("back as committed: dirty %v, %v", s.Dirty, err)
		}
	}
	// A removed file is gone, and so is its entry.
	rm(t, r.path("data/y.csv"))
	if s, err = repo.WorkTreeSince(time.Now()); err != nil || !s.Dirty || len(s.Files) != 2 {
		t.Errorf("removed: %d files, dirty %v, %v", len(s.Files), s.Dirty, err)
	}
	if _, ok := repo.stats.entries["data/y.csv"]; ok {
		t.Error("the removed file is still in the stat cache")
	}
}

func plumbingHash(hex string) [20]byte { return plumbing.NewHash(hex) }

// cachedRun reads the work tree as a new run does: a Repo of its own,
// through the stat cache kept in the git folder.
func cachedRun(t *testing.T, r *testRepo) (*Repo, map[string]File) {
	t.Helper()
	repo := mustOpen(t, r.dir)
	s, err := repo.WorkTreeCached()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]File{}
	for _, f := range s.Files {
		m[f.Path] = f
	}
	return repo, m
}

// wantRead checks that a run read the record file at path, with content
// data, and gave its blob id.
func wantRead(t *testing.T, r *testRepo, files map[string]File, path, data string) {
	t.Helper()
	f := files[path]
	// Read and hashed now: its bytes are there, or were dropped (Dropped).
	kept := string(f.Data) == data || f.Dropped && f.Data == nil
	if f.Unchanged || !kept || f.ID != FileID([]byte(data)) {
		t.Errorf("%s: want read (%q), got %+v", path, data, f)
	}
}

// wantUnchanged checks that a run did not read the record file at path,
// and gave the blob id of data.
func wantUnchanged(t *testing.T, files map[string]File, path, data string) {
	t.Helper()
	if f := files[path]; !f.Unchanged || f.Data != nil || f.ID != FileID([]byte(data)) {
		t.Errorf("%s: want unchanged with the id of %q, got %+v", path, data, f)
	}
}

func TestWorkTreeCachedAcrossRuns(t *testing.T) {
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n", "data/x.csv", "x1\n", "data/y.csv", "y1\n")
	r.commit("2022-01-10T12:00:00+01:00", "c")
	age(t, r, "rules/a.yaml", "data/x.csv", "data/y.csv")
	if r.git("hash-object", "data/x.csv") != plumbing.Hash(FileID([]byte("x1\n"))).String() {
		t.Fatal("FileID is not git's blob id")
	}

	_, first := cachedRun(t, r)
	wantRead(t, r, first, "data/x.csv", "x1\n")
	wantRead(t, r, first, "data/y.csv", "y1\n")
	// It keeps no record file's bytes (File.Dropped): a reader reads
	// them again, one at a time, when it needs them.
	for _, p := range []string{"data/x.csv", "data/y.csv"} {
		if f := first[p]; !f.Dropped || f.Data != nil {
			t.Errorf("%s: read by WorkTreeCached and kept: %+v", p, f)
		}
	}

	// A second run reads no record file; rules/ is read as always.
	repo, second := cachedRun(t, r)
	wantUnchanged(t, second, "data/x.csv", "x1\n")
	wantUnchanged(t, second, "data/y.csv", "y1\n")
	if a := second["rules/a.yaml"]; a.Unchanged || string(a.Data) != "a\n" {
		t.Errorf("rules/a.yaml: %+v", a)
	}
	if s, err := repo.WorkTreeCached(); err != nil || s.Dirty {
		t.Errorf("unchanged work tree: dirty %v, %v", s != nil && s.Dirty, err)
	}

	// A file written now, of the same size, is read; and read again by
	// the next run, as its time is too close to the read's to be trusted
	// (racily clean): another write in the same tick would leave its
	// stat data as they are.
	r.write("data/y.csv", "y2\n")
	for run := range 2 {
		repo, files := cachedRun(t, r)
		wantRead(t, r, files, "data/y.csv", "y2\n")
		wantUnchanged(t, files, "data/x.csv", "x1\n")
		if s, _ := repo.WorkTreeCached(); !s.Dirty {
			t.Errorf("run %d: a changed file, not dirty", run)
		}
	}
	age(t, r, "data/y.csv")
	cachedRun(t, r)
	_, files := cachedRun(t, r)
	wantUnchanged(t, files, "data/y.csv", "y2\n")
}

// TestStatCacheChangeTime: a file written again with the same size and
// given back its modification time is read again: its change time
// differs (Linux).
func TestStatCacheChangeTime(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the change time is compared on Linux")
	}
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n", "data/x.csv", "x1\n")
	r.commit("2022-01-10T12:00:00+01:00", "c")
	age(t, r, "data/x.csv")
	fi, err := os.Stat(r.path("data/x.csv"))
	if err != nil {
		t.Fatal(err)
	}
	cachedRun(t, r)
	_, files := cachedRun(t, r)
	wantUnchanged(t, files, "data/x.csv", "x1\n")
	time.Sleep(10 * time.Millisecond) // a later tick of the file system's clock
	r.write("data/x.csv", "x2\n")
	if err := os.Chtimes(r.path("data/x.csv"), fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	_, files = cachedRun(t, r)
	wantRead(t, r, files, "data/x.csv", "x2\n")
}

// TestStatCacheDamaged: a stat cache file that is damaged, of another
// version or of another work tree is not used: every record file is read
// and hashed, and the file is written anew.
func TestStatCacheDamaged(t *testing.T) {
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n", "data/x.csv", "x1\n", "data/y.csv", "y1\n")
	r.commit("2022-01-10T12:00:00+01:00", "c")
	age(t, r, "data/x.csv", "data/y.csv")
	repo, _ := cachedRun(t, r)
	file := repo.stats.file
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("no stat cache written: %v", err)
	}
	// The same entries, with the right checksum, for another root.
	other := &statCache{root: repo.root + "-kopia", entries: repo.stats.entries}
	// An entry that claims another blob id, with the checksum of the
	// version before: what a run killed while writing in place would leave.
	lying := bytes.Clone(good)
	copy(lying[len(lying)-20:], bytes.Repeat([]byte{1}, 20))
	damage := map[string][]byte{
		"cut short":     good[:len(good)*2/3],
		"header only":   good[:statHeader],
		"empty":         nil,
		"flipped byte":  append(bytes.Clone(good[:len(good)-3]), good[len(good)-3]^1, good[len(good)-2], good[len(good)-1]),
		"changed id":    lying,
		"other version": append(append([]byte(statMagic), 2, 0, 0, 0), good[len(statMagic)+4:]...),
		"other root":    other.encode(),
		"garbage":       bytes.Repeat([]byte{0xa5}, len(good)),
		"git's index":   mustRead(t, filepath.Join(r.dir, ".git", "index")),
	}
	for name, b := range damage {
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, files := cachedRun(t, r)
		wantRead(t, r, files, "data/x.csv", "x1\n")
		wantRead(t, r, files, "data/y.csv", "y1\n")
		if after, err := os.ReadFile(file); err != nil || !bytes.Equal(after, good) {
			t.Errorf("%s: the stat cache is not written anew (%v)", name, err)
		}
		_, files = cachedRun(t, r)
		wantUnchanged(t, files, "data/x.csv", "x1\n")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStatCacheConcurrent: runs reading at the same time, some while
// files change, each see the files as they are, and leave one valid
// stat cache and no temporary file behind.
func TestStatCacheConcurrent(t *testing.T) {
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n")
	var names []string
	for i := range 20 {
		name := fmt.Sprintf("data/f%02d.csv", i)
		names = append(names, name)
		r.write(name, name+"\n")
	}
	r.commit("2022-01-10T12:00:00+01:00", "c")
	age(t, r, names...)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for range 3 {
				_, files := cachedRun(t, r)
				for _, name := range names {
					if f := files[name]; f.ID != FileID([]byte(name+"\n")) {
						t.Errorf("run %d: %s has the id of other content", g, name)
					}
				}
			}
		})
	}
	wg.Wait()
	repo, files := cachedRun(t, r)
	for _, name := range names {
		wantUnchanged(t, files, name, name+"\n")
	}
	if _, ok := decodeStat(mustRead(t, repo.stats.file), repo.root); !ok {
		t.Error("the stat cache left does not validate")
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(repo.stats.file), ".tmp-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}

	// A run that stopped before renaming left its temporary file: the
	// next run that writes the cache removes it once it is old.
	stale := filepath.Join(filepath.Dir(repo.stats.file), ".tmp-stat-1234")
	fresh := filepath.Join(filepath.Dir(repo.stats.file), ".tmp-stat-5678")
	writeFiles(t, "/", stale, "x", fresh, "x")
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	r.write("data/f00.csv", "changed\n")
	cachedRun(t, r)
	if _, err := os.Stat(stale); err == nil {
		t.Error("an old temporary file is left")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a temporary file another run may still write was removed")
	}
}

// TestStatCacheReadOnly: where nothing can be written in the git folder,
// every run reads every file, as WorkTree does.
func TestStatCacheReadOnly(t *testing.T) {
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n", "data/x.csv", "x1\n")
	r.commit("2022-01-10T12:00:00+01:00", "c")
	age(t, r, "data/x.csv")
	git := filepath.Join(r.dir, ".git")
	if err := os.Chmod(git, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(git, 0o755)
	if f, err := os.Create(filepath.Join(git, "probe")); err == nil { // root writes anyway
		f.Close()
		t.Skip("the git folder stays writable")
	}
	for range 2 {
		_, files := cachedRun(t, r)
		wantRead(t, r, files, "data/x.csv", "x1\n")
	}
}

// TestReadDataID: reading again a file that came without its bytes gives
// the id it came with while its stat data are unchanged, and the id of
// the bytes read once it changed since (even to the same size and given
// back its time) or when its stat data could not be trusted (racily
// clean).
func TestReadDataID(t *testing.T) {
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n", "data/x.csv", "x1\n", "data/y.csv", "y1\n", "data/z.csv", "z1\n")
	r.commit("2022-01-10T12:00:00+01:00", "c")
	age(t, r, "rules/a.yaml", "data/x.csv", "data/y.csv")
	repo := mustOpen(t, r.dir)
	s, err := repo.WorkTreeCached()
	if err != nil {
		t.Fatal(err)
	}
	read := func(s *Snapshot, path string, id BlobID) (string, BlobID) {
		t.Helper()
		data, got, err := s.ReadDataID(path, id)
		if err != nil {
			t.Fatal(err)
		}
		return string(data), got
	}
	x1 := FileID([]byte("x1\n"))
	if data, id := read(s, "data/x.csv", x1); data != "x1\n" || id != x1 {
		t.Errorf("unchanged: %q %x", data, id)
	}
	// z.csv, written now, is racily clean: its bytes are hashed, whatever
	// id it is said to have.
	if data, id := read(s, "data/z.csv", x1); data != "z1\n" || id != FileID([]byte("z1\n")) {
		t.Errorf("racily clean: %q %x", data, id)
	}
	// y.csv written again, same size, its time given back.
	fi, err := os.Stat(r.path("data/y.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r.write("data/y.csv", "y2\n")
	if err := os.Chtimes(r.path("data/y.csv"), fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if data, id := read(s, "data/y.csv", FileID([]byte("y1\n"))); data != "y2\n" || id != FileID([]byte("y2\n")) {
		t.Errorf("written since, time given back: %q %x", data, id)
	}
	// The next run finds x.csv unchanged; written after it, it is hashed.
	s, err = mustOpen(t, r.dir).WorkTreeCached()
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(s.Files, func(f File) bool { return f.Path == "data/x.csv" }); i < 0 || !s.Files[i].Unchanged {
		t.Fatal("x.csv not found unchanged")
	}
	if data, id := read(s, "data/x.csv", x1); data != "x1\n" || id != x1 {
		t.Errorf("unchanged, second run: %q %x", data, id)
	}
	r.write("data/x.csv", "x22\n")
	if data, id := read(s, "data/x.csv", x1); data != "x22\n" || id != FileID([]byte("x22\n")) {
		t.Errorf("written since: %q %x", data, id)
	}
}
