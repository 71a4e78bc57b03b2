package repository

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/history"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/source"
	"github.com/lofte/lofte/engine/trust"
)

// trustState is what Evaluate uses of provenance: the records each strict
// promise trusts, worked out once per promise.
type trustState struct {
	prov      *history.Provenance
	verify    trust.Verify
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
	r.trust = &trustState{prov: prov, verify: verify, byPromise: map[*promise.Promise]*trusted{}}
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

// trustedBy works out, once, the records promise p trusts.
func (r *Repository) trustedBy(p *promise.Promise) *trusted {
	if t := r.trust.byPromise[p]; t != nil {
		return t
	}
	pol, errs := trust.NewPolicy(p, r.file)
	scoped := r.scoped(p)
	t := &trusted{set: scoped, diags: errs}
	r.trust.byPromise[p] = t
	if !pol.Restricted() {
		return t
	}
	var keep []record.Record
	for _, typ := range scoped.Types() {
		recs := scoped.Of(typ)
		for i := range recs {
			why := r.judge(pol, &recs[i])
			if why == "" {
				keep = append(keep, recs[i])
				continue
			}
			t.diags.Add(recs[i].Pos, "registrera posten i en commit av parten, eller ändra partens authors eller signers i "+p.File,
				"posten räknas inte för löftet %s (trust: strict): %s", p.ID, why)
		}
	}
	t.set = record.NewSet(keep)
	return t
}

// judge is pol's reason not to count rec, with its commit; "" when it counts.
func (r *Repository) judge(pol *trust.Policy, rec *record.Record) string {
	c, ok := r.trust.prov.Origin(rec)
	if !ok {
		return pol.Judge(rec.By, nil, r.trust.verify)
	}
	why := pol.Judge(rec.By, &c, r.trust.verify)
	if why == "" {
		return ""
	}
	return CommitText(c) + ": " + why
}

// CommitText names a commit for a message: "commit 1a2b3c4 (Namn
// <namn@example.org>, 2022-03-01)".
func CommitText(c source.Commit) string {
	return fmt.Sprintf("commit %s (%s <%s>, %s)", c.Short(), c.Author, c.Email, calendar.Today(c.When))
}

// file returns the content of a file of the snapshot.
func (r *Repository) file(p string) ([]byte, bool) {
	fs := r.Snapshot.Files
	i := sort.Search(len(fs), func(i int) bool { return fs[i].Path >= p })
	if i < len(fs) && fs[i].Path == p && fs[i].Data != nil {
		return fs[i].Data, true
	}
	return nil, false
}

// TrustViolations lists every record added in the history whose commit a
// strict promise in force for the record's year does not trust, and every
// record in the files read that is not committed and that such a promise
// would not count. A record still there is named at its place; one removed
// since at its file, with the line and commit that added it. It needs
// UseProvenance.
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
	h := r.trust.prov.History
	policies := map[*promise.Promise]*trust.Policy{}
	policy := func(p *promise.Promise) *trust.Policy {
		if pol, ok := policies[p]; ok {
			return pol
		}
		pol, errs := trust.NewPolicy(p, r.file)
		out.Append(errs)
		policies[p] = pol
		return pol
	}
	for i, a := range h.Added {
		date, err := calendar.ParseDate(a.Date)
		if err != nil {
			continue
		}
		c := h.Commits[a.Commit]
		for _, p := range r.InForce(date.Year()) {
			if !p.Strict || !p.Counts(a.Path) {
				continue
			}
			why := policy(p).Judge(a.By, &c, r.trust.verify)
			if why == "" {
				continue
			}
			msg := fmt.Sprintf("%s lade till en post (%s %s, by %s) som löftet %s inte godtar (trust: strict): %s",
				CommitText(c), a.Type, a.Date, strings.Join(a.By, "+"), p.ID, why)
			if pos, ok := r.trust.prov.Placed()[int32(i)]; ok {
				out.Add(pos, "", "%s", msg)
			} else {
				out.Add(diag.Pos{File: a.Path}, "", "%s; posten stod på rad %d och är borttagen sedan", msg, a.Line)
			}
		}
	}
	for _, typ := range r.Records.Types() {
		recs := r.Records.Of(typ)
		for i := range recs {
			if _, ok := r.trust.prov.Origin(&recs[i]); ok {
				continue
			}
			for _, p := range r.InForce(recs[i].Date.Year()) {
				if !p.Strict || !p.Counts(recs[i].Pos.File) {
					continue
				}
				if why := policy(p).Judge(recs[i].By, nil, r.trust.verify); why != "" {
					out.Add(recs[i].Pos, "", "löftet %s räknar inte posten (trust: strict): %s", p.ID, why)
				}
			}
		}
	}
	out.Sort()
	return out
}
