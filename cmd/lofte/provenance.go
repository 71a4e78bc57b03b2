package main

import (
	"sync"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/history"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// useProvenance finds the commit that added each record of r (one walk
// over history, cached in .git/lofte) and has r evaluated with it: trust:
// strict and provisional statuses. Records are known today in the working
// tree, on the day asked with --known-at and on the commit's day with
// --rev. done releases
// the repository opened to check signatures. When history cannot be read,
// a promise with trust: strict cannot be evaluated (an error); otherwise
// a warning says so and the evaluation goes on without provenance.
func (g *globals) useProvenance(r *repository.Repository, f snapshotFlags) (prov *history.Provenance, done func(), err error) {
	done = func() {}
	src, err := source.Open(g.repo)
	if err != nil {
		return nil, done, usageErr("%v", err)
	}
	src.SetMaxFileSize(int64(g.maxFileSize))
	var known calendar.Date // 0: the commit's day, for --rev
	switch {
	case f.knownAt != "":
		if known, err = calendar.New().ParseAsOf(f.knownAt); err != nil {
			return nil, done, usageErr("--known-at: %v", err)
		}
	case f.rev == "":
		known = today()
	}
	prov, err = r.ReadProvenance(src, known)
	if err != nil {
		for _, p := range r.Promises {
			if p.Strict {
				return nil, done, usageErr("löftet %s har trust: strict, men historien kunde inte läsas: %v", p.ID, err)
			}
		}
		r.Diags.Warn(diag.Pos{}, "", "historien kunde inte läsas, så posternas commits och registreringstider är okända: %v", err)
		return nil, done, nil
	}
	// The repository is opened at the first signature to check, and
	// again after done if need be.
	var mu sync.Mutex
	var v *source.Verifier
	verify := func(commit string, keys []byte) error {
		mu.Lock()
		defer mu.Unlock()
		if v == nil {
			opened, err := src.Verifier()
			if err != nil {
				return err
			}
			v = opened
		}
		return v.Verify(commit, keys)
	}
	r.UseProvenance(prov, verify)
	return prov, func() {
		mu.Lock()
		defer mu.Unlock()
		v.Close()
		v = nil
	}, nil
}

// provenanceFor is useProvenance for a repository that load may already
// have given its provenance.
func (g *globals) provenanceFor(r *repository.Repository, f snapshotFlags) (*history.Provenance, func(), error) {
	if p := r.Provenance(); p != nil {
		return p, func() {}, nil
	}
	return g.useProvenance(r, f)
}

// strictTrust gives r its provenance at once when a promise has trust:
// strict, so that no caller of load (serve) can count a record the
// promise does not vouch for.
func (g *globals) strictTrust(r *repository.Repository, f snapshotFlags) error {
	if !r.Strict() {
		return nil
	}
	_, done, err := g.useProvenance(r, f)
	if err != nil {
		return err
	}
	r.PrepareTrust()
	done()
	return nil
}
