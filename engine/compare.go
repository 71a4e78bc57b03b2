package engine

import (
	"strings"

	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// Revisions reads the repository as committed at revision a and at
// revision b ("" is the working tree), and, for a backtest, b's rules with
// a's records (mixed): what b's promise would have said of a's year.
func Revisions(dir, a, b string, maxFileSize int64) (ra, rb, mixed *repository.Repository, err error) {
	src, err := source.Open(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	src.SetMaxFileSize(maxFileSize)
	sa, err := src.Revision(a)
	if err != nil {
		return nil, nil, nil, err
	}
	var sb *source.Snapshot
	if b == "" {
		sb, err = src.WorkTree()
	} else {
		sb, err = src.Revision(b)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	m := combine(sb, sa) // before Load drops the bytes of the record files
	return repository.Load(sa), repository.Load(sb), repository.Load(m), nil
}

// combine is a snapshot of the rules of one and the records of another.
func combine(rules, records *source.Snapshot) *source.Snapshot {
	out := &source.Snapshot{Root: rules.Root, Commit: rules.Commit, Git: rules.Git}
	for _, f := range rules.Files {
		if !strings.HasPrefix(f.Path, "data/") {
			out.Files = append(out.Files, f)
		}
	}
	for _, f := range records.Files {
		if strings.HasPrefix(f.Path, "data/") {
			out.Files = append(out.Files, f)
		}
	}
	return out
}
