package repository

import (
	"errors"
	"slices"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/history"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/trust"
)

// trustState is what Evaluate uses of history: the provenance, and the
// records each strict promise trusts, worked out once per promise.
type trustState struct {
	prov      *history.Provenance
	checker   *trust.Checker
	byPromise map[*promise.Promise]*trusted
}

// trusted is what one promise trusts: its records, and why the others do
// not count.
type trusted struct {
	set   *record.Set
	diags diag.List
}

// UseProvenance makes Evaluate use prov: under a promise with trust:
// strict, a record of a party that says who may record for it counts only
// when the commit that added it was made by that party (see package
// trust); the others are errors of the report. And a commitment that is
// behind only by the records that are typically not recorded yet is
// marked provisional (see eval.Result). verify checks commit signatures;
// nil fails every signature.
func (r *Repository) UseProvenance(prov *history.Provenance, verify trust.Verify) {
	if verify == nil {
		verify = func(string, []byte) error { return errors.New("signaturer kan inte kontrolleras utan git") }
	}
	c := &trust.Checker{Origin: prov.Origin, Verify: verify, File: r.file}
	r.trust = &trustState{prov: prov, checker: c, byPromise: map[*promise.Promise]*trusted{}}
}

// PrepareTrust works out now, rather than at the first evaluation, which
// records each strict promise trusts: signatures are checked while the
// caller holds the repository open, and evaluations that follow only read.
func (r *Repository) PrepareTrust() {
	if r.trust == nil {
		return
	}
	for _, p := range r.Promises {
		if p.Strict {
			r.trustedBy(p)
		}
	}
}

// Strict reports whether a promise of the repository has trust: strict.
func (r *Repository) Strict() bool {
	return slices.ContainsFunc(r.Promises, func(p *promise.Promise) bool { return p.Strict })
}

// Provenance returns what UseProvenance gave, or nil.
func (r *Repository) Provenance() *history.Provenance {
	if r.trust == nil {
		return nil
	}
	return r.trust.prov
}

// trustDiags adds to diags, once for each strict promise of evs, why
// records do not count for it.
func (r *Repository) trustDiags(evs []eval.Evaluation, diags *diag.List) {
	if r.trust == nil {
		return
	}
	seen := map[*promise.Promise]bool{}
	var add diag.List
	for _, ev := range evs {
		if p := ev.Promise; p.Strict && !seen[p] {
			seen[p] = true
			add = append(add, r.trustedBy(p).diags...)
		}
	}
	add.Sort()
	*diags = append(*diags, add...)
}

// Untrusted lists why records do not count for promise p (trust:
// strict); nil for other promises, or before UseProvenance.
func (r *Repository) Untrusted(p *promise.Promise) diag.List {
	if r.trust == nil || !p.Strict {
		return nil
	}
	return r.trustedBy(p).diags
}

// trustedBy works out, once, the records p trusts.
func (r *Repository) trustedBy(p *promise.Promise) *trusted {
	if t := r.trust.byPromise[p]; t != nil {
		return t
	}
	set, diags := r.trust.checker.Filter(p, r.scoped(p))
	t := &trusted{set: set, diags: diags}
	r.trust.byPromise[p] = t
	return t
}

// file returns the content of a file of the snapshot.
func (r *Repository) file(p string) ([]byte, bool) {
	data := r.Snapshot.File(p)
	return data, data != nil
}

// TrustViolations lists every record added in the history whose commit a
// strict promise in force for the record's year does not trust, and every
// record in the files read that is not committed and that such a promise
// would not count (trust.Checker.Violations). It needs UseProvenance.
func (r *Repository) TrustViolations() diag.List {
	var out diag.List
	if r.trust == nil {
		return out
	}
	if !r.Strict() {
		out.Warn(diag.Pos{}, "skriv trust: strict i ett löfte, och authors eller signers för parterna",
			"inget löfte har trust: strict, så ingen registrering granskas")
		return out
	}
	if err := r.trust.prov.Complete(); err != nil {
		out.Add(diag.Pos{}, "", "historien kunde inte läsas: %v", err)
		return out
	}
	return r.trust.checker.Violations(r.trust.prov.History, r.trust.prov.Placed(), r.InForce, r.Records)
}
