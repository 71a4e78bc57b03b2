package source

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// BlobID is the git blob id of a file's content (SHA-1 of "blob SIZE\0"
// and the bytes), as `git hash-object` gives it.
type BlobID [20]byte

// statKey is what the stat cache compares, as git's index does: size,
// modification time, inode and device.
type statKey struct {
	size     int64
	mtime    int64
	ino, dev uint64
}

type statEntry struct {
	key statKey
	id  BlobID
}

// statCache remembers, per record file, its stat data and the blob id of
// the content read with it.
type statCache struct {
	mu      sync.Mutex
	entries map[string]statEntry
}

// WorkTreeSince is WorkTree for a reader that keeps what it parsed of each
// file (a repository.Loader): every record file under data/ comes with
// its ID, and one whose stat data (size, modification time, inode,
// device) is what it was at the previous WorkTreeSince of this Repo comes
// with its ID alone, Data nil and Unchanged set, without being read or
// hashed again. A file modified less than a second before now is read
// again anyway (git's "racily clean" rule: a write in the same tick of the
// file system's clock as the read leaves the times as they were). The reader gets
// the bytes of an Unchanged file, when it needs them, with
// Snapshot.ReadData. Other files (rules/, and anything but records) are
// always read. Dirty is decided from the IDs.
func (r *Repo) WorkTreeSince(now time.Time) (*Snapshot, error) {
	if r.top == "" || r.stats == nil {
		return r.WorkTree()
	}
	return r.workTree(r.stats, now)
}

// lookup returns the id of the file at rel when its stat data is unchanged
// and old enough to be trusted.
func (c *statCache) lookup(rel string, k statKey, now time.Time) (BlobID, bool) {
	c.mu.Lock()
	e, ok := c.entries[rel]
	c.mu.Unlock()
	if !ok || e.key != k || k.mtime >= now.Add(-time.Second).UnixNano() {
		return BlobID{}, false
	}
	return e.id, true
}

func (c *statCache) store(rel string, k statKey, id BlobID) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]statEntry{}
	}
	c.entries[rel] = statEntry{k, id}
	c.mu.Unlock()
}

// keepOnly forgets the files not seen in the last read.
func (c *statCache) keepOnly(seen map[string]bool) {
	c.mu.Lock()
	for p := range c.entries {
		if !seen[p] {
			delete(c.entries, p)
		}
	}
	c.mu.Unlock()
}

// cachedFile reports whether rel is a file the stat cache covers: a
// record file under data/ (CSV, YAML, JSON and the like: every file there
// but the promise files, which are few and small).
func cachedFile(rel string) bool {
	return strings.HasPrefix(rel, "data/")
}

// ReadData reads the bytes of the file at path from disk, for a file that
// came Unchanged from WorkTreeSince. The file may have changed since: its
// FileID may not be the ID it came with.
func (s *Snapshot) ReadData(path string) ([]byte, error) {
	return os.ReadFile(filepath.Join(s.Root, filepath.FromSlash(path)))
}

// FileID is the git blob id of data.
func FileID(data []byte) BlobID { return BlobID(blobHash(data)) }
