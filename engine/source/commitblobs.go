package source

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"
)

// commitBlobs reads the record files of a commit that RevisionIDs and
// KnownAtIDs leave unread, when a reader asks for them (Snapshot.ReadData).
// The packs are opened at the first read, and closed when the snapshot is
// no longer used; a snapshot whose files are never read opens nothing.
// Safe for concurrent use: a loader parses files in parallel.
type commitBlobs struct {
	r     *Repo
	short string // the commit, for messages
	limit int64
	ids   map[string]plumbing.Hash // by path; never changed

	once    sync.Once
	ps      *packs
	readers sync.Pool // *packReader, one per goroutine at a time

	mu  sync.Mutex
	err error // the first read that failed
}

// blobReads counts the blobs commitBlobs read, for tests.
var blobReads atomic.Int64

func (b *commitBlobs) packs() *packs {
	b.once.Do(func() {
		repo, done, err := b.r.open()
		if err != nil {
			return // every read goes through go-git, which says what is wrong
		}
		b.ps = openPacks(repo.Storer)
		done()
		if b.ps != nil {
			runtime.AddCleanup(b, func(ps *packs) { ps.close() }, b.ps)
		}
	})
	return b.ps
}

// read reads the blob of the file at path, as readCommit reads it: from
// the packs or a loose object, else through go-git, whose error names
// the file and the commit.
func (b *commitBlobs) read(path string) ([]byte, error) {
	h := b.ids[path] // none: the zero hash, which go-git does not find
	blobReads.Add(1)
	var data []byte
	err := errNotPacked
	if ps := b.packs(); ps != nil {
		rd, _ := b.readers.Get().(*packReader)
		if rd == nil {
			rd = ps.reader()
		}
		data, err = rd.blob(h, b.limit)
		b.readers.Put(rd)
	}
	if err == nil {
		return data, nil
	}
	// Not in a pack, or a pack that does not read: go-git reads it, and
	// says what is wrong.
	repo, done, err := b.r.open()
	if err != nil {
		return nil, b.fail(err)
	}
	defer done()
	data, err = readBlobMax(repo.Storer, h, b.limit)
	var tl *tooLargeError
	if errors.As(err, &tl) { // its size was read as within the limit
		err = errBadPack
	}
	if err != nil {
		return nil, b.fail(readError(repo, b.r.top, path+" i commit "+b.short, err))
	}
	return data, nil
}

// fail keeps the first error of a read.
func (b *commitBlobs) fail(err error) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.err = err
	}
	return err
}

// ReadErr is the first error of ReadData reading a file of a commit (from
// RevisionIDs or KnownAtIDs): the object store is damaged, or a file of the
// commit is missing from it. Records read from such a snapshot are not
// whole; the error names the file and the commit. Nil for the working tree.
func (s *Snapshot) ReadErr() error {
	if s == nil || s.blobs == nil {
		return nil
	}
	s.blobs.mu.Lock()
	defer s.blobs.mu.Unlock()
	return s.blobs.err
}

// Committed reports whether the files of s are those of a commit read on
// demand (RevisionIDs, KnownAtIDs): ReadData then gives the bytes of
// each file's ID, never newer ones, so they need no hashing.
func (s *Snapshot) Committed() bool { return s.blobs != nil }
