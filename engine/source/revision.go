package source

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Revision reads rules/ and data/ as committed at rev: a branch, a tag, a
// full or short hash, HEAD~3, main^2 and the like. The working tree is not
// touched.
func (r *Repo) Revision(rev string) (*Snapshot, error) { return r.revision(rev, false) }

// RevisionIDs is Revision for a reader that keeps what it parsed of each
// file by blob id (a repository.Loader with a parse cache): the record
// files under data/ come with their ID, Data nil and Unchanged set, their
// size checked against the limit from the object's header, and are read
// from the repository only when the reader asks (Snapshot.ReadData; check
// Snapshot.ReadErr after reading).
func (r *Repo) RevisionIDs(rev string) (*Snapshot, error) { return r.revision(rev, true) }

func (r *Repo) revision(rev string, ids bool) (*Snapshot, error) {
	if r.top == "" {
		return nil, plainError(r.root, "--rev")
	}
	if strings.Contains(rev, "@{") || strings.Contains(rev, ":") {
		// go-git reads HEAD@{yesterday} and main:rules as HEAD and main.
		return nil, fmt.Errorf("revisionen %q har en form som lofte inte stöder (@{…} eller :sökväg): "+
			"ange en gren, en tagg eller en commit (t.ex. HEAD~1), eller ett datum med --known-at", rev)
	}
	repo, done, err := r.open()
	if err != nil {
		return nil, err
	}
	defer done()
	h, err := resolve(repo, rev)
	if err != nil {
		return nil, r.revisionError(repo, rev, err)
	}
	c, err := repo.CommitObject(h)
	if err != nil {
		return nil, readError(repo, r.top, "commit "+h.String()[:7], err)
	}
	return r.readCommit(repo, c, ids)
}

// resolve turns rev into a commit hash. go-git's revision parser is third
// party code fed with user input: a panic in it becomes an error.
func resolve(repo *git.Repository, rev string) (h plumbing.Hash, err error) {
	defer func() {
		if recover() != nil {
			err = plumbing.ErrReferenceNotFound
		}
	}()
	// go-git ignores peeling suffixes; those naming no commit must fail.
	if strings.Contains(rev, "^{tree}") || strings.Contains(rev, "^{blob}") {
		return plumbing.ZeroHash, plumbing.ErrReferenceNotFound
	}
	p, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return *p, nil
}

// revisionError explains why rev could not be resolved.
func (r *Repo) revisionError(repo *git.Repository, rev string, err error) error {
	if _, herr := repo.Head(); errors.Is(herr, plumbing.ErrReferenceNotFound) {
		return noCommitsError(r.top)
	}
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return readError(repo, r.top, fmt.Sprintf("en commit som revisionen %q behöver", rev), err)
	}
	return fmt.Errorf("okänd revision %q: ange en gren, en tagg eller en commit (t.ex. HEAD~1)", rev)
}

// KnownAt reads rules/ and data/ as committed at the last commit of HEAD's
// first-parent history whose committer time is before the given instant.
// The caller passes midnight after the asked day. The walk follows first
// parents from HEAD and stops at the first match.
func (r *Repo) KnownAt(before time.Time) (*Snapshot, error) { return r.knownAt(before, false) }

// KnownAtIDs is KnownAt as RevisionIDs is Revision: the record files are
// read when the reader asks for them.
func (r *Repo) KnownAtIDs(before time.Time) (*Snapshot, error) { return r.knownAt(before, true) }

func (r *Repo) knownAt(before time.Time, ids bool) (*Snapshot, error) {
	if r.top == "" {
		return nil, plainError(r.root, "--known-at")
	}
	repo, done, err := r.open()
	if err != nil {
		return nil, err
	}
	defer done()
	c, err := headCommit(repo, r.top)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, noCommitsError(r.top)
	}
	earliest := c.Committer.When
	for !c.Committer.When.Before(before) {
		if c.Committer.When.Before(earliest) {
			earliest = c.Committer.When
		}
		if c.NumParents() == 0 {
			day := before.Add(-time.Nanosecond).Format(time.DateOnly)
			return nil, fmt.Errorf("ingen commit i HEADs historia fanns den %s: den tidigaste gjordes %s; ange ett senare datum",
				day, earliest.In(before.Location()).Format(time.DateOnly))
		}
		parent, err := c.Parent(0)
		if err != nil {
			return nil, readError(repo, r.top, "föräldern till commit "+c.Hash.String()[:7], err)
		}
		c = parent
	}
	return r.readCommit(repo, c, ids)
}

// headCommit returns HEAD's commit, nil when HEAD has no commit yet.
func headCommit(repo *git.Repository, top string) (*object.Commit, error) {
	ref, err := repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("kan inte läsa HEAD i git-förrådet i %s (%v): kontrollera förrådet med `git status`", top, err)
	}
	c, err := repo.CommitObject(ref.Hash())
	if err != nil {
		return nil, readError(repo, top, "HEAD-commiten "+ref.Hash().String()[:7], err)
	}
	return c, nil
}
