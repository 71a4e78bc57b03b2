package source

import (
	"os"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// age sets the modification time of files of r an hour back, so that the
// stat cache trusts them.
func age(t *testing.T, r *testRepo, names ...string) {
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
