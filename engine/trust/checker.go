package trust

import (
	"fmt"
	"strings"
	"sync"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/source"
)

// Checker applies the policies of a repository's promises to its
// records, knowing the commit that added each record. Each promise's
// policy (and its signers files) is read once. Safe for concurrent use.
type Checker struct {
	// Origin gives the commit that added a record; false when none did
	// (not committed).
	Origin func(*record.Record) (source.Commit, bool)
	// Verify checks commit signatures.
	Verify Verify
	// File gives the content of a file of the repository (signers files).
	File func(path string) ([]byte, bool)

	mu       sync.Mutex
	policies map[*promise.Promise]*read
}

type read struct {
	pol  *Policy
	errs diag.List
}

// Policy returns promise p's policy and the problems of reading it.
func (c *Checker) Policy(p *promise.Promise) (*Policy, diag.List) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.policies[p]; ok {
		return r.pol, r.errs
	}
	if c.policies == nil {
		c.policies = map[*promise.Promise]*read{}
	}
	pol, errs := NewPolicy(p, c.File)
	c.policies[p] = &read{pol, errs}
	return pol, errs
}

// Filter returns the records of set that promise p counts under its
// policy, and why each other record does not count (with the problems of
// its policy). Without restricting parties set is returned as it is.
func (c *Checker) Filter(p *promise.Promise, set *record.Set) (*record.Set, diag.List) {
	pol, errs := c.Policy(p)
	diags := append(diag.List(nil), errs...)
	if !pol.Restricted() {
		return set, diags
	}
	var keep []record.Record
	for _, typ := range set.Types() {
		recs := set.Of(typ)
		for i := range recs {
			why := c.judge(pol, &recs[i])
			if why == "" {
				keep = append(keep, recs[i])
				continue
			}
			diags.Add(recs[i].Pos, "registrera posten i en commit av parten, eller ändra partens authors eller signers i "+p.File,
				"posten räknas inte för löftet %s (trust: strict): %s", p.ID, why)
		}
	}
	return record.NewSet(keep), diags
}

// judge is pol's reason not to count rec, with its commit; "" when it counts.
func (c *Checker) judge(pol *Policy, rec *record.Record) string {
	commit, ok := c.Origin(rec)
	if !ok {
		return pol.Judge(rec.By, nil, c.Verify)
	}
	why := pol.Judge(rec.By, &commit, c.Verify)
	if why == "" {
		return ""
	}
	return CommitText(commit) + ": " + why
}

// CommitText names a commit for a message: "commit 1a2b3c4 (Namn
// <namn@example.org>, 2022-03-01)".
func CommitText(c source.Commit) string {
	return fmt.Sprintf("commit %s (%s <%s>, %s)", c.Short(), c.Author, c.Email, calendar.Today(c.When))
}

// Violations lists every record added in history h whose commit a strict
// promise in force for the record's year (inForce) does not trust, and
// every record of records that no commit added and such a promise would
// not count. A record still there is named at its place (placed gives the
// place of each addition still there); one removed since at its file,
// with the line and commit that added it.
func (c *Checker) Violations(h *source.History, placed map[int32]diag.Pos, inForce func(year int) []*promise.Promise, records *record.Set) diag.List {
	var out diag.List
	policy := func(p *promise.Promise) *Policy {
		pol, errs := c.Policy(p)
		out.Append(errs)
		return pol
	}
	for i, a := range h.Added {
		date, err := calendar.ParseDate(a.Date)
		if err != nil {
			continue
		}
		commit := h.Commits[a.Commit]
		for _, p := range inForce(date.Year()) {
			if !p.Strict || !p.Counts(a.Path) {
				continue
			}
			why := policy(p).Judge(a.By, &commit, c.Verify)
			if why == "" {
				continue
			}
			msg := fmt.Sprintf("%s lade till en post (%s %s, by %s) som löftet %s inte godtar (trust: strict): %s",
				CommitText(commit), a.Type, a.Date, strings.Join(a.By, "+"), p.ID, why)
			if pos, ok := placed[int32(i)]; ok {
				out.Add(pos, "", "%s", msg)
			} else {
				out.Add(diag.Pos{File: a.Path}, "", "%s; posten stod på rad %d och är borttagen sedan", msg, a.Line)
			}
		}
	}
	for _, typ := range records.Types() {
		recs := records.Of(typ)
		for i := range recs {
			if _, ok := c.Origin(&recs[i]); ok {
				continue
			}
			for _, p := range inForce(recs[i].Date.Year()) {
				if !p.Strict || !p.Counts(recs[i].Pos.File) {
					continue
				}
				if why := policy(p).Judge(recs[i].By, nil, c.Verify); why != "" {
					out.Add(recs[i].Pos, "", "löftet %s räknar inte posten (trust: strict): %s", p.ID, why)
				}
			}
		}
	}
	out.Sort()
	return out
}
