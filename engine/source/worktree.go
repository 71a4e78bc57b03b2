package source

import (
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/lofte/lofte/engine/privacy"
)

// WorkTree reads rules/ and data/ from disk. Commit is HEAD; Dirty says
// whether the files read differ from HEAD's (see the package comment).
func (r *Repo) WorkTree() (*Snapshot, error) { return r.workTree(nil, time.Time{}, false) }

// workTree is WorkTree, with the stat cache when stats is set.
func (r *Repo) workTree(stats *statCache, now time.Time, drop bool) (*Snapshot, error) {
	if r.top == "" {
		w, err := r.newDiskWalk()
		if err != nil {
			return nil, err
		}
		if err := w.read(); err != nil {
			return nil, err
		}
		warnings := append([]string{plainWarning(r.root)}, w.warnings...)
		return &Snapshot{Root: r.root, Files: w.files, Warnings: warnings, Unread: w.unread, DataMissing: w.noData}, nil
	}
	repo, done, err := r.open()
	if err != nil {
		return nil, err
	}
	defer done()
	head, err := headCommit(repo, r.top)
	if err != nil {
		return nil, err
	}
	snap := &Snapshot{Root: r.root, Git: true}
	var refs []blobRef
	if head != nil {
		snap.Commit = head.Hash.String()
		// Warnings about HEAD's tree would repeat those of the disk walk.
		if refs, _, err = r.commitRefs(repo, head); err != nil {
			return nil, err
		}
	}
	w, err := r.newDiskWalk()
	if err != nil {
		return nil, err
	}
	ig, err := r.newIgnorer(repo)
	if err != nil {
		return nil, err
	}
	w.setGit(repo, ig, refs)
	if stats != nil {
		w.stats, w.settle.now, w.seen, w.drop = stats, now, map[string]bool{}, drop
	}
	err = w.read()
	if stats != nil {
		if err == nil {
			stats.keepOnly(w.seen)
		}
		stats.save(w.settle.tmp)
	}
	if err != nil {
		return nil, err
	}
	snap.Files, snap.Warnings, snap.Unread, snap.DataMissing = w.files, w.warnings, w.unread, w.noData
	snap.stats = w.keys
	snap.Dirty = differs(w.files, w.tracked)
	return snap, nil
}

// diskWalk reads the files under rules/ and data/ of the root.
type diskWalk struct {
	root     string
	realRoot string // root with symbolic links resolved, to judge link targets
	files    []File
	warnings []string
	unread   []Unread
	maxSize  int64
	linked   links
	noData   bool // no folder data/ was read

	// Set for a git work tree only.
	prefix      string
	ignore      *ignorer
	tracked     map[string]plumbing.Hash // HEAD's files, by path relative to the root
	trackedDirs map[string]bool          // folders holding some of HEAD's files
	staged      func(gitPath string, dir bool) bool

	// Set for WorkTreeSince and WorkTreeCached only.
	stats  *statCache
	drop   bool // WorkTreeCached: record files read now are not kept (File.Dropped)
	settle settleLine
	seen   map[string]bool
	keys   map[string]statKey // Snapshot.stats
	buf    []byte             // what the record files read and dropped are read into
}

func (r *Repo) newDiskWalk() (*diskWalk, error) {
	real, err := filepath.EvalSymlinks(r.root)
	if err != nil {
		return nil, fmt.Errorf("kan inte läsa mappen %s: %v", r.root, err)
	}
	return &diskWalk{root: r.root, realRoot: real, prefix: r.prefix, maxSize: r.maxFileSize()}, nil
}

// setGit makes the walk skip what git ignores, unless git tracks it.
func (w *diskWalk) setGit(repo *git.Repository, ig *ignorer, refs []blobRef) {
	w.ignore = ig
	w.tracked = make(map[string]plumbing.Hash, len(refs))
	w.trackedDirs = make(map[string]bool)
	for _, ref := range refs {
		if ref.bad || ref.unread != "" {
			continue // never read, in HEAD or on disk
		}
		w.tracked[ref.path] = ref.hash
		for d := ref.path; strings.Contains(d, "/"); {
			d = d[:strings.LastIndexByte(d, '/')]
			if w.trackedDirs[d] {
				break
			}
			w.trackedDirs[d] = true
		}
	}
	w.staged = stagedLookup(repo)
}

// stagedLookup answers whether the index holds a path, or a path under a
// folder. The index is read on first use only: most work trees never ask.
func stagedLookup(repo *git.Repository) func(string, bool) bool {
	var names []string
	loaded := false
	return func(gitPath string, dir bool) bool {
		if !loaded {
			loaded = true
			if idx, err := repo.Storer.Index(); err == nil {
				for _, e := range idx.Entries {
					names = append(names, e.Name)
				}
				slices.Sort(names)
			}
		}
		key := gitPath
		if dir {
			key += "/"
		}
		i, found := slices.BinarySearch(names, key)
		return found || dir && i < len(names) && strings.HasPrefix(names[i], key)
	}
}

// read walks rules/ and data/ and sorts the files read.
func (w *diskWalk) read() error {
	for _, name := range []string{"rules", "data"} {
		abs := filepath.Join(w.root, name)
		fi, err := os.Lstat(abs)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if name == "rules" {
				w.warnf("ingen mapp rules/ finns i %s", w.root)
			} else {
				w.noData = true
			}
			continue
		case err != nil:
			return fmt.Errorf("kan inte läsa mappen %s: %v", abs, err)
		case fi.IsDir():
			if w.ignoredDir(name) {
				continue
			}
			if err := w.dir(abs, name); err != nil {
				return err
			}
		case fi.Mode()&fs.ModeSymlink != 0:
			w.link(abs, name)
		default:
			w.warnf("%s är ingen mapp och läses inte", name)
			w.noData = w.noData || name == "data"
		}
	}
	slices.SortFunc(w.files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return nil
}

// dir reads the folder abs, whose path relative to the root is rel.
func (w *diskWalk) dir(abs, rel string) error {
	entries, err := os.ReadDir(abs)
	if err != nil {
		return fmt.Errorf("kan inte läsa mappen %s: %v", abs, err)
	}
	if w.ignore != nil && slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return e.Name() == ".gitignore" }) {
		if err := w.ignore.addFile(filepath.Join(abs, ".gitignore"), strings.Split(joinSlash(w.prefix, rel), "/")); err != nil {
			return err
		}
	}
	for _, e := range entries {
		name := e.Name()
		if hidden(name) {
			continue
		}
		if badName(name) {
			w.unread = append(w.unread, badNameUnread(rel+"/"+name))
			continue
		}
		a, p := filepath.Join(abs, name), rel+"/"+name
		switch t := e.Type(); {
		case t.IsDir() && isSubmodule(a):
			w.warnf("%s är en git-undermodul (submodule) och läses inte", p)
		case t.IsDir():
			if !w.ignoredDir(p) {
				if err := w.dir(a, p); err != nil {
					return err
				}
			}
		case t.IsRegular():
			w.file(a, p)
		case t&fs.ModeSymlink != 0:
			w.link(a, p)
		default:
			w.warnf("%s är ingen vanlig fil och läses inte", p)
		}
	}
	return nil
}

// link handles the symbolic link at rel (docs/design.md, "Symbolic
// links"): a target under rules/ or data/ is read there, so the link is
// skipped with a warning; a file elsewhere in the root is read once, as
// the first link to it; a target outside the root, or a folder that is not
// read anyway, is unread (an error: its records are missing).
func (w *diskWalk) link(abs, rel string) {
	raw, _ := os.Readlink(abs)
	target, err := filepath.EvalSymlinks(abs)
	if err != nil {
		w.warnf("%s är en symbolisk länk till %s, som inte finns, och läses inte", rel, raw)
		return
	}
	fi, err := os.Stat(target)
	if err != nil {
		w.warnf("kan inte läsa %s: %v", rel, err)
		return
	}
	r, err := filepath.Rel(w.realRoot, target)
	if err != nil || !filepath.IsLocal(r) {
		w.unread = append(w.unread, linkOutside(rel, raw, w.root, fi.IsDir()))
		return
	}
	r = filepath.ToSlash(r)
	switch {
	case readAnyway(r):
		w.warnf("%s är en symbolisk länk till %s, som läses som den är, och läses inte en gång till", rel, r)
	case fi.IsDir():
		w.unread = append(w.unread, linkFolder(rel, r))
	case !fi.Mode().IsRegular():
		w.warnf("%s är ingen vanlig fil och läses inte", rel)
	case w.linked.claim(r, rel, w.warnf):
		w.file(target, rel)
	}
}

// file reads one file, unless git ignores it and does not track it.
func (w *diskWalk) file(abs, rel string) {
	if w.ignore != nil {
		if _, ok := w.tracked[rel]; !ok {
			gp := joinSlash(w.prefix, rel)
			if w.ignore.match(gp, false) && !w.staged(gp, false) {
				w.warnf("%s ignoreras av git (.gitignore) och läses inte: ta bort regeln eller lägg till filen med `git add -f`", rel)
				return
			}
		}
	}
	fi, serr := os.Stat(abs)
	if serr == nil && fi.Size() > w.maxSize {
		w.unread = append(w.unread, tooLarge(rel, fi.Size(), w.maxSize))
		return
	}
	cached := w.stats != nil && serr == nil && cachedFile(rel)
	var key statKey
	if cached {
		key = statKeyOf(fi)
		w.seen[rel] = true
		if id, ok := w.stats.lookup(rel, key); ok {
			w.files = append(w.files, File{Path: rel, ID: id, Unchanged: true})
			w.keep(rel, key) // the cache holds no racily clean entry
			return
		}
		if !w.settle.started {
			// The line is drawn before the stat data kept are taken: a
			// write after it gives the file a later time.
			w.settle.start(w.stats)
			if fi, serr = os.Stat(abs); serr != nil {
				return // removed since the folder was listed
			}
			key = statKeyOf(fi)
		}
	}
	var data []byte
	var err error
	if cached && w.drop {
		// Read to be hashed and dropped: into the walk's buffer, which
		// the next such file reads into.
		data, err = readInto(&w.buf, abs)
	} else {
		data, err = os.ReadFile(abs)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return // removed since the folder was listed: as if it never was
	}
	if err != nil {
		w.warnf("kan inte läsa %s: %v", rel, err)
		return
	}
	f := File{Path: rel, Data: data}
	if cached {
		// The stat data from before the read: a write during it changes
		// them, and the next read reads the file again.
		f.ID = FileID(data)
		settled := w.settle.settled(key)
		w.stats.store(rel, key, f.ID, settled)
		if w.drop {
			if settled {
				w.keep(rel, key)
			}
			// The reader reads the bytes again only if it has not parsed
			// this blob before, one file at a time, so that a first run
			// does not hold every record file at once (at ten million
			// records, 700 MB).
			f.Data, f.Dropped = nil, true
		}
	}
	w.files = append(w.files, f)
}

// readInto reads the file at path into *buf, grown as need be, and
// returns the bytes read, which the next call overwrites.
func readInto(buf *[]byte, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := 0
	if fi, err := f.Stat(); err == nil {
		size = int(fi.Size())
	}
	if cap(*buf) < size+1 {
		*buf = make([]byte, 0, size+1)
	}
	data := (*buf)[:0]
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
			*buf = data
		}
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// keep notes the stat data the file at rel came Unread with.
func (w *diskWalk) keep(rel string, k statKey) {
	if w.keys == nil {
		w.keys = map[string]statKey{}
	}
	w.keys[rel] = k
}

// isSubmodule reports whether the folder abs is a git submodule or
// another repository of its own: it holds a .git. Its files are not read,
// as a commit does not hold them (docs/design.md, "Submodules").
func isSubmodule(abs string) bool {
	_, err := os.Lstat(filepath.Join(abs, ".git"))
	return err == nil
}

// ignoredDir reports, with a warning, whether git ignores the folder rel
// and tracks nothing in it.
func (w *diskWalk) ignoredDir(rel string) bool {
	if w.ignore == nil || w.trackedDirs[rel] {
		return false
	}
	gp := joinSlash(w.prefix, rel)
	if !w.ignore.match(gp, true) || w.staged(gp, true) {
		return false
	}
	w.warnf("mappen %s ignoreras av git (.gitignore) och läses inte: ta bort regeln eller lägg till filerna med `git add -f`", rel)
	return true
}

func (w *diskWalk) warnf(format string, args ...any) {
	// A warning names paths and link targets: an identity number in
	// one is masked (docs/reference.md §11).
	w.warnings = append(w.warnings, privacy.Mask(fmt.Sprintf(format, args...)))
}

// differs reports whether files differ from the committed ones: a path
// added or missing, or content whose git blob hash is not the committed one.
func differs(files []File, committed map[string]plumbing.Hash) bool {
	if len(files) != len(committed) {
		return true
	}
	for _, f := range files {
		h, ok := committed[f.Path]
		if !ok {
			return true
		}
		if f.ID != (BlobID{}) {
			if plumbing.Hash(f.ID) != h {
				return true
			}
		} else if blobHash(f.Data) != h {
			return true
		}
	}
	return false
}

// blobHash is the hash git gives data stored as a blob.
func blobHash(data []byte) plumbing.Hash {
	h := sha1.New()
	h.Write([]byte("blob " + strconv.Itoa(len(data)) + "\x00"))
	h.Write(data)
	var out plumbing.Hash
	copy(out[:], h.Sum(nil))
	return out
}
