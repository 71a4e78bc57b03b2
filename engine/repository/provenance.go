package repository

import (
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/history"
	"github.com/lofte/lofte/engine/source"
)

// ReadProvenance reads the history behind r's records (history.Read):
// the commit that added each record, known on day known (0: the commit's
// day). What the match found is kept in the outcome cache for ReadLags.
func (r *Repository) ReadProvenance(src *source.Repo, known calendar.Date) (*history.Provenance, error) {
	return history.ReadWith(src, r.Snapshot, r.Vocab, r.Records, known, history.Options{Exact: r.exact()})
}

// ReadLags is ReadProvenance for an evaluation that needs only the
// recording lags (docs/reference.md §8): when an earlier reading of the
// same commit, vocabulary and record files left them in the outcome
// cache, they are read from there, and the whole history only when
// something asks for it (history.Provenance.Complete).
func (r *Repository) ReadLags(src *source.Repo, known calendar.Date) (*history.Provenance, error) {
	return history.ReadWith(src, r.Snapshot, r.Vocab, r.Records, known, history.Options{LagsOnly: true, Exact: r.exact()})
}

// exact reports whether r's records are those of its snapshot's record
// files: none is kept from an older version of a file that broke.
func (r *Repository) exact() bool { return len(r.Stale) == 0 }
