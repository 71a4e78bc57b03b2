package repository

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/source"
)

// ParseCache keeps what parsing a record file gave, its records in
// columns and its problems, in files of a folder (.git/lofte/parsed/), so
// that a file read by an earlier run is not parsed again. An entry is
// named by a key of everything parsing depends on: the file's path and
// blob id, the vocabulary and the parties it is checked against, the
// encoding's version (record.CodecVersion) and the build of the program.
//
// Entries are written to a temporary file renamed into place, so that a
// run reading while another writes sees a whole entry or none; each has a
// header (magic, version, key, length, checksum of the content) and one
// that does not validate (damaged, cut short, of another version) is
// ignored, and the file parsed and written again: the cache is never
// trusted blindly. Failing to write (a read-only repository) only costs
// the next run a parse. Its methods are safe for concurrent use.
type ParseCache struct {
	dir  string
	salt [32]byte
}

// NewParseCache returns the cache in the folder dir, which need not
// exist yet.
func NewParseCache(dir string) *ParseCache {
	return &ParseCache{dir: dir, salt: buildSalt()}
}

// buildSalt identifies the program's build, so that the entries of
// another build, whose parser may read files otherwise, are not used.
// A build from a modified or unknown revision adds its executable's size
// and modification time.
func buildSalt() [32]byte {
	h := sha256.New()
	h.Write([]byte("lofte parsed " + strconv.Itoa(record.CodecVersion) + " " + runtime.Version() + "\x00"))
	exact := false
	if bi, ok := debug.ReadBuildInfo(); ok {
		h.Write([]byte(bi.Main.Path + "@" + bi.Main.Version + "\x00"))
		rev, modified := "", true
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		h.Write([]byte(rev + "\x00"))
		exact = rev != "" && !modified || bi.Main.Version != "" && bi.Main.Version != "(devel)" && !strings.Contains(bi.Main.Version, "+dirty")
	}
	if !exact {
		if exe, err := os.Executable(); err == nil {
			if fi, err := os.Stat(exe); err == nil {
				h.Write([]byte(exe + "\x00" + strconv.FormatInt(fi.Size(), 10) + "\x00" + strconv.FormatInt(fi.ModTime().UnixNano(), 10)))
			}
		}
	}
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

func (c *ParseCache) file(k parseKey) string {
	return filepath.Join(c.dir, hex.EncodeToString(k[:20]))
}

// The header of an entry: magic, version, key, length and CRC-32C of the
// content.
const (
	cacheMagic  = "lofteP\x00\x01"
	headerSize  = len(cacheMagic) + 4 + len(parseKey{}) + 8 + 4
	maxCacheHit = 1 << 30
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// get returns the parse stored under k, if there is one that validates.
func (c *ParseCache) get(k parseKey) (*record.Chunk, diag.List, bool) {
	// Decoding copies what it keeps: the buffer serves the next entry.
	buf := readBufs.Get().(*[]byte)
	defer readBufs.Put(buf)
	data, ok := readInto(buf, c.file(k))
	if !ok || len(data) < headerSize {
		return nil, nil, false
	}
	h, body := data[:headerSize], data[headerSize:]
	if string(h[:len(cacheMagic)]) != cacheMagic {
		return nil, nil, false
	}
	h = h[len(cacheMagic):]
	if binary.LittleEndian.Uint32(h) != record.CodecVersion || !bytes.Equal(h[4:4+len(k)], k[:]) {
		return nil, nil, false
	}
	h = h[4+len(k):]
	if binary.LittleEndian.Uint64(h) != uint64(len(body)) || binary.LittleEndian.Uint32(h[8:]) != crc32.Checksum(body, castagnoli) {
		return nil, nil, false
	}
	chunk, diags, err := record.DecodeParsed(body)
	if err != nil {
		return nil, nil, false
	}
	return chunk, diags, true
}

// readBufs are the buffers entries are read into.
var readBufs = sync.Pool{New: func() any { return new([]byte) }}

// readInto reads the file at path into *buf, grown as need be.
func readInto(buf *[]byte, path string) ([]byte, bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() > maxCacheHit {
		return nil, false
	}
	n := int(fi.Size())
	if cap(*buf) < n {
		*buf = make([]byte, n)
	}
	data := (*buf)[:n]
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, false
	}
	return data, true
}

// put stores a parse under k.
func (c *ParseCache) put(k parseKey, chunk *record.Chunk, diags diag.List) {
	b := make([]byte, headerSize, headerSize+64+24*chunk.Len())
	b = record.EncodeParsed(b, chunk, diags)
	body := b[headerSize:]
	h := append(b[:0], cacheMagic...) // the header, written in place in b
	h = binary.LittleEndian.AppendUint32(h, record.CodecVersion)
	h = append(h, k[:]...)
	h = binary.LittleEndian.AppendUint64(h, uint64(len(body)))
	binary.LittleEndian.AppendUint32(h, crc32.Checksum(body, castagnoli))
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(c.dir, ".tmp-*")
	if err != nil {
		return
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), c.file(k))
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
}

// sweep removes the entries not named in keep once the folder holds more
// than twice as many (and a few more) as keep: the cache stays bounded by
// the size of the repository read, and an entry another run still uses
// is at worst parsed and written again.
func (c *ParseCache) sweep(keep map[parseKey]bool) {
	entries, err := os.ReadDir(c.dir)
	if err != nil || len(entries) <= 2*len(keep)+16 {
		return
	}
	names := make(map[string]bool, len(keep))
	for k := range keep {
		names[filepath.Base(c.file(k))] = true
	}
	for _, e := range entries {
		// A temporary file too: a run that crashed left it, or the
		// rename of a run writing it fails, which costs only the entry.
		if !names[e.Name()] {
			_ = os.Remove(filepath.Join(c.dir, e.Name()))
		}
	}
}
