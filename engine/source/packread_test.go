package source

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// deltaRepo is a repository whose files grow over 40 commits and are
// packed with deltas (chains of one file's versions), plus one file that
// is stored whole and one that is empty.
func deltaRepo(t *testing.T) *testRepo {
	t.Helper()
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n")
	r.write("data/tom.csv", "")
	var rows strings.Builder
	for i := range 40 {
		for j := range 30 {
			fmt.Fprintf(&rows, "2022-03-%02d;trafikkontroll;plats %d-%d;polisen\n", j%28+1, i, j)
		}
		r.write("data/2022/trafik.csv", rows.String())
		r.write("data/2022/kopia.csv", strings.ToUpper(rows.String()))
		r.commit(fmt.Sprintf("2022-01-%02dT12:00:00+01:00", i%28+1), fmt.Sprint("c", i))
	}
	r.git("gc", "-q", "--aggressive", "--prune=now")
	return r
}

// allBlobs lists every blob of every commit.
func allBlobs(t *testing.T, r *testRepo) []plumbing.Hash {
	t.Helper()
	var hs []plumbing.Hash
	out := r.git("rev-list", "--all", "--objects", "--filter=object:type=blob")
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 {
			hs = append(hs, plumbing.NewHash(f[0]))
		}
	}
	return hs
}

func TestPackReaderMatchesGoGit(t *testing.T) {
	r := deltaRepo(t)
	if !strings.Contains(r.git("verify-pack", "-v", filepath.Join(r.dir, ".git/objects/pack", packName(t, r)+".idx")), "chain length = 2") {
		t.Fatal("the pack holds no delta chains: the test reads no delta")
	}
	repo, done, err := mustOpen(t, r.dir).open()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	ps := openPacks(repo.Storer)
	defer ps.close()
	hs := allBlobs(t, r)
	if len(hs) < 80 {
		t.Fatalf("%d blobs", len(hs))
	}
	got, errs := ps.readBlobs(hs, 0)
	for i, h := range hs {
		want, err := readBlobMax(repo.Storer, h, 0)
		if err != nil {
			t.Fatal(err)
		}
		if errs[i] != nil || !bytes.Equal(got[i], want) || got[i] == nil {
			t.Errorf("blob %s: %d bytes, %v; want %d bytes", h, len(got[i]), errs[i], len(want))
		}
	}
	// One reader, every blob twice: the second time from the base cache.
	pr := ps.reader()
	for range 2 {
		for i, h := range hs {
			b, err := pr.blob(h, 0)
			if err != nil || !bytes.Equal(b, got[i]) {
				t.Fatalf("blob %s again: %v", h, err)
			}
		}
	}
	// A limit refuses whole blobs and delta targets alike, cached or not.
	big := 0
	for i, h := range hs {
		_, err := pr.blob(h, 100)
		var tl *tooLargeError
		if len(got[i]) > 100 {
			big++
			if !errors.As(err, &tl) || tl.size != int64(len(got[i])) {
				t.Errorf("blob %s of %d bytes over a limit of 100: %v", h, len(got[i]), err)
			}
		} else if err != nil {
			t.Errorf("blob %s of %d bytes: %v", h, len(got[i]), err)
		}
	}
	if big == 0 {
		t.Error("no blob over the limit")
	}
	// Not a blob, and in no pack.
	head := plumbing.NewHash(r.git("rev-parse", "HEAD"))
	if _, err := pr.blob(head, 0); !errors.Is(err, plumbing.ErrObjectNotFound) {
		t.Errorf("a commit read as a blob: %v", err)
	}
	if _, err := pr.blob(plumbing.NewHash(strings.Repeat("ab", 20)), 0); !errors.Is(err, errNotPacked) {
		t.Errorf("an unknown object: %v", err)
	}
}

func packName(t *testing.T, r *testRepo) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(r.dir, ".git/objects/pack/*.idx"))
	if len(m) != 1 {
		t.Fatalf("%d packs", len(m))
	}
	return strings.TrimSuffix(filepath.Base(m[0]), ".idx")
}

// A revision whose blobs are partly packed and partly loose reads the same
// as the working tree it was committed from.
func TestRevisionPackedAndLoose(t *testing.T) {
	r := deltaRepo(t)
	r.write("data/2022/ny.csv", "2022-05-01;trafikkontroll;Habo;polisen\n")
	r.commit("2022-02-01T12:00:00+01:00", "lös")
	repo := mustOpen(t, r.dir)
	rev, err := repo.Revision("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	if wt.Dirty || listing(rev.Files) != listing(wt.Files) {
		t.Fatalf("revision:\n%s\nworking tree (dirty %v):\n%s", listing(rev.Files), wt.Dirty, listing(wt.Files))
	}
	for i := range rev.Files {
		if !bytes.Equal(rev.Files[i].Data, wt.Files[i].Data) {
			t.Errorf("%s differs", rev.Files[i].Path)
		}
	}
}

// A damaged pack is an error of Revision (from go-git, which reads what the
// pack reader cannot), never a panic nor wrong content.
func TestRevisionDamagedPack(t *testing.T) {
	r := deltaRepo(t)
	pack := filepath.Join(r.dir, ".git/objects/pack", packName(t, r)+".pack")
	orig, err := os.ReadFile(pack)
	if err != nil {
		t.Fatal(err)
	}
	want, err := mustOpen(t, r.dir).Revision("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 40 {
		b := bytes.Clone(orig)
		for range 4 {
			b[12+rng.IntN(len(b)-32)] ^= byte(1 + rng.IntN(255))
		}
		if err := os.Chmod(pack, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(pack, b, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := mustOpen(t, r.dir).Revision("HEAD")
		if err != nil {
			continue
		}
		for i, f := range s.Files {
			if i >= len(want.Files) || f.Path != want.Files[i].Path || !bytes.Equal(f.Data, want.Files[i].Data) {
				t.Fatalf("a damaged pack read as other content: %s", f.Path)
			}
		}
	}
}

func TestPatchDamagedDelta(t *testing.T) {
	base := []byte("2022-03-01;trafikkontroll;Mullsjö centrum;polisen\n")
	good := []byte{byte(len(base)), 10, 0x90, 10} // copy 10 bytes from 0
	if out, err := patch(base, good); err != nil || string(out) != string(base[:10]) {
		t.Fatalf("patch: %q, %v", out, err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		d := make([]byte, rng.IntN(12))
		for i := range d {
			d[i] = byte(rng.IntN(256))
		}
		if rng.IntN(2) == 0 && len(d) > 0 {
			d[0] = byte(len(base))
		}
		_, _ = patch(base, d) // no panic
	}
	for _, d := range [][]byte{nil, {}, {0x80}, {byte(len(base)), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}} {
		if _, err := patch(base, d); err == nil {
			t.Errorf("patch(%v) gave no error", d)
		}
	}
}

func TestLooseBlobs(t *testing.T) {
	r := newTestRepo(t)
	r.write("rules/a.yaml", "a\n", "data/x.csv", strings.Repeat("2022-03-01;trafikkontroll;Habo;polisen\n", 10), "data/tom.csv", "")
	r.commit("2022-01-10T12:00:00+01:00", "lös")
	repo, done, err := mustOpen(t, r.dir).open()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	ps := openPacks(repo.Storer)
	defer ps.close()
	pr := ps.reader()
	for _, h := range allBlobs(t, r) {
		want, err := readBlobMax(repo.Storer, h, 0)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pr.blob(h, 0)
		if err != nil || !bytes.Equal(got, want) || got == nil {
			t.Errorf("loose blob %s: %q, %v; want %q", h, got, err, want)
		}
		_, err = pr.blob(h, 100)
		var tl *tooLargeError
		if len(want) > 100 && (!errors.As(err, &tl) || tl.size != int64(len(want))) {
			t.Errorf("loose blob of %d bytes over a limit of 100: %v", len(want), err)
		}
	}
	tree := plumbing.NewHash(r.git("rev-parse", "HEAD^{tree}"))
	if _, err := pr.blob(tree, 0); !errors.Is(err, plumbing.ErrObjectNotFound) {
		t.Errorf("a tree read as a blob: %v", err)
	}
}
