package source

import (
	"bufio"
	"encoding/gob"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// provenanceVersion changes whenever the cache's shape or meaning does:
// a cache of another version is read as none.
const provenanceVersion = 4 // 4: authors and subjects masked (docs/reference.md §11)

// provenanceCache is what .git/lofte/provenance.gob holds: a History and
// what it was built against. The additions are kept as columns, their
// strings as indexes in one table, and with their order by key: a million
// additions decode in a fraction of the time a slice of structs takes,
// and need no sorting.
type provenanceCache struct {
	Version     int
	Fingerprint string
	Prefix      string
	Tip         string
	Commits     []Commit
	added       addedColumns // not encoded with the rest: written after, one column a message
	Unreadable  map[plumbing.Hash][]RecordRef
}

// columns lists the columns of c, in the order they are written: gob
// holds a whole message in memory, so each column is one.
func (c *addedColumns) columns() []any {
	return []any{&c.Keys, &c.Type, &c.Date, &c.By, &c.Path, &c.Line, &c.Commit, &c.ByKey, &c.Strings}
}

// addedColumns are History.Added, one column per field. Type, Date, By
// and Path index Strings (By as its parties joined with "+").
type addedColumns struct {
	Keys                 []byte // 16 bytes per addition
	Type, Date, By, Path []uint32
	Line, Commit, ByKey  []int32 // ByKey: History.sorted
	Strings              []string
}

func toColumns(h *History) addedColumns {
	n := len(h.Added)
	c := addedColumns{Keys: make([]byte, 0, 16*n), Type: make([]uint32, n), Date: make([]uint32, n), By: make([]uint32, n),
		Path: make([]uint32, n), Line: make([]int32, n), Commit: make([]int32, n), ByKey: h.sortKeys()}
	ids := map[string]uint32{}
	id := func(s string) uint32 {
		k, ok := ids[s]
		if !ok {
			k = uint32(len(c.Strings))
			ids[s] = k
			c.Strings = append(c.Strings, s)
		}
		return k
	}
	for i, a := range h.Added {
		c.Keys = append(c.Keys, a.Key[:]...)
		c.Type[i], c.Date[i], c.By[i], c.Path[i] = id(a.Type), id(a.Date), id(strings.Join(a.By, "+")), id(a.Path)
		c.Line[i], c.Commit[i] = int32(a.Line), a.Commit
	}
	return c
}

// additions rebuilds History.Added and its order by key; false when the
// columns do not fit together (a damaged cache). The parties of equal
// additions share one slice.
func (c *addedColumns) additions(commits int) ([]Addition, []int32, bool) {
	n := len(c.Type)
	for _, col := range [][]uint32{c.Date, c.By, c.Path} {
		if len(col) != n {
			return nil, nil, false
		}
	}
	if len(c.Keys) != 16*n || len(c.Line) != n || len(c.Commit) != n || len(c.ByKey) != n {
		return nil, nil, false
	}
	by := make([][]string, len(c.Strings))
	out := make([]Addition, n)
	for i := range out {
		t, d, b, p := c.Type[i], c.Date[i], c.By[i], c.Path[i]
		if max(t, d, b, p) >= uint32(len(c.Strings)) || c.Commit[i] < 0 || int(c.Commit[i]) >= commits {
			return nil, nil, false
		}
		if by[b] == nil && c.Strings[b] != "" {
			by[b] = strings.Split(c.Strings[b], "+")
		}
		a := &out[i]
		copy(a.Key[:], c.Keys[16*i:])
		a.Type, a.Date, a.By, a.Path, a.Line, a.Commit = c.Strings[t], c.Strings[d], by[b], c.Strings[p], int(c.Line[i]), c.Commit[i]
	}
	for _, k := range c.ByKey {
		if k < 0 || int(k) >= n {
			return nil, nil, false
		}
	}
	return out, c.ByKey, true
}

// provenanceCacheFile is the cache's path in the repository's git folder,
// "" when the repository is not stored in a folder.
func provenanceCacheFile(repo *git.Repository) string {
	st, ok := repo.Storer.(*filesystem.Storage)
	if !ok {
		return ""
	}
	return filepath.Join(st.Filesystem().Root(), "lofte", "provenance.gob")
}

// loadProvenance reads the cache; nil when there is none, or it was built
// for another fingerprint or root, or it cannot be read (it is rebuilt).
func loadProvenance(file, fingerprint, prefix string) *History {
	if file == "" {
		return nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil
	}
	defer f.Close()
	var c provenanceCache
	dec := gob.NewDecoder(bufio.NewReader(f))
	if err := dec.Decode(&c); err != nil {
		return nil
	}
	if c.Version != provenanceVersion {
		return nil
	}
	for _, col := range c.added.columns() {
		if err := dec.Decode(col); err != nil {
			return nil
		}
	}
	if c.Version != provenanceVersion || c.Fingerprint != fingerprint || c.Prefix != prefix || c.Tip == "" {
		return nil
	}
	h := newHistory(fingerprint, prefix)
	added, sorted, ok := c.added.additions(len(c.Commits))
	if !ok {
		return nil // damaged
	}
	h.Tip, h.Commits, h.Added, h.sorted = c.Tip, c.Commits, added, sorted
	if c.Unreadable != nil {
		h.unreadable = c.Unreadable
	}
	for i, cm := range h.Commits {
		h.index[cm.Hash] = int32(i)
	}
	if _, ok := h.index[h.Tip]; !ok {
		return nil
	}
	return h
}

// saveProvenance writes the cache through a temporary file renamed over
// it, so that a reader never sees half a cache. Failing to write it (a
// read-only repository) is not an error: the next run walks again.
func saveProvenance(file string, h *History) {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".provenance-*.tmp")
	if err != nil {
		return
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	c := provenanceCache{Version: provenanceVersion, Fingerprint: h.fingerprint, Prefix: h.prefix, Tip: h.Tip,
		Commits: h.Commits, added: toColumns(h), Unreadable: h.unreadable}
	enc := gob.NewEncoder(bw)
	err = enc.Encode(&c)
	for _, col := range c.added.columns() {
		if err == nil {
			err = enc.Encode(col)
		}
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		_ = os.Rename(tmp.Name(), file)
	}
}
