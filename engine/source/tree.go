package source

import (
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/lofte/lofte/engine/privacy"
)

// maxLinkHops bounds the chain of symbolic links followed in a tree, as the
// operating system does on disk.
const maxLinkHops = 40

// blobRef is one file of a committed tree: its path relative to the root and
// the hash of its content, symbolic links already followed.
type blobRef struct {
	path string
	hash plumbing.Hash
	bad  bool // a name that cannot be trusted: listed as unread, never read
	// unread, when set, is why the entry is not read (an Unread's
	// message): a symbolic link leading out of the root.
	unread string
}

// treeWalk lists the files under rules/ and data/ of one commit, walking
// each tree once and reading no blob but those of symbolic links.
type treeWalk struct {
	st       storer.EncodedObjectStorer
	top      *object.Tree // the commit's whole tree, where link targets are looked up
	prefix   string
	root     string // for messages
	refs     []blobRef
	warnings []string
	linked   links
	noData   bool // the commit has no folder data/
}

// commitRefs lists the files under rules/ and data/ of commit c.
func (r *Repo) commitRefs(repo *git.Repository, c *object.Commit) ([]blobRef, []string, error) {
	w, err := r.walkCommit(repo, c)
	if err != nil {
		return nil, nil, err
	}
	return w.refs, w.warnings, nil
}

// walkCommit walks rules/ and data/ of commit c.
func (r *Repo) walkCommit(repo *git.Repository, c *object.Commit) (*treeWalk, error) {
	short := c.Hash.String()[:7]
	top, err := c.Tree()
	if err != nil {
		return nil, readError(repo, r.top, "trädet för commit "+short, err)
	}
	w := &treeWalk{st: repo.Storer, top: top, prefix: r.prefix, root: r.root}
	rootTree := top
	if r.prefix != "" {
		rootTree, err = top.Tree(r.prefix)
		if errors.Is(err, object.ErrDirectoryNotFound) {
			w.warnf("mappen %s fanns inte i commit %s: inga filer lästes", r.prefix, short)
			w.noData = true
			return w, nil
		}
		if err != nil {
			return nil, readError(repo, r.top, "mappen "+r.prefix+" i commit "+short, err)
		}
	}
	for _, name := range []string{"rules", "data"} {
		if err := w.topFolder(rootTree, name, short); err != nil {
			return nil, readError(repo, r.top, "en fil i commit "+short, err)
		}
	}
	slices.SortFunc(w.refs, func(a, b blobRef) int { return strings.Compare(a.path, b.path) })
	return w, nil
}

// topFolder walks rules/ or data/ of the root tree.
func (w *treeWalk) topFolder(rootTree *object.Tree, name, short string) error {
	i := slices.IndexFunc(rootTree.Entries, func(e object.TreeEntry) bool { return e.Name == name })
	if i < 0 {
		if name == "rules" {
			w.warnf("commit %s har ingen mapp rules/ i %s", short, w.root)
		} else {
			w.noData = true
		}
		return nil
	}
	e := rootTree.Entries[i]
	switch e.Mode {
	case filemode.Dir:
		return w.walk(e.Hash, name)
	case filemode.Symlink:
		return w.link(name, e.Hash)
	}
	w.warnf("%s är ingen mapp i commit %s och läses inte", name, short)
	w.noData = w.noData || name == "data"
	return nil
}

// walk lists the files of the tree h, whose path relative to the root is rel.
func (w *treeWalk) walk(h plumbing.Hash, rel string) error {
	t, err := object.GetTree(w.st, h)
	if err != nil {
		return err
	}
	for _, e := range t.Entries {
		if hidden(e.Name) {
			continue
		}
		if badName(e.Name) {
			w.refs = append(w.refs, blobRef{path: rel + "/" + e.Name, bad: true})
			continue
		}
		p := rel + "/" + e.Name
		switch e.Mode {
		case filemode.Dir:
			err = w.walk(e.Hash, p)
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
			w.refs = append(w.refs, blobRef{path: p, hash: e.Hash})
		case filemode.Symlink:
			err = w.link(p, e.Hash)
		case filemode.Submodule:
			w.warnf("%s är en git-undermodul (submodule) och läses inte", p)
		default:
			w.warnf("%s har ett okänt filläge (%s) och läses inte", p, e.Mode)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// link follows the symbolic link at rel, whose blob h holds the target,
// inside the same commit, as the disk walk does (docs/design.md,
// "Symbolic links").
func (w *treeWalk) link(rel string, h plumbing.Hash) error {
	at := joinSlash(w.prefix, rel)
	first := ""
	for range maxLinkHops {
		b, err := readBlob(w.st, h)
		if err != nil {
			return err
		}
		target := string(b)
		if first == "" {
			first = target
		}
		to := path.Join(path.Dir(at), target)
		if path.IsAbs(target) || !w.inside(to) {
			dir := rel == "rules" || rel == "data" // a top folder
			if e, err := w.top.FindEntry(to); err == nil && !path.IsAbs(target) {
				dir = dir || e.Mode == filemode.Dir
			}
			w.refs = append(w.refs, blobRef{path: rel, unread: linkOutside(rel, first, w.root, dir).Message})
			return nil
		}
		e, err := w.top.FindEntry(to)
		if err != nil {
			w.warnf("%s är en symbolisk länk till %s, som inte finns, och läses inte", rel, first)
			return nil
		}
		if e.Mode == filemode.Symlink {
			at, h = to, e.Hash
			continue
		}
		r := strings.TrimPrefix(to, w.prefix+"/")
		if w.prefix == "" {
			r = to
		}
		switch e.Mode {
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
			switch {
			case readAnyway(r):
				w.warnf("%s är en symbolisk länk till %s, som läses som den är, och läses inte en gång till", rel, r)
			case w.linked.claim(r, rel, w.warnf):
				w.refs = append(w.refs, blobRef{path: rel, hash: e.Hash})
			}
		case filemode.Dir:
			if readAnyway(r) {
				w.warnf("%s är en symbolisk länk till %s, som läses som den är, och läses inte en gång till", rel, r)
			} else {
				w.refs = append(w.refs, blobRef{path: rel, unread: linkFolder(rel, r).Message})
			}
		default:
			w.warnf("%s är ingen vanlig fil och läses inte", rel)
		}
		return nil
	}
	w.warnf("%s är en kedja av för många symboliska länkar och läses inte", rel)
	return nil
}

// inside reports whether the slash path p, relative to the work tree's top,
// lies under the commitments root.
func (w *treeWalk) inside(p string) bool {
	if w.prefix == "" {
		return p != ".." && !strings.HasPrefix(p, "../")
	}
	return strings.HasPrefix(p, w.prefix+"/")
}

func (w *treeWalk) warnf(format string, args ...any) {
	// A warning names paths and link targets: an identity number in
	// one is masked (docs/reference.md §11).
	w.warnings = append(w.warnings, privacy.Mask(fmt.Sprintf(format, args...)))
}

type tooLargeError struct{ size int64 }

func (e *tooLargeError) Error() string { return "blob too large" }

// readBlob reads the blob h whole, into a buffer of its exact size.
func readBlob(st storer.EncodedObjectStorer, h plumbing.Hash) (data []byte, err error) {
	return readBlobMax(st, h, 0)
}

// readBlobMax is readBlob refusing blobs over limit bytes (0: no limit).
func readBlobMax(st storer.EncodedObjectStorer, h plumbing.Hash, limit int64) (data []byte, err error) {
	obj, err := st.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, err
	}
	if limit > 0 && obj.Size() > limit {
		return nil, &tooLargeError{size: obj.Size()}
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := rd.Close(); err == nil {
			err = cerr
		}
	}()
	data = make([]byte, obj.Size())
	if _, err := io.ReadFull(rd, data); err != nil {
		return nil, err
	}
	return data, nil
}

// readCommit reads rules/ and data/ as committed in c. With ids, the
// record files under data/ come with their ID and size checked, Data nil
// and Unchanged set, read when asked for (Snapshot.ReadData).
func (r *Repo) readCommit(repo *git.Repository, c *object.Commit, ids bool) (*Snapshot, error) {
	w, err := r.walkCommit(repo, c)
	if err != nil {
		return nil, err
	}
	short := c.Hash.String()[:7]
	refs, warnings := w.refs, w.warnings
	files := make([]File, 0, len(refs))
	var unread []Unread
	limit := r.maxFileSize()
	var hs []plumbing.Hash
	later := func(ref blobRef) bool { return ids && cachedFile(ref.path) }
	for _, ref := range refs {
		if !ref.bad && ref.unread == "" && !later(ref) {
			hs = append(hs, ref.hash)
		}
	}
	ps := openPacks(repo.Storer)
	defer ps.close()
	blobs, errs := ps.readBlobs(hs, limit)
	var sizer *packReader
	if ids && ps != nil {
		sizer = ps.reader()
	}
	var deferred *commitBlobs
	i := 0
	for _, ref := range refs {
		if ref.bad {
			unread = append(unread, badNameUnread(ref.path))
			continue
		}
		if ref.unread != "" {
			unread = append(unread, Unread{Path: ref.path, Message: ref.unread})
			continue
		}
		var data []byte
		err := errNotPacked
		if later(ref) {
			var size int64
			if sizer != nil {
				size, err = sizer.size(ref.hash, limit)
			}
			if err == nil && size > limit {
				err = &tooLargeError{size: size}
			}
			if err == nil {
				if deferred == nil {
					deferred = &commitBlobs{r: r, short: short, limit: limit, ids: map[string]plumbing.Hash{}}
				}
				deferred.ids[ref.path] = ref.hash
				files = append(files, File{Path: ref.path, ID: BlobID(ref.hash), Unchanged: true})
				continue
			}
		} else {
			data, err = blobs[i], errs[i]
			blobs[i] = nil
			i++
		}
		var tl *tooLargeError
		if err != nil && !errors.As(err, &tl) {
			// Not in a pack, or a pack that does not read: go-git reads
			// it, and says what is wrong.
			data, err = readBlobMax(repo.Storer, ref.hash, limit)
		}
		if errors.As(err, &tl) {
			unread = append(unread, tooLarge(ref.path, tl.size, limit))
			continue
		}
		if err != nil {
			return nil, readError(repo, r.top, ref.path+" i commit "+short, err)
		}
		files = append(files, File{Path: ref.path, Data: data, ID: BlobID(ref.hash)})
	}
	return &Snapshot{Root: r.root, Files: files, Commit: c.Hash.String(), Git: true, Warnings: warnings, Unread: unread,
		DataMissing: w.noData, blobs: deferred}, nil
}
