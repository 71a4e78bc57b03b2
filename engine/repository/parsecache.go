package repository

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/source"
	buildinfo "github.com/lofte/lofte/internal/version"
)

// ParseCache keeps what parsing a record file gave, its records in
// columns and its problems, in a folder (.git/lofte/parsed/), so that a
// file read by an earlier run is not parsed again. An entry is named by a
// key of everything parsing depends on: the file's path and blob id, the
// vocabulary and the parties it is checked against, the encoding's
// version (record.CodecVersion) and the build of the program.
//
// The entries a run writes go into one pack file, in the order of their
// keys, with an index at its end: one file made a run, not one a record
// file (making a file costs more than writing the bytes of an entry).
// A pack is written to a temporary file renamed into place, so that a run
// reading while another writes sees a whole pack or none. Each entry has
// a header (magic, version, key, length, checksum of the content) and the
// index a checksum of its own; an entry that does not validate (damaged,
// cut short, of another version) is ignored, and the file parsed and
// written again, and a damaged pack is written anew with what of it is
// still used: the cache is never trusted blindly. Failing to write (a
// read-only repository) only costs the next run a parse. Its methods are
// safe for concurrent use.
type ParseCache struct {
	dir  string
	salt [32]byte

	mu      sync.Mutex
	packs   map[string]*pack // by file name
	index   map[parseKey]entryAt
	listed  time.Time // the folder's modification time when last listed
	spool   *os.File  // the entries written since the last pack, one after the other
	spoolAt int64
	pending []stored // in spool
	stray   bool     // the folder holds a file that is neither a pack nor a temporary file
}

// pack is one pack file of the folder.
type pack struct {
	name string
	f    *os.File // opened on first use
	keys []parseKey
	bad  bool // an entry of it did not validate
}

// entryAt is where an entry is: bytes [off, off+n) of a pack.
type entryAt struct {
	p      *pack
	off, n int64
}

// stored is an entry in a file: bytes [off, off+n) of f.
type stored struct {
	k      parseKey
	f      *os.File
	off, n int64
}

// NewParseCache returns the cache in the folder dir, which need not
// exist yet.
func NewParseCache(dir string) *ParseCache {
	return &ParseCache{dir: dir, salt: buildSalt()}
}

// buildSalt identifies the program's build, so that the entries of
// another build, whose parser may read files otherwise, are not used
// (internal/version.Build).
func buildSalt() [32]byte {
	h := sha256.New()
	h.Write([]byte("lofte parsed " + strconv.Itoa(record.CodecVersion) + "\x00" + buildinfo.Build()))
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// parseKey is the key of one parse: the names of what it depends on.
type parseKey [32]byte

// key names parsing the file path, of blob id, against the vocabulary
// whose file hashes to vocab and the parties.
func (c *ParseCache) key(path string, id source.BlobID, vocab [32]byte, parties []string) parseKey {
	h := sha256.New()
	h.Write(c.salt[:])
	h.Write(vocab[:])
	h.Write(id[:])
	h.Write([]byte(path + "\x00" + strings.Join(parties, "\x00")))
	var k parseKey
	copy(k[:], h.Sum(nil))
	return k
}

// The header of an entry: magic, version, key, length and CRC-32C of the
// content. A pack ends with its index: per entry its key, offset and
// length, then the number of entries, the index's CRC-32C and packMagic.
const (
	cacheMagic  = "lofteP\x00\x01"
	headerSize  = len(cacheMagic) + 4 + len(parseKey{}) + 8 + 4
	maxCacheHit = 1 << 30
	packMagic   = "lofteI\x00\x01"
	indexEntry  = len(parseKey{}) + 8 + 8
	footerSize  = 4 + 4 + len(packMagic)
	packPrefix  = "p-"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// get returns the parse stored under k, if there is one that validates.
func (c *ParseCache) get(k parseKey) (*record.Chunk, diag.List, bool) {
	at, ok := c.find(k)
	if !ok || at.n < int64(headerSize) || at.n > maxCacheHit {
		return nil, nil, false
	}
	f, err := c.open(at.p)
	if err != nil {
		return nil, nil, false
	}
	// Decoding copies what it keeps: the buffer serves the next entry.
	buf := readBufs.Get().(*[]byte)
	defer readBufs.Put(buf)
	if cap(*buf) < int(at.n) {
		*buf = make([]byte, at.n)
	}
	data := (*buf)[:at.n]
	if _, err := f.ReadAt(data, at.off); err != nil {
		c.damaged(at.p)
		return nil, nil, false
	}
	chunk, diags, ok := decodeEntry(data, k)
	if !ok {
		c.damaged(at.p)
	}
	return chunk, diags, ok
}

// decodeEntry decodes the entry data, which must be of key k.
func decodeEntry(data []byte, k parseKey) (*record.Chunk, diag.List, bool) {
	if !validEntry(data, k) {
		return nil, nil, false
	}
	chunk, diags, err := record.DecodeParsed(data[headerSize:])
	if err != nil {
		return nil, nil, false
	}
	return chunk, diags, true
}

// validEntry reports whether data is an entry of key k, of this version,
// whole and of the content it was written with.
func validEntry(data []byte, k parseKey) bool {
	if len(data) < headerSize {
		return false
	}
	h, body := data[:headerSize], data[headerSize:]
	if string(h[:len(cacheMagic)]) != cacheMagic {
		return false
	}
	h = h[len(cacheMagic):]
	if binary.LittleEndian.Uint32(h) != record.CodecVersion || !bytes.Equal(h[4:4+len(k)], k[:]) {
		return false
	}
	h = h[4+len(k):]
	return binary.LittleEndian.Uint64(h) == uint64(len(body)) && binary.LittleEndian.Uint32(h[8:]) == crc32.Checksum(body, castagnoli)
}

// readBufs are the buffers entries are read and encoded into.
var readBufs = sync.Pool{New: func() any { return new([]byte) }}

// find returns where the entry of k is, listing the folder again when it
// changed since: another run may have written it.
func (c *ParseCache) find(k parseKey) (entryAt, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if at, ok := c.index[k]; ok {
		return at, true
	}
	c.list()
	at, ok := c.index[k]
	return at, ok
}

// list reads the indexes of the packs of the folder not read yet, when
// the folder changed since it was last listed. c.mu is held.
func (c *ParseCache) list() {
	fi, err := os.Stat(c.dir)
	if err != nil || c.packs != nil && fi.ModTime().Equal(c.listed) {
		return
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	c.listed = fi.ModTime()
	if c.packs == nil {
		c.packs, c.index = map[string]*pack{}, map[parseKey]entryAt{}
	}
	for _, e := range entries {
		switch name := e.Name(); {
		case strings.HasPrefix(name, packPrefix):
			if c.packs[name] == nil {
				c.readIndex(name)
			}
		case !strings.HasPrefix(name, ".tmp-"):
			c.stray = true // an entry of an earlier version, say
		}
	}
}

// readIndex adds the entries of the pack name to the index, if its index
// validates; else the pack is known as damaged. c.mu is held.
func (c *ParseCache) readIndex(name string) {
	p := &pack{name: name, bad: true}
	c.packs[name] = p
	f, err := os.Open(filepath.Join(c.dir, name))
	if err != nil {
		return
	}
	p.f = f
	fi, err := f.Stat()
	if err != nil || fi.Size() < int64(footerSize) {
		return
	}
	size := fi.Size()
	var foot [footerSize]byte
	if _, err := f.ReadAt(foot[:], size-int64(footerSize)); err != nil || string(foot[8:]) != packMagic {
		return
	}
	n := int64(binary.LittleEndian.Uint32(foot[:]))
	if n*int64(indexEntry) > size-int64(footerSize) {
		return
	}
	idx := make([]byte, n*int64(indexEntry))
	start := size - int64(footerSize) - int64(len(idx))
	if _, err := f.ReadAt(idx, start); err != nil || crc32.Checksum(idx, castagnoli) != binary.LittleEndian.Uint32(foot[4:]) {
		return
	}
	p.bad = false
	for b := idx; len(b) > 0; b = b[indexEntry:] {
		var k parseKey
		copy(k[:], b)
		off, l := int64(binary.LittleEndian.Uint64(b[len(k):])), int64(binary.LittleEndian.Uint64(b[len(k)+8:]))
		if off < 0 || l < 0 || off > start || l > start-off {
			p.bad = true
			continue
		}
		p.keys = append(p.keys, k)
		c.index[k] = entryAt{p, off, l}
	}
}

// open returns the pack's file, opened on first use.
func (c *ParseCache) open(p *pack) (*os.File, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.openLocked(p)
}

// openLocked is open, c.mu held.
func (c *ParseCache) openLocked(p *pack) (*os.File, error) {
	if p.f == nil {
		f, err := os.Open(filepath.Join(c.dir, p.name))
		if err != nil {
			return nil, err
		}
		p.f = f
	}
	return p.f, nil
}

// damaged notes that an entry of p did not validate: the next sweep
// writes the pack anew.
func (c *ParseCache) damaged(p *pack) {
	c.mu.Lock()
	p.bad = true
	c.mu.Unlock()
}

// put stores a parse under k: in memory until the run's sweep, or until
// enough is held, then in a pack.
func (c *ParseCache) put(k parseKey, chunk *record.Chunk, diags diag.List) {
	// The entry is encoded into a buffer the next one is encoded into:
	// once in the spool, it is not held.
	buf := readBufs.Get().(*[]byte)
	defer readBufs.Put(buf)
	b := append((*buf)[:0], make([]byte, headerSize)...)
	b = record.EncodeParsed(b, chunk, diags)
	*buf = b[:0]
	body := b[headerSize:]
	h := append(b[:0], cacheMagic...) // the header, written in place in b
	h = binary.LittleEndian.AppendUint32(h, record.CodecVersion)
	h = append(h, k[:]...)
	h = binary.LittleEndian.AppendUint64(h, uint64(len(body)))
	binary.LittleEndian.AppendUint32(h, crc32.Checksum(body, castagnoli))
	c.mu.Lock()
	defer c.mu.Unlock()
	// The entry waits in the spool, not in memory, until the run's sweep
	// puts the entries in order into a pack.
	if c.spool == nil {
		if err := os.MkdirAll(c.dir, 0o755); err != nil {
			return
		}
		f, err := os.CreateTemp(c.dir, ".tmp-*")
		if err != nil {
			return
		}
		c.spool, c.spoolAt = f, 0
	}
	if _, err := c.spool.Write(b); err != nil {
		c.dropSpool()
		return
	}
	c.pending = append(c.pending, stored{k, c.spool, c.spoolAt, int64(len(b))})
	c.spoolAt += int64(len(b))
}

// dropSpool removes the spool. c.mu is held.
func (c *ParseCache) dropSpool() {
	if c.spool != nil {
		_ = c.spool.Close()
		_ = os.Remove(c.spool.Name())
	}
	c.spool, c.spoolAt, c.pending = nil, 0, nil
}

// flush writes the pending entries into a pack. c.mu is held.
func (c *ParseCache) flush() {
	if len(c.pending) > 0 {
		c.writePack(c.pending)
	}
	c.dropSpool()
}

// writePack writes the entries es, those that validate, into a pack, in
// the order of their keys (one key once), and adds it to the index: the
// same entries make the same pack, under the same name. c.mu is held.
func (c *ParseCache) writePack(es []stored) {
	slices.SortFunc(es, func(a, b stored) int { return bytes.Compare(a.k[:], b.k[:]) })
	es = slices.CompactFunc(es, func(a, b stored) bool { return a.k == b.k })
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(c.dir, ".tmp-*")
	if err != nil {
		return
	}
	w := bufio.NewWriterSize(tmp, 1<<20)
	idx := make([]byte, 0, len(es)*indexEntry+footerSize)
	var kept []stored
	off := int64(0)
	var buf []byte
	for _, e := range es {
		if e.n > maxCacheHit {
			continue
		}
		if int64(cap(buf)) < e.n {
			buf = make([]byte, e.n)
		}
		data := buf[:e.n]
		if _, err := e.f.ReadAt(data, e.off); err != nil || !validEntry(data, e.k) {
			continue
		}
		w.Write(data)
		idx = append(idx, e.k[:]...)
		idx = binary.LittleEndian.AppendUint64(idx, uint64(off))
		idx = binary.LittleEndian.AppendUint64(idx, uint64(e.n))
		kept = append(kept, stored{k: e.k, off: off, n: e.n})
		off += e.n
	}
	n := len(kept)
	sum := crc32.Checksum(idx, castagnoli)
	named := sha256.Sum256(idx)
	name := packPrefix + hex.EncodeToString(named[:20])
	idx = binary.LittleEndian.AppendUint32(idx, uint32(n))
	idx = binary.LittleEndian.AppendUint32(idx, sum)
	idx = append(idx, packMagic...)
	w.Write(idx)
	err = w.Flush()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(c.dir, name))
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return
	}
	if c.packs == nil {
		c.list()
		if c.packs == nil {
			return
		}
	}
	if old := c.packs[name]; old != nil {
		c.forget(old) // the file it had is replaced
	}
	p := &pack{name: name}
	c.packs[name] = p
	for _, e := range kept {
		p.keys = append(p.keys, e.k)
		c.index[e.k] = entryAt{p, e.off, e.n}
	}
}

// forget drops p and its entries from the index. c.mu is held.
func (c *ParseCache) forget(p *pack) {
	for _, k := range p.keys {
		if at, ok := c.index[k]; ok && at.p == p {
			delete(c.index, k)
		}
	}
	if p.f != nil {
		_ = p.f.Close()
		p.f = nil
	}
	delete(c.packs, p.name)
}

// maxPacks is the number of packs beyond which a sweep writes the
// entries still used into one.
const maxPacks = 8

// sweep writes the pending entries into a pack, then, once the packs
// hold more than twice as many entries (and a few more) as keep names,
// or are many, or one is damaged, writes the entries named in keep into
// one pack and removes every other file: the cache stays bounded by the
// size of the repository read, and an entry another run still uses is
// at worst parsed and written again.
func (c *ParseCache) sweep(keep map[parseKey]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.flush()
	c.list()
	n, bad := 0, false
	for _, p := range c.packs {
		n += len(p.keys)
		bad = bad || p.bad
	}
	if !bad && !c.stray && n <= 2*len(keep)+16 && len(c.packs) <= maxPacks {
		return
	}
	var es []stored
	for k := range keep {
		if at, ok := c.index[k]; ok {
			if f, err := c.openLocked(at.p); err == nil {
				es = append(es, stored{k, f, at.off, at.n})
			}
		}
	}
	old := maps.Clone(c.packs)
	if len(es) > 0 {
		c.writePack(es)
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	c.stray = false
	for _, e := range entries {
		// A temporary file too: a run that crashed left it, or the
		// rename of a run writing it fails, which costs only the entry.
		name := e.Name()
		if p := c.packs[name]; p != nil && old[name] != p {
			continue // the pack just written
		}
		if p := c.packs[name]; p != nil {
			c.forget(p)
		}
		_ = os.Remove(filepath.Join(c.dir, name))
	}
	for _, p := range old {
		if c.packs[p.name] == p {
			c.forget(p)
		}
	}
}
