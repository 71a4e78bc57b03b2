// Package history finds where the records of a loaded repository come
// from: for each record, the commit that added it (one walk over the git
// history, cached), and from that how long each activity type typically
// takes to be recorded, so that a status behind only by records not yet
// recorded can be called provisional (docs/reference.md §8).
package history

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/source"
)

// Provenance is where the records of a loaded repository come from: for
// each record, the commit that added it (see source.Repo.Provenance), and
// from that, how long each activity type takes to be recorded.
type Provenance struct {
	// History is the walk's outcome: every commit and every record added.
	History *source.History
	// Known is the day the records were read as known: the evaluation of
	// lag compares it with the evaluation date.
	Known calendar.Date
	// Lags are the recording lags by activity type, for the types with
	// at least MinLagRecords measured records.
	Lags map[string]eval.Lag

	// recs are the records matched, and added the index in History.Added
	// of each one's addition (-1: none); origin, made from them when first
	// asked, finds a record's addition by its place.
	recs       matched
	added      []int32
	originOnce sync.Once
	originMap  map[diag.Pos]int32

	placedOnce sync.Once
	placedMap  map[int32]diag.Pos // the reverse of origin, made when first asked

	// head is set when Lags and Known came from the outcome cache (see
	// ReadWith): then History is nil until Complete, and Origin reads the
	// cache's body, found in file under key, when first asked.
	head     *outcomeHead
	file     string
	key      [32]byte
	bodyOnce sync.Once
	body     outcomeBody
	bodyBad  bool // the body did not fit: written again by Complete

	mu   sync.Mutex
	load func() (*Provenance, error) // the full reading, for Complete; nil once done
}

// Options say how ReadWith reads history.
type Options struct {
	// LagsOnly asks first for what an evaluation needs (Lags, Known and
	// Origin): they come from the outcome cache of an earlier reading
	// when it fits, and the whole history is read only when it is
	// needed (Complete, Placed).
	LagsOnly bool
	// Exact says that the records are those of the snapshot's record
	// files as they are, none kept from an older version of a file:
	// only then is the outcome cache read or written.
	Exact bool
}

// Complete reads the whole history when Lags came from the cache
// (ReadWith with LagsOnly), so that History and Placed are there; it
// does nothing otherwise. An error leaves p as it was.
func (p *Provenance) Complete() error {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.load == nil {
		return nil
	}
	full, err := p.load()
	if err != nil {
		return err
	}
	p.History, p.recs, p.added, p.load = full.History, full.recs, full.added, nil
	if p.bodyBad {
		if head, body, ok := p.encodeOutcome(); ok {
			writeOutcome(p.file, p.key, head, body)
		}
	}
	return nil
}

// Partial reports whether the whole history is still to be read (see
// Complete).
func (p *Provenance) Partial() bool {
	if p == nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.load != nil
}

// Placed returns where the record of each addition still there is.
func (p *Provenance) Placed() map[int32]diag.Pos {
	_ = p.Complete() // on error, none placed
	p.placedOnce.Do(func() {
		origin := p.origin()
		p.placedMap = make(map[int32]diag.Pos, len(origin))
		for pos, a := range origin {
			p.placedMap[a] = pos
		}
	})
	return p.placedMap
}

// origin maps the place of each matched record to its addition.
func (p *Provenance) origin() map[diag.Pos]int32 {
	p.originOnce.Do(func() {
		p.originMap = make(map[diag.Pos]int32, p.recs.n)
		i := 0
		for _, rows := range p.recs.rows {
			for k := range rows.Len() {
				if p.added[i] >= 0 {
					p.originMap[rows.Pos(k)] = p.added[i]
				}
				i++
			}
		}
	})
	return p.originMap
}

// Recording lags are measured over records added at most MaxLag days
// after their date: records entered much later are an import of old data,
// not a habit of recording, and would swamp the figures. A type needs
// MinLagRecords such records for its lag to be used.
const (
	MaxLag        = 365
	MinLagRecords = 5
)

// keyVersion changes when recordKey does, so that a cache of keys made
// the old way is not used.
const keyVersion = "k1"

// Read walks the history of the repository's commit (see
// source.Repo.Provenance), reading every version of each data file with
// the repository's vocabulary, and finds the commit that added each
// record. known is the day the records are known, today for the working
// tree; 0 takes the commit's date. A plain folder or a repository without
// commits gives records no provenance, and no error.
func Read(src *source.Repo, snap *source.Snapshot, voc *promise.Vocabulary, records *record.Set, known calendar.Date) (*Provenance, error) {
	return ReadWith(src, snap, voc, records, known, Options{})
}

// ReadWith is Read with options. With Exact, what the match found is
// kept in the outcome cache (.git/lofte/outcome.bin, see lagcache.go),
// and with LagsOnly, a cache that fits gives Lags, Known and Origin
// without reading history; the result is then Partial.
func ReadWith(src *source.Repo, snap *source.Snapshot, voc *promise.Vocabulary, records *record.Set, known calendar.Date, opt Options) (*Provenance, error) {
	key, keyed := outcomeKey(src, snap, opt.Exact)
	file := ""
	if keyed {
		file = outcomePath(src)
	}
	if file != "" {
		head, _, err := readOutcome(file, key, false)
		if err == nil && opt.LagsOnly {
			p := &Provenance{Known: known, Lags: lagsOf(head.lags, voc), head: head, file: file, key: key}
			if known == 0 {
				p.Known = head.tipDay
			}
			p.load = func() (*Provenance, error) { return read(src, snap, voc, records, known) }
			return p, nil
		}
		if err == nil {
			file = "" // it fits: not written again
		}
	}
	p, err := read(src, snap, voc, records, known)
	if err != nil {
		return nil, err
	}
	if file != "" {
		if head, body, ok := p.encodeOutcome(); ok {
			writeOutcome(file, key, head, body)
		}
	}
	return p, nil
}

// read reads history whole, as Read says.
func read(src *source.Repo, snap *source.Snapshot, voc *promise.Vocabulary, records *record.Set, known calendar.Date) (*Provenance, error) {
	h, err := src.Provenance(snap.Commit, source.ProvenanceOptions{
		Files: func(p string) bool { return strings.HasPrefix(p, "data/") && record.IsRecordFile(p) },
		Keys:  func(p string, data []byte) ([]source.RecordRef, bool) { return recordRefs(p, data, voc) },
		Grow: func(p string, data []byte, n int, prev []source.RecordRef, state any) ([]source.RecordRef, any, bool) {
			return growRefs(p, data, n, prev, state, voc)
		},
		Fingerprint: vocabFingerprint(snap),
	})
	if err != nil {
		return nil, err
	}
	if known == 0 {
		if tip, ok := h.TipCommit(); ok {
			known = calendar.Today(tip.When)
		}
	}
	p := &Provenance{History: h, Known: known}
	p.recs, p.added = p.match(records)
	p.Lags = p.lags(p.recs, p.added, voc)
	return p, nil
}

// recordRefs reads one version of a data file for the provenance walk.
func recordRefs(path string, data []byte, voc *promise.Vocabulary) ([]source.RecordRef, bool) {
	recs, diags := record.Parse(path, data, voc, nil)
	if len(recs) == 0 && diags.Errors() > 0 {
		return nil, true
	}
	refs := make([]source.RecordRef, len(recs))
	for i := range recs {
		rec := &recs[i]
		refs[i] = source.RecordRef{Key: recordKey(rec), Type: rec.Type, Date: rec.Date.String(), By: rec.By, Line: rec.Pos.Line}
	}
	return refs, false
}

// vocabFingerprint names the vocabulary records are read against.
func vocabFingerprint(snap *source.Snapshot) string {
	sum := sha256.New()
	sum.Write([]byte(keyVersion))
	for _, f := range snap.Files {
		if f.Path == promise.ActivitiesFile {
			sum.Write(f.Data)
		}
	}
	return hex.EncodeToString(sum.Sum(nil))
}

// recordKey is a record's content as a key: type, date, parties (in any
// order) and values, each value with its kind, so that the same record
// written in CSV or YAML, in any file, at any line, has the same key.
func recordKey(rec *record.Record) source.RecordKey {
	var buf []byte
	return recordKeyBuf(rec, &buf)
}

// recordKeyBuf is recordKey using *buf as scratch: the bytes hashed are
// the same, built in one buffer and hashed at once.
func recordKeyBuf(rec *record.Record, buf *[]byte) source.RecordKey {
	return keyOf(rec.Type, rec.Date.String(), rec.By, len(rec.Values), func(i int) any { return rec.Values[i] }, buf)
}

// keyOf is recordKeyBuf of a record given by its parts, n values read
// with value.
func keyOf(typ, date string, by []string, n int, value func(int) any, buf *[]byte) source.RecordKey {
	b := (*buf)[:0]
	defer func() { *buf = b }()
	put := func(s string) {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	put(typ)
	put(date)
	if len(by) == 1 {
		put(by[0])
	} else {
		by := slices.Clone(by)
		slices.Sort(by)
		put(strings.Join(by, "+"))
	}
	for i := range n {
		switch x := value(i).(type) {
		case nil:
			put("-")
		case string:
			b = binary.BigEndian.AppendUint32(b, uint32(len(x)+1))
			b = append(append(b, 's'), x...)
		default:
			put(valueKey(x))
		}
	}
	sum := sha256.Sum256(b)
	var k source.RecordKey
	copy(k[:], sum[:])
	return k
}

func valueKey(v any) string {
	switch x := v.(type) {
	case nil:
		return "-"
	case string:
		return "s" + x
	case int:
		return "i" + strconv.Itoa(x)
	case float64:
		return "f" + strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return "b" + strconv.FormatBool(x)
	case calendar.Date:
		return "d" + x.String()
	case []any:
		var b strings.Builder
		b.WriteString("l")
		for _, e := range x {
			s := valueKey(e)
			b.WriteString(strconv.Itoa(len(s)) + ":" + s)
		}
		return b.String()
	}
	return "?"
}

// match finds the addition of each record: of the additions of its key,
// the latest one to the same file, else the latest one, each used once.
// It returns the records, in the set's order, and the index in
// History.Added of each one's addition (-1: none).
func (p *Provenance) match(set *record.Set) (matched, []int32) {
	recs := matchedOf(set)
	keys := make([]source.RecordKey, recs.n)
	parallel(recs.n, func(from, to int) {
		if from >= to {
			return
		}
		var buf []byte
		var lastDate calendar.Date
		var dateText string
		t, k := recs.at(from)
		rows := recs.rows[t]
		for i := from; i < to; i++ {
			for k >= rows.Len() {
				t, k = t+1, 0
				rows = recs.rows[t]
			}
			if d := rows.Date(k); d != lastDate || dateText == "" {
				lastDate, dateText = d, d.String() // dates come in order: one string a day
			}
			keys[i] = keyOf(recs.types[t], dateText, rows.By(k), rows.NumValues(k), func(f int) any { return rows.Value(k, f) }, &buf)
			k++
		}
	})
	// The records grouped by key, each group in the set's order.
	order := sortByKey(keys)
	// Both sides in key order: one merge rather than a search per key.
	sorted, merge := p.History.ByKey()
	at := 0
	added := make([]int32, recs.n)
	for i := range added {
		added[i] = -1
	}
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && keys[order[j]] == keys[order[i]] {
			j++
		}
		k := keys[order[i]]
		var cands []int32
		if merge {
			for at < len(sorted) && bytes.Compare(p.History.Added[sorted[at]].Key[:], k[:]) < 0 {
				at++
			}
			e := at
			for e < len(sorted) && p.History.Added[sorted[e]].Key == k {
				e++
			}
			cands, at = sorted[at:e], e
		} else {
			cands = p.History.Of(k)
		}
		p.matchKey(recs, order[i:j], cands, added)
		i = j
	}
	return recs, added
}

// matchKey matches the records group, all of one key, with cands, the
// additions of that key, oldest first.
func (p *Provenance) matchKey(recs matched, group, cands []int32, added []int32) {
	if len(cands) == 0 {
		return
	}
	if len(group) == 1 { // the common case, without the bookkeeping
		r, pick := group[0], cands[len(cands)-1]
		for i := len(cands) - 1; i >= 0; i-- {
			if p.History.Added[cands[i]].Path == recs.file(int(r)) {
				pick = cands[i]
				break
			}
		}
		added[r] = pick
		return
	}
	used := make([]bool, len(cands))
	take := func(i int, r int32) {
		used[i] = true
		added[r] = cands[i]
	}
	var rest []int32
	for _, r := range group {
		found := false
		for i := len(cands) - 1; i >= 0; i-- {
			if !used[i] && p.History.Added[cands[i]].Path == recs.file(int(r)) {
				take(i, r)
				found = true
				break
			}
		}
		if !found {
			rest = append(rest, r)
		}
	}
	for _, r := range rest {
		for i := len(cands) - 1; i >= 0; i-- {
			if !used[i] {
				take(i, r)
				break
			}
		}
	}
}

// sortByKey returns the indexes of keys ordered by key, then index: a
// radix sort on the first eight bytes (16 bits a pass, stable, so equal
// keys keep their order), then a sort of the rare runs that share them.
func sortByKey(keys []source.RecordKey) []int32 {
	n := len(keys)
	hi := make([]uint64, n)
	for i := range keys {
		hi[i] = binary.BigEndian.Uint64(keys[i][:8])
	}
	a, b := make([]int32, n), make([]int32, n)
	for i := range a {
		a[i] = int32(i)
	}
	count := make([]int, 1<<16)
	for shift := 0; shift < 64; shift += 16 {
		clear(count)
		for _, i := range a {
			count[uint16(hi[i]>>shift)]++
		}
		sum := 0
		for d, c := range count {
			count[d], sum = sum, sum+c
		}
		for _, i := range a {
			d := uint16(hi[i] >> shift)
			b[count[d]] = i
			count[d]++
		}
		a, b = b, a
	}
	for i := 0; i < n; {
		j := i + 1
		for j < n && hi[a[j]] == hi[a[i]] {
			j++
		}
		if j-i > 1 {
			slices.SortStableFunc(a[i:j], func(x, y int32) int { return bytes.Compare(keys[x][8:], keys[y][8:]) })
		}
		i = j
	}
	return a
}

// parallel runs f over n items split in one part per processor.
func parallel(n int, f func(from, to int)) {
	parts := max(1, min(runtime.GOMAXPROCS(0), n/10_000))
	var wg sync.WaitGroup
	for k := range parts {
		wg.Go(func() { f(n*k/parts, n*(k+1)/parts) })
	}
	wg.Wait()
}

// Origin returns the commit that added the record; false when no commit
// did (a record not committed yet, in the working tree).
func (p *Provenance) Origin(rec *record.Record) (source.Commit, bool) {
	if p == nil {
		return source.Commit{}, false
	}
	if p.head != nil {
		if b := p.cachedBody(); b != nil {
			c, ok := b.origin(rec.Pos)
			if !ok {
				return source.Commit{}, false
			}
			return p.head.commits[c], true
		}
		if p.Complete() != nil {
			return source.Commit{}, false
		}
	}
	a, ok := p.origin()[rec.Pos]
	if !ok {
		return source.Commit{}, false
	}
	return p.History.Commits[p.History.Added[a].Commit], true
}

// cachedBody reads the body of the outcome cache, once; nil when it is
// gone or damaged since its head was read (then the whole history is).
func (p *Provenance) cachedBody() outcomeBody {
	p.bodyOnce.Do(func() {
		head, body, err := readOutcome(p.file, p.key, true)
		if err == nil && len(head.commits) == len(p.head.commits) {
			p.body = body
		} else {
			p.mu.Lock()
			p.bodyBad = true
			p.mu.Unlock()
		}
	})
	return p.body
}

// lags measures each activity type's recording lag over the records that
// have a commit: the days from the record's date to the commit's date in
// Sweden.
func (p *Provenance) lags(recs matched, added []int32, voc *promise.Vocabulary) map[string]eval.Lag {
	out := map[string]eval.Lag{}
	i := 0
	for t, rows := range recs.rows {
		typ := recs.types[t]
		// The lags of a type as counts by day: they are 0..MaxLag.
		var hist [MaxLag + 1]int
		n := 0
		for k := range rows.Len() {
			a := added[i]
			i++
			if typ == promise.Assessment || a < 0 {
				continue
			}
			c := p.History.Commits[p.History.Added[a].Commit]
			d := max(0, int(calendar.Today(c.When)-rows.Date(k)))
			if d > MaxLag {
				continue
			}
			hist[d]++
			n++
		}
		if n < MinLagRecords {
			continue
		}
		title := typ
		if a := voc.Activity(typ); a != nil && a.Title != "" {
			title = a.Title
		}
		out[typ] = eval.Lag{Type: typ, Title: title, Median: rankOf(&hist, n, 0.5), P90: rankOf(&hist, n, 0.9), Records: n}
	}
	return out
}

// rankOf is the nearest-rank percentile q of the n lags counted in hist.
func rankOf(hist *[MaxLag + 1]int, n int, q float64) int {
	i := int(math.Ceil(q*float64(n))) - 1
	i = max(0, min(i, n-1))
	for d, c := range hist {
		if i < c {
			return d
		}
		i -= c
	}
	return MaxLag
}

// SortedLags lists the lags by activity id.
func (p *Provenance) SortedLags() []eval.Lag {
	if p == nil {
		return nil
	}
	out := make([]eval.Lag, 0, len(p.Lags))
	for _, l := range p.Lags {
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b eval.Lag) int { return strings.Compare(a.Type, b.Type) })
	return out
}

// matched are the records of a set, type by type in the set's order,
// read from its columns: record i is record k of type t, where start[t]
// is the index of type t's first record.
type matched struct {
	types []string
	rows  []record.Rows
	start []int
	n     int
}

func matchedOf(set *record.Set) matched {
	var m matched
	for _, typ := range set.Types() {
		rows := set.Rows(typ)
		m.types = append(m.types, typ)
		m.rows = append(m.rows, rows)
		m.start = append(m.start, m.n)
		m.n += rows.Len()
	}
	return m
}

// at returns the type and index in it of record i.
func (m matched) at(i int) (t, k int) {
	t = sort.Search(len(m.start), func(t int) bool { return m.start[t] > i }) - 1
	if t < 0 {
		return 0, 0
	}
	return t, i - m.start[t]
}

// file is the file of record i.
func (m matched) file(i int) string {
	t, k := m.at(i)
	return m.rows[t].File(k)
}
