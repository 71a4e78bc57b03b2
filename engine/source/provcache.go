package source

import (
	"bufio"
	"encoding/gob"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// provenanceVersion changes whenever the cache's shape or meaning does:
// a cache of another version is read as none.
const provenanceVersion = 1

// provenanceCache is what .git/lofte/provenance.gob holds: a History and
// what it was built against.
type provenanceCache struct {
	Version     int
	Fingerprint string
	Prefix      string
	Tip         string
	Commits     []Commit
	Added       []Addition
	Unreadable  map[plumbing.Hash][]RecordRef
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
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&c); err != nil {
		return nil
	}
	if c.Version != provenanceVersion || c.Fingerprint != fingerprint || c.Prefix != prefix || c.Tip == "" {
		return nil
	}
	h := newHistory(fingerprint, prefix)
	h.Tip, h.Commits, h.Added = c.Tip, c.Commits, c.Added
	if c.Unreadable != nil {
		h.unreadable = c.Unreadable
	}
	for i, cm := range h.Commits {
		h.index[cm.Hash] = int32(i)
	}
	if _, ok := h.index[h.Tip]; !ok {
		return nil
	}
	for i, a := range h.Added {
		if a.Commit < 0 || int(a.Commit) >= len(h.Commits) {
			return nil // damaged
		}
		h.byKey[a.Key] = append(h.byKey[a.Key], int32(i))
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
		Commits: h.Commits, Added: h.Added, Unreadable: h.unreadable}
	err = gob.NewEncoder(bw).Encode(&c)
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
