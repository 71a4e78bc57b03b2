package engine

import (
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/explain"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/source"
)

// Explanation is what explain shows of one commitment: its explanations,
// where each counted record comes from, and the problems to show with it
// (loading problems, evaluation problems, and the records a promise with
// trust: strict does not count).
type Explanation struct {
	Commitments []explain.Explanation
	Provenance  *explain.Provenance
	Diags       diag.List
}

// Explain explains commitment id for each year of period at asOf
// (package explain), from the same input as Evaluate. The error is the
// user's: no such commitment, or history that cannot be read.
func (e *Engine) Explain(id string, period calendar.Period, asOf calendar.Date) (*Explanation, error) {
	added, err := e.Provenance()
	if err != nil {
		return nil, err
	}
	r := e.Repository()
	xs, errs, err := explain.Explain(r, id, period, asOf)
	if err != nil {
		return nil, err
	}
	prov, err := e.lastChanges(xs)
	if err != nil {
		return nil, err
	}
	if added != nil {
		prov.Origin = added.Origin
	}
	out := &Explanation{Commitments: xs, Provenance: prov, Diags: append(r.Diags, errs...)}
	seen := map[*promise.Promise]bool{}
	for _, x := range xs {
		if p := x.Commitment.Promise; p != nil && !seen[p] {
			seen[p] = true
			out.Diags = append(out.Diags, r.Untrusted(p)...)
		}
	}
	return out, nil
}

// lastChanges finds the commit that last changed each record file the
// explanations name, in one walk over history, and which files on disk
// differ from it.
func (e *Engine) lastChanges(xs []explain.Explanation) (*explain.Provenance, error) {
	snap := e.Repository().Snapshot
	prov := &explain.Provenance{Commit: snap.Commit, Dirty: snap.Dirty, Uncommitted: map[string]bool{}}
	src := e.Source()
	if snap.Commit == "" || src == nil {
		return prov, nil
	}
	files := explain.Files(xs)
	changes, err := src.LastChanges(snap.Commit, files)
	if err != nil {
		return nil, err
	}
	prov.Changes = changes
	if e.opt.Rev == "" && e.opt.KnownAt == "" {
		disk := e.Files()
		for _, f := range files {
			if c, ok := changes[f]; !ok || source.BlobHash(disk[f]) != c.Blob {
				prov.Uncommitted[f] = true
			}
		}
	}
	return prov, nil
}
