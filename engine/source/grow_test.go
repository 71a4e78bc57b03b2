package source

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
)

// lineGrow is lineKeys for the lines appended to data[:n].
func lineGrow(p string, data []byte, n int, _ []RecordRef, _ any) ([]RecordRef, any, bool) {
	if n == 0 || data[n-1] != '\n' || bytes.HasPrefix(data, []byte("!!")) {
		return nil, nil, false
	}
	refs, _ := lineKeys(p, data[n:])
	shift := bytes.Count(data[:n], []byte("\n"))
	for i := range refs {
		refs[i].Line += shift
	}
	return refs, nil, true
}

// TestGrowBranches compares histories with branches and merges, whose
// files mostly grow, read with Grow and without: a version grown on one
// branch must not change what the other branch reads of the same file.
func TestGrowBranches(t *testing.T) {
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 3))
		r := newTestRepo(t)
		r.write("data/a.csv", "a0\n", "data/b.csv", "b0\n")
		r.commit("", "start")
		r.git("branch", "sido")
		branch := "main"
		line := 0
		for i := range 40 {
			if rng.IntN(6) == 0 {
				other := map[string]string{"main": "sido", "sido": "main"}[branch]
				if rng.IntN(2) == 0 {
					r.git("merge", "-q", "--no-edit", "-X", "ours", other)
				} else {
					r.git("checkout", "-q", other)
					branch = other
				}
				continue
			}
			name := []string{"data/a.csv", "data/b.csv"}[rng.IntN(2)]
			old, err := os.ReadFile(r.path(name))
			if err != nil {
				t.Fatal(err)
			}
			now := string(old)
			switch rng.IntN(8) {
			case 0:
				now = strings.Replace(now, "\n", " ändrad\n", 1)
			case 1:
				now = "!!" + now
			case 2:
				now = strings.TrimPrefix(now, "!!")
			default:
				for range 1 + rng.IntN(3) {
					line++
					now += fmt.Sprintf("r%d\n", line%7) // repeated lines: equal keys
				}
			}
			r.write(name, now)
			r.commit("", fmt.Sprintf("c%d", i))
		}
		r.git("checkout", "-q", "main")
		r.git("merge", "-q", "--no-edit", "-X", "ours", "sido")
		repo := mustOpen(t, r.dir)
		whole := provenance(t, repo, "", lineOptions(true))
		opt := lineOptions(true)
		opt.Grow = lineGrow
		grown := provenance(t, repo, "", opt)
		if !reflect.DeepEqual(whole.Added, grown.Added) {
			t.Fatalf("seed %d:\nwhole:\n%s\ngrown:\n%s", seed, owners(whole), owners(grown))
		}
	}
}
