package source

import (
	"bufio"
	"bytes"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/lofte/lofte/engine/privacy"
)

// Update is a change of one file of the work tree, made by Edit and, when
// Commit is set, committed on its own on HEAD's branch.
type Update struct {
	// Path is the file, slash-separated and relative to the commitments
	// root ("data/2022/trafikkontroll.yaml").
	Path string
	// Edit gets the file's content (nil when it does not exist) and returns
	// the new content. An error leaves everything as it was.
	Edit func(old []byte) ([]byte, error)
	// Commit makes a commit of the change (of this file only: whatever
	// else is staged stays staged and out of the commit).
	Commit    bool
	Message   string
	Author    Identity
	Committer Identity // zero: the author
}

// checkMessage refuses a commit message that holds an identity number: a
// commit is published with the repository, for good (docs/reference.md
// §11). Nothing is written then.
func checkMessage(message string) error {
	if privacy.ContainsIDNumber(message) {
		return errors.New("commit-meddelandet ser ut att innehålla ett personnummer eller samordningsnummer, och inget skrevs: " +
			"skriv det utan uppgifter om personer")
	}
	return nil
}

// Identity is who makes a commit, and when.
type Identity struct {
	Name  string
	Email string
	When  time.Time
}

// LockTimeout is how long UpdateFile waits for git's index lock held by
// another process before giving up.
var LockTimeout = 30 * time.Second

// FileEdit is the change of one file within a commit of UpdateFiles.
type FileEdit struct {
	// Path is the file, slash-separated and relative to the commitments
	// root.
	Path string
	// Edit gets the file's content (nil when it does not exist) and returns
	// the new content. An error leaves everything as it was.
	Edit func(old []byte) ([]byte, error)
}

// UpdateFile changes one file as u says, the way git itself does: it takes
// the index lock (.git/index.lock, created exclusively, retried with
// backoff while another process holds it), so that concurrent updates, by
// lofte or by git, follow one another and none is lost. Under the lock it
// refuses to work during a merge, rebase, cherry-pick or revert, and (when
// committing) when the file has changes that are not committed; it writes
// the file atomically (a temporary file renamed over it), and for a commit
// writes the blob, the trees and the commit, moves the branch (under its
// own ref lock, checking it did not move), and updates the file's index
// entry. If no commit can be made, the file is put back as it was. It
// returns the new commit's hash, "" without a commit (with an error, the
// hash of a commit made when only the index could not be updated). In a plain
// folder there is no commit; a lock file .lofte.lock in the root keeps
// concurrent updates apart.
func (r *Repo) UpdateFile(u Update) (string, error) {
	return r.UpdateFiles([]FileEdit{{Path: u.Path, Edit: u.Edit}}, u)
}

// UpdateFiles is UpdateFile for several files changed together: every
// Edit is made, and with u.Commit all files go into one commit (u.Path and
// u.Edit are not used). When an Edit fails, or no commit can be made,
// every file is put back as it was.
func (r *Repo) UpdateFiles(changes []FileEdit, u Update) (string, error) {
	if err := checkMessage(u.Message); u.Commit && err != nil {
		return "", err
	}
	if r.top == "" {
		unlock, err := lockFile(filepath.Join(r.root, ".lofte.lock"))
		if err != nil {
			return "", err
		}
		defer unlock()
		var done []undoFile
		for _, c := range changes {
			old, oldErr := os.ReadFile(r.abs(c.Path))
			if _, err := editFile(r.abs(c.Path), c.Edit); err != nil {
				if rerr := restoreAll(done); rerr != nil {
					err = fmt.Errorf("%w; ändringarna kunde inte heller tas tillbaka (%v)", err, rerr)
				}
				return "", err
			}
			done = append(done, undoFile{r.abs(c.Path), old, oldErr})
		}
		return "", nil
	}
	return r.withIndexLock(func(l *locked) (string, error) { return r.updateLocked(l, changes, u) })
}

// locked is the state of work done under git's index lock: the lock file
// (into which a new index is written before it is renamed into place),
// the repository, HEAD and the index as they were when the lock was taken.
type locked struct {
	gitDir, commonDir string
	lock              *os.File
	lockPath          string
	renamed           bool // the lock file became the index
	repo              *git.Repository
	head              headState
	idx               *index.Index
}

// withIndexLock runs fn under git's index lock, the one sequence by which
// every change of lofte to a repository is made: it refuses to start
// during a merge, rebase, cherry-pick or revert, takes .git/index.lock as
// git does (see acquire), checks again, opens the repository with its
// HEAD and index, and releases the lock after fn unless fn wrote the
// index (then the lock file is the index).
func (r *Repo) withIndexLock(fn func(l *locked) (string, error)) (string, error) {
	if r.top == "" {
		return "", plainError(r.root, "en commit")
	}
	gitDir, commonDir, err := gitDirs(r.top)
	if err != nil {
		return "", err
	}
	if err := busy(gitDir); err != nil {
		return "", err
	}
	l := &locked{gitDir: gitDir, commonDir: commonDir, lockPath: filepath.Join(gitDir, "index.lock")}
	if l.lock, err = acquire(l.lockPath); err != nil {
		return "", err
	}
	defer func() {
		if !l.renamed {
			l.lock.Close()
			os.Remove(l.lockPath)
		}
	}()
	if err := busy(gitDir); err != nil {
		return "", err
	}
	repo, head, idx, done, err := r.openIndex()
	if err != nil {
		return "", err
	}
	defer done()
	l.repo, l.head, l.idx = repo, head, idx
	return fn(l)
}

// undoFile is a file as it was before an edit, to put it back.
type undoFile struct {
	abs    string
	old    []byte
	oldErr error
}

// restoreAll puts files back as they were, the last edited first, and
// names the files it could not put back.
func restoreAll(files []undoFile) error {
	var errs []error
	for i := len(files) - 1; i >= 0; i-- {
		f := files[i]
		if err := restore(f.abs, f.old, f.oldErr); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.abs, err))
		}
	}
	return errors.Join(errs...)
}

// updateLocked does the work of UpdateFiles while the index lock is held.
func (r *Repo) updateLocked(l *locked, changes []FileEdit, u Update) (string, error) {
	rels := make([]string, 0, len(changes))
	for _, c := range changes {
		if slices.Contains(rels, c.Path) {
			return "", fmt.Errorf("%s ändras två gånger i samma commit", c.Path)
		}
		rels = append(rels, c.Path)
		if u.Commit {
			if err := r.checkClean(l.repo, l.head, l.idx, joinSlash(r.prefix, c.Path), r.abs(c.Path), c.Path); err != nil {
				return "", err
			}
		}
	}
	var done []undoFile
	for _, c := range changes {
		abs := r.abs(c.Path)
		old, oldErr := os.ReadFile(abs)
		if _, err := editFile(abs, c.Edit); err != nil {
			if rerr := restoreAll(done); rerr != nil {
				err = fmt.Errorf("%w; ändringarna kunde inte heller tas tillbaka (%v)", err, rerr)
			}
			return "", err
		}
		done = append(done, undoFile{abs, old, oldErr})
	}
	if !u.Commit {
		return "", nil
	}
	hash, err := r.commitLocked(l, rels, u)
	if err != nil && hash == "" {
		// No commit was made: the files go back to what they were, so
		// that nothing is left half done; if they cannot, the error says so.
		if rerr := restoreAll(done); rerr != nil {
			err = fmt.Errorf("%w; filerna kunde inte heller återställas (%v): de har nu de nya posterna men ingen commit, "+
				"kontrollera dem med `git diff` och checka in eller ta bort posterna för hand", err, rerr)
		}
	}
	return hash, err
}

// restore puts the file abs back as it was read before an edit: old, or
// no file when reading it gave fs.ErrNotExist. A file that could not be
// read before is left alone.
func restore(abs string, old []byte, oldErr error) error {
	switch {
	case errors.Is(oldErr, fs.ErrNotExist):
		if err := os.Remove(abs); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	case oldErr == nil:
		return writeAtomic(abs, old, 0o644)
	}
	return nil
}

// commitLocked commits the files rels (relative to the root) as they are
// on disk, on top of HEAD, while the index lock is held: blobs, trees,
// the commit, the branch, and the files' index entries.
func (r *Repo) commitLocked(l *locked, rels []string, u Update) (string, error) {
	c := &committer{repo: l.repo}
	tree := l.head.tree
	blobs := make([]plumbing.Hash, len(rels))
	for i, rel := range rels {
		data, err := os.ReadFile(r.abs(rel))
		if err != nil {
			return "", fmt.Errorf("kan inte läsa %s: %v", rel, err)
		}
		if blobs[i], err = c.blob(data); err != nil {
			return "", r.writeError(err)
		}
		if tree, err = c.put(tree, strings.Split(joinSlash(r.prefix, rel), "/"), blobs[i]); err != nil {
			return "", r.writeError(err)
		}
	}
	commit, err := c.commit(u, tree, l.head.commit)
	if err != nil {
		return "", r.writeError(err)
	}
	if err := setRef(l.commonDir, l.gitDir, l.head, commit); err != nil {
		return "", err
	}
	for i, rel := range rels {
		if err = setEntry(l.idx, joinSlash(r.prefix, rel), blobs[i], r.abs(rel)); err != nil {
			break
		}
	}
	if err == nil {
		err = l.writeIndex()
	}
	if err != nil {
		return commit.String(), fmt.Errorf("commit %s gjordes, men git-indexet kunde inte uppdateras (%v): kör `git reset -q` för att rätta det", commit.String()[:7], err)
	}
	return commit.String(), nil
}

// writeIndex writes the index into the lock file and renames it into
// place.
func (l *locked) writeIndex() error {
	if err := writeIndex(l.idx, l.lock, l.lockPath, filepath.Join(l.gitDir, "index")); err != nil {
		return err
	}
	l.renamed = true
	return nil
}

// CommitFiles commits the files rels (relative to the commitments root)
// as they are on disk, and nothing else, on HEAD's branch, under git's
// index lock as UpdateFile does. It returns the commit's hash.
func (r *Repo) CommitFiles(rels []string, u Update) (string, error) {
	if err := checkMessage(u.Message); err != nil {
		return "", err
	}
	return r.withIndexLock(func(l *locked) (string, error) { return r.commitLocked(l, rels, u) })
}

// openIndex opens the repository with its HEAD and index, as a commit
// under the index lock needs them; done releases the repository.
func (r *Repo) openIndex() (repo *git.Repository, head headState, idx *index.Index, done func(), err error) {
	repo, done, err = r.open()
	if err != nil {
		return nil, headState{}, nil, nil, err
	}
	if head, err = readHead(repo, r.top); err != nil {
		done()
		return nil, headState{}, nil, nil, err
	}
	if idx, err = repo.Storer.Index(); err != nil {
		done()
		return nil, headState{}, nil, nil, fmt.Errorf("kan inte läsa git-indexet i %s (%v): kontrollera förrådet med `git status`", r.top, err)
	}
	return repo, head, idx, done, nil
}

// abs is the file rel of the root on disk.
func (r *Repo) abs(rel string) string { return filepath.Join(r.root, filepath.FromSlash(rel)) }

func (r *Repo) writeError(err error) error {
	return fmt.Errorf("kan inte skriva till git-förrådet i %s (%v): kontrollera förrådet med `git fsck`", r.top, err)
}

// gitDirs returns the git folder of the work tree at top (for a linked
// worktree, its own folder under the main repository's .git) and the
// common folder holding objects and branches.
func gitDirs(top string) (gitDir, commonDir string, err error) {
	dot := filepath.Join(top, ".git")
	fi, err := os.Stat(dot)
	if err != nil {
		return "", "", fmt.Errorf("kan inte läsa %s: %v", dot, err)
	}
	gitDir = dot
	if !fi.IsDir() {
		b, err := os.ReadFile(dot)
		if err != nil {
			return "", "", fmt.Errorf("kan inte läsa %s: %v", dot, err)
		}
		line, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:")
		if !ok {
			return "", "", fmt.Errorf("%s pekar inte ut någon git-mapp (gitdir:)", dot)
		}
		gitDir = strings.TrimSpace(line)
		if !filepath.IsAbs(gitDir) {
			gitDir = filepath.Join(top, gitDir)
		}
	}
	commonDir = gitDir
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		commonDir = strings.TrimSpace(string(b))
		if !filepath.IsAbs(commonDir) {
			commonDir = filepath.Join(gitDir, commonDir)
		}
	}
	return gitDir, commonDir, nil
}

// busy refuses to work while git is in the middle of something that a
// commit of ours would spoil.
func busy(gitDir string) error {
	for _, s := range []struct{ name, what, how string }{
		{"MERGE_HEAD", "en sammanslagning (merge)", "git merge --continue eller git merge --abort"},
		{"rebase-merge", "en rebase", "git rebase --continue eller git rebase --abort"},
		{"rebase-apply", "en rebase eller git am", "git rebase --continue eller git rebase --abort"},
		{"CHERRY_PICK_HEAD", "en cherry-pick", "git cherry-pick --continue eller git cherry-pick --abort"},
		{"REVERT_HEAD", "en revert", "git revert --continue eller git revert --abort"},
	} {
		if _, err := os.Lstat(filepath.Join(gitDir, s.name)); err == nil {
			return fmt.Errorf("%s pågår i git-förrådet: avsluta den först (%s)", s.what, s.how)
		}
	}
	return nil
}

// acquire takes git's lock file at p the way git does: created
// exclusively, so that only one process holds it. While another holds it,
// it retries with growing, jittered pauses up to LockTimeout.
func acquire(p string) (*os.File, error) {
	wait, waited := 2*time.Millisecond, time.Duration(0)
	for {
		f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("kan inte skapa git-låset %s: %v", p, err)
		}
		if waited >= LockTimeout {
			return nil, fmt.Errorf("git-låset %s finns kvar efter %s: en annan git-process arbetar i förrådet; "+
				"om ingen gör det, ta bort filen och försök igen", p, LockTimeout)
		}
		pause := wait/2 + rand.N(wait)
		time.Sleep(pause) // counted, not timed: nothing here reads the clock
		waited += pause
		wait = min(wait*2, 200*time.Millisecond)
	}
}

// lockFile takes a lock file in a plain folder; unlock removes it.
func lockFile(p string) (unlock func(), err error) {
	f, err := acquire(p)
	if err != nil {
		return nil, err
	}
	return func() { f.Close(); os.Remove(p) }, nil
}

// editFile reads the file at abs, lets edit change it and writes the
// result atomically: into a temporary file of the same folder, synced,
// then renamed over the file. It returns what was written.
func editFile(abs string, edit func([]byte) ([]byte, error)) ([]byte, error) {
	old, err := os.ReadFile(abs)
	mode := fs.FileMode(0o644)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		old = nil
	case err != nil:
		return nil, fmt.Errorf("kan inte läsa %s: %v", abs, err)
	default:
		if fi, err := os.Stat(abs); err == nil {
			mode = fi.Mode().Perm()
		}
	}
	data, err := edit(old)
	if err != nil {
		return nil, err
	}
	if err := writeAtomic(abs, data, mode); err != nil {
		return nil, err
	}
	return data, nil
}

// writeAtomic writes data to abs through a temporary file and a rename,
// so that a reader sees the old file or the new one, never a part.
func writeAtomic(abs string, data []byte, mode fs.FileMode) error {
	dir := filepath.Dir(abs)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("kan inte skapa mappen %s: %v", dir, err)
	}
	var suffix [6]byte
	_, _ = crand.Read(suffix[:])
	tmp := filepath.Join(dir, "."+filepath.Base(abs)+"."+hex.EncodeToString(suffix[:])+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("kan inte skriva i mappen %s: %v", dir, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, abs)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("kan inte skriva %s: %v", abs, err)
	}
	return nil
}

// headState is what HEAD points at when the lock was taken.
type headState struct {
	branch plumbing.ReferenceName // refs/heads/x; "" when HEAD is detached
	commit plumbing.Hash          // zero before the first commit
	tree   plumbing.Hash          // zero before the first commit
}

func readHead(repo *git.Repository, top string) (headState, error) {
	var h headState
	ref, err := repo.Storer.Reference(plumbing.HEAD)
	if err != nil {
		return h, fmt.Errorf("kan inte läsa HEAD i git-förrådet i %s (%v): kontrollera förrådet med `git status`", top, err)
	}
	if ref.Type() == plumbing.SymbolicReference {
		h.branch = ref.Target()
	}
	c, err := headCommit(repo, top)
	if err != nil {
		return h, err
	}
	if c != nil {
		h.commit, h.tree = c.Hash, c.TreeHash
	}
	return h, nil
}

// checkClean refuses a file whose work tree or staged version is not the
// one HEAD has: committing would take the user's own changes along.
func (r *Repo) checkClean(repo *git.Repository, head headState, idx *index.Index, gitPath, abs, rel string) error {
	var committed plumbing.Hash
	if !head.tree.IsZero() {
		w := &changeWalk{st: repo.Storer, trees: map[plumbing.Hash]*cachedTree{}}
		var err error
		if committed, err = w.blobAt(head.tree, gitPath); err != nil {
			return readError(repo, r.top, "HEAD-trädet", err)
		}
	}
	dirty := false
	if disk, err := os.ReadFile(abs); err == nil {
		dirty = blobHash(disk) != committed
	} else if errors.Is(err, fs.ErrNotExist) {
		dirty = !committed.IsZero()
	} else {
		return fmt.Errorf("kan inte läsa %s: %v", abs, err)
	}
	if e, err := idx.Entry(gitPath); err == nil {
		dirty = dirty || e.Hash != committed || e.Stage != 0
	} else {
		dirty = dirty || !committed.IsZero()
	}
	if dirty {
		return &UncommittedError{Path: rel}
	}
	return nil
}

// UncommittedError is a file a record would be appended to that has
// changes not committed (in the work tree or the index): committing would
// take them along, so nothing is written.
type UncommittedError struct {
	Path string // relative to the commitments root, slash-separated
}

func (e *UncommittedError) Error() string {
	return fmt.Sprintf("%s har ändringar som inte är incheckade: checka in eller återställ dem först "+
		"(se `git status` och `git diff %s`), eller skriv utan commit med --no-commit", e.Path, e.Path)
}

// committer writes the objects of one commit.
type committer struct{ repo *git.Repository }

func (c *committer) blob(data []byte) (plumbing.Hash, error) {
	obj := c.repo.Storer.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	obj.SetSize(int64(len(data)))
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(data); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return c.repo.Storer.SetEncodedObject(obj)
}

// put returns the hash of the tree h (zero: empty) with the file at parts
// set to blob, writing the trees that change. A zero blob removes the
// file, and a folder left empty; a tree left empty is the zero hash.
func (c *committer) put(h plumbing.Hash, parts []string, blob plumbing.Hash) (plumbing.Hash, error) {
	var entries []object.TreeEntry
	if !h.IsZero() {
		t, err := object.GetTree(c.repo.Storer, h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries = slices.Clone(t.Entries)
	}
	name := parts[0]
	i := slices.IndexFunc(entries, func(e object.TreeEntry) bool { return e.Name == name })
	entry := object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: blob}
	if len(parts) > 1 {
		var sub plumbing.Hash
		if i >= 0 && entries[i].Mode == filemode.Dir {
			sub = entries[i].Hash
		}
		nh, err := c.put(sub, parts[1:], blob)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entry = object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: nh}
	} else if i >= 0 && entries[i].Mode == filemode.Executable {
		entry.Mode = filemode.Executable
	}
	switch {
	case entry.Hash.IsZero() && i >= 0:
		entries = slices.Delete(entries, i, i+1)
	case entry.Hash.IsZero():
	case i >= 0:
		entries[i] = entry
	default:
		entries = append(entries, entry)
	}
	if len(entries) == 0 {
		return plumbing.ZeroHash, nil
	}
	// git orders a tree's entries by name, a folder's name as if it ended in "/".
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	slices.SortFunc(entries, func(a, b object.TreeEntry) int { return strings.Compare(key(a), key(b)) })
	t := &object.Tree{Entries: entries}
	obj := c.repo.Storer.NewEncodedObject()
	if err := t.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return c.repo.Storer.SetEncodedObject(obj)
}

func (c *committer) commit(u Update, tree, parent plumbing.Hash) (plumbing.Hash, error) {
	committer := u.Committer
	if committer.Name == "" {
		committer = u.Author
	}
	cm := &object.Commit{
		Author:    object.Signature{Name: u.Author.Name, Email: u.Author.Email, When: u.Author.When},
		Committer: object.Signature{Name: committer.Name, Email: committer.Email, When: committer.When},
		Message:   strings.TrimRight(u.Message, "\n") + "\n",
		TreeHash:  tree,
	}
	if !parent.IsZero() {
		cm.ParentHashes = []plumbing.Hash{parent}
	}
	obj := c.repo.Storer.NewEncodedObject()
	if err := cm.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return c.repo.Storer.SetEncodedObject(obj)
}

// setRef moves HEAD's branch (or a detached HEAD) from head.commit to
// commit as git does: under the ref's own lock file, after checking that
// it still points where it did.
func setRef(commonDir, gitDir string, head headState, commit plumbing.Hash) error {
	name, dir := string(head.branch), commonDir
	if head.branch == "" {
		name, dir = "HEAD", gitDir
	}
	file := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("kan inte skapa %s: %v", filepath.Dir(file), err)
	}
	lock, err := acquire(file + ".lock")
	if err != nil {
		return err
	}
	defer func() { lock.Close(); os.Remove(file + ".lock") }()
	cur, err := currentRef(dir, commonDir, name)
	if err != nil {
		return err
	}
	if cur != head.commit {
		return fmt.Errorf("%s flyttades av en annan process under tiden: försök igen", name)
	}
	if _, err := lock.WriteString(commit.String() + "\n"); err != nil {
		return fmt.Errorf("kan inte skriva %s: %v", file, err)
	}
	if err := lock.Sync(); err != nil {
		return fmt.Errorf("kan inte skriva %s: %v", file, err)
	}
	if err := os.Rename(file+".lock", file); err != nil {
		return fmt.Errorf("kan inte flytta %s: %v", name, err)
	}
	return nil
}

// currentRef reads a ref from its loose file or from packed-refs; zero
// when it does not exist.
func currentRef(dir, commonDir, name string) (plumbing.Hash, error) {
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err == nil {
		s := strings.TrimSpace(string(b))
		if strings.HasPrefix(s, "ref:") {
			return plumbing.ZeroHash, fmt.Errorf("%s är en symbolisk referens och kan inte flyttas", name)
		}
		return plumbing.NewHash(s), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return plumbing.ZeroHash, fmt.Errorf("kan inte läsa %s: %v", name, err)
	}
	packed, err := os.ReadFile(filepath.Join(commonDir, "packed-refs"))
	if err != nil {
		return plumbing.ZeroHash, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(packed))
	for sc.Scan() {
		h, ref, ok := strings.Cut(sc.Text(), " ")
		if ok && ref == name && len(h) == 40 {
			return plumbing.NewHash(h), nil
		}
	}
	return plumbing.ZeroHash, nil
}

// setEntry sets the index entry of gitPath to the committed blob, with
// the file's stat data.
func setEntry(idx *index.Index, gitPath string, blob plumbing.Hash, abs string) error {
	fi, err := os.Stat(abs)
	if err != nil {
		return err
	}
	e, err := idx.Entry(gitPath)
	if err != nil {
		e = idx.Add(gitPath)
	}
	e.Hash, e.Mode, e.Size = blob, filemode.Regular, uint32(fi.Size())
	if fi.Mode()&0o111 != 0 {
		e.Mode = filemode.Executable
	}
	e.ModifiedAt, e.CreatedAt = fi.ModTime(), fi.ModTime()
	e.Stage, e.IntentToAdd, e.SkipWorktree = 0, false, false
	fillStat(e, fi)
	return nil
}

// writeIndex writes the index into the lock file and renames it into
// place, as git does. The cached trees of the index are dropped: those of
// the changed folders are stale, and git rebuilds them.
func writeIndex(idx *index.Index, lock *os.File, lockPath, indexPath string) error {
	idx.Cache = nil
	if _, err := lock.Seek(0, 0); err != nil {
		return err
	}
	if err := lock.Truncate(0); err != nil {
		return err
	}
	bw := bufio.NewWriter(lock)
	if err := index.NewEncoder(bw).Encode(idx); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := lock.Sync(); err != nil {
		return err
	}
	if err := lock.Close(); err != nil {
		return err
	}
	return os.Rename(lockPath, indexPath)
}
