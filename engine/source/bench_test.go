package source

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const benchFiles = 2000

// benchRepo is a repository with 2,000 files under rules/ and data/,
// committed once, its objects packed when pack is set.
func benchRepo(b *testing.B, pack bool) *testRepo {
	b.Helper()
	r := newTestRepo(b)
	row := strings.Repeat("2022-03-01;trafikkontroll;Mullsjö centrum;polisen\n", 6)
	for i := range benchFiles {
		var name string
		if i < 20 {
			name = fmt.Sprintf("rules/löfte%02d.yaml", i)
		} else {
			name = fmt.Sprintf("data/%d/%02d/r%04d.csv", 2020+i%3, i%12+1, i)
		}
		p := r.path(name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(fmt.Sprintf("# %d\n%s", i, row)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	r.commit("2022-01-10T12:00:00+01:00", "bänk")
	if pack {
		r.git("gc", "-q")
	}
	return r
}

func BenchmarkRevision(b *testing.B) {
	for _, pack := range []bool{false, true} {
		name := map[bool]string{false: "loose", true: "packed"}[pack]
		b.Run(name, func(b *testing.B) {
			repo := mustOpen(b, benchRepo(b, pack).dir)
			for b.Loop() {
				s, err := repo.Revision("HEAD")
				if err != nil {
					b.Fatal(err)
				}
				if len(s.Files) != benchFiles {
					b.Fatalf("%d files, want %d", len(s.Files), benchFiles)
				}
			}
		})
	}
}

func BenchmarkWorkTree(b *testing.B) {
	repo := mustOpen(b, benchRepo(b, true).dir)
	for b.Loop() {
		s, err := repo.WorkTree()
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Files) != benchFiles || s.Dirty {
			b.Fatalf("%d files, dirty %v", len(s.Files), s.Dirty)
		}
	}
}

// BenchmarkWorkTreeCached is a run after one that changed nothing: a new
// Repo each time, the stat cache in the git folder warm.
func BenchmarkWorkTreeCached(b *testing.B) {
	r := benchRepo(b, true)
	var names []string
	for i := 20; i < benchFiles; i++ {
		names = append(names, fmt.Sprintf("data/%d/%02d/r%04d.csv", 2020+i%3, i%12+1, i))
	}
	age(b, r, names...)
	if _, err := mustOpen(b, r.dir).WorkTreeCached(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s, err := mustOpen(b, r.dir).WorkTreeCached()
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Files) != benchFiles || s.Dirty || !s.Files[0].Unchanged {
			b.Fatalf("%d files, dirty %v", len(s.Files), s.Dirty)
		}
	}
}

// BenchmarkKnownAt walks 500 first-parent commits to the oldest.
func BenchmarkKnownAt(b *testing.B) {
	r := newTestRepo(b)
	r.write("rules/a.yaml", "a\n")
	start := time.Date(2020, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := range 500 {
		r.write("data/n.csv", fmt.Sprint(i))
		r.commit(start.AddDate(0, 0, i).Format(time.RFC3339), "c")
	}
	r.git("gc", "-q")
	repo := mustOpen(b, r.dir)
	for b.Loop() {
		if _, err := repo.KnownAt(start.Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
}
