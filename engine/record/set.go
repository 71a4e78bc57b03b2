package record

import (
	"cmp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
)

// Set is the record store: records grouped by type, each group sorted by
// date. The sort is stable, so records of one date keep the order in
// which they were given (file, then line). A Set is read-only and safe
// for concurrent use; the slices it returns must not be modified.
//
// A Set read from files (ReadAll, NewSetOfChunks) keeps the records in
// columns (see Chunk): per type, the dates in order and a reference to
// each record's row. Of and Between make the Records of a type the first
// time they are asked for; Rows and Dates read the columns without
// making any.
type Set struct {
	groups map[string]*group
	types  []string
	n      int
}

// group is the records of one type, in date order.
type group struct {
	typ   string
	dates []calendar.Date
	// A group of chunks: each record's part (index in parts) and row, as
	// part<<32 | row in refs; or, when the parts' rows taken in order are
	// in date order (files by month, say), refs is nil and record k is
	// row k-starts[p] of part p, the last one starting at or before k:
	// blocks has the part of every 64th record to start looking from (nil
	// when there is one part). Its Records are made once, when first
	// asked for.
	parts  []*part
	refs   []uint64
	starts []int // and the number of records last
	blocks []uint32
	once   sync.Once
	recs   []Record
}

// blockShift is log2 of the records a block of a group spans.
const blockShift = 6

func (g *group) records() []Record {
	if g.parts != nil {
		g.once.Do(g.makeRecords)
	}
	return g.recs
}

func (g *group) makeRecords() {
	recs := make([]Record, len(g.dates))
	nf := 0
	for _, p := range g.parts {
		nf = max(nf, p.nf)
	}
	vals := make([]any, len(g.dates)*nf)
	for k := range g.dates {
		p, i := g.at(k)
		recs[k] = p.record(i, vals[k*nf:k*nf+p.nf:k*nf+p.nf])
	}
	g.recs = recs
}

// search returns the indexes of the records dated start..end.
func (g *group) search(start, end calendar.Date) (int, int) {
	i := sort.Search(len(g.dates), func(k int) bool { return g.dates[k] >= start })
	j := i + sort.Search(len(g.dates)-i, func(k int) bool { return g.dates[i+k] > end })
	return i, j
}

// NewSet groups recs by type.
func NewSet(recs []Record) *Set { return newSet([][]Record{recs}) }

// NewSetOf groups the records of several parts (one per file, say), taken
// in order, by type, without first joining them into one slice.
func NewSetOf(parts [][]Record) *Set { return newSet(parts) }

// place is where a record is in the parts given to newSet, and its date:
// sorting these small keys, rather than the records, keeps the sort cheap.
type place struct {
	date      calendar.Date
	part, idx int32
}

func (a place) compare(b place) int {
	if c := cmp.Compare(a.date, b.date); c != 0 {
		return c
	}
	if c := cmp.Compare(a.part, b.part); c != 0 {
		return c
	}
	return cmp.Compare(a.idx, b.idx)
}

// newSet groups the records of parts, taken in order, by type.
func newSet(parts [][]Record) *Set {
	s := &Set{groups: make(map[string]*group)}
	places := make(map[string][]place)
	for p, recs := range parts {
		for i := range recs {
			typ := recs[i].Type
			places[typ] = append(places[typ], place{recs[i].Date, int32(p), int32(i)})
		}
		s.n += len(recs)
	}
	for typ, ps := range places {
		if !slices.IsSortedFunc(ps, place.compare) {
			slices.SortFunc(ps, place.compare)
		}
		g := make([]Record, len(ps))
		for j, p := range ps {
			g[j] = parts[p.part][p.idx]
		}
		s.groups[typ] = recordGroup(typ, g)
		s.types = append(s.types, typ)
	}
	slices.Sort(s.types)
	return s
}

// recordGroup is a group of records given as Records, sorted.
func recordGroup(typ string, recs []Record) *group {
	g := &group{typ: typ, recs: recs, dates: make([]calendar.Date, len(recs))}
	for i := range recs {
		g.dates[i] = recs[i].Date
	}
	return g
}

// NewSetOfChunks groups the records of chunks (one per file), taken in
// order, by type: the same set as NewSetOf of their records, without
// making a Record.
func NewSetOfChunks(chunks []*Chunk) *Set {
	s := &Set{groups: make(map[string]*group)}
	for _, typ := range chunkTypes(chunks) {
		s.groups[typ] = chunkGroup(typ, chunks)
	}
	s.count()
	return s
}

// chunkTypes lists the types of chunks, sorted.
func chunkTypes(chunks []*Chunk) []string {
	var types []string
	seen := map[string]bool{}
	for _, c := range chunks {
		if c == nil {
			continue
		}
		for _, p := range c.parts {
			if !seen[p.typ] {
				seen[p.typ] = true
				types = append(types, p.typ)
			}
		}
	}
	slices.Sort(types)
	return types
}

// count sets the types and the number of records of s from its groups.
func (s *Set) count() {
	s.types, s.n = s.types[:0], 0
	for typ, g := range s.groups {
		s.types = append(s.types, typ)
		s.n += len(g.dates)
	}
	slices.Sort(s.types)
}

// chunkGroup is the group of typ of chunks; nil when they have none.
func chunkGroup(typ string, chunks []*Chunk) *group {
	g := &group{typ: typ}
	n := 0
	for _, c := range chunks {
		if p := c.part(typ); p != nil {
			g.parts = append(g.parts, p)
			n += p.len()
		}
	}
	if n == 0 {
		return nil
	}
	g.dates = make([]calendar.Date, 0, n)
	for _, p := range g.parts {
		g.dates = p.appendDates(g.dates)
	}
	// Parts of a few rows each would make a block's search long: they
	// keep references.
	if slices.IsSorted(g.dates) && len(g.parts) <= n>>3+1 {
		g.starts = make([]int, len(g.parts)+1)
		for k, p := range g.parts {
			g.starts[k+1] = g.starts[k] + p.len()
		}
		if len(g.parts) > 1 {
			g.blocks = make([]uint32, (n+1<<blockShift-1)>>blockShift)
			k := 0
			for b := range g.blocks {
				for g.starts[k+1] <= b<<blockShift {
					k++
				}
				g.blocks[b] = uint32(k)
			}
		}
		return g
	}
	g.refs = make([]uint64, 0, n)
	for k, p := range g.parts {
		for i := range p.len() {
			g.refs = append(g.refs, uint64(k)<<32|uint64(i))
		}
	}
	sortStable(g.dates, g.refs)
	return g
}

// sortStable sorts dates, and refs along with them, keeping the order of
// equal dates: by counting when the dates span a short enough time.
func sortStable(dates []calendar.Date, refs []uint64) {
	if slices.IsSorted(dates) {
		return
	}
	lo, hi := slices.Min(dates), slices.Max(dates)
	if span := int64(hi) - int64(lo); span < int64(4*len(dates)+1024) {
		count := make([]int, span+2)
		for _, d := range dates {
			count[d-lo+1]++
		}
		for i := 1; i < len(count); i++ {
			count[i] += count[i-1]
		}
		d2, r2 := make([]calendar.Date, len(dates)), make([]uint64, len(refs))
		for i, d := range dates {
			k := count[d-lo]
			count[d-lo]++
			d2[k], r2[k] = d, refs[i]
		}
		copy(dates, d2)
		copy(refs, r2)
		return
	}
	perm := make([]int32, len(dates))
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortStableFunc(perm, func(a, b int32) int { return cmp.Compare(dates[a], dates[b]) })
	d2, r2 := make([]calendar.Date, len(dates)), make([]uint64, len(refs))
	for k, i := range perm {
		d2[k], r2[k] = dates[i], refs[i]
	}
	copy(dates, d2)
	copy(refs, r2)
}

// PatchChunks returns the set of chunks, the chunks of every file in
// order, when s is the set of the same files before a change that touched
// the records of the types types only: their groups are made again, the
// other groups are shared with s. A watcher uses it after a change to a
// few files of a large repository.
func (s *Set) PatchChunks(chunks []*Chunk, types []string) *Set {
	out := &Set{groups: make(map[string]*group, len(s.groups)+len(types))}
	for typ, g := range s.groups {
		if !slices.Contains(types, typ) {
			out.groups[typ] = g
		}
	}
	for _, typ := range types {
		if g := chunkGroup(typ, chunks); g != nil {
			out.groups[typ] = g
		}
	}
	out.count()
	return out
}

// Of returns the records of type typ, sorted by date.
func (s *Set) Of(typ string) []Record {
	if s == nil {
		return nil
	}
	g := s.groups[typ]
	if g == nil {
		return nil
	}
	recs := g.records()
	return recs[:len(recs):len(recs)]
}

// Between returns the records of type typ dated from start to end, both
// included: a part of Of(typ), found by binary search.
func (s *Set) Between(typ string, start, end calendar.Date) []Record {
	if s == nil || s.groups[typ] == nil {
		return nil
	}
	g := s.groups[typ]
	i, j := g.search(start, end)
	recs := g.records()
	return recs[i:j:j]
}

// Dates returns the dates of the records of type typ dated from start to
// end, both included, in order: what Between's records are dated,
// without making them.
func (s *Set) Dates(typ string, start, end calendar.Date) []calendar.Date {
	if s == nil || s.groups[typ] == nil {
		return nil
	}
	g := s.groups[typ]
	i, j := g.search(start, end)
	return g.dates[i:j:j]
}

// Rows is the records of one type of a Set, in the order of Of, read
// from the columns without making Records. The zero Rows has none.
type Rows struct{ g *group }

// Rows returns the records of type typ.
func (s *Set) Rows(typ string) Rows {
	if s == nil {
		return Rows{}
	}
	return Rows{s.groups[typ]}
}

// Len is the number of records.
func (r Rows) Len() int {
	if r.g == nil {
		return 0
	}
	return len(r.g.dates)
}

// Search returns the indexes i..j-1 of the records dated start..end.
func (r Rows) Search(start, end calendar.Date) (i, j int) {
	if r.g == nil {
		return 0, 0
	}
	return r.g.search(start, end)
}

// Date is the date of record k.
func (r Rows) Date(k int) calendar.Date { return r.g.dates[k] }

// By is the parties of record k.
func (r Rows) By(k int) []string {
	if r.g.parts == nil {
		return r.g.recs[k].By
	}
	p, i := r.g.at(k)
	return p.bys[p.byOf(i)]
}

// Value is value f of record k (see Record.Values); nil past its values.
func (r Rows) Value(k, f int) any {
	if r.g.parts == nil {
		if v := r.g.recs[k].Values; f < len(v) {
			return v[f]
		}
		return nil
	}
	p, i := r.g.at(k)
	if f >= p.nf {
		return nil
	}
	return p.value(i, f)
}

// NumValues is the number of values of record k.
func (r Rows) NumValues(k int) int {
	if r.g.parts == nil {
		return len(r.g.recs[k].Values)
	}
	p, _ := r.g.at(k)
	return p.nf
}

// Pos is where record k is.
func (r Rows) Pos(k int) diag.Pos {
	if r.g.parts == nil {
		return r.g.recs[k].Pos
	}
	p, i := r.g.at(k)
	return p.pos(i)
}

// File is the file of record k.
func (r Rows) File(k int) string {
	if r.g.parts == nil {
		return r.g.recs[k].Pos.File
	}
	p, _ := r.g.at(k)
	return p.file
}

// ref is the index in parts of record k's part, and its row there.
func (g *group) ref(k int) (int, int) {
	switch {
	case g.refs != nil:
		ref := g.refs[k]
		return int(ref >> 32), int(uint32(ref))
	case g.blocks == nil:
		return 0, k
	}
	p := int(g.blocks[k>>blockShift])
	for g.starts[p+1] <= k {
		p++
	}
	return p, k - g.starts[p]
}

func (g *group) at(k int) (*part, int) {
	p, i := g.ref(k)
	return g.parts[p], i
}

// Types lists the types that have records, sorted.
func (s *Set) Types() []string {
	if s == nil {
		return nil
	}
	return slices.Clone(s.types)
}

// Len is the number of records.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return s.n
}

// File is a record file to read: its path relative to the repository
// root, and its content.
type File struct {
	Path string
	Data []byte
}

// ReadAll parses files in parallel, at most runtime.GOMAXPROCS at a time,
// and returns their records as a Set and their diagnostics in the order
// of files.
// ReadAll sets the Data of every file read without a problem to nil, so
// that the bytes can be freed while the set is built; callers keep what
// they need for messages from the files that had one.
func ReadAll(files []File, voc *promise.Vocabulary, parties []string) (*Set, diag.List) {
	type result struct {
		chunk *Chunk
		diags diag.List
	}
	if voc == nil {
		voc = promise.NewVocabulary(nil)
	}
	results := make([]result, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				results[i].chunk, results[i].diags = ParseChunk(files[i].Path, files[i].Data, voc, parties)
				if len(results[i].diags) == 0 {
					files[i].Data = nil // read: let the bytes go before the set is built
				}
			}
		})
	}
	wg.Wait()
	chunks := make([]*Chunk, len(results))
	var diags diag.List
	for i, r := range results {
		chunks[i] = r.chunk
		diags = append(diags, r.diags...)
	}
	return NewSetOfChunks(chunks), diags
}

// Filter returns the set of the records for which keep is true, in the
// same order; s itself when keep is true for all of them. A group kept
// whole is shared with s, not copied.
func (s *Set) Filter(keep func(*Record) bool) *Set {
	if s == nil {
		return nil
	}
	out := &Set{groups: make(map[string]*group, len(s.groups))}
	for _, typ := range s.types {
		g := s.groups[typ]
		recs := g.records()
		var k []Record
		whole := true
		for i := range recs {
			if !keep(&recs[i]) {
				k = slices.Clone(recs[:i:i])
				for j := i + 1; j < len(recs); j++ {
					if keep(&recs[j]) {
						k = append(k, recs[j])
					}
				}
				whole = false
				break
			}
		}
		switch {
		case whole:
			out.groups[typ] = g
		case len(k) > 0:
			out.groups[typ] = recordGroup(typ, k)
		}
	}
	out.count()
	if out.n == s.n {
		return s
	}
	return out
}

// FilterFiles returns the set of the records of the files for which keep
// is true, in the same order; s itself when keep is true for all of them.
// Unlike Filter, it makes no Records: a group kept whole is shared with
// s, and the others keep the columns of the files kept.
func (s *Set) FilterFiles(keep func(file string) bool) *Set {
	if s == nil {
		return nil
	}
	out := &Set{groups: make(map[string]*group, len(s.groups))}
	for _, typ := range s.types {
		g := s.groups[typ]
		if g.parts == nil {
			var k []Record
			for _, r := range g.recs {
				if keep(r.Pos.File) {
					k = append(k, r)
				}
			}
			switch {
			case len(k) == len(g.recs):
				out.groups[typ] = g
			case len(k) > 0:
				out.groups[typ] = recordGroup(typ, k)
			}
			continue
		}
		kept := make([]int, len(g.parts)) // new index + 1, 0 for a part left out
		var parts []*part
		for i, p := range g.parts {
			if keep(p.file) {
				parts = append(parts, p)
				kept[i] = len(parts)
			}
		}
		switch {
		case len(parts) == len(g.parts):
			out.groups[typ] = g
			continue
		case len(parts) == 0:
			continue
		}
		ng := &group{typ: typ, parts: parts}
		for k := range g.dates {
			p, i := g.ref(k)
			if n := kept[p]; n > 0 {
				ng.refs = append(ng.refs, uint64(n-1)<<32|uint64(i))
				ng.dates = append(ng.dates, g.dates[k])
			}
		}
		out.groups[typ] = ng
	}
	out.count()
	if out.n == s.n {
		return s
	}
	return out
}

// Patch returns the set s would be with the records of the files changed
// replaced by add: the records those files have now (none for a file
// removed). The result is what NewSet of every file's records, files in
// path order, would give; groups of the types that no changed file has
// or had are shared with s, not copied. A watcher uses it after a change
// to a few files of a large repository.
func (s *Set) Patch(changed []string, add []Record) *Set {
	isChanged := func(file string) bool {
		for _, c := range changed {
			if len(c) == len(file) && c == file {
				return true
			}
		}
		return false
	}
	has := func(g *group) bool {
		if g.parts != nil {
			for _, p := range g.parts {
				if isChanged(p.file) {
					return true
				}
			}
			return false
		}
		for i := range g.recs {
			if isChanged(g.recs[i].Pos.File) {
				return true
			}
		}
		return false
	}
	byType := map[string][]Record{}
	for _, r := range add {
		byType[r.Type] = append(byType[r.Type], r)
	}
	for _, recs := range byType {
		slices.SortStableFunc(recs, func(a, b Record) int { return comparePlace(&a, &b) })
	}
	out := &Set{groups: make(map[string]*group, len(s.groups)+len(byType))}
	for typ, gr := range s.groups {
		adds := byType[typ]
		if len(adds) == 0 && !has(gr) {
			out.groups[typ] = gr
			continue
		}
		g := gr.records()
		merged := make([]Record, 0, len(g)+len(adds))
		for i, j := 0, 0; i < len(g) || j < len(adds); {
			switch {
			case i < len(g) && isChanged(g[i].Pos.File):
				i++
			case j < len(adds) && (i == len(g) || comparePlace(&adds[j], &g[i]) < 0):
				merged = append(merged, adds[j])
				j++
			default:
				merged = append(merged, g[i])
				i++
			}
		}
		if len(merged) > 0 {
			out.groups[typ] = recordGroup(typ, merged)
		}
	}
	for typ, recs := range byType {
		if _, ok := s.groups[typ]; !ok {
			out.groups[typ] = recordGroup(typ, recs)
		}
	}
	out.count()
	return out
}

// comparePlace orders records as a Set does: by date, then by file (in
// path order), then by place in the file.
func comparePlace(a, b *Record) int {
	return cmp.Or(cmp.Compare(a.Date, b.Date), strings.Compare(a.Pos.File, b.Pos.File),
		cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
}
