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
type Set struct {
	groups map[string][]Record
	types  []string
	n      int
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
	s := &Set{groups: make(map[string][]Record)}
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
		s.groups[typ] = g
		s.types = append(s.types, typ)
	}
	slices.Sort(s.types)
	return s
}

// Of returns the records of type typ, sorted by date.
func (s *Set) Of(typ string) []Record {
	if s == nil {
		return nil
	}
	g := s.groups[typ]
	return g[:len(g):len(g)]
}

// Between returns the records of type typ dated from start to end, both
// included: a part of Of(typ), found by binary search.
func (s *Set) Between(typ string, start, end calendar.Date) []Record {
	g := s.Of(typ)
	i := sort.Search(len(g), func(i int) bool { return g[i].Date >= start })
	j := i + sort.Search(len(g)-i, func(k int) bool { return g[i+k].Date > end })
	return g[i:j:j]
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
		recs  []Record
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
				results[i].recs, results[i].diags = Parse(files[i].Path, files[i].Data, voc, parties)
				if len(results[i].diags) == 0 {
					files[i].Data = nil // read: let the bytes go before the set is built
				}
			}
		})
	}
	wg.Wait()
	parts := make([][]Record, len(results))
	var diags diag.List
	for i, r := range results {
		parts[i] = r.recs
		diags = append(diags, r.diags...)
	}
	return newSet(parts), diags
}

// Filter returns the set of the records for which keep is true, in the
// same order; s itself when keep is true for all of them. A group kept
// whole is shared with s, not copied.
func (s *Set) Filter(keep func(*Record) bool) *Set {
	if s == nil {
		return nil
	}
	out := &Set{groups: make(map[string][]Record, len(s.groups))}
	for _, typ := range s.types {
		g := s.groups[typ]
		k := g
		for i := range g {
			if !keep(&g[i]) {
				k = slices.Clone(g[:i:i])
				for j := i + 1; j < len(g); j++ {
					if keep(&g[j]) {
						k = append(k, g[j])
					}
				}
				break
			}
		}
		if len(k) > 0 {
			out.groups[typ] = k
			out.types = append(out.types, typ)
			out.n += len(k)
		}
	}
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
	has := func(g []Record) bool {
		for i := range g {
			if isChanged(g[i].Pos.File) {
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
	out := &Set{groups: make(map[string][]Record, len(s.groups)+len(byType))}
	for typ, g := range s.groups {
		adds := byType[typ]
		if len(adds) == 0 && !has(g) {
			out.groups[typ] = g
			continue
		}
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
			out.groups[typ] = merged
		}
	}
	for typ, recs := range byType {
		if _, ok := s.groups[typ]; !ok {
			out.groups[typ] = recs
		}
	}
	for typ, g := range out.groups {
		out.types = append(out.types, typ)
		out.n += len(g)
	}
	slices.Sort(out.types)
	return out
}

// comparePlace orders records as a Set does: by date, then by file (in
// path order), then by place in the file.
func comparePlace(a, b *Record) int {
	return cmp.Or(cmp.Compare(a.Date, b.Date), strings.Compare(a.Pos.File, b.Pos.File),
		cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
}
