package record

import (
	"cmp"
	"runtime"
	"slices"
	"sort"
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
func NewSet(recs []Record) *Set {
	counts := make(map[string]int)
	for i := range recs {
		counts[recs[i].Type]++
	}
	s := &Set{groups: make(map[string][]Record, len(counts)), n: len(recs)}
	for typ, n := range counts {
		s.groups[typ] = make([]Record, 0, n)
		s.types = append(s.types, typ)
	}
	slices.Sort(s.types)
	for i := range recs {
		s.groups[recs[i].Type] = append(s.groups[recs[i].Type], recs[i])
	}
	byDate := func(a, b Record) int { return cmp.Compare(a.Date, b.Date) }
	for _, g := range s.groups {
		if !slices.IsSortedFunc(g, byDate) {
			slices.SortStableFunc(g, byDate)
		}
	}
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
			}
		})
	}
	wg.Wait()
	n := 0
	for _, r := range results {
		n += len(r.recs)
	}
	all := make([]Record, 0, n)
	var diags diag.List
	for _, r := range results {
		all = append(all, r.recs...)
		diags = append(diags, r.diags...)
	}
	return NewSet(all), diags
}
