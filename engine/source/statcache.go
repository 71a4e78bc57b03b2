package source

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lofte/lofte/internal/binread"
)

// BlobID is the git blob id of a file's content (SHA-1 of "blob SIZE\0"
// and the bytes), as `git hash-object` gives it.
type BlobID [20]byte

// statKey is what the stat cache compares, as git's index does: size,
// modification and status change times, inode and device. The change
// time (ctime) cannot be set back by a program: a file written again
// and given back its old modification time still differs.
type statKey struct {
	size         int64
	mtime, ctime int64
	ino, dev     uint64
}

type statEntry struct {
	key statKey
	id  BlobID
}

// statCache remembers, per record file, its stat data and the blob id of
// the content read with it. It holds only entries that are not racily
// clean (see settled), so an entry whose stat data match is trusted.
//
// With a file (a git repository), it is kept across runs: read at first
// use, written again (a temporary file renamed into place) after a read
// that changed it. A file that does not validate (damaged, cut short, of
// another version or another work tree) counts as empty: every record file
// is read and hashed once more, and the file written anew.
type statCache struct {
	mu      sync.Mutex
	entries map[string]statEntry
	file    string // where it is kept across runs; "" for none
	root    string // the commitments root, which the entries' paths are relative to
	loaded  bool   // file was read
	changed bool   // entries differ from file's
}

// newStatCache returns the stat cache of the work tree at root, kept in
// the folder dir ("": in memory only).
func newStatCache(dir, root string) *statCache {
	c := &statCache{root: root}
	if dir != "" {
		sum := sha256.Sum256([]byte(root))
		// One file per commitments root: linked work trees may share dir.
		c.file = filepath.Join(dir, "stat-"+hex.EncodeToString(sum[:8]))
	}
	return c
}

// WorkTreeSince is WorkTree for a reader that keeps what it parsed of each
// file (a repository.Loader): every record file under data/ comes with
// its ID, and one whose stat data (size, modification and change times,
// inode, device) is what it was when an earlier read of this Repo, or of
// another run (see WorkTreeCached), hashed it comes with its ID alone,
// Data nil and Unchanged set, without being read or hashed again. A file
// modified less than a second before now when it was hashed is read
// again the next time (git's "racily clean" rule: a write in the same
// tick of the file system's clock as the read leaves the times as they
// were). The reader gets the bytes of an Unchanged file, when it needs
// them, with Snapshot.ReadData. Other files (rules/, and anything but
// records) are always read. Dirty is decided from the IDs.
func (r *Repo) WorkTreeSince(now time.Time) (*Snapshot, error) {
	if r.top == "" || r.stats == nil {
		return r.WorkTree()
	}
	return r.workTree(r.stats, now, false)
}

// WorkTreeCached is WorkTreeSince for a reader without a clock: a file is
// racily clean when modified less than a second before the read started
// by the file system's own clock (the modification time of a file the
// read creates in CacheDir). The stat cache is kept in CacheDir, so a
// run finds the record files that did not change since an earlier run
// without reading them: opening an unchanged work tree reads no record.
// A plain folder, or a git folder where nothing can be written, is read
// as WorkTree reads it.
func (r *Repo) WorkTreeCached() (*Snapshot, error) {
	if r.top == "" || r.stats == nil || r.stats.file == "" {
		return r.WorkTree()
	}
	return r.workTree(r.stats, time.Time{}, true)
}

// lookup returns the id of the file at rel when its stat data is unchanged.
func (c *statCache) lookup(rel string, k statKey) (BlobID, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.load()
	e, ok := c.entries[rel]
	if !ok || e.key != k {
		return BlobID{}, false
	}
	return e.id, true
}

// store keeps the id of the file at rel read with stat data k; forget
// (settled false) drops what was known of it.
func (c *statCache) store(rel string, k statKey, id BlobID, settled bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.load()
	old, had := c.entries[rel]
	switch {
	case settled && (!had || old != statEntry{k, id}):
		c.entries[rel] = statEntry{k, id}
		c.changed = true
	case !settled && had:
		delete(c.entries, rel)
		c.changed = true
	}
}

// keepOnly forgets the files not seen in the last read.
func (c *statCache) keepOnly(seen map[string]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.load()
	for p := range c.entries {
		if !seen[p] {
			delete(c.entries, p)
			c.changed = true
		}
	}
}

// settleLine is how old a modification time must be for its entry to be
// kept: a second before the read started, by the clock the caller gave or
// by the file system's.
type settleLine struct {
	now     time.Time
	tmp     *os.File // created in the cache's folder when the file system's clock is read
	line    int64
	started bool
}

// start reads the file system's clock, once, unless the caller gave one.
// It reports whether the line is known: without a folder to write in,
// nothing is settled.
func (s *settleLine) start(c *statCache) bool {
	if !s.now.IsZero() {
		s.line, s.started = s.now.Add(-time.Second).UnixNano(), true
		return true
	}
	if s.started {
		return s.tmp != nil
	}
	s.started = true
	if c.file == "" || !makeDir(filepath.Dir(c.file)) {
		return false
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.file), ".tmp-stat-*")
	if err != nil {
		return false
	}
	fi, err := tmp.Stat()
	if err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return false
	}
	s.tmp, s.line = tmp, fi.ModTime().Add(-time.Second).UnixNano()
	return true
}

// settled reports whether a file read with stat data k, after start, may
// be trusted the next time its stat data are the same: it was modified
// long enough before the read that a later write gives it another time.
func (s *settleLine) settled(k statKey) bool {
	return s.started && (s.tmp != nil || !s.now.IsZero()) && k.mtime < s.line
}

// save writes the cache to its file when it changed, through tmp when
// the read made one; failing to write costs the next run a read.
func (c *statCache) save(tmp *os.File) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.file == "" || !c.changed {
		if tmp != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
		return
	}
	var err error
	if tmp == nil {
		if !makeDir(filepath.Dir(c.file)) {
			return
		}
		if tmp, err = os.CreateTemp(filepath.Dir(c.file), ".tmp-stat-*"); err != nil {
			return
		}
	}
	fi, err := tmp.Stat()
	if err == nil {
		_, err = tmp.Write(c.encode())
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), c.file)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return
	}
	c.changed = false
	removeStale(filepath.Dir(c.file), fi.ModTime())
}

// removeStale removes the temporary files of runs that stopped before
// renaming theirs: those an hour older than now, by the file system's
// clock (a run still writing one is younger).
func removeStale(dir string, now time.Time) {
	names, _ := filepath.Glob(filepath.Join(dir, ".tmp-stat-*"))
	for _, n := range names {
		if fi, err := os.Stat(n); err == nil && fi.ModTime().Before(now.Add(-time.Hour)) {
			_ = os.Remove(n)
		}
	}
}

// The stat cache's file: magic, version, CRC-32C of the rest, then the
// root and the entries (path, size, times, inode, device, blob id).
const (
	statMagic   = "lofteS\x00\x01"
	statVersion = 1
	statHeader  = len(statMagic) + 4 + 4
	maxStatFile = 1 << 30
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func (c *statCache) encode() []byte {
	paths := make([]string, 0, len(c.entries))
	for p := range c.entries {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	b := make([]byte, statHeader, statHeader+len(c.root)+len(paths)*80)
	b = binary.AppendUvarint(b, uint64(len(c.root)))
	b = append(b, c.root...)
	b = binary.AppendUvarint(b, uint64(len(paths)))
	for _, p := range paths {
		e := c.entries[p]
		b = binary.AppendUvarint(b, uint64(len(p)))
		b = append(b, p...)
		b = binary.AppendVarint(b, e.key.size)
		b = binary.AppendVarint(b, e.key.mtime)
		b = binary.AppendVarint(b, e.key.ctime)
		b = binary.AppendUvarint(b, e.key.ino)
		b = binary.AppendUvarint(b, e.key.dev)
		b = append(b, e.id[:]...)
	}
	copy(b, statMagic)
	binary.LittleEndian.PutUint32(b[len(statMagic):], statVersion)
	binary.LittleEndian.PutUint32(b[len(statMagic)+4:], crc32.Checksum(b[statHeader:], castagnoli))
	return b
}

// load reads the cache's file at first use; c.mu is held.
func (c *statCache) load() {
	if c.loaded {
		return
	}
	c.loaded = true
	if c.entries == nil {
		c.entries = map[string]statEntry{}
	}
	if c.file == "" {
		return
	}
	if entries, ok := decodeStat(readSmall(c.file, maxStatFile), c.root); ok {
		c.entries = entries
	}
	// Missing or not valid: written anew once an entry is stored.
}

// makeDir makes the cache's folder (lofte/ in the git folder) unless it
// exists. The git folder itself is never made: a repository removed
// while it was read stays removed.
func makeDir(dir string) bool {
	err := os.Mkdir(dir, 0o755)
	return err == nil || os.IsExist(err)
}

// readSmall reads the file at path, nil when it cannot or is over limit.
func readSmall(path string, limit int64) []byte {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() > limit {
		return nil
	}
	data := make([]byte, fi.Size())
	if n, _ := f.ReadAt(data, 0); n != len(data) {
		return nil
	}
	return data
}

// decodeStat reads what encode wrote for root; false for anything else.
func decodeStat(b []byte, root string) (map[string]statEntry, bool) {
	if len(b) < statHeader || string(b[:len(statMagic)]) != statMagic ||
		binary.LittleEndian.Uint32(b[len(statMagic):]) != statVersion ||
		binary.LittleEndian.Uint32(b[len(statMagic)+4:]) != crc32.Checksum(b[statHeader:], castagnoli) {
		return nil, false
	}
	d := binread.Reader{B: b[statHeader:]}
	if d.String() != root || d.Bad {
		return nil, false
	}
	n := d.Count(1)
	entries := make(map[string]statEntry, n)
	for range n {
		p := d.String()
		var e statEntry
		e.key.size, e.key.mtime, e.key.ctime = d.Int(), d.Int(), d.Int()
		e.key.ino, e.key.dev = d.Uint(), d.Uint()
		if d.Bad || len(d.B) < len(e.id) || !cachedFile(p) {
			return nil, false
		}
		copy(e.id[:], d.B)
		d.B = d.B[len(e.id):]
		entries[p] = e
	}
	if d.Bad || len(d.B) != 0 || len(entries) != n {
		return nil, false
	}
	return entries, true
}

// cachedFile reports whether rel is a file the stat cache covers: a
// record file under data/ (CSV, YAML, JSON and the like: every file there
// but the promise files, which are few and small).
func cachedFile(rel string) bool {
	return strings.HasPrefix(rel, "data/")
}

// ReadData reads the bytes of the file at path, for a file that came
// Unchanged. From WorkTreeSince, it reads the file on disk, which may
// have changed since: its FileID may not be the ID it came with. From
// RevisionIDs or KnownAtIDs, it reads the file's blob from the git
// repository; an error names the file and the commit, and is kept
// (ReadErr). Safe for concurrent use.
func (s *Snapshot) ReadData(path string) ([]byte, error) {
	if s.blobs != nil {
		return s.blobs.read(path)
	}
	return os.ReadFile(filepath.Join(s.Root, filepath.FromSlash(path)))
}

// ReadDataID is ReadData, with the blob id of the bytes read: id, the one
// the file came with, when they are sure to be its bytes (a commit's blob;
// a file of the working tree whose stat data, before and after the read,
// are those it came with, which were not racily clean: a write since
// would have changed them), else their FileID. It spares hashing a file
// read twice, once for its id and once for its records.
func (s *Snapshot) ReadDataID(path string, id BlobID) ([]byte, BlobID, error) {
	if s.blobs != nil {
		data, err := s.blobs.read(path)
		return data, id, err
	}
	k, known := s.stats[path]
	if !known {
		data, err := s.ReadData(path)
		return data, FileID(data), err
	}
	f, err := os.Open(filepath.Join(s.Root, filepath.FromSlash(path)))
	if err != nil {
		return nil, BlobID{}, err
	}
	defer f.Close()
	before, err := f.Stat()
	if err != nil {
		return nil, BlobID{}, err
	}
	data := make([]byte, 0, max(before.Size(), 0)+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, BlobID{}, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
	after, err := f.Stat()
	if err == nil && statKeyOf(before) == k && statKeyOf(after) == k && int64(len(data)) == k.size {
		return data, id, nil
	}
	return data, FileID(data), nil
}

// FileID is the git blob id of data.
func FileID(data []byte) BlobID { return BlobID(blobHash(data)) }
