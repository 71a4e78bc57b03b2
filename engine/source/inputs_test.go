package source

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// A submodule under data/ is skipped with a warning, in the working tree
// as in a commit: its files are no records of this repository.
func TestSubmoduleSkipped(t *testing.T) {
	inner := newTestRepo(t)
	inner.write("rules/egen.yaml", "egen\n", "data/x.csv", "x\n")
	inner.commit("2022-01-09T12:00:00+01:00", "inre")
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n", "data/a.csv", "a\n")
	r.commit("2022-01-10T12:00:00+01:00", "första")
	r.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", inner.dir, "data/inre")
	r.commit("2022-01-11T12:00:00+01:00", "undermodul")
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
		wantListing(t, s, "data/a.csv", "a\n", "rules/a.yaml", "a\n")
		wantWarning(t, s, "data/inre är en git-undermodul (submodule) och läses inte")
	}
	if wt.Dirty {
		t.Error("a committed submodule reported dirty")
	}
}

// A .gitignore that cannot be read is an error: read as absent, the files
// it ignores would be counted.
func TestUnreadableGitignore(t *testing.T) {
	r := baseRepo(t)
	if err := os.Mkdir(r.path("data/.gitignore"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := mustOpen(t, r.dir).WorkTree()
	wantErr(t, err, "kan inte läsa "+r.path("data/.gitignore"), "vilka filer git ignorerar")

	r2 := baseRepo(t)
	if err := os.Mkdir(r2.path(".gitignore"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err = mustOpen(t, r2.dir).WorkTree()
	wantErr(t, err, "kan inte läsa "+r2.path(".gitignore"))
}

// DataMissing says that the root has no data/, on disk and in a commit;
// an empty data/ on disk does not set it.
func TestDataMissing(t *testing.T) {
	r := baseRepo(t)
	repo := mustOpen(t, r.dir)
	for _, tt := range []struct {
		name   string
		change func()
		want   bool
	}{
		{"present", func() {}, false},
		{"empty", func() { rm(t, r.path("data/2021")); rm(t, r.path("data/2022")) }, false},
		{"renamed", func() {
			if err := os.Rename(r.path("data"), r.path("poster")); err != nil {
				t.Fatal(err)
			}
		}, true},
	} {
		tt.change()
		s, err := repo.WorkTree()
		if err != nil {
			t.Fatal(err)
		}
		if s.DataMissing != tt.want {
			t.Errorf("%s: DataMissing = %v, want %v", tt.name, s.DataMissing, tt.want)
		}
	}
	r.git("add", "-A")
	r.commit("2022-01-11T12:00:00+01:00", "utan data")
	s, err := repo.Revision("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if !s.DataMissing {
		t.Error("commit without data/: DataMissing = false")
	}
	s, err = repo.Revision("HEAD~1")
	if err != nil || s.DataMissing {
		t.Errorf("commit with data/: DataMissing = %v, err %v", s.DataMissing, err)
	}
}

// restore puts a file back after a failed commit, and says when it
// cannot: a failed rollback is never dropped.
func TestRestore(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "data/a.yaml", "ny\n", "fil", "x")
	abs := filepath.Join(dir, "data", "a.yaml")
	if err := restore(abs, []byte("gammal\n"), nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(abs); string(b) != "gammal\n" {
		t.Errorf("restored %q", b)
	}
	if err := restore(abs, nil, fs.ErrNotExist); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file that did not exist is still there: %v", err)
	}
	// A folder that is now a file: the old content cannot be written.
	if err := restore(filepath.Join(dir, "fil", "a.yaml"), []byte("gammal\n"), nil); err == nil {
		t.Error("restore under a file: no error")
	}
}
