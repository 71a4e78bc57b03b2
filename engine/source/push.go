package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Upstream is where HEAD's branch is shared, as git's configuration says
// (branch.NAME.remote and branch.NAME.merge).
type Upstream struct {
	Branch   string // the local branch, "main"
	Remote   string // "origin"
	URL      string // the remote's first URL
	Merge    string // the branch on the remote, "refs/heads/main"
	Tracking string // the remote-tracking ref, "refs/remotes/origin/main"
}

// RemoteError is a failed fetch or push. Rejected is set when the remote
// refused a push that is not a fast-forward: the remote moved, and the
// local commits must be re-applied on top of it first.
type RemoteError struct {
	Push     bool // a push; else a fetch
	Remote   string
	Rejected bool
	Err      error
}

func (e *RemoteError) Error() string {
	switch {
	case e.Rejected:
		return fmt.Sprintf("%s har nya commits som inte finns här: de hämtas och posterna läggs ovanpå innan de skickas igen", e.Remote)
	case e.Push:
		return fmt.Sprintf("kan inte skicka till %s (%v): posterna finns kvar här och skickas när det går", e.Remote, e.Err)
	}
	return fmt.Sprintf("kan inte hämta från %s (%v)", e.Remote, e.Err)
}

func (e *RemoteError) Unwrap() error { return e.Err }

// ConflictError is a local commit that cannot be re-applied on top of
// what the remote has: the remote changed the file other than by adding
// at its end. The commit stays local, as it was.
type ConflictError struct {
	Commit string // the local commit, full hash
	Path   string // the file, relative to the commitments root (or the git top)
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("commit %s kan inte läggas ovanpå de hämtade ändringarna: %s har ändrats på annat sätt "+
		"än genom nya poster sist i filen; commiten finns kvar här men skickas inte "+
		"(lös det med `git pull --rebase` och `git push`)", e.Commit[:7], e.Path)
}

// Upstream returns the upstream of HEAD's branch.
func (r *Repo) Upstream() (Upstream, error) {
	if r.top == "" {
		return Upstream{}, plainError(r.root, "--push")
	}
	repo, err := openGit(r.top)
	if err != nil {
		return Upstream{}, openError(r.top, err)
	}
	return r.upstream(repo)
}

func (r *Repo) upstream(repo *git.Repository) (Upstream, error) {
	head, err := repo.Storer.Reference(plumbing.HEAD)
	if err != nil {
		return Upstream{}, readError(repo, r.top, "HEAD", err)
	}
	if head.Type() != plumbing.SymbolicReference || !head.Target().IsBranch() {
		return Upstream{}, fmt.Errorf("HEAD i %s pekar inte på en gren: byt till en gren med `git switch main`", r.top)
	}
	up := Upstream{Branch: head.Target().Short()}
	cfg, err := repo.Config()
	if err != nil {
		return up, fmt.Errorf("kan inte läsa git-konfigurationen i %s: %v", r.top, err)
	}
	b := cfg.Branches[up.Branch]
	if b == nil || b.Remote == "" || b.Merge == "" {
		return up, fmt.Errorf("grenen %s har ingen uppströmsgren att skicka till: ange den med "+
			"`git push -u origin %s` eller `git branch --set-upstream-to=origin/%s`", up.Branch, up.Branch, up.Branch)
	}
	up.Remote, up.Merge = b.Remote, string(b.Merge)
	rc := cfg.Remotes[b.Remote]
	if rc == nil || len(rc.URLs) == 0 {
		return up, fmt.Errorf("fjärrförrådet %s finns inte i git-konfigurationen i %s: lägg till det med `git remote add %s URL`",
			b.Remote, r.top, b.Remote)
	}
	up.URL = rc.URLs[0]
	up.Tracking = "refs/remotes/" + b.Remote + "/" + b.Merge.Short()
	for _, spec := range rc.Fetch {
		if spec.Match(b.Merge) {
			up.Tracking = string(spec.Dst(b.Merge))
			break
		}
	}
	return up, nil
}

// Fetch fetches the upstream's remote with its configured refspecs. It
// moves remote-tracking refs only, never the branch or the work tree.
func (r *Repo) Fetch(ctx context.Context) error {
	repo, up, err := r.openUpstream()
	if err != nil {
		return err
	}
	auth, err := r.remote.method(up.URL)
	if err != nil {
		return err
	}
	err = repo.FetchContext(ctx, &git.FetchOptions{RemoteName: up.Remote, Auth: auth})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return &RemoteError{Remote: up.Remote, Err: err}
	}
	return nil
}

// Push pushes HEAD's branch to its upstream branch, as a fast-forward
// only; a refusal is a *RemoteError with Rejected set. On success the
// remote-tracking ref is moved to what was pushed. It returns the hash
// pushed.
func (r *Repo) Push(ctx context.Context) (string, error) {
	repo, up, err := r.openUpstream()
	if err != nil {
		return "", err
	}
	local, err := repo.Storer.Reference(plumbing.NewBranchReferenceName(up.Branch))
	if err != nil {
		return "", readError(repo, r.top, "grenen "+up.Branch, err)
	}
	spec := config.RefSpec(local.Name().String() + ":" + up.Merge)
	auth, err := r.remote.method(up.URL)
	if err != nil {
		return "", err
	}
	err = repo.PushContext(ctx, &git.PushOptions{RemoteName: up.Remote, RefSpecs: []config.RefSpec{spec}, Auth: auth})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		// go-git says so in a plain error (not ErrNonFastForwardUpdate).
		rejected := errors.Is(err, git.ErrNonFastForwardUpdate) || strings.Contains(err.Error(), "non-fast-forward")
		return "", &RemoteError{Push: true, Remote: up.Remote, Rejected: rejected, Err: err}
	}
	ref := plumbing.NewHashReference(plumbing.ReferenceName(up.Tracking), local.Hash())
	if err := repo.Storer.SetReference(ref); err != nil {
		return local.Hash().String(), fmt.Errorf("kan inte flytta %s: %v", up.Tracking, err)
	}
	return local.Hash().String(), nil
}

func (r *Repo) openUpstream() (*git.Repository, Upstream, error) {
	if r.top == "" {
		return nil, Upstream{}, plainError(r.root, "--push")
	}
	repo, err := openGit(r.top)
	if err != nil {
		return nil, Upstream{}, openError(r.top, err)
	}
	up, err := r.upstream(repo)
	return repo, up, err
}

// AheadBehind counts the commits of HEAD's branch that its upstream does
// not have (ahead: not pushed yet) and those of the upstream, as last
// fetched, that the branch does not have (behind).
func (r *Repo) AheadBehind() (ahead, behind int, err error) {
	repo, up, err := r.openUpstream()
	if err != nil {
		return 0, 0, err
	}
	local, remote, err := tips(repo, up)
	if err != nil {
		return 0, 0, readError(repo, r.top, "grenarna", err)
	}
	mine, theirs, err := divergence(repo, local, remote)
	if err != nil {
		return 0, 0, readError(repo, r.top, "historiken", err)
	}
	return len(mine), theirs, nil
}

// tips returns the commits of the local branch and of the upstream's
// remote-tracking ref (zero when it does not exist yet).
func tips(repo *git.Repository, up Upstream) (local, remote plumbing.Hash, err error) {
	l, err := repo.Storer.Reference(plumbing.NewBranchReferenceName(up.Branch))
	if err != nil {
		return local, remote, err
	}
	t, err := repo.Storer.Reference(plumbing.ReferenceName(up.Tracking))
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return l.Hash(), remote, nil
	}
	if err != nil {
		return local, remote, err
	}
	return l.Hash(), t.Hash(), nil
}

// divergence returns the commits reachable from local but not remote,
// newest first, and how many are reachable from remote but not local.
func divergence(repo *git.Repository, local, remote plumbing.Hash) (mine []*object.Commit, theirs int, err error) {
	if local == remote {
		return nil, 0, nil
	}
	fromLocal, err := ancestors(repo, local)
	if err != nil {
		return nil, 0, err
	}
	fromRemote, err := ancestors(repo, remote)
	if err != nil {
		return nil, 0, err
	}
	for _, c := range fromLocal.order {
		if !fromRemote.has[c.Hash] {
			mine = append(mine, c)
		}
	}
	for _, c := range fromRemote.order {
		if !fromLocal.has[c.Hash] {
			theirs++
		}
	}
	return mine, theirs, nil
}

type commitSet struct {
	has   map[plumbing.Hash]bool
	order []*object.Commit // newest first (preorder from the tip)
}

func ancestors(repo *git.Repository, tip plumbing.Hash) (commitSet, error) {
	s := commitSet{has: map[plumbing.Hash]bool{}}
	if tip.IsZero() {
		return s, nil
	}
	c, err := repo.CommitObject(tip)
	if err != nil {
		return s, err
	}
	err = object.NewCommitPreorderIter(c, nil, nil).ForEach(func(c *object.Commit) error {
		s.has[c.Hash] = true
		s.order = append(s.order, c)
		return nil
	})
	return s, err
}

// Integration is what Integrate did.
type Integration struct {
	// FastForward is set when the branch moved to the upstream, having
	// no commits of its own.
	FastForward bool
	// Reapplied counts the local commits made again on top of the
	// upstream.
	Reapplied int
	// Ahead and Behind are as AheadBehind says, afterwards.
	Ahead, Behind int
	// Head is the branch's commit afterwards.
	Head string
}

// Integrate brings HEAD's branch up to its upstream as last fetched,
// under git's index lock as UpdateFile takes it. When only the upstream
// moved, the branch is fast-forwarded. When both moved, each local commit
// (oldest first) is made again on top of the upstream, with the same
// author and message and now as the committer's time: a file the commit
// changed that the upstream left as it was gets the commit's content; a
// file to which the commit added at the end gets the same bytes added at
// the end of the upstream's version, provided that version still begins
// with what the commit started from (the upstream only added to it, or
// created it); a file from which the commit took out one run of bytes
// (records undone) loses the same bytes wherever they now are. check, when not nil, is asked about each file so merged
// (path relative to the commitments root) and may refuse it. Anything
// else is a *ConflictError, and then nothing changes: the local commits
// stay as they were. Afterwards the files that changed are written in the
// work tree and the index; a file among them with changes that are not
// committed stops everything before anything changes.
func (r *Repo) Integrate(now time.Time, check func(path string, data []byte) error) (Integration, error) {
	var res Integration
	_, err := r.withIndexLock(func(l *locked) (string, error) {
		up, err := r.upstream(l.repo)
		if err != nil {
			return "", err
		}
		local, remote, err := tips(l.repo, up)
		if err != nil {
			return "", readError(l.repo, r.top, "grenarna", err)
		}
		if l.head.branch != plumbing.NewBranchReferenceName(up.Branch) || local != l.head.commit {
			return "", fmt.Errorf("HEAD flyttades under tiden: försök igen")
		}
		mine, behind, err := divergence(l.repo, local, remote)
		if err != nil {
			return "", readError(l.repo, r.top, "historiken", err)
		}
		res.Head, res.Ahead, res.Behind = local.String(), len(mine), behind
		if behind == 0 || remote.IsZero() {
			return "", nil
		}
		target := remote
		if len(mine) > 0 {
			if target, err = r.reapply(l, mine, remote, now, check); err != nil {
				return "", err
			}
			res.Reapplied = len(mine)
		} else {
			res.FastForward = true
		}
		if err := r.moveTo(l, target); err != nil {
			return "", err
		}
		res.Head, res.Behind = target.String(), 0
		return target.String(), nil
	})
	return res, err
}

// reapply makes the commits mine (newest first) again on top of onto and
// returns the last one made.
func (r *Repo) reapply(l *locked, mine []*object.Commit, onto plumbing.Hash, now time.Time,
	check func(string, []byte) error) (plumbing.Hash, error) {
	base, err := l.repo.CommitObject(onto)
	if err != nil {
		return onto, readError(l.repo, r.top, "den hämtade grenen", err)
	}
	rp := &replay{r: r, l: l, c: &committer{repo: l.repo}, check: check,
		w: &changeWalk{st: l.repo.Storer, trees: map[plumbing.Hash]*cachedTree{}}, made: map[string]plumbing.Hash{}}
	parent, tree := onto, base.TreeHash
	for i := len(mine) - 1; i >= 0; i-- {
		cm := mine[i]
		if tree, err = rp.tree(cm, tree); err != nil {
			return onto, err
		}
		committer := Identity{Name: cm.Committer.Name, Email: cm.Committer.Email, When: cm.Committer.When}
		if !now.IsZero() {
			committer.When = now
		}
		u := Update{Message: cm.Message, Committer: committer,
			Author: Identity{Name: cm.Author.Name, Email: cm.Author.Email, When: cm.Author.When}}
		if parent, err = rp.c.commit(u, tree, parent); err != nil {
			return onto, r.writeError(err)
		}
	}
	return parent, nil
}

// replay makes local commits again on another base.
type replay struct {
	r     *Repo
	l     *locked
	c     *committer
	w     *changeWalk
	check func(string, []byte) error
	// made holds the content given to each file by a commit made again:
	// the next local commit's parent is the local version of it, and adds
	// to it as it added to that.
	made map[string]plumbing.Hash
}

// tree applies the changes of commit cm to tree and returns the new tree.
func (rp *replay) tree(cm *object.Commit, tree plumbing.Hash) (plumbing.Hash, error) {
	r, l := rp.r, rp.l
	if len(cm.ParentHashes) != 1 {
		return tree, &ConflictError{Commit: cm.Hash.String(), Path: "(en sammanslagning)"}
	}
	p, err := l.repo.CommitObject(cm.ParentHashes[0])
	if err != nil {
		return tree, readError(l.repo, r.top, "historiken", err)
	}
	changes, err := diffTrees(l.repo, p.TreeHash, cm.TreeHash)
	if err != nil {
		return tree, readError(l.repo, r.top, "historiken", err)
	}
	for _, ch := range changes {
		blob, skip, err := rp.blob(cm, tree, ch)
		if err != nil || skip {
			if err != nil {
				return tree, err
			}
			continue
		}
		if tree, err = rp.c.put(tree, strings.Split(ch.path, "/"), blob); err != nil {
			return tree, r.writeError(err)
		}
		rp.made[ch.path] = blob
	}
	return tree, nil
}

// blob is the content a change of commit cm gives its file on tree: the
// commit's own when the file is as the commit found it, the bytes it
// appended added to the file as it now is, else a conflict. skip: the file
// already is as the commit left it.
func (rp *replay) blob(cm *object.Commit, tree plumbing.Hash, ch treeChange) (blob plumbing.Hash, skip bool, err error) {
	r, l := rp.r, rp.l
	cur, err := rp.w.blobAt(tree, ch.path)
	if err != nil {
		return blob, false, readError(l.repo, r.top, ch.path, err)
	}
	conflict := &ConflictError{Commit: cm.Hash.String(), Path: ch.path}
	if rel, ok := r.relative(ch.path); ok {
		conflict.Path = rel
	}
	switch {
	case cur == ch.new:
		return blob, true, nil
	case cur == ch.old:
		return ch.new, false, nil
	case ch.new.IsZero():
		return blob, false, conflict
	}
	merged, ok, err := appendOnto(l.repo, ch.old, ch.new, cur, rp.made[ch.path] == cur)
	switch {
	case err != nil:
		return blob, false, readError(l.repo, r.top, ch.path, err)
	case !ok:
		return blob, false, conflict
	}
	if rel, in := r.relative(ch.path); in && rp.check != nil {
		if err := rp.check(rel, merged); err != nil {
			return blob, false, conflict
		}
	}
	if blob, err = rp.c.blob(merged); err != nil {
		return blob, false, r.writeError(err)
	}
	return blob, false, nil
}

// appendOnto adds what the commit added at the end of a file (new minus
// its prefix old) at the end of cur; false when new does not merely add
// to old, or cur no longer begins with old, unless cur is what an earlier
// commit made again gave the file (ours).
func appendOnto(repo *git.Repository, old, new, cur plumbing.Hash, ours bool) ([]byte, bool, error) {
	o, err := blobData(repo, old)
	if err != nil {
		return nil, false, err
	}
	n, err := blobData(repo, new)
	if err != nil {
		return nil, false, err
	}
	c, err := blobData(repo, cur)
	if err != nil {
		return nil, false, err
	}
	if !bytes.HasPrefix(n, o) {
		return cut(o, n, c)
	}
	if !ours && !bytes.HasPrefix(c, o) {
		return nil, false, nil
	}
	added := n[len(o):]
	out := bytes.Clone(c)
	if len(out) > 0 && out[len(out)-1] != '\n' && (len(added) == 0 || added[0] != '\n') {
		out = append(out, '\n')
	}
	return append(out, added...), true, nil
}

// cut takes out of cur what the commit took out of old to make new (one
// run of bytes, as when records are undone), wherever it is in cur;
// false when the commit did more, or cur no longer holds it.
func cut(old, new, cur []byte) ([]byte, bool, error) {
	if len(old) <= len(new) {
		return nil, false, nil
	}
	i := 0
	for i < len(new) && new[i] == old[i] {
		i++
	}
	j := 0
	for j < len(new)-i && new[len(new)-1-j] == old[len(old)-1-j] {
		j++
	}
	if i+j != len(new) {
		return nil, false, nil
	}
	chunk := old[i : len(old)-j]
	at := -1
	if i+len(chunk) <= len(cur) && bytes.Equal(cur[i:i+len(chunk)], chunk) {
		at = i
	} else if at = bytes.Index(cur, chunk); at < 0 {
		return nil, false, nil
	}
	out := append(bytes.Clone(cur[:at]), cur[at+len(chunk):]...)
	return out, true, nil
}

// moveTo moves HEAD's branch to target and makes the work tree and the
// index match it for every file that differs from HEAD's tree. A file
// that has changes of its own (in the work tree or staged) stops it
// before anything changes.
func (r *Repo) moveTo(l *locked, target plumbing.Hash) error {
	tc, err := l.repo.CommitObject(target)
	if err != nil {
		return readError(l.repo, r.top, "commit "+target.String()[:7], err)
	}
	changes, err := diffTrees(l.repo, l.head.tree, tc.TreeHash)
	if err != nil {
		return readError(l.repo, r.top, "commit "+target.String()[:7], err)
	}
	for _, ch := range changes {
		if err := r.unchanged(l, ch); err != nil {
			return err
		}
	}
	if err := setRef(l.commonDir, l.gitDir, l.head, target); err != nil {
		return err
	}
	for _, ch := range changes {
		abs := filepath.Join(r.top, filepath.FromSlash(ch.path))
		if ch.new.IsZero() {
			if err := os.Remove(abs); err != nil && !errors.Is(err, os.ErrNotExist) {
				return r.movedError(target, err)
			}
			_, _ = l.idx.Remove(ch.path)
			continue
		}
		data, err := blobData(l.repo, ch.new)
		if err != nil {
			return r.movedError(target, err)
		}
		mode := os.FileMode(0o644)
		if ch.exec {
			mode = 0o755
		}
		if err := writeAtomic(abs, data, mode); err != nil {
			return r.movedError(target, err)
		}
		if err := setEntry(l.idx, ch.path, ch.new, abs); err != nil {
			return r.movedError(target, err)
		}
	}
	if err := l.writeIndex(); err != nil {
		return r.movedError(target, err)
	}
	return nil
}

func (r *Repo) movedError(target plumbing.Hash, err error) error {
	return fmt.Errorf("grenen flyttades till %s, men arbetskatalogen kunde inte uppdateras (%v): "+
		"kör `git reset --hard %s` om du inte har egna ändringar", target.String()[:7], err, target.String()[:7])
}

// unchanged refuses a file whose work tree or staged version differs from
// HEAD's, which moving the branch would overwrite.
func (r *Repo) unchanged(l *locked, ch treeChange) error {
	abs := filepath.Join(r.top, filepath.FromSlash(ch.path))
	dirty := false
	if disk, err := os.ReadFile(abs); err == nil {
		dirty = blobHash(disk) != ch.old
	} else if errors.Is(err, os.ErrNotExist) {
		dirty = !ch.old.IsZero()
	} else {
		return fmt.Errorf("kan inte läsa %s: %v", abs, err)
	}
	if e, err := l.idx.Entry(ch.path); err == nil {
		dirty = dirty || e.Hash != ch.old || e.Stage != 0
	} else {
		dirty = dirty || !ch.old.IsZero()
	}
	if dirty {
		return fmt.Errorf("%s har ändringar som inte är incheckade och skulle skrivas över av de hämtade posterna: "+
			"checka in eller återställ dem först (se `git status` och `git diff %s`)", ch.path, ch.path)
	}
	return nil
}
