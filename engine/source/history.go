package source

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// CommitInfo is one commit as lofte shows it: who, when, what it says and
// which files of the commitments root it changed.
type CommitInfo struct {
	Hash      string // full hex hash
	Author    Identity
	Committer Identity
	Message   string
	Parent    string // the first parent, "" for a root commit
	// Files are the files under the commitments root that the commit
	// changed from its first parent, relative to the root, sorted.
	Files []string
}

// FileDiff is a file of a commit as its first parent had it and as the
// commit has it; a nil side means the file does not exist there.
type FileDiff struct {
	Path     string // relative to the commitments root
	Old, New []byte
}

// Commit returns the commit rev (a hash, or anything Revision takes) and
// the content of each file it changed, before and after.
func (r *Repo) Commit(rev string) (CommitInfo, []FileDiff, error) {
	if r.top == "" {
		return CommitInfo{}, nil, plainError(r.root, "en commit")
	}
	repo, done, err := r.open()
	if err != nil {
		return CommitInfo{}, nil, err
	}
	defer done()
	h, err := resolve(repo, rev)
	if err != nil {
		return CommitInfo{}, nil, r.revisionError(repo, rev, err)
	}
	c, err := repo.CommitObject(h)
	if err != nil {
		return CommitInfo{}, nil, r.revisionError(repo, rev, err)
	}
	info, diffs, err := r.commitInfo(repo, c, true)
	return info, diffs, err
}

// CommitsBy returns the commits on HEAD's first-parent line whose author
// has the e-mail address email (compared without regard to case), newest
// first, committed at or after since, at most limit of them (0: no
// limit).
func (r *Repo) CommitsBy(email string, since time.Time, limit int) ([]CommitInfo, error) {
	if r.top == "" {
		return nil, nil
	}
	repo, done, err := r.open()
	if err != nil {
		return nil, err
	}
	defer done()
	c, err := headCommit(repo, r.top)
	if err != nil || c == nil {
		return nil, err
	}
	var out []CommitInfo
	for c != nil && (limit <= 0 || len(out) < limit) {
		if c.Committer.When.Before(since) {
			break
		}
		if strings.EqualFold(c.Author.Email, email) && !c.Author.When.Before(since) {
			info, _, err := r.commitInfo(repo, c, false)
			if err != nil {
				return out, err
			}
			out = append(out, info)
		}
		if len(c.ParentHashes) == 0 {
			break
		}
		if c, err = repo.CommitObject(c.ParentHashes[0]); err != nil {
			return out, readError(repo, r.top, "historiken", err)
		}
	}
	return out, nil
}

// commitInfo describes c; with contents, the changed files' contents too.
func (r *Repo) commitInfo(repo *git.Repository, c *object.Commit, contents bool) (CommitInfo, []FileDiff, error) {
	info := CommitInfo{
		Hash:      c.Hash.String(),
		Author:    Identity{Name: c.Author.Name, Email: c.Author.Email, When: c.Author.When},
		Committer: Identity{Name: c.Committer.Name, Email: c.Committer.Email, When: c.Committer.When},
		Message:   c.Message,
	}
	var parentTree plumbing.Hash
	if len(c.ParentHashes) > 0 {
		info.Parent = c.ParentHashes[0].String()
		p, err := repo.CommitObject(c.ParentHashes[0])
		if err != nil {
			return info, nil, readError(repo, r.top, "historiken", err)
		}
		parentTree = p.TreeHash
	}
	changed, err := diffTrees(repo, parentTree, c.TreeHash)
	if err != nil {
		return info, nil, readError(repo, r.top, "commit "+c.Hash.String()[:7], err)
	}
	var diffs []FileDiff
	for _, ch := range changed {
		rel, ok := r.relative(ch.path)
		if !ok {
			continue
		}
		info.Files = append(info.Files, rel)
		if !contents {
			continue
		}
		d := FileDiff{Path: rel}
		if d.Old, err = blobData(repo, ch.old); err == nil {
			d.New, err = blobData(repo, ch.new)
		}
		if err != nil {
			return info, nil, readError(repo, r.top, "commit "+c.Hash.String()[:7], err)
		}
		diffs = append(diffs, d)
	}
	return info, diffs, nil
}

// relative turns a path of the git tree into one relative to the
// commitments root; false when it lies outside.
func (r *Repo) relative(gitPath string) (string, bool) {
	if r.prefix == "" {
		return gitPath, true
	}
	rel, ok := strings.CutPrefix(gitPath, r.prefix+"/")
	return rel, ok
}

// treeChange is a file that differs between two trees: its blob on each
// side (zero where it does not exist) and its mode on the new side.
type treeChange struct {
	path     string
	old, new plumbing.Hash
	exec     bool
}

// diffTrees lists the files that differ between the trees a and b (zero:
// empty), sorted by path. Only regular files and links count.
func diffTrees(repo *git.Repository, a, b plumbing.Hash) ([]treeChange, error) {
	var ta, tb *object.Tree
	var err error
	if !a.IsZero() {
		if ta, err = repo.TreeObject(a); err != nil {
			return nil, err
		}
	}
	if !b.IsZero() {
		if tb, err = repo.TreeObject(b); err != nil {
			return nil, err
		}
	}
	changes, err := object.DiffTree(ta, tb)
	if err != nil {
		return nil, err
	}
	out := make([]treeChange, 0, len(changes))
	for _, ch := range changes {
		tc := treeChange{old: ch.From.TreeEntry.Hash, new: ch.To.TreeEntry.Hash, path: ch.To.Name}
		if tc.path == "" {
			tc.path = ch.From.Name
		}
		if ch.From.Name != "" && ch.To.Name != "" && ch.From.Name != ch.To.Name {
			return nil, fmt.Errorf("oväntat namnbyte %s → %s", ch.From.Name, ch.To.Name)
		}
		tc.exec = ch.To.TreeEntry.Mode == 0o100755
		out = append(out, tc)
	}
	return out, nil
}

// blobData reads a blob; nil for the zero hash.
func blobData(repo *git.Repository, h plumbing.Hash) ([]byte, error) {
	if h.IsZero() {
		return nil, nil
	}
	b, err := repo.BlobObject(h)
	if err != nil {
		return nil, err
	}
	rd, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	data, err := io.ReadAll(rd)
	if err == nil && data == nil {
		data = []byte{}
	}
	return data, err
}
