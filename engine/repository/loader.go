package repository

import (
	"crypto/sha256"
	"hash/maphash"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/history"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/rule"
	"github.com/lofte/lofte/engine/source"
)

// Loader loads one snapshot of a repository after another, as a watcher
// reads them, and does again only what a change calls for. It keeps, per
// file, a hash of the content and what was read from it: the vocabulary,
// the calendar, each promise and its compiled rules, each record file's
// records and problems. A file whose content is unchanged is not parsed
// again, and rules are not compiled again while their promise file and the
// vocabulary are unchanged. A change to the vocabulary, or to the set of
// parties, re-reads every record file, since records are checked against
// both.
//
// When a promise file that once loaded without errors has errors, the
// Loader keeps using its last good version, as Prometheus keeps the old
// rule group when a reload fails: the commitments keep their rules, the
// file's errors are still reported, a warning says that the last good
// version is in use, and Repository.Stale names the file. Likewise a
// record file that yields no records at all because of errors (a YAML or
// JSON file caught half written, with a syntax error) is counted as it was
// last read without errors; a file with some bad records leaves out those
// only, as Load does. The first version of a file has no good version to
// fall back on and is used as Load would use it.
//
// The Repository a Loader returns is the same, diagnostics included, as
// the one Load returns for the same snapshot, except for those last good
// versions. Its Evaluate gives the same report as Repository.Evaluate,
// evaluating again only the commitments whose inputs changed. A Loader is
// not safe for concurrent use.
type Loader struct {
	keep bool // false for a one-shot Load: nothing is remembered
	seed maphash.Seed

	vocab    *cached[*promise.Vocabulary]
	vocabGen int // counts vocabularies read, to tell the records' one
	calendar *cached[*calendar.Calendar]
	env      *rule.Env
	promises map[string]*promiseFile
	records  map[string]*recordFile
	readFor  string // the vocabulary and parties the records were read against

	// What evaluations depend on, for reusing their results: a count of
	// changes to the records of each type, and of re-reading them all.
	typeGen map[string]int
	epoch   int
	results map[resultKey]*result
	set     *record.Set // the records of the last Load

	cache    *ParseCache  // nil: none
	vocabSum [32]byte     // a hash of the vocabulary's file, for the cache's keys
	wrote    atomic.Bool  // an entry was written to the cache since its last sweep
	parsed   atomic.Int64 // record files the last Load parsed
}

// Parsed is the number of record files the last Load parsed, rather than
// finding them unchanged or in the cache: what left garbage behind.
func (l *Loader) Parsed() int { return int(l.parsed.Load()) }

// UseCache has the Loader keep what it parses in c, and read from c what
// an earlier run parsed, instead of parsing it again.
func (l *Loader) UseCache(c *ParseCache) { l.cache = c }

// NewLoader returns a Loader with nothing read yet.
func NewLoader() *Loader {
	return &Loader{keep: true, seed: maphash.MakeSeed(), promises: map[string]*promiseFile{}, records: map[string]*recordFile{},
		typeGen: map[string]int{}}
}

// digest identifies a file's content; the zero digest is a missing file.
// A file read has the size and a hash of its bytes, and its blob id when
// the snapshot gives one (source.Repo.WorkTreeSince); a file unchanged
// since the previous read comes with its blob id only.
type digest struct {
	present bool
	hasSum  bool
	size    int
	sum     uint64
	id      source.BlobID
}

func (l *Loader) digest(f *source.File) digest {
	if f == nil || !l.keep {
		return digest{present: f != nil}
	}
	d := digest{present: true, id: f.ID}
	if !f.Unread() {
		d.hasSum, d.size, d.sum = true, len(f.Data), maphash.Bytes(l.seed, f.Data)
	}
	return d
}

// same reports whether a record file read before (old) has the content of
// the file now (d): by blob id when both have one, else by the bytes.
func same(old, d digest) bool {
	switch {
	case old.present != d.present:
		return false
	case old.id != source.BlobID{} && d.id != source.BlobID{}:
		return old.id == d.id
	}
	return old.hasSum && d.hasSum && old.size == d.size && old.sum == d.sum
}

// merge is what is known of the content once same(old, d) held.
func merge(old, d digest) digest {
	if d.id != (source.BlobID{}) {
		old.id = d.id
	}
	if d.hasSum {
		old.hasSum, old.size, old.sum = true, d.size, d.sum
	}
	return old
}

// fill reads the bytes of a file that came unchanged (without them) from
// the snapshot, when they are needed after all: to parse it again (the
// vocabulary or the parties changed) or to show a line of it under a
// message. It returns the digest of the bytes read, which may be newer.
func (l *Loader) fill(snap *source.Snapshot, f *source.File) digest {
	if f.Data != nil || !f.Unread() {
		return l.digest(f)
	}
	// A file of the working tree may have changed since: its id is then
	// that of the bytes read.
	data, id, err := snap.ReadDataID(f.Path, f.ID)
	if err != nil {
		data, id = []byte{}, source.FileID(nil) // gone since: read as empty, and read again at the next change
	}
	f.ID = id
	f.Data, f.Unchanged, f.Dropped = data, false, false
	return l.digest(f)
}

// cached is what was read from one file of a fixed role.
type cached[T any] struct {
	digest digest
	value  T
	diags  diag.List
}

// promiseFile is what is known of one promise file.
type promiseFile struct {
	digest digest
	cur    *version // the file as it is
	good   *version // the last version without errors, or nil
}

// version is one content of a promise file, parsed and compiled.
type version struct {
	p      *promise.Promise // nil when the file is no promise at all
	diags  diag.List        // parse problems
	env    *rule.Env        // what rules were compiled against
	rules  map[*promise.Commitment]*rule.Rule
	cdiags diag.List // compile problems
}

func (v *version) broken() bool {
	return v.p == nil || v.p.ID == "" || v.diags.Errors() > 0 || v.cdiags.Errors() > 0
}

// compile compiles the version's rules against env, unless that is done.
func (v *version) compile(env *rule.Env) {
	if v.env == env {
		return
	}
	v.env, v.rules, v.cdiags = env, map[*promise.Commitment]*rule.Rule{}, nil
	if v.p == nil {
		return
	}
	for _, c := range v.p.Commitments {
		if c.Manual {
			continue
		}
		ru, errs := env.Compile(c.Rule)
		for _, d := range errs {
			d.Message = "åtagandet " + c.ID + ": " + d.Message
		}
		v.cdiags.Append(errs)
		if ru != nil {
			v.rules[c] = ru
		}
	}
}

// recordFile is what was read from one record file.
type recordFile struct {
	digest digest
	recs   *record.Chunk // the records read, in columns
	diags  diag.List
	key    parseKey // its key in the Loader's cache, if it has one
	// good are the records of the last version read without errors. They
	// stand in for the file while it cannot be read at all: a YAML or JSON
	// file caught half written has a syntax error and no records.
	good *record.Chunk
}

// use returns the records to count: the file's own, or its last good
// ones while it yields none because of errors.
func (rf *recordFile) use() (recs *record.Chunk, stale bool) {
	if rf.diags.Errors() == 0 {
		return rf.recs, false
	}
	if rf.recs.Len() == 0 && rf.good.Len() > 0 {
		return rf.good, true
	}
	return rf.recs, false
}

// Load reads snap, parsing only the files whose content changed since the
// previous Load, and returns the repository as Load would (see Loader).
// Like Load, it drops the bytes of record files read without a problem
// from snap.
func (l *Loader) Load(snap *source.Snapshot) *Repository { return l.load(snap) }

// loaded are the files of a snapshot by role.
type loaded struct {
	vocab, calendar *source.File
	promises        []*source.File
	records         []int    // indexes in the snapshot's files
	unread          []string // files under data/ that are no record files
}

func classify(snap *source.Snapshot) loaded {
	var in loaded
	for i := range snap.Files {
		f := &snap.Files[i]
		switch {
		case f.Path == promise.ActivitiesFile:
			in.vocab = f
		case f.Path == promise.CalendarFile:
			in.calendar = f
		case isPromiseFile(f.Path):
			in.promises = append(in.promises, f)
		case strings.HasPrefix(f.Path, "data/") && record.IsRecordFile(f.Path):
			in.records = append(in.records, i)
		case strings.HasPrefix(f.Path, "data/") && !strings.HasSuffix(strings.ToLower(f.Path), ".md"):
			in.unread = append(in.unread, f.Path)
		}
	}
	return in
}

func (l *Loader) load(snap *source.Snapshot) *Repository {
	r := &Repository{Snapshot: snap, Rules: map[*promise.Commitment]*rule.Rule{}}
	in := classify(snap)
	for _, w := range snap.Warnings {
		r.Diags.Warn(diag.Pos{}, "", "%s", w)
	}
	for _, u := range snap.Unread { // its records are missing: an error
		r.Diags.Add(diag.Pos{File: u.Path}, "", "%s", u.Message)
	}
	// A file under data/ of another kind (an Excel sheet, a text export)
	// is not read, and never in silence (docs/reference.md §4, §11);
	// notes in Markdown are not records.
	for _, p := range in.unread {
		r.Diags.Warn(diag.Pos{File: p}, "ska den räknas: spara arket som CSV UTF-8 i Excel, eller skriv posterna som YAML",
			"filen läses inte: poster läses bara ur .yaml, .yml, .json, .jsonl och .csv")
	}
	l.loadVocab(r, in.vocab)
	l.loadCalendar(r, in.calendar)
	versions := l.loadPromises(r, in.promises)
	if l.keep {
		l.loadRecords(r, in.records)
	} else {
		r.readRecords(in.records)
		l.parsed.Store(int64(len(in.records)))
	}
	r.checkAssessments()
	l.compile(r, versions)
	r.checkData()
	if in.vocab == nil {
		r.unknownTypes()
	}
	r.Diags.Sort()
	return r
}

func (l *Loader) loadVocab(r *Repository, f *source.File) {
	d := l.digest(f)
	if l.vocab == nil || !l.keep || d != l.vocab.digest {
		c := &cached[*promise.Vocabulary]{digest: d}
		l.vocabSum = sha256.Sum256(nil)
		if f != nil {
			c.value, c.diags = promise.ParseVocabulary(f.Path, f.Data)
			l.vocabSum = sha256.Sum256(append([]byte("v"), f.Data...))
		} else {
			c.value = promise.NewVocabulary(nil)
			c.diags.Add(diag.Pos{File: promise.ActivitiesFile}, "skapa filen med nyckeln activities, se README",
				"aktivitetstyperna saknas: %s finns inte", promise.ActivitiesFile)
		}
		l.vocab, l.env = c, rule.NewEnv(c.value)
		l.vocabGen++
	}
	r.Vocab, r.env = l.vocab.value, l.env
	r.Diags.Append(l.vocab.diags)
}

func (l *Loader) loadCalendar(r *Repository, f *source.File) {
	d := l.digest(f)
	if l.calendar == nil || !l.keep || d != l.calendar.digest {
		c := &cached[*calendar.Calendar]{digest: d}
		var src []byte
		if f != nil {
			src = f.Data
		}
		c.value, c.diags = promise.ParseCalendar(promise.CalendarFile, src)
		l.calendar = c
	}
	r.Calendar = l.calendar.value
	r.Diags.Append(l.calendar.diags)
}

// loadPromises parses the promise files that changed and chooses, for each
// file, the version to use: the file as it is, or its last good version.
// It returns the chosen versions, to be compiled.
func (l *Loader) loadPromises(r *Repository, files []*source.File) []*version {
	seen := make(map[string]*promiseFile, len(files))
	var chosen []*version
	for _, f := range files {
		d := l.digest(f)
		pf := l.promises[f.Path]
		if pf == nil || !l.keep || pf.digest != d {
			v := &version{}
			v.p, v.diags = promise.ParsePromise(f.Path, f.Data)
			if pf == nil {
				pf = &promiseFile{}
			}
			pf.digest, pf.cur = d, v
		}
		seen[f.Path] = pf
		r.Diags.Append(pf.cur.diags)
		v := pf.cur
		if l.keep {
			v = l.choose(pf)
		}
		if v != pf.cur {
			r.Stale = append(r.Stale, f.Path)
		}
		if v.p != nil && v.p.ID != "" {
			r.Promises = append(r.Promises, v.p)
		} else {
			r.unparsed = append(r.unparsed, f.Path)
		}
		chosen = append(chosen, v)
	}
	l.promises = seen
	sortPromises(r.Promises)
	r.checkOverlaps()
	return chosen
}

// choose returns the version of a promise file to use: the current one,
// unless it has errors and an earlier one had none. It compiles both, so
// that the current version's compile errors are known.
func (l *Loader) choose(pf *promiseFile) *version {
	pf.cur.compile(l.env)
	if !pf.cur.broken() {
		pf.good = pf.cur
		return pf.cur
	}
	if pf.good == nil {
		return pf.cur
	}
	pf.good.compile(l.env)
	if pf.good.broken() { // no longer compiles with the vocabulary as it is
		pf.good = nil
		return pf.cur
	}
	return pf.good
}

// compile adds the compiled rules of the chosen versions, and their
// compile problems, to r, in promise order as Load has always listed them;
// for a stale file, the problems of its current version and a warning.
func (l *Loader) compile(r *Repository, chosen []*version) {
	byPromise := map[*promise.Promise]*version{}
	for _, v := range chosen {
		if v.p != nil {
			byPromise[v.p] = v
		}
	}
	broken := map[*promise.Promise]*version{} // a last good promise → its file as it is
	for _, path := range r.Stale {
		if pf := l.promises[path]; pf != nil && pf.good != nil { // a promise file, not a record file
			broken[pf.good.p] = pf.cur
		}
	}
	for _, p := range r.Promises {
		v := byPromise[p]
		v.compile(r.env)
		for c, ru := range v.rules {
			r.Rules[c] = ru
		}
		cur := broken[p]
		if cur == nil {
			r.Diags.Append(v.cdiags)
			continue
		}
		r.Diags.Append(cur.cdiags)
		r.Diags.Warn(diag.Pos{File: p.File}, "rätta felen i filen; då används den som den är",
			"filen har fel: löftet %s utvärderas som filen senast var utan fel", p.ID)
	}
}

// recordsKey names what records are read against: the vocabulary and the
// parties, in order.
func (l *Loader) recordsKey(parties []string) string {
	return strconv.Itoa(l.vocabGen) + "\x00" + strings.Join(parties, "\x00")
}

// loadRecords parses the record files that changed, in parallel, and
// builds the record set from every file's records in file order; when no
// file changed, the set of the previous Load is used again.
func (l *Loader) loadRecords(r *Repository, at []int) {
	parties := r.Parties()
	if key := l.recordsKey(parties); key != l.readFor {
		l.records, l.readFor, l.set = map[string]*recordFile{}, key, nil
		l.epoch++
	}
	files, old, todo := l.recordFiles(r.Snapshot, at)
	l.parsed.Store(0)
	parseAll(len(todo), func(k int) {
		rf, f := files[todo[k]], &r.Snapshot.Files[at[todo[k]]]
		l.parse(r, rf, f, parties)
		if len(rf.diags) == 0 {
			f.Data = nil // as counted does, but before the other files are read
		}
		if rf.diags.Errors() == 0 {
			rf.good = rf.recs
		}
	})
	for j, i := range at {
		if f := &r.Snapshot.Files[i]; f.Unread() && len(files[j].diags) > 0 {
			l.fill(r.Snapshot, f) // only the bytes, for the lines under its messages
		}
	}
	use := counted(r, files, at)
	seen := make(map[string]*recordFile, len(at))
	for j, i := range at {
		seen[r.Snapshot.Files[i].Path] = files[j]
	}
	for _, j := range todo {
		l.changed(old[j])
		l.changed(files[j])
	}
	var removed []string
	gone := map[string]*recordFile{}
	for p, rf := range l.records {
		if seen[p] == nil {
			l.changed(rf)
			removed = append(removed, p)
			gone[p] = rf
		}
	}
	l.records = seen
	if l.cache != nil && l.wrote.Swap(false) {
		keep := make(map[parseKey]bool, len(seen))
		for _, rf := range seen {
			keep[rf.key] = true
		}
		l.cache.sweep(keep)
	}
	switch n := len(todo) + len(removed); {
	case l.set == nil || n > maxPatch:
		l.set = record.NewSetOfChunks(use)
	case n > 0:
		// A few files changed: only the groups of the types they have or
		// had are built again, the others are shared with the previous set.
		var types []string
		for _, p := range removed {
			types = append(types, usedTypes(gone[p])...)
		}
		for _, j := range todo {
			types = append(types, usedTypes(old[j])...)
			types = append(types, use[j].Types()...)
		}
		slices.Sort(types)
		l.set = l.set.PatchChunks(use, slices.Compact(types))
	}
	r.Records = l.set
}

// parse reads the records of f into rf: from the cache when it has them,
// else by parsing f (and the cache then has them).
func (l *Loader) parse(r *Repository, rf *recordFile, f *source.File, parties []string) {
	if l.cache == nil {
		if f.Unread() {
			rf.digest = l.fill(r.Snapshot, f)
		}
		rf.recs, rf.diags = record.ParseChunk(f.Path, f.Data, r.Vocab, parties)
		l.parsed.Add(1)
		return
	}
	id := f.ID
	if id == (source.BlobID{}) {
		if f.Unread() {
			rf.digest = l.fill(r.Snapshot, f)
		}
		id = source.FileID(f.Data)
		f.ID = id // kept: the bytes may be dropped, and history's cache names the file by it
	}
	rf.key = l.cache.key(f.Path, id, l.vocabSum, parties)
	var ok bool
	if rf.recs, rf.diags, ok = l.cache.get(rf.key); ok {
		return // an unchanged file's bytes stay unread, unless its problems are shown
	}
	if f.Unread() { // the bytes read may be newer than the id
		rf.digest = l.fill(r.Snapshot, f)
		rf.key = l.cache.key(f.Path, f.ID, l.vocabSum, parties)
	}
	rf.recs, rf.diags = record.ParseChunk(f.Path, f.Data, r.Vocab, parties)
	l.parsed.Add(1)
	l.cache.put(rf.key, rf.recs, rf.diags)
	l.wrote.Store(true)
}

// maxPatch is the number of changed record files up to which a Loader
// patches the previous record set rather than building it anew.
const maxPatch = 16

// counted returns the records to count of each record file, and adds the
// files' problems to r; the bytes of files without problems are dropped.
func counted(r *Repository, files []*recordFile, at []int) []*record.Chunk {
	use := make([]*record.Chunk, len(at))
	for j, i := range at {
		f, rf := &r.Snapshot.Files[i], files[j]
		r.Diags.Append(rf.diags)
		if len(rf.diags) == 0 {
			f.Data = nil // as Load: only files with problems keep their bytes
		}
		var stale bool
		if use[j], stale = rf.use(); stale {
			r.Stale = append(r.Stale, f.Path)
			r.Diags.Warn(diag.Pos{File: f.Path}, "rätta felet i filen; då räknas den som den är",
				"filen ger inga giltiga registreringar: de %d som lästes senast räknas tills felet är rättat", rf.good.Len())
		}
	}
	return use
}

// recordFiles finds, for the record files of snap at the indexes at, what
// is known of each: unchanged files keep what was read, the others are to
// be read (todo), with what was read before (old) and the last good records.
func (l *Loader) recordFiles(snap *source.Snapshot, at []int) (files, old []*recordFile, todo []int) {
	files, old = make([]*recordFile, len(at)), make([]*recordFile, len(at))
	for j, i := range at {
		f := &snap.Files[i]
		d := l.digest(f)
		rf := l.records[f.Path]
		if rf != nil && same(rf.digest, d) {
			rf.digest = merge(rf.digest, d)
			files[j] = rf
			continue
		}
		files[j], old[j] = &recordFile{digest: d}, rf
		if rf != nil {
			files[j].good = rf.good
		}
		todo = append(todo, j)
	}
	return files, old, todo
}

// usedTypes lists the types of the records a file was counted with.
func usedTypes(rf *recordFile) []string {
	if rf == nil {
		return nil
	}
	recs, _ := rf.use()
	return recs.Types()
}

// parseAll calls parse(0..n-1), at most GOMAXPROCS at a time.
func parseAll(n int, parse func(int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for {
				k := int(next.Add(1)) - 1
				if k >= n {
					return
				}
				parse(k)
			}
		})
	}
	wg.Wait()
}

// readRecords reads every record file at once, for a one-shot Load: the
// reader drops the bytes of each file once read without a problem, and
// only files with problems keep their bytes in the snapshot, for the line
// shown under a message.
func (r *Repository) readRecords(at []int) {
	in := make([]record.File, len(at))
	for j, i := range at {
		f := &r.Snapshot.Files[i]
		in[j] = record.File{Path: f.Path, Data: f.Data}
		f.Data = nil
	}
	var errs diag.List
	r.Records, errs = record.ReadAll(in, r.Vocab, r.Parties())
	r.Diags.Append(errs)
	for j, i := range at {
		r.Snapshot.Files[i].Data = in[j].Data
	}
}

// changed counts a change to the record types of a record file.
func (l *Loader) changed(rf *recordFile) {
	if rf == nil {
		return
	}
	for _, t := range usedTypes(rf) {
		l.typeGen[t]++
	}
}

// resultKey names a commitment evaluated for one year.
type resultKey struct {
	c    *promise.Commitment
	year int
}

// result is a commitment's evaluation, and what it depended on.
type result struct {
	res   eval.Result
	diags diag.List // problems found evaluating it
	asOf  calendar.Date
	rule  *rule.Rule
	cal   *calendar.Calendar
	epoch int
	prov  *history.Provenance // the history it was evaluated with, or nil
	types []string            // the record types it reads
	gens  []int               // their change counts when it was evaluated
}

// Evaluate evaluates r, which this Loader loaded last, as r.Evaluate does,
// and returns the same report. A commitment whose evaluation depends on
// nothing that changed since the Loader last evaluated it (its compiled
// rule, the calendar, the evaluation date and the records of the types it
// reads) keeps its result; the others are evaluated again. After a change
// to one record file, only the commitments that read its types are.
func (l *Loader) Evaluate(r *Repository, period calendar.Period, asOf calendar.Date) *eval.Report {
	kept := make(map[resultKey]*result, len(l.results))
	rep := r.evaluate(period, asOf, func(p *promise.Promise, year int, diags *diag.List) eval.Evaluation {
		ev := eval.Evaluation{Promise: p, Year: year, AsOf: asOf}
		in := r.Input(p, year) // its tables are built when a rule first reads them
		for _, c := range p.Commitments {
			k := resultKey{c, year}
			res := l.results[k]
			if !l.fresh(res, r, p, c, asOf) {
				res = l.evaluate(in, r, p, c, year, asOf)
			}
			kept[k] = res
			ev.Results = append(ev.Results, res.res)
			*diags = append(*diags, res.diags...)
		}
		return ev
	})
	l.results = kept
	return rep
}

// evaluate evaluates one commitment and notes what it depended on.
func (l *Loader) evaluate(in eval.Input, r *Repository, p *promise.Promise, c *promise.Commitment, year int, asOf calendar.Date) *result {
	one := *p
	one.Commitments = []*promise.Commitment{c}
	res := &result{asOf: asOf, rule: r.Rules[c], cal: r.Calendar, epoch: l.epoch, prov: r.Provenance()}
	res.res = eval.Evaluate(in, &one, year, asOf, &res.diags).Results[0]
	switch {
	case c.Manual:
		res.types = []string{promise.Assessment}
	case res.rule != nil:
		res.types = ruleTypes(res.rule.Root, nil)
	}
	for _, t := range res.types {
		res.gens = append(res.gens, l.typeGen[t])
	}
	return res
}

// fresh reports whether a result evaluated before still holds.
func (l *Loader) fresh(res *result, r *Repository, p *promise.Promise, c *promise.Commitment, asOf calendar.Date) bool {
	if !l.keep || res == nil || res.asOf != asOf || res.rule != r.Rules[c] || res.cal != r.Calendar || res.epoch != l.epoch {
		return false
	}
	if res.prov != r.Provenance() && (p.Strict || behind(res.res)) {
		// History decides what a promise with trust: strict counts, and
		// whether a behind window is provisional (docs/reference.md §7,
		// §8); it changes nothing else.
		return false
	}
	for i, t := range res.types {
		if l.typeGen[t] != res.gens[i] {
			return false
		}
	}
	return true
}

// behind reports a result that is behind or has a window behind.
func behind(res eval.Result) bool {
	return res.Status == eval.Behind || slices.ContainsFunc(res.Windows, func(w eval.Window) bool { return w.Status == eval.Behind })
}

// ruleTypes appends the record types a rule reads.
func ruleTypes(n rule.Node, out []string) []string {
	switch x := n.(type) {
	case *rule.And:
		return ruleTypes(x.Right, ruleTypes(x.Left, out))
	case *rule.Or:
		return ruleTypes(x.Right, ruleTypes(x.Left, out))
	case *rule.Compare:
		return append(out, x.Types...)
	case *rule.Expr:
		return append(out, x.Types...)
	}
	return out
}
