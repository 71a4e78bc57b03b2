package source

import (
	"bufio"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Reading blobs straight from the pack files. go-git decodes every object
// read through its object cache, whose Put hashes the object again (SHA-1
// with collision detection) to key it, and resolves a delta chain through
// the same cache; its pack scanner is not safe for concurrent use. A
// committed tree of a million records is hundreds of blobs, most of them
// deltas of one another: here each blob is found through the pack's index,
// inflated with a reusable zlib reader, and its delta bases are kept by
// offset in a cache of their own, with no hash computed. Packs are read
// with ReadAt, which is safe from several goroutines, so the blobs of a
// commit are inflated in parallel, one cache per goroutine. Loose objects
// are read here too. What is in neither (an alternate object store), or
// does not read (a damaged pack), is read through go-git, which says what
// is wrong.

// packs are the pack files of a repository, opened once for one read.
type packs struct {
	list []*pack
	fs   billy.Filesystem // the git folder, for loose objects
}

type pack struct {
	idx  *idxfile.MemoryIndex
	file io.ReaderAt
	size int64
	c    io.Closer
}

// openPacks opens the packs of st's repository; nil when st is no
// filesystem storage. A pack that cannot be opened is left out: its
// objects are read through go-git, which says what is wrong.
func openPacks(st any) *packs {
	fst, ok := st.(*filesystem.Storage)
	if !ok {
		return nil
	}
	hashes, err := fst.ObjectPacks()
	if err != nil {
		return nil
	}
	fs := fst.Filesystem()
	ps := &packs{fs: fs}
	for _, h := range hashes {
		name := "objects/pack/pack-" + h.String()
		ix, err := fs.Open(name + ".idx")
		if err != nil {
			continue
		}
		idx := idxfile.NewMemoryIndex()
		err = idxfile.NewDecoder(bufio.NewReader(ix)).Decode(idx)
		_ = ix.Close()
		if err != nil {
			continue
		}
		f, err := fs.Open(name + ".pack")
		if err != nil {
			continue
		}
		fi, err := fs.Stat(name + ".pack")
		if err != nil {
			_ = f.Close()
			continue
		}
		ps.list = append(ps.list, &pack{idx: idx, file: f, size: fi.Size(), c: f})
	}
	return ps
}

func (ps *packs) close() {
	if ps == nil {
		return
	}
	for _, p := range ps.list {
		_ = p.c.Close()
	}
}

// find returns the pack holding h and its offset there.
func (ps *packs) find(h plumbing.Hash) (*pack, int64, bool) {
	if ps == nil {
		return nil, 0, false
	}
	for _, p := range ps.list {
		if off, err := p.idx.FindOffset(h); err == nil {
			return p, off, true
		}
	}
	return nil, 0, false
}

// errNotPacked: the object is in no pack (a loose object); go-git reads it.
var errNotPacked = errors.New("object not in a pack")

// errBadPack: the pack does not hold what its index says.
var errBadPack = errors.New("pack file damaged")

const (
	objCommit   = 1
	objTree     = 2
	objBlob     = 3
	objTag      = 4
	objOFSDelta = 6
	objREFDelta = 7

	// maxChain bounds a delta chain, as git's own limit does; a longer one
	// is a damaged (or cyclic) pack.
	maxChain = 4096
	// baseCacheSize bounds the bytes of delta bases kept by one reader.
	baseCacheSize = 32 << 20
	// maxObject bounds what one object may claim to be, before anything is
	// allocated for it: a damaged header must not allocate gigabytes.
	maxObject = 1 << 31
)

type baseKey struct {
	p   *pack
	off int64
}

type baseVal struct {
	typ  int
	data []byte
}

// packReader reads objects from packs; one per goroutine.
type packReader struct {
	ps     *packs
	bases  map[baseKey]baseVal
	cached int
	br     *bufio.Reader
	zr     io.ReadCloser
	hdr    [64]byte
}

func (ps *packs) reader() *packReader {
	return &packReader{ps: ps, bases: map[baseKey]baseVal{}}
}

// blob reads the blob h whole; errNotPacked when no pack holds it, a
// *tooLargeError when it is over limit bytes (0: no limit).
func (r *packReader) blob(h plumbing.Hash, limit int64) ([]byte, error) {
	p, off, ok := r.ps.find(h)
	if !ok {
		return r.loose(h, limit)
	}
	typ, data, err := r.object(p, off, limit, 0)
	if err != nil {
		return nil, err
	}
	if typ != objBlob {
		return nil, plumbing.ErrObjectNotFound
	}
	return data, nil
}

// object reads the object at off in p, resolving deltas; limit applies to
// the object asked for, not to its bases.
func (r *packReader) object(p *pack, off, limit int64, depth int) (int, []byte, error) {
	if depth > maxChain {
		return 0, nil, errBadPack
	}
	if v, ok := r.bases[baseKey{p, off}]; ok {
		if limit > 0 && int64(len(v.data)) > limit {
			return 0, nil, &tooLargeError{size: int64(len(v.data))}
		}
		return v.typ, v.data, nil
	}
	typ, size, data, baseOff, baseHash, err := r.header(p, off)
	if err != nil {
		return 0, nil, err
	}
	switch typ {
	case objCommit, objTree, objBlob, objTag:
		if limit > 0 && size > limit {
			return 0, nil, &tooLargeError{size: size}
		}
		out, err := r.inflate(p, data, size)
		return typ, out, err
	case objOFSDelta, objREFDelta:
	default:
		return 0, nil, errBadPack
	}
	delta, err := r.inflate(p, data, size)
	if err != nil {
		return 0, nil, err
	}
	if limit > 0 {
		_, rest, ok := leb128(delta)
		if target, _, ok2 := leb128(rest); ok && ok2 && int64(target) > limit {
			return 0, nil, &tooLargeError{size: int64(target)}
		}
	}
	bp := p
	if typ == objREFDelta {
		var ok bool
		if bp, baseOff, ok = r.ps.find(baseHash); !ok {
			return 0, nil, errNotPacked
		}
	}
	btyp, base, err := r.object(bp, baseOff, 0, depth+1)
	if err != nil {
		return 0, nil, err
	}
	r.keep(baseKey{bp, baseOff}, btyp, base)
	out, err := patch(base, delta)
	return btyp, out, err
}

// keep caches a delta base; past the budget the cache starts afresh.
func (r *packReader) keep(k baseKey, typ int, data []byte) {
	if _, ok := r.bases[k]; ok || len(data) > baseCacheSize/4 {
		return
	}
	if r.cached+len(data) > baseCacheSize {
		clear(r.bases)
		r.cached = 0
	}
	r.bases[k] = baseVal{typ, data}
	r.cached += len(data)
}

// loose reads the loose object h, which must be a blob; errNotPacked when
// there is none.
func (r *packReader) loose(h plumbing.Hash, limit int64) (data []byte, err error) {
	hex := h.String()
	f, err := r.ps.fs.Open("objects/" + hex[:2] + "/" + hex[2:])
	if err != nil {
		return nil, errNotPacked
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	if r.br == nil {
		r.br = bufio.NewReaderSize(f, 64<<10)
	} else {
		r.br.Reset(f)
	}
	if err := r.resetZlib(); err != nil {
		return nil, err
	}
	n, err := r.looseHeader()
	if err != nil {
		return nil, err
	}
	if limit > 0 && n > limit {
		return nil, &tooLargeError{size: n}
	}
	return r.readAll(n)
}

// looseHeader reads the header of a loose object, "blob SIZE\x00", from
// the zlib stream r.zr, and returns the size; the object must be a blob.
func (r *packReader) looseHeader() (int64, error) {
	i := 0
	for ; i < len(r.hdr); i++ {
		if _, err := io.ReadFull(r.zr, r.hdr[i:i+1]); err != nil {
			return 0, fmt.Errorf("%w: %v", errBadPack, err)
		}
		if r.hdr[i] == 0 {
			break
		}
	}
	typ, size, ok := strings.Cut(string(r.hdr[:min(i, len(r.hdr))]), " ")
	n, err := strconv.ParseInt(size, 10, 64)
	if i == len(r.hdr) || !ok || err != nil || n < 0 || n > maxObject {
		return 0, errBadPack
	}
	if typ != "blob" {
		return 0, plumbing.ErrObjectNotFound
	}
	return n, nil
}

// header reads the object header at off: type, size (of the object, or
// of the delta), where the compressed data starts, and the delta's base.
func (r *packReader) header(p *pack, off int64) (typ int, size, data, baseOff int64, baseHash plumbing.Hash, err error) {
	if off < 12 || off >= p.size {
		return 0, 0, 0, 0, baseHash, errBadPack
	}
	n, err := p.file.ReadAt(r.hdr[:min(int64(len(r.hdr)), p.size-off)], off)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, 0, 0, 0, baseHash, err
	}
	b := r.hdr[:n]
	i := 0
	next := func() (byte, bool) {
		if i >= len(b) {
			return 0, false
		}
		c := b[i]
		i++
		return c, true
	}
	c, ok := next()
	if !ok {
		return 0, 0, 0, 0, baseHash, errBadPack
	}
	typ = int(c>>4) & 7
	size = int64(c & 15)
	for shift := 4; c&0x80 != 0; shift += 7 {
		if c, ok = next(); !ok || shift > 56 {
			return 0, 0, 0, 0, baseHash, errBadPack
		}
		size |= int64(c&0x7f) << shift
	}
	if size > maxObject || size < 0 {
		return 0, 0, 0, 0, baseHash, errBadPack
	}
	switch typ {
	case objOFSDelta:
		if c, ok = next(); !ok {
			return 0, 0, 0, 0, baseHash, errBadPack
		}
		neg := int64(c & 0x7f)
		for c&0x80 != 0 {
			if c, ok = next(); !ok || neg > 1<<55 {
				return 0, 0, 0, 0, baseHash, errBadPack
			}
			neg = (neg+1)<<7 | int64(c&0x7f)
		}
		baseOff = off - neg
		if neg <= 0 || baseOff < 12 {
			return 0, 0, 0, 0, baseHash, errBadPack
		}
	case objREFDelta:
		if i+20 > len(b) {
			return 0, 0, 0, 0, baseHash, errBadPack
		}
		copy(baseHash[:], b[i:i+20])
		i += 20
	}
	return typ, size, off + int64(i), baseOff, baseHash, nil
}

// inflate reads size bytes of zlib data starting at off in p.
func (r *packReader) inflate(p *pack, off, size int64) ([]byte, error) {
	src := io.NewSectionReader(p.file, off, p.size-off)
	if r.br == nil {
		r.br = bufio.NewReaderSize(src, 64<<10)
	} else {
		r.br.Reset(src)
	}
	if err := r.resetZlib(); err != nil {
		return nil, err
	}
	return r.readAll(size)
}

// resetZlib starts the zlib reader on r.br.
func (r *packReader) resetZlib() error {
	var err error
	if r.zr == nil {
		r.zr, err = zlib.NewReader(r.br)
	} else {
		err = r.zr.(zlib.Resetter).Reset(r.br, nil)
	}
	if err != nil {
		return fmt.Errorf("%w: %v", errBadPack, err)
	}
	return nil
}

// readAll reads the rest of the zlib stream, which must be size bytes.
func (r *packReader) readAll(size int64) ([]byte, error) {
	out := make([]byte, size)
	if _, err := io.ReadFull(r.zr, out); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadPack, err)
	}
	// The stream must end here, its checksum checked: zlib verifies it
	// only on reaching the end.
	if n, err := r.zr.Read(r.hdr[:1]); n != 0 || err != io.EOF {
		return nil, fmt.Errorf("%w: zlib stream longer than its object, or damaged", errBadPack)
	}
	return out, nil
}

// leb128 decodes the sizes at the start of a delta.
func leb128(b []byte) (uint64, []byte, bool) {
	var n uint64
	for i, shift := 0, 0; i < len(b) && shift < 64; i, shift = i+1, shift+7 {
		n |= uint64(b[i]&0x7f) << shift
		if b[i]&0x80 == 0 {
			return n, b[i+1:], true
		}
	}
	return 0, nil, false
}

// patch applies a git delta to base.
func patch(base, delta []byte) ([]byte, error) {
	srcSize, delta, ok := leb128(delta)
	if !ok || srcSize != uint64(len(base)) {
		return nil, errBadPack
	}
	size, delta, ok := leb128(delta)
	if !ok || size > maxObject {
		return nil, errBadPack
	}
	out := make([]byte, 0, size)
	for len(delta) > 0 {
		cmd := delta[0]
		delta = delta[1:]
		switch {
		case cmd&0x80 != 0: // copy from the base
			var offset, n uint64
			for bit := range 4 {
				if cmd&(1<<bit) != 0 {
					if len(delta) == 0 {
						return nil, errBadPack
					}
					offset |= uint64(delta[0]) << (8 * bit)
					delta = delta[1:]
				}
			}
			for bit := range 3 {
				if cmd&(0x10<<bit) != 0 {
					if len(delta) == 0 {
						return nil, errBadPack
					}
					n |= uint64(delta[0]) << (8 * bit)
					delta = delta[1:]
				}
			}
			if n == 0 {
				n = 0x10000
			}
			if offset+n > uint64(len(base)) || uint64(len(out))+n > size {
				return nil, errBadPack
			}
			out = append(out, base[offset:offset+n]...)
		case cmd != 0: // insert from the delta
			n := int(cmd)
			if n > len(delta) || uint64(len(out)+n) > size {
				return nil, errBadPack
			}
			out = append(out, delta[:n]...)
			delta = delta[n:]
		default:
			return nil, errBadPack
		}
	}
	if uint64(len(out)) != size {
		return nil, errBadPack
	}
	return out, nil
}

// readBlobs reads the blobs hs (each up to limit bytes, 0: none) in
// parallel from the packs, one reader per goroutine, each taking a run of
// neighbouring entries so that the delta bases it keeps are of use. It
// returns per blob its bytes or the error; errNotPacked for those the
// caller must read through go-git.
func (ps *packs) readBlobs(hs []plumbing.Hash, limit int64) ([][]byte, []error) {
	data := make([][]byte, len(hs))
	errs := make([]error, len(hs))
	if ps == nil {
		for i := range errs {
			errs[i] = errNotPacked
		}
		return data, errs
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, len(hs)/8))
	// Runs of 32: small enough to share the work, large enough that one
	// folder's months (deltas of one another) mostly fall in one run.
	const run = 32
	var next sync.Mutex
	pos := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := ps.reader()
			for {
				next.Lock()
				from := pos
				pos += run
				next.Unlock()
				if from >= len(hs) {
					return
				}
				for i := from; i < min(from+run, len(hs)); i++ {
					data[i], errs[i] = r.blob(hs[i], limit)
				}
			}
		}()
	}
	wg.Wait()
	return data, errs
}

// maxInflate bounds what one byte of zlib data inflates to: deflate
// codes at best 258 bytes in 2 bits (1032), with some room.
const maxInflate = 1100

// size returns the size of the blob h without reading it whole: from the
// pack entry's header, the start of its delta, or a loose object's
// header; or, for a loose object too small on disk to inflate to more
// than limit bytes, its size on disk (a size within the limit). errNotPacked
// when neither a pack nor a loose object holds it.
func (r *packReader) size(h plumbing.Hash, limit int64) (int64, error) {
	p, off, ok := r.ps.find(h)
	if !ok {
		return r.looseSize(h, limit)
	}
	typ, size, data, _, _, err := r.header(p, off)
	if err != nil {
		return 0, err
	}
	switch typ {
	case objBlob:
		return size, nil
	case objOFSDelta, objREFDelta:
	default:
		return 0, plumbing.ErrObjectNotFound
	}
	// A delta starts with the sizes of its base and of its result.
	src := io.NewSectionReader(p.file, data, p.size-data)
	if r.br == nil {
		r.br = bufio.NewReaderSize(src, 64<<10)
	} else {
		r.br.Reset(src)
	}
	if err := r.resetZlib(); err != nil {
		return 0, err
	}
	n, err := io.ReadFull(r.zr, r.hdr[:min(size, 20)])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return 0, fmt.Errorf("%w: %v", errBadPack, err)
	}
	_, rest, ok := leb128(r.hdr[:n])
	target, _, ok2 := leb128(rest)
	if !ok || !ok2 || target > maxObject {
		return 0, errBadPack
	}
	return int64(target), nil
}

// looseSize reads the size from the header of the loose object h, which
// must be a blob.
func (r *packReader) looseSize(h plumbing.Hash, limit int64) (size int64, err error) {
	hex := h.String()
	name := "objects/" + hex[:2] + "/" + hex[2:]
	fi, err := r.ps.fs.Stat(name)
	if err != nil {
		return 0, errNotPacked
	}
	if fi.Size() <= limit/maxInflate {
		return fi.Size(), nil
	}
	f, err := r.ps.fs.Open(name)
	if err != nil {
		return 0, errNotPacked
	}
	defer func() { _ = f.Close() }()
	if r.br == nil {
		r.br = bufio.NewReaderSize(f, 64<<10)
	} else {
		r.br.Reset(f)
	}
	if err := r.resetZlib(); err != nil {
		return 0, err
	}
	return r.looseHeader()
}
