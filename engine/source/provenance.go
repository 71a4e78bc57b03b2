package source

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// RecordKey identifies a record by its content: two records with the same
// type, date, parties and values have the same key, whatever file, line or
// format they are written in. The caller's KeyFunc computes it.
type RecordKey [16]byte

// RecordRef is one record of one version of a data file, as a KeyFunc
// reads it: its key, and what a report about it needs.
type RecordRef struct {
	Key  RecordKey
	Type string
	Date string // YYYY-MM-DD
	By   []string
	Line int // in that version of the file
}

// KeyFunc reads the records of one version of a data file, path relative
// to the commitments root. unreadable reports a version from which no
// record could be read at all because of errors (a YAML file committed
// half written): such a version stands for the last version of the file
// that could be read, so that the commit that repairs it is not taken for
// the one that added its records.
type KeyFunc func(path string, data []byte) (refs []RecordRef, unreadable bool)

// GrowFunc reads the records of a version of a data file that begins with
// the bytes of the version before it: data[:n] is that version, whose
// records are prev, and state is what GrowFunc returned for it (nil when
// Keys read it). It returns the records of data[n:] only, with their lines
// in data, and the state of data; ok is false when it cannot tell that
// these are exactly what Keys would read from data beyond prev (then Keys
// reads data). It lets the walk over a file that grows by appended lines
// read each line once instead of every version whole.
type GrowFunc func(path string, data []byte, n int, prev []RecordRef, state any) (added []RecordRef, next any, ok bool)

// ProvenanceOptions say how Provenance reads records.
type ProvenanceOptions struct {
	// Files selects the data files to read, by path relative to the
	// commitments root ("data/2022/x.csv"); nil reads every file of data/.
	Files func(path string) bool
	// Keys reads the records of a file version.
	Keys KeyFunc
	// Grow, when set, reads a version that appends to the one before it
	// (in a commit with one parent); nil reads every version with Keys.
	Grow GrowFunc
	// Fingerprint names what Keys reads records against (the vocabulary):
	// a cache written with another fingerprint is not used.
	Fingerprint string
	// NoCache neither reads nor writes the cache in .git/lofte.
	NoCache bool
}

// Commit is a commit as provenance tells it.
type Commit struct {
	Hash    string // full hex hash
	Author  string // author's name
	Email   string // author's e-mail
	When    time.Time
	Subject string // first line of the message
}

// Short is the hash abbreviated to seven characters, as git shows it.
func (c Commit) Short() string { return c.Hash[:min(7, len(c.Hash))] }

// Addition is a record that a commit added: one that is in the commit's
// data files but in none of its parents'.
type Addition struct {
	RecordRef
	Path   string // the file it was added to
	Commit int32  // index in History.Commits
}

// History is the provenance of the records of one commit's history: every
// commit walked, parents first, and every record each one added.
type History struct {
	// Tip is the commit whose history this is, "" when there is none
	// (a plain folder, a repository without commits).
	Tip string
	// Commits are the commits of Tip's history, parents before children.
	Commits []Commit
	// Added are the records added, in the order of Commits. A record
	// removed later is still here: it is history.
	Added []Addition
	// Walked is the number of commits read by this call; the others came
	// from the cache.
	Walked int

	fingerprint, prefix string
	// sorted are the indexes of Added[:len(sorted)] ordered by key, then
	// index: the additions read from the cache, found by binary search;
	// byKey holds the additions made since (by a walk).
	sorted     []int32
	byKey      map[RecordKey][]int32 // indexes in Added
	index      map[string]int32      // commit hash → index in Commits
	unreadable map[plumbing.Hash][]RecordRef
}

// Of returns the additions of records with key k, oldest first, as
// indexes in Added.
func (h *History) Of(k RecordKey) []int32 {
	s := h.sorted
	i, _ := slices.BinarySearchFunc(s, k, func(a int32, k RecordKey) int { return bytes.Compare(h.Added[a].Key[:], k[:]) })
	j := i
	for j < len(s) && h.Added[s[j]].Key == k {
		j++
	}
	later := h.byKey[k]
	if len(later) == 0 {
		return s[i:j:j]
	}
	return append(slices.Clone(s[i:j]), later...)
}

// ByKey returns the indexes of every addition ordered by key, then
// index, for a merge with other keys in that order; false when some
// additions are not in that order (made by a walk since the cache was
// read): then use Of.
func (h *History) ByKey() ([]int32, bool) {
	return h.sorted, len(h.byKey) == 0
}

// sortKeys orders the indexes of all additions by key, then index.
func (h *History) sortKeys() []int32 {
	out := make([]int32, len(h.Added))
	for i := range out {
		out[i] = int32(i)
	}
	slices.SortFunc(out, func(a, b int32) int {
		return cmp.Or(bytes.Compare(h.Added[a].Key[:], h.Added[b].Key[:]), cmp.Compare(a, b))
	})
	return out
}

// TipCommit returns the commit Tip, and false when there is none.
func (h *History) TipCommit() (Commit, bool) {
	i, ok := h.index[h.Tip]
	if !ok {
		return Commit{}, false
	}
	return h.Commits[i], true
}

func newHistory(fingerprint, prefix string) *History {
	return &History{fingerprint: fingerprint, prefix: prefix, byKey: map[RecordKey][]int32{},
		index: map[string]int32{}, unreadable: map[plumbing.Hash][]RecordRef{}}
}

// Provenance finds, for every record of rev's history ("" is HEAD), the
// commit that added it. A commit adds the records that are in its data
// files but in none of its parents' (counted as a multiset over the files
// that changed, so that moving or renaming a file adds nothing, and a
// merge adds only what neither side had: a record brought in by a merge
// belongs to the side branch's commit that added it). A record edited
// later is a new record, added by the commit that edited it.
//
// It is one walk over history, parents first, that compares the tree
// hashes of each commit and its parents and descends only into the
// subtrees of data/ that differ, reading each changed file version once.
// The result is cached in .git/lofte/provenance.gob, by commit: a later
// call for a descendant of the cached commit reads only the commits that
// are new. A call for an older commit (--rev) walks afresh and leaves the
// cache as it is.
func (r *Repo) Provenance(rev string, opt ProvenanceOptions) (*History, error) {
	if r.top == "" {
		return newHistory(opt.Fingerprint, r.prefix), nil
	}
	repo, done, err := r.open()
	if err != nil {
		return nil, err
	}
	defer done()
	start, err := r.startCommit(repo, rev)
	if err != nil {
		return nil, err
	}
	if start == nil {
		return newHistory(opt.Fingerprint, r.prefix), nil
	}
	cacheFile := ""
	if !opt.NoCache {
		cacheFile = provenanceCacheFile(repo)
	}
	h := loadProvenance(cacheFile, opt.Fingerprint, r.prefix)
	if h != nil && h.Tip == start.Hash.String() {
		return h, nil
	}
	loaded := h != nil
	ps := openPacks(repo.Storer)
	defer ps.close()
	w := &provWalk{changeWalk: changeWalk{st: repo.Storer, trees: map[plumbing.Hash]*cachedTree{}},
		opt: opt, limit: r.maxFileSize(), keys: map[plumbing.Hash][]RecordRef{}, grown: map[string]*grownFile{}}
	if ps != nil {
		w.blobs = ps.reader()
	}
	if opt.Files == nil {
		w.opt.Files = func(string) bool { return true }
	}
	w.dataPath = joinSlash(r.prefix, "data")
	write := true
	var order []*object.Commit
	if h != nil {
		var reached bool
		order, reached, err = w.newCommits(start, h)
		if err != nil {
			return nil, readError(repo, r.top, "historien för commit "+start.Hash.String()[:7], err)
		}
		if !reached {
			// rev is not a descendant of the cached commit: an older
			// revision (keep the cache for HEAD) or another branch.
			_, older := h.index[start.Hash.String()]
			write = !older
			h = nil
		}
	}
	if h == nil {
		h = newHistory(opt.Fingerprint, r.prefix)
		if order, _, err = w.newCommits(start, h); err != nil {
			return nil, readError(repo, r.top, "historien för commit "+start.Hash.String()[:7], err)
		}
	}
	w.h = h
	before := len(h.Added)
	for _, c := range order {
		if err := w.commit(c); err != nil {
			return nil, readError(repo, r.top, "commit "+c.Hash.String()[:7], err)
		}
	}
	h.Tip, h.Walked = start.Hash.String(), len(order)
	if write && cacheFile != "" && worthSaving(loaded, len(order), len(h.Added)-before, len(h.Added)) {
		saveProvenance(cacheFile, h) // a cache that cannot be written is only slower next time
	}
	return h, nil
}

// worthSaving reports whether a walk is worth writing the cache for: a
// walk from none, or one that read many commits or a good share of the
// records. A few commits on top of a large cache (a watcher following new
// commits) are walked again by the next call rather than rewriting the
// whole cache each time: walking them costs a fraction of that.
func worthSaving(loaded bool, walked, added, total int) bool {
	return !loaded || walked >= maxUnsavedCommits || 8*added >= total
}

// maxUnsavedCommits is the number of commits walked from the cache at
// which it is written again whatever they added.
const maxUnsavedCommits = 16

// provWalk is the state of one Provenance walk.
type provWalk struct {
	changeWalk
	h        *History
	opt      ProvenanceOptions
	limit    int64
	dataPath string // data/ relative to the work tree's top
	keys     map[plumbing.Hash][]RecordRef
	nkeys    int
	// blobs reads file versions from the packs, keeping delta bases
	// (one file's versions are mostly deltas of one another); nil
	// without a filesystem storage.
	blobs *packReader
	// grown is, by path, the last version of each file read by Grow or
	// read to be grown, and grownBytes the bytes they hold.
	grown      map[string]*grownFile
	grownBytes int
}

// grownFile is a version of a file kept for Grow: its bytes, its records
// (the slice is the file's own: a later version appends to it in place)
// and Grow's state.
type grownFile struct {
	blob  plumbing.Hash
	data  []byte
	refs  []RecordRef
	state any
}

// maxGrownBytes bounds the bytes of the versions kept for Grow; past it
// the memory starts afresh.
const maxGrownBytes = 64 << 20

// newCommits lists the commits of start's history that h does not hold,
// parents before children (a depth-first walk, first parents first), and
// reports whether the walk met h's tip, so that h's additions stand for
// the history below.
func (w *provWalk) newCommits(start *object.Commit, h *History) ([]*object.Commit, bool, error) {
	known := func(ph plumbing.Hash) bool { _, ok := h.index[ph.String()]; return ok }
	if known(start.Hash) {
		return nil, false, nil
	}
	type frame struct {
		c    *object.Commit
		next int
	}
	var order []*object.Commit
	reached := false
	seen := map[plumbing.Hash]bool{start.Hash: true}
	stack := []frame{{c: start}}
	for len(stack) > 0 {
		top := len(stack) - 1
		c := stack[top].c
		if stack[top].next == len(c.ParentHashes) {
			order = append(order, c)
			stack = stack[:top]
			continue
		}
		ph := c.ParentHashes[stack[top].next]
		stack[top].next++
		if known(ph) {
			reached = reached || ph.String() == h.Tip
			continue
		}
		if seen[ph] {
			continue
		}
		seen[ph] = true
		pc, err := object.GetCommit(w.st, ph)
		if err != nil {
			return nil, false, err
		}
		stack = append(stack, frame{c: pc})
	}
	return order, reached, nil
}

// commit adds commit c to the history, with the records it added.
func (w *provWalk) commit(c *object.Commit) error {
	h := w.h
	idx := int32(len(h.Commits))
	name, email, subject := shown(c)
	h.Commits = append(h.Commits, Commit{Hash: c.Hash.String(), Author: name, Email: email,
		When: c.Committer.When, Subject: subject})
	h.index[c.Hash.String()] = idx
	data, err := w.subtree(c.TreeHash)
	if err != nil {
		return err
	}
	var parents []plumbing.Hash // their data/ trees
	for _, ph := range c.ParentHashes {
		pc, err := object.GetCommit(w.st, ph)
		if err != nil {
			return err
		}
		pd, err := w.subtree(pc.TreeHash)
		if err != nil {
			return err
		}
		parents = append(parents, pd)
	}
	if len(parents) == 0 {
		parents = []plumbing.Hash{plumbing.ZeroHash}
	}
	changed := map[string]bool{}
	for _, pd := range parents {
		if err := w.diffData(data, pd, "data", changed); err != nil {
			return err
		}
	}
	if len(changed) == 0 {
		return nil
	}
	paths := make([]string, 0, len(changed))
	for p := range changed {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	if len(c.ParentHashes) == 1 && w.opt.Grow != nil {
		if ok, err := w.grow(idx, data, parents[0], paths); ok || err != nil {
			return err
		}
	}
	return w.added(idx, data, parents, paths)
}

// grow adds what commit idx added when each changed file appends to its
// version in the parent's data tree: then the records added are the
// appended ones, as added would find, read by Grow. false when some file
// does not (removed, new, edited, unreadable, or Grow cannot tell): the
// commit is read by added instead.
func (w *provWalk) grow(idx int32, data, parent plumbing.Hash, paths []string) (bool, error) {
	type growth struct {
		path      string
		old, blob plumbing.Hash
		data      []byte
		prev      []RecordRef
		added     []RecordRef
		state     any
	}
	out := make([]growth, 0, len(paths))
	for _, p := range paths {
		g := growth{path: p}
		var err error
		if g.blob, err = w.fileAt(data, p); err != nil || g.blob.IsZero() {
			return false, err
		}
		if g.old, err = w.fileAt(parent, p); err != nil || g.old.IsZero() {
			return false, err
		}
		if _, bad := w.h.unreadable[g.old]; bad {
			return false, nil
		}
		if _, bad := w.h.unreadable[g.blob]; bad {
			return false, nil
		}
		var head []byte
		var state any
		if f := w.grown[p]; f != nil && f.blob == g.old {
			head, g.prev, state = f.data, f.refs, f.state
		} else {
			var ok bool
			if head, ok, err = w.raw(g.old); !ok || err != nil {
				return false, err
			}
			if refs, known := w.keys[g.old]; known {
				g.prev = refs
			} else if refs, unreadable := w.opt.Keys(p, head); !unreadable {
				g.prev = refs
				w.remember(g.old, refs)
			}
		}
		if len(g.prev) == 0 {
			return false, nil
		}
		var ok bool
		if g.data, ok, err = w.raw(g.blob); !ok || err != nil {
			return false, err
		}
		if len(g.data) < len(head) || !bytes.Equal(g.data[:len(head)], head) {
			return false, nil
		}
		if g.added, g.state, ok = w.opt.Grow(p, g.data, len(head), g.prev, state); !ok {
			return false, nil
		}
		out = append(out, g)
	}
	for _, g := range out {
		refs := g.prev
		if f := w.grown[g.path]; f != nil && f.blob == g.old && len(f.refs) == len(g.prev) {
			refs = append(f.refs, g.added...) // the file's own slice: no copy
			w.grownBytes -= len(f.data)
		} else {
			refs = slices.Concat(refs, g.added)
		}
		if w.grownBytes+len(g.data) > maxGrownBytes {
			clear(w.grown)
			w.grownBytes = 0
		}
		w.grown[g.path] = &grownFile{blob: g.blob, data: g.data, refs: refs, state: g.state}
		w.grownBytes += len(g.data)
		for _, ref := range g.added {
			w.h.byKey[ref.Key] = append(w.h.byKey[ref.Key], int32(len(w.h.Added)))
			w.h.Added = append(w.h.Added, Addition{RecordRef: ref, Path: g.path, Commit: idx})
		}
	}
	return true, nil
}

// versionKeys are the records of each changed path in one tree.
type versionKeys map[string][]RecordRef

// versions reads the changed paths in a data tree. fallback is the first
// parent's data tree when the tree is the commit's own, else zero.
func (w *provWalk) versions(tree plumbing.Hash, paths []string, fallback plumbing.Hash, own bool) (versionKeys, error) {
	out := versionKeys{}
	for _, p := range paths {
		refs, err := w.fileKeys(tree, p, fallback, own)
		if err != nil {
			return nil, err
		}
		out[p] = refs
	}
	return out, nil
}

// added records what commit idx added: for each key, the copies in its
// changed files beyond the most that any parent has in the same files.
// The copies taken are those of the files where the key gained copies,
// last lines first.
func (w *provWalk) added(idx int32, data plumbing.Hash, parents []plumbing.Hash, paths []string) error {
	mine, err := w.versions(data, paths, parents[0], true)
	if err != nil {
		return err
	}
	theirs := make([]versionKeys, len(parents))
	for i, pd := range parents {
		if theirs[i], err = w.versions(pd, paths, plumbing.ZeroHash, false); err != nil {
			return err
		}
	}
	have := mine.count()
	most := map[RecordKey]int{}
	for _, vk := range theirs {
		for k, n := range vk.count() {
			most[k] = max(most[k], n)
		}
	}
	need := map[RecordKey]int{}
	for k, n := range have {
		if n > most[k] {
			need[k] = n - most[k]
		}
	}
	if len(need) > 0 {
		w.take(idx, mine, theirs, paths, need)
	}
	return nil
}

// count is the number of copies of each key over all paths.
func (vk versionKeys) count() map[RecordKey]int {
	n := map[RecordKey]int{}
	for _, refs := range vk {
		for _, ref := range refs {
			n[ref.Key]++
		}
	}
	return n
}

// take chooses the copies of each needed key, as added explains, and
// adds them to the history in file and line order.
func (w *provWalk) take(idx int32, mine versionKeys, theirs []versionKeys, paths []string, need map[RecordKey]int) {
	type pick struct{ path, i int }
	var picks []pick
	used := make([][]bool, len(paths))
	for j, p := range paths {
		used[j] = make([]bool, len(mine[p]))
	}
	take := func(j, i int) {
		used[j][i] = true
		need[mine[paths[j]][i].Key]--
		picks = append(picks, pick{j, i})
	}
	for j, p := range paths {
		gained := countKeys(mine[p])
		most := map[RecordKey]int{}
		for _, vk := range theirs {
			for k, n := range countKeys(vk[p]) {
				most[k] = max(most[k], n)
			}
		}
		for k, n := range most {
			gained[k] -= n
		}
		refs := mine[p]
		for i := len(refs) - 1; i >= 0; i-- {
			if k := refs[i].Key; need[k] > 0 && gained[k] > 0 {
				gained[k]--
				take(j, i)
			}
		}
	}
	for j, p := range paths {
		refs := mine[p]
		for i := len(refs) - 1; i >= 0; i-- {
			if k := refs[i].Key; need[k] > 0 && !used[j][i] {
				take(j, i)
			}
		}
	}
	slices.SortFunc(picks, func(a, b pick) int { return cmp.Or(a.path-b.path, a.i-b.i) })
	for _, pk := range picks {
		ref := mine[paths[pk.path]][pk.i]
		w.h.byKey[ref.Key] = append(w.h.byKey[ref.Key], int32(len(w.h.Added)))
		w.h.Added = append(w.h.Added, Addition{RecordRef: ref, Path: paths[pk.path], Commit: idx})
	}
}

func countKeys(refs []RecordRef) map[RecordKey]int {
	n := make(map[RecordKey]int, len(refs))
	for _, ref := range refs {
		n[ref.Key]++
	}
	return n
}

// subtree returns the hash of the data/ tree of a commit's tree, zero
// when there is none.
func (w *provWalk) subtree(root plumbing.Hash) (plumbing.Hash, error) {
	h := root
	for _, name := range strings.Split(w.dataPath, "/") {
		t, err := w.tree(h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		e, ok := (*t)[name]
		if !ok || e.Mode != filemode.Dir {
			return plumbing.ZeroHash, nil
		}
		h = e.Hash
	}
	return h, nil
}

var emptyTree = cachedTree{}

func (w *provWalk) treeOrEmpty(h plumbing.Hash) (*cachedTree, error) {
	if h.IsZero() {
		return &emptyTree, nil
	}
	return w.tree(h)
}

// diffData adds to out the data files (paths relative to the commitments
// root) whose entry differs between the trees a and b; equal subtrees are
// not read.
func (w *provWalk) diffData(a, b plumbing.Hash, rel string, out map[string]bool) error {
	if a == b {
		return nil
	}
	ta, err := w.treeOrEmpty(a)
	if err != nil {
		return err
	}
	tb, err := w.treeOrEmpty(b)
	if err != nil {
		return err
	}
	visit := func(name string, ea object.TreeEntry, eb object.TreeEntry, okb bool) error {
		if okb && ea.Hash == eb.Hash && ea.Mode == eb.Mode {
			return nil
		}
		if hidden(name) || badName(name) {
			return nil
		}
		p := rel + "/" + name
		da, db := ea.Mode == filemode.Dir, okb && eb.Mode == filemode.Dir
		switch {
		case da && db:
			return w.diffData(ea.Hash, eb.Hash, p, out)
		case da:
			if err := w.diffData(ea.Hash, plumbing.ZeroHash, p, out); err != nil {
				return err
			}
		case db:
			if err := w.diffData(plumbing.ZeroHash, eb.Hash, p, out); err != nil {
				return err
			}
		}
		if (!da && isFileMode(ea.Mode)) || (okb && !db && isFileMode(eb.Mode)) {
			if w.opt.Files(p) {
				out[p] = true
			}
		}
		return nil
	}
	for name, ea := range *ta {
		eb, okb := (*tb)[name]
		if err := visit(name, ea, eb, okb); err != nil {
			return err
		}
	}
	for name, eb := range *tb {
		if _, ok := (*ta)[name]; !ok {
			if err := visit(name, eb, object.TreeEntry{}, false); err != nil {
				return err
			}
		}
	}
	return nil
}

func isFileMode(m filemode.FileMode) bool {
	return m == filemode.Regular || m == filemode.Executable || m == filemode.Deprecated
}

// fileKeys returns the records of the file at rel (relative to the
// commitments root, under data/) in the data tree, nil when it has none.
// An unreadable version stands for the version of the same path in the
// data tree fallback (the first parent's), as KeyFunc explains; own says
// that the version is the commit's own, which is what an unreadable
// version is remembered as standing for. A parent's version was a
// commit's own when that commit was walked, so it is known by then.
func (w *provWalk) fileKeys(data plumbing.Hash, rel string, fallback plumbing.Hash, own bool) ([]RecordRef, error) {
	blob, err := w.fileAt(data, rel)
	if err != nil || blob.IsZero() {
		return nil, err
	}
	if refs, ok := w.keys[blob]; ok {
		return refs, nil
	}
	if f := w.grown[rel]; f != nil && f.blob == blob {
		return f.refs[:len(f.refs):len(f.refs)], nil
	}
	if refs, ok := w.h.unreadable[blob]; ok {
		return refs, nil
	}
	refs, unreadable, err := w.read(blob, rel)
	if err != nil {
		return nil, err
	}
	if !unreadable {
		w.remember(blob, refs)
		return refs, nil
	}
	var last []RecordRef
	if !fallback.IsZero() {
		if last, err = w.fileKeys(fallback, rel, plumbing.ZeroHash, false); err != nil {
			return nil, err
		}
	}
	if own {
		w.h.unreadable[blob] = last
	}
	return last, nil
}

// maxKeptRefs bounds the records kept by blob during a walk; past it the
// memory starts afresh (a version is then read again when needed).
const maxKeptRefs = 1 << 21

func (w *provWalk) remember(blob plumbing.Hash, refs []RecordRef) {
	if w.nkeys+len(refs) > maxKeptRefs {
		clear(w.keys)
		w.nkeys = 0
	}
	w.keys[blob] = refs
	w.nkeys += len(refs)
}

// read reads one blob's records; a blob over the size limit is unreadable.
func (w *provWalk) read(blob plumbing.Hash, rel string) ([]RecordRef, bool, error) {
	data, ok, err := w.raw(blob)
	if !ok || err != nil {
		return nil, !ok && err == nil, err
	}
	refs, unreadable := w.opt.Keys(rel, data)
	return refs, unreadable, nil
}

// raw reads one blob's bytes; false when it is over the size limit.
func (w *provWalk) raw(blob plumbing.Hash) ([]byte, bool, error) {
	var data []byte
	err := errNotPacked
	if w.blobs != nil {
		data, err = w.blobs.blob(blob, w.limit)
	}
	if _, ok := err.(*tooLargeError); !ok && err != nil {
		data, err = readBlobMax(w.st, blob, w.limit)
	}
	if _, ok := err.(*tooLargeError); ok {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return data, true, nil
}

// fileAt returns the blob at rel ("data/…") in the data tree, zero when
// there is no regular file there.
func (w *provWalk) fileAt(data plumbing.Hash, rel string) (plumbing.Hash, error) {
	if data.IsZero() {
		return plumbing.ZeroHash, nil
	}
	rest, ok := strings.CutPrefix(rel, "data/")
	if !ok {
		return plumbing.ZeroHash, nil
	}
	e, ok, err := w.entryAt(data, rest)
	if err != nil || !ok || !isFileMode(e.Mode) {
		return plumbing.ZeroHash, err
	}
	return e.Hash, nil
}
