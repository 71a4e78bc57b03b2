package repository

import (
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/history"
	"github.com/lofte/lofte/engine/source"
)

// ReadProvenance reads the history behind r's records (history.Read):
// the commit that added each record, known on day known (0: the commit's
// day).
func (r *Repository) ReadProvenance(src *source.Repo, known calendar.Date) (*history.Provenance, error) {
	return history.Read(src, r.Snapshot, r.Vocab, r.Records, known)
}
