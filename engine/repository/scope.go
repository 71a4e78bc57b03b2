package repository

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
)

// scoped returns the records promise p counts: those of the folders of
// its data:, or every record when it has none. The set is worked out
// once per promise and repository.
func (r *Repository) scoped(p *promise.Promise) *record.Set {
	if p == nil || len(p.Data) == 0 {
		return r.Records
	}
	r.scopeMu.Lock()
	defer r.scopeMu.Unlock()
	if s, ok := r.scopes[p]; ok {
		return s
	}
	if r.scopes == nil {
		r.scopes = map[*promise.Promise]*record.Set{}
	}
	s := r.Records.FilterFiles(p.Counts)
	r.scopes[p] = s
	return s
}

// RecordsOf returns the records promise p counts (see promise.Promise.Data).
func (r *Repository) RecordsOf(p *promise.Promise) *record.Set { return r.scoped(p) }

// Narrow keeps only the promises whose id matches one of patterns
// (path.Match globs, as given to --promise); no patterns keeps all. A
// pattern that matches no promise is an error that suggests the closest
// id; the promises that match are kept all the same.
func (r *Repository) Narrow(patterns []string) error {
	if len(patterns) == 0 {
		return nil
	}
	var ids []string
	for _, p := range r.Promises {
		if !slices.Contains(ids, p.ID) {
			ids = append(ids, p.ID)
		}
	}
	matched := make([]bool, len(patterns))
	var keep []*promise.Promise
	for _, p := range r.Promises {
		hit := false
		for i, pat := range patterns {
			if ok, _ := path.Match(pat, p.ID); ok {
				matched[i], hit = true, true
			}
		}
		if hit {
			keep = append(keep, p)
		}
	}
	r.Promises = keep
	for i, pat := range patterns {
		if _, err := path.Match(pat, ""); err != nil {
			return fmt.Errorf("ogiltigt mönster %q för --promise: %v", pat, err)
		}
		if !matched[i] {
			hint := diag.DidYouMean(pat, ids)
			if hint == "" && len(ids) > 0 {
				hint = "löftena är " + strings.Join(ids, ", ")
			}
			if hint != "" {
				return fmt.Errorf("okänt löfte %q (%s)", pat, hint)
			}
			return fmt.Errorf("okänt löfte %q: förrådet har inga löften", pat)
		}
	}
	return nil
}
