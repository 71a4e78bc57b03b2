package repository

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
)

// packChunks parses n small record files, each of its own records.
func packChunks(t *testing.T, n int) []*record.Chunk {
	t.Helper()
	voc, diags := promise.ParseVocabulary("rules/activities.yaml", []byte(hostileVocab))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	var out []*record.Chunk
	for i := range n {
		csv := fmt.Sprintf("date,type,by,plats,skola\n2022-02-%02d,hundsok,polisen,grundskola,Skola %d\n", i%28+1, i)
		c, diags := record.ParseChunk(fmt.Sprintf("data/%d.csv", i), []byte(csv), voc, []string{"polisen"})
		if len(diags) > 0 {
			t.Fatal(diags)
		}
		out = append(out, c)
	}
	return out
}

func packKey(c *ParseCache, i int) parseKey {
	return c.key(fmt.Sprintf("data/%d.csv", i), [20]byte{byte(i)}, [32]byte{}, []string{"polisen"})
}

// folder lists the names of the files in dir.
func folder(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// hits counts the keys of 0..n-1 a new cache on dir has, and checks what
// it gives for them.
func hits(t *testing.T, dir string, chunks []*record.Chunk, n int) int {
	t.Helper()
	c := NewParseCache(dir)
	got := 0
	for i := range n {
		ch, _, ok := c.get(packKey(c, i))
		if !ok {
			continue
		}
		got++
		if ch.Len() != chunks[i].Len() || ch.Types()[0] != chunks[i].Types()[0] {
			t.Errorf("entry %d: %d records of %v, want %d of %v", i, ch.Len(), ch.Types(), chunks[i].Len(), chunks[i].Types())
		}
	}
	return got
}

// TestParseCachePack: the entries of a run go into one pack file, and no
// temporary file is left; another run reads every one of them.
func TestParseCachePack(t *testing.T) {
	dir := t.TempDir()
	chunks := packChunks(t, 20)
	c := NewParseCache(dir)
	keep := map[parseKey]bool{}
	for i, ch := range chunks {
		c.put(packKey(c, i), ch, nil)
		keep[packKey(c, i)] = true
	}
	c.sweep(keep)
	names := folder(t, dir)
	if len(names) != 1 || !strings.HasPrefix(names[0], packPrefix) {
		t.Fatalf("the folder holds %v, want one pack", names)
	}
	if n := hits(t, dir, chunks, 20); n != 20 {
		t.Errorf("%d entries read back, want 20", n)
	}
}

// TestParseCachePacksBounded: runs that each write an entry leave at
// most maxPacks+1 packs, with every entry still used readable; entries no
// longer used, and a file that is no pack, are removed.
func TestParseCachePacksBounded(t *testing.T) {
	dir := t.TempDir()
	chunks := packChunks(t, 30)
	write(t, filepath.Join(dir, "0123456789abcdef0123456789abcdef01234567"), []byte("an entry of an earlier version"))
	keep := map[parseKey]bool{}
	for i, ch := range chunks {
		c := NewParseCache(dir) // a run
		c.put(packKey(c, i), ch, nil)
		keep[packKey(c, i)] = true
		c.sweep(keep)
		if names := folder(t, dir); len(names) > maxPacks+1 {
			t.Fatalf("after %d runs the folder holds %d files: %v", i+1, len(names), names)
		}
	}
	for _, name := range folder(t, dir) {
		if !strings.HasPrefix(name, packPrefix) {
			t.Errorf("%s is left in the folder", name)
		}
	}
	if n := hits(t, dir, chunks, 30); n != 30 {
		t.Errorf("%d entries read back, want 30", n)
	}
	// Only the last two used now: the others go (more than twice as
	// many, and sixteen more).
	c := NewParseCache(dir)
	keep = map[parseKey]bool{}
	for i := 28; i < 30; i++ {
		keep[packKey(c, i)] = true
	}
	c.sweep(keep)
	if n := hits(t, dir, chunks, 28); n != 0 {
		t.Errorf("%d entries no longer used still read", n)
	}
	if n := hits(t, dir, chunks, 30); n != 2 {
		t.Errorf("%d entries read back, want 2", n)
	}
}

// TestParseCachePackDamaged: an entry of a pack with a byte changed is not
// used; the sweep writes the pack anew with the others, which are read
// again, and the damaged one is gone.
func TestParseCachePackDamaged(t *testing.T) {
	dir := t.TempDir()
	chunks := packChunks(t, 10)
	c := NewParseCache(dir)
	keep := map[parseKey]bool{}
	for i, ch := range chunks {
		c.put(packKey(c, i), ch, nil)
		keep[packKey(c, i)] = true
	}
	c.sweep(keep)
	name := filepath.Join(dir, folder(t, dir)[0])
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	b[headerSize+1] ^= 1 // in the body of the first entry
	write(t, name, b)
	c = NewParseCache(dir)
	bad := 0
	for i := range 10 {
		if _, _, ok := c.get(packKey(c, i)); !ok {
			bad++
		}
	}
	if bad != 1 {
		t.Fatalf("%d entries not used, want the damaged one", bad)
	}
	c.sweep(keep)
	if n := hits(t, dir, chunks, 10); n != 9 {
		t.Errorf("%d entries read back, want 9", n)
	}
	if names := folder(t, dir); len(names) != 1 {
		t.Errorf("the folder holds %v, want one pack", names)
	}
}
