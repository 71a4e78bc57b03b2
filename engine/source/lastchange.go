package source

import (
	"container/heap"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/lofte/lofte/engine/privacy"
)

// Change is a commit that changed a file: the one that gave the file the
// content it has at the revision asked about.
type Change struct {
	Hash    string    // full hex hash of the commit
	Author  string    // author's name
	Email   string    // author's e-mail
	When    time.Time // committer time: when it was committed (docs/reference.md §8)
	Subject string    // first line of the message
	Blob    string    // hex hash of the file's content at the revision asked about
}

// Short is the hash abbreviated to seven characters, as git shows it.
func (c Change) Short() string { return c.Hash[:min(7, len(c.Hash))] }

// BlobHash is the hash git gives data stored as a blob, in hex: compare it
// with Change.Blob to tell whether a file read from disk is the committed
// one.
func BlobHash(data []byte) string { return blobHash(data).String() }

// LastChanges finds, for each path (slash-separated, relative to the
// commitments root), the commit of rev's history that last changed it: the
// newest commit whose version of the file is the one at rev while the
// version in each of its parents differs (so that a merge that took the
// file from one side is passed over for the commit on that side, as `git
// log -1 -- path` does). rev "" is HEAD. Paths that rev's tree does not
// hold get no entry; a repository without commits gives an empty map.
//
// It is one walk over history, newest commit first, that compares the tree
// hashes of each commit and its parents and descends only into subtrees
// that differ, and stops once every path has its commit: neither go-git's
// path-filtered Log nor Blame is used (both are far too slow, see
// docs/design.md).
func (r *Repo) LastChanges(rev string, paths []string) (map[string]Change, error) {
	if r.top == "" {
		return map[string]Change{}, nil
	}
	repo, done, err := r.open()
	if err != nil {
		return nil, err
	}
	defer done()
	start, err := r.startCommit(repo, rev)
	if err != nil || start == nil {
		return map[string]Change{}, err
	}
	w := &changeWalk{st: repo.Storer, trees: map[plumbing.Hash]*cachedTree{}}
	want := map[string]plumbing.Hash{} // git path → blob at rev
	byGit := map[string]string{}       // git path → path asked for
	for _, p := range paths {
		gp := joinSlash(r.prefix, p)
		if _, dup := byGit[gp]; dup {
			continue
		}
		h, err := w.blobAt(start.TreeHash, gp)
		if err != nil {
			return nil, readError(repo, r.top, "trädet för commit "+start.Hash.String()[:7], err)
		}
		if !h.IsZero() {
			want[gp], byGit[gp] = h, p
		}
	}
	found, err := w.walk(start, want)
	if err != nil {
		return nil, readError(repo, r.top, "historien för commit "+start.Hash.String()[:7], err)
	}
	out := make(map[string]Change, len(found))
	for gp, c := range found {
		name, email, subject := shown(c)
		out[byGit[gp]] = Change{
			Hash: c.Hash.String(), Author: name, Email: email, When: c.Committer.When,
			Subject: subject, Blob: want[gp].String(),
		}
	}
	return out, nil
}

// startCommit resolves rev ("" for HEAD) to a commit; nil when HEAD has no
// commit yet.
func (r *Repo) startCommit(repo *git.Repository, rev string) (*object.Commit, error) {
	if rev == "" {
		return headCommit(repo, r.top)
	}
	h, err := resolve(repo, rev)
	if err != nil {
		return nil, r.revisionError(repo, rev, err)
	}
	c, err := repo.CommitObject(h)
	if err != nil {
		return nil, readError(repo, r.top, "commit "+h.String()[:7], err)
	}
	return c, nil
}

// shown returns a commit's author and the first line of its message as
// lofte shows them: an identity number in any of them is masked
// (docs/reference.md §11). Every use of a commit's author (provenance,
// last changes, explain, the trust listing) reads it through here.
func shown(c *object.Commit) (name, email, subject string) {
	return privacy.Mask(c.Author.Name), privacy.Mask(c.Author.Email), privacy.Mask(firstLine(c.Message))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(s)
}

// changeWalk is the state of one LastChanges walk: trees are read once
// and kept by hash, since consecutive commits share most of them.
type changeWalk struct {
	st    storer.EncodedObjectStorer
	trees map[plumbing.Hash]*cachedTree
}

// cachedTree is a tree's entries by name.
type cachedTree map[string]object.TreeEntry

// maxCachedTrees bounds the cache; past it the cache starts afresh.
const maxCachedTrees = 1 << 14

func (w *changeWalk) tree(h plumbing.Hash) (*cachedTree, error) {
	if t, ok := w.trees[h]; ok {
		return t, nil
	}
	t, err := object.GetTree(w.st, h)
	if err != nil {
		return nil, err
	}
	ct := make(cachedTree, len(t.Entries))
	for _, e := range t.Entries {
		ct[e.Name] = e
	}
	if len(w.trees) >= maxCachedTrees {
		clear(w.trees)
	}
	w.trees[h] = &ct
	return &ct, nil
}

// blobAt returns the hash of the file at the slash path p in the tree
// root, zero when there is none (or it is not a file).
func (w *changeWalk) blobAt(root plumbing.Hash, p string) (plumbing.Hash, error) {
	e, ok, err := w.entryAt(root, p)
	if err != nil || !ok || e.Mode == filemode.Dir || e.Mode == filemode.Submodule {
		return plumbing.ZeroHash, err
	}
	return e.Hash, nil
}

// entryAt returns the entry at the slash path p in the tree root, through
// the cache of trees; ok is false when there is none.
func (w *changeWalk) entryAt(root plumbing.Hash, p string) (e object.TreeEntry, ok bool, err error) {
	h := root
	parts := strings.Split(p, "/")
	for i, name := range parts {
		t, err := w.tree(h)
		if err != nil {
			return e, false, err
		}
		if e, ok = (*t)[name]; !ok || i == len(parts)-1 {
			return e, ok, nil
		}
		if e.Mode != filemode.Dir {
			return e, false, nil
		}
		h = e.Hash
	}
	return e, false, nil
}

// walk visits the history of start newest first (by committer time) and
// returns, for each path of want, the first commit visited that holds
// want's blob at that path while none of its parents does.
func (w *changeWalk) walk(start *object.Commit, want map[string]plumbing.Hash) (map[string]*object.Commit, error) {
	found := map[string]*object.Commit{}
	left := make([]string, 0, len(want))
	for p := range want {
		left = append(left, p)
	}
	q := &commitQueue{}
	seen := map[plumbing.Hash]bool{start.Hash: true}
	heap.Push(q, start)
	for q.Len() > 0 && len(left) > 0 {
		c := heap.Pop(q).(*object.Commit)
		cands := left
		for _, ph := range c.ParentHashes {
			parent, err := object.GetCommit(w.st, ph)
			if err != nil {
				return nil, err
			}
			if !seen[ph] {
				seen[ph] = true
				heap.Push(q, parent)
			}
			if len(cands) > 0 {
				var err error
				if cands, err = w.differ(c.TreeHash, parent.TreeHash, cands); err != nil {
					return nil, err
				}
			}
		}
		if len(cands) == 0 {
			continue
		}
		done := map[string]bool{}
		for _, p := range cands {
			h, err := w.blobAt(c.TreeHash, p)
			if err != nil {
				return nil, err
			}
			if h == want[p] {
				found[p], done[p] = c, true
			}
		}
		if len(done) > 0 {
			left = removeAll(left, done)
		}
	}
	return found, nil
}

// differ returns the paths of ps whose entry differs between the trees a
// and b. Equal subtrees are not read.
func (w *changeWalk) differ(a, b plumbing.Hash, ps []string) ([]string, error) {
	var out []string
	err := w.differAt(a, b, ps, 0, &out)
	return out, err
}

func (w *changeWalk) differAt(a, b plumbing.Hash, ps []string, depth int, out *[]string) error {
	if a == b {
		return nil
	}
	if a.IsZero() || b.IsZero() {
		*out = append(*out, ps...)
		return nil
	}
	ta, err := w.tree(a)
	if err != nil {
		return err
	}
	tb, err := w.tree(b)
	if err != nil {
		return err
	}
	for _, g := range groupByPart(ps, depth) {
		ea, oka := (*ta)[g.name]
		eb, okb := (*tb)[g.name]
		switch {
		case !oka && !okb:
		case oka != okb || (ea.Mode == filemode.Dir) != (eb.Mode == filemode.Dir):
			*out = append(*out, g.paths...)
		case ea.Hash == eb.Hash:
		case g.leaf:
			*out = append(*out, g.paths...)
		case ea.Mode != filemode.Dir:
			*out = append(*out, g.paths...)
		default:
			if err := w.differAt(ea.Hash, eb.Hash, g.paths, depth+1, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// pathGroup is the paths that share their part at one depth.
type pathGroup struct {
	name  string
	leaf  bool // the part is the file name itself
	paths []string
}

// groupByPart groups paths by their part at depth, keeping their order.
func groupByPart(ps []string, depth int) []pathGroup {
	var gs []pathGroup
	at := map[string]int{}
	for _, p := range ps {
		parts := strings.SplitN(p, "/", depth+2)
		if len(parts) <= depth {
			continue
		}
		name, leaf := parts[depth], len(parts) == depth+1
		i, ok := at[name]
		if !ok || gs[i].leaf != leaf {
			i = len(gs)
			at[name] = i
			gs = append(gs, pathGroup{name: name, leaf: leaf})
		}
		gs[i].paths = append(gs[i].paths, p)
	}
	return gs
}

func removeAll(ps []string, done map[string]bool) []string {
	out := ps[:0:0]
	for _, p := range ps {
		if !done[p] {
			out = append(out, p)
		}
	}
	return out
}

// commitQueue orders commits newest first by committer time, then by hash
// so that the walk does not depend on the order parents are pushed.
type commitQueue []*object.Commit

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	a, b := q[i].Committer.When, q[j].Committer.When
	if !a.Equal(b) {
		return a.After(b)
	}
	return q[i].Hash.String() < q[j].Hash.String()
}
func (q commitQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)   { *q = append(*q, x.(*object.Commit)) }
func (q *commitQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}
