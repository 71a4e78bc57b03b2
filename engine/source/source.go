// Package source reads the files of a commitments repository, the rules/
// and data/ folders, either from the working tree or as committed at a git
// revision. It is the only package of lofte that imports go-git.
//
// Choices that callers may rely on:
//
//   - Root. Open(dir) takes dir itself as the commitments root when it holds
//     a rules/ folder, else the nearest parent that does, searching up to the
//     top of the git work tree (never above it), else dir. Without git there
//     is no upward search: the folder is read as it is. The root may be a
//     subfolder of the git work tree; committed paths are then read under
//     that prefix.
//   - Files. Every regular file under rules/ and data/, at any depth, sorted
//     by Path. Names starting with a dot (files and folders) are skipped, so
//     .gitignore, .keep and editor swap files never reach the readers.
//   - Symbolic links, on disk and in a committed tree alike (where the
//     target is looked up in the same commit): a link to a file or folder
//     under rules/ or data/ is skipped with a warning, since the target is
//     read as it is; a link to a file elsewhere in the root is read, once
//     for all the links to it; a link leading out of the root, or to a
//     folder elsewhere in the root, is Unread (an error). A dangling link
//     is skipped with a warning. Submodules (a folder holding a .git on
//     disk) are skipped with a warning.
//   - A .gitignore or .git/info/exclude that exists but cannot be read is
//     an error of WorkTree.
//   - Ignored files. In the working tree a file that is not in HEAD's tree
//     and that git ignores (.gitignore files from the work tree's top down,
//     and .git/info/exclude) is not read; a warning names it. The working
//     tree snapshot is thus what `git add --all && git commit` would record,
//     and a report that says "clean" never counts a record that no commit
//     holds. A file that git tracks (in HEAD or staged) is always read.
//     The user's global excludes file is not consulted: a file ignored only
//     there is read and counts as an uncommitted change.
//   - Dirty is decided on content: the files read are hashed as git blobs
//     and compared with what Revision("HEAD") would return (same paths, same
//     skips). An added, changed or deleted file makes the snapshot dirty; a
//     mode change or a change to a dotfile does not. Worktree().Status() is
//     not used: it is slow and breaks on split indexes.
//   - Every call opens the repository afresh, so a long-lived Repo (the
//     watcher) follows branch switches and survives `git gc` and `git
//     repack`, which leave a cached go-git repository answering "object not
//     found". A Repo is safe for concurrent use.
//
// Errors and warnings are Swedish sentences that name the folder or the
// revision and say what to do.
package source

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// File is one file of the repository, its path slash-separated and relative
// to the commitments root ("rules/mullsjo.yaml", "data/2022/trafik.csv").
type File struct {
	Path string
	Data []byte
	// ID is the blob id of the content, set by WorkTreeSince for the
	// record files under data/, and for every file of a commit (zero
	// otherwise).
	ID BlobID
	// Unchanged is set by WorkTreeSince for a file whose stat data is as
	// it was at the previous read, and by RevisionIDs and KnownAtIDs for
	// every record file under data/: Data is nil, ID says what the
	// content is (see Snapshot.ReadData).
	Unchanged bool
	// Dropped is set by WorkTreeSince and WorkTreeCached for a record file
	// read and hashed now whose bytes were not kept: Data is nil, to be
	// read again with Snapshot.ReadData when needed, so that a first read
	// does not hold every record file at once.
	Dropped bool
}

// Unread reports whether the file came without its bytes (Unchanged or
// Dropped): ID says what they were, Snapshot.ReadData reads them.
func (f *File) Unread() bool { return f.Unchanged || f.Dropped }

// Snapshot is the content of rules/ and data/ at one point: the working tree
// or a commit.
type Snapshot struct {
	// Root is the absolute path of the commitments root, the folder holding
	// rules/ and data/.
	Root string
	// Files holds every regular file under rules/ and data/, sorted by Path.
	Files []File
	// Commit is the full hex hash of the commit read (for the working tree:
	// HEAD), "" when there is none (plain folder, repository without commits).
	Commit string
	// Dirty is set for the working tree only, when some file under rules/ or
	// data/ differs from Commit's tree (added, changed or deleted).
	Dirty bool
	// Git is false for a plain folder.
	Git bool
	// Unread lists files that were not read: too large, or a name that
	// cannot be trusted. Their records are missing.
	Unread []Unread
	// Warnings are Swedish sentences about what was skipped or assumed.
	Warnings []string
	// DataMissing is set when the root has no folder data/ (in the
	// working tree, or in the commit read): no record was read, not even
	// none. An empty data/ on disk does not set it.
	DataMissing bool

	blobs *commitBlobs // reads the Unchanged files of a commit; nil for the working tree
	// stats are, for the working tree, the stat data files came Unread
	// with, when not racily clean: ReadDataID's bytes are of the file's ID
	// when they are still the same.
	stats map[string]statKey
}

// Repo is a commitments root and, when there is one, the git repository
// holding it. Its fields never change after Open.
type Repo struct {
	root    string // absolute path of the commitments root
	top     string // absolute path of the git work tree's top, "" without git
	prefix  string // root relative to top, slash-separated, "" when equal
	maxSize int64  // largest file read; 0: DefaultMaxFileSize
	remote  RemoteAuth
	stats   *statCache // for WorkTreeSince and WorkTreeCached; nil without git
	gitDir  string     // the git folder, "" without git or when not stored in a folder
}

// Open finds the commitments root and its git repository from dir. The git
// repository is found upward from dir; linked worktrees work. No repository
// gives a plain folder.
func Open(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("kan inte tolka sökvägen %q: %v", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("mappen %s finns inte: ange en befintlig mapp med --repo", abs)
		}
		return nil, fmt.Errorf("kan inte läsa mappen %s: %v", abs, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s är ingen mapp: ange mappen som innehåller rules/ och data/ med --repo", abs)
	}

	repo, err := openGit(abs)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		// go-git says so too when the first .git found upward has no HEAD.
		if where, found := gitFolder(abs); found {
			return nil, fmt.Errorf("%s har en .git som inte är ett fungerande git-förråd (HEAD saknas): "+
				"reparera den, eller ta bort den för att läsa mappen utan git", where)
		}
		return &Repo{root: abs}, nil
	}
	if err != nil {
		return nil, openError(abs, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, fmt.Errorf("git-förrådet för %s saknar arbetskatalog (%v): ange en mapp i en utcheckad kopia med --repo", abs, err)
	}
	top := wt.Filesystem.Root()
	root := findRoot(abs, top)
	rel, err := filepath.Rel(top, root)
	if err != nil || !isLocal(rel) {
		return nil, fmt.Errorf("mappen %s ligger inte i git-förrådet %s: ange en mapp i förrådet med --repo", root, top)
	}
	prefix := filepath.ToSlash(rel)
	if prefix == "." {
		prefix = ""
	}
	gitDir := ""
	if st, ok := repo.Storer.(*filesystem.Storage); ok {
		gitDir = st.Filesystem().Root()
	}
	r := &Repo{root: root, top: top, prefix: prefix, gitDir: gitDir}
	r.stats = newStatCache(r.CacheDir(), root)
	return r, nil
}

// Root returns the absolute path of the commitments root.
func (r *Repo) Root() string { return r.root }

// CacheDir is the folder of lofte's caches, lofte/ in the repository's git
// folder; "" for a plain folder.
func (r *Repo) CacheDir() string {
	if r.gitDir == "" {
		return ""
	}
	return filepath.Join(r.gitDir, "lofte")
}

// openGit opens the git repository holding dir, searching upward.
func openGit(dir string) (*git.Repository, error) {
	return git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{
		DetectDotGit:          true,
		EnableDotGitCommonDir: true,
	})
}

// open reopens the repository for one read (see the package comment); done
// releases it. Pack files stay open until done: by default go-git reopens
// the pack for every object read, which triples the time to read a tree.
func (r *Repo) open() (repo *git.Repository, done func(), err error) {
	plain, err := openGit(r.top)
	if err != nil {
		return nil, nil, openError(r.top, err)
	}
	st, ok := plain.Storer.(*filesystem.Storage)
	wt, werr := plain.Worktree()
	if !ok || werr != nil {
		return plain, func() {}, nil
	}
	// A small object cache: each blob is read once, and a large cache only
	// holds a second copy of every file until the read ends.
	kept := filesystem.NewStorageWithOptions(st.Filesystem(), cache.NewObjectLRU(2*cache.MiByte),
		filesystem.Options{KeepDescriptors: true})
	if repo, err = git.Open(kept, wt.Filesystem); err != nil {
		return nil, nil, openError(r.top, err)
	}
	return repo, func() { _ = kept.Close() }, nil
}

// findRoot returns the first folder from dir up to top that holds rules/,
// else dir.
func findRoot(dir, top string) string {
	for d := dir; ; {
		if fi, err := os.Stat(filepath.Join(d, "rules")); err == nil && fi.IsDir() {
			return d
		}
		parent := filepath.Dir(d)
		if d == top || parent == d {
			return dir
		}
		d = parent
	}
}

// isLocal reports whether a relative path stays below its base.
func isLocal(rel string) bool {
	return rel == "." || filepath.IsLocal(rel)
}

// plainWarning is the warning of every snapshot of a plain folder.
func plainWarning(root string) string {
	return fmt.Sprintf("inget git-förråd hittades i %s: läser mappen som den är, utan commit", root)
}

// joinSlash joins slash-separated path parts, skipping empty ones.
func joinSlash(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('/')
		}
		b.WriteString(p)
	}
	return b.String()
}
