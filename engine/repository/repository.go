// Package repository is a commitments repository as loaded: its
// promises, vocabulary, calendar, records and compiled rules, and every
// problem found reading them. A Loader loads one snapshot after another,
// re-reading only what changed and keeping the last good version of a file
// that broke. Repository.Input is the one place the input of an
// evaluation is made: the records a promise counts (its data: folders,
// and under trust: strict only those it trusts), the rules and the time
// limit of a rule.
//
//	r := repository.Load(snap) // snap from package source
//	rep := r.Evaluate(period, asOf)
package repository

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/rule"
	"github.com/lofte/lofte/engine/source"
)

// Repository is a loaded commitments repository. Problems found while
// loading are in Diags; what could be read is still usable.
type Repository struct {
	Snapshot *source.Snapshot
	Vocab    *promise.Vocabulary
	Calendar *calendar.Calendar
	Promises []*promise.Promise // sorted by id, then first year
	Records  *record.Set
	Rules    map[*promise.Commitment]*rule.Rule
	Diags    diag.List
	// Stale lists the files that have errors now and are used as they last
	// were without errors: promise files, and record files that cannot be
	// read at all (a Loader only; see Loader).
	Stale []string

	env      *rule.Env
	trust    *trustState // set by UseProvenance
	unparsed []string    // promise files that gave no promise

	scopeMu sync.Mutex
	scopes  map[*promise.Promise]*record.Set // the records of each promise with data:
}

// Load reads a snapshot of the repository: rules first, then records, then
// it compiles every rule. It never fails: every problem is in Diags, with
// its place. Load keeps the bytes of the snapshot's record files only where
// they have a problem (to show the line): the rest are dropped once read.
// To load one snapshot after another, re-reading only what changed, use a
// Loader.
func Load(snap *source.Snapshot) *Repository {
	return (&Loader{}).load(snap)
}

func isYAML(p string) bool {
	ext := strings.ToLower(path.Ext(p))
	return ext == ".yaml" || ext == ".yml"
}

// isPromiseFile reports whether p is a promise file: a YAML file of rules/
// other than the vocabulary, the calendar and rule tests.
func isPromiseFile(p string) bool {
	return strings.HasPrefix(p, "rules/") && isYAML(p) && p != promise.ActivitiesFile && p != promise.CalendarFile &&
		!strings.HasSuffix(strings.TrimSuffix(p, path.Ext(p)), "_test")
}

// sortPromises orders promises by id, then first year.
func sortPromises(ps []*promise.Promise) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Valid.First < b.Valid.First
	})
}

// checkOverlaps reports two promises of the same id in force the same year.
func (r *Repository) checkOverlaps() {
	for i, a := range r.Promises {
		for _, b := range r.Promises[i+1:] {
			if a.ID == b.ID && a.Valid.First <= b.Valid.Last && b.Valid.First <= a.Valid.Last {
				r.Diags.Add(b.Pos, "ändra valid i det ena löftet så att åren inte överlappar",
					"löftet %s gäller redan %s enligt %s", b.ID, a.Valid, a.File)
			}
		}
	}
}

// Parties lists the party ids of every promise of the repository, each
// once: the parties a record's `by` may name.
func (r *Repository) Parties() []string {
	var ids []string
	seen := map[string]bool{}
	for _, p := range r.Promises {
		for _, id := range p.PartyIDs() {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids
}

func (r *Repository) checkAssessments() {
	manual, other := map[string]bool{}, map[string]bool{}
	var ids []string
	for _, p := range r.Promises {
		for _, c := range p.Commitments {
			if c.Manual {
				manual[c.ID] = true
				ids = append(ids, c.ID)
			} else {
				other[c.ID] = true
			}
		}
	}
	ci := r.Vocab.Activity(promise.Assessment).FieldIndex("commitment")
	for _, rec := range r.Records.Of(promise.Assessment) {
		id, _ := rec.Values[ci].(string)
		switch {
		case manual[id]:
		case other[id]:
			r.Diags.Add(rec.Pos, "bedömningar gäller bara åtaganden med assess: manual",
				"bedömningen gäller %s, som har en regel och inte bedöms för hand", id)
		case len(r.unparsed) > 0:
			// The commitment may be in a promise file that could not be
			// read: its error is the one to tell, not one per assessment.
		default:
			r.Diags.Add(rec.Pos, diag.DidYouMean(id, ids), "bedömningen gäller ett okänt åtagande %q", id)
		}
	}
}

// DataMissing reports whether the repository has no folder data/ (it is
// missing, renamed, or not a folder): no record was read, and a
// diagnostic at data/ says so (docs/design.md, "A missing data/").
func (r *Repository) DataMissing() bool {
	return r.Snapshot != nil && r.Snapshot.DataMissing
}

// checkData adds the one diagnostic of a missing data/: an error when a
// promise has a rule that counts records, else a warning.
func (r *Repository) checkData() {
	if !r.DataMissing() {
		return
	}
	add := r.Diags.Warn
	if slices.ContainsFunc(r.Promises, (*promise.Promise).CountsRecords) {
		add = r.Diags.Add
	}
	add(diag.Pos{File: "data/"}, "lägg posterna i mappen data/ bredvid rules/; har mappen fått ett annat namn?",
		"mappen data/ finns inte: inga poster lästes, och varje åtagande som räknar poster får 0")
}

// unknownTypes replaces the errors of an unknown activity type, when the
// vocabulary file is missing, by one error at that file: the records' and
// the rules' alike. The cause is told once, not once a record
// (docs/design.md, "A missing vocabulary").
func (r *Repository) unknownTypes() {
	recs, rules := 0, 0
	kept := r.Diags[:0]
	for _, d := range r.Diags {
		switch {
		case strings.HasPrefix(d.File, "data/") && record.IsUnknownType(d):
			recs++
		case d.Severity == diag.Error && strings.HasPrefix(d.File, "rules/") && strings.Contains(d.Message, ": okänd aktivitetstyp "):
			rules++ // "åtagandet id: okänd aktivitetstyp …", see Loader.compile
		default:
			kept = append(kept, d)
		}
	}
	clear(r.Diags[len(kept):])
	r.Diags = kept
	at := diag.Pos{File: promise.ActivitiesFile}
	switch {
	case recs > 0 && rules > 0:
		r.Diags.Add(at, "", "%d poster lästes inte och %d regler kan inte räkna: aktivitetstyperna saknas", recs, rules)
	case recs > 0:
		r.Diags.Add(at, "", "%d poster lästes inte: aktivitetstyperna saknas", recs)
	case rules > 0:
		r.Diags.Add(at, "", "%d regler kan inte räkna: aktivitetstyperna saknas", rules)
	}
}

// span is the first and last day of any window of year: weeks and terms
// may begin or end outside the year itself.
func (r *Repository) span(year int) (from, to calendar.Date) {
	from, to = r.Calendar.YearWindow(year).Start, r.Calendar.YearWindow(year).End
	for k := calendar.Year; k <= calendar.Term; k++ {
		ws := r.Calendar.Windows(k, year)
		if len(ws) > 0 {
			from, to = min(from, ws[0].Start), max(to, ws[len(ws)-1].End)
		}
	}
	return from, to
}

// InForce returns the promises that govern year.
func (r *Repository) InForce(year int) []*promise.Promise {
	var out []*promise.Promise
	for _, p := range r.Promises {
		if p.Governs(year) {
			out = append(out, p)
		}
	}
	return out
}

// Evaluate evaluates every promise in force for each year of the period,
// each year on its own (docs/reference.md §7).
func (r *Repository) Evaluate(period calendar.Period, asOf calendar.Date) *eval.Report {
	return r.evaluate(period, asOf, func(p *promise.Promise, year int, diags *diag.List) eval.Evaluation {
		return eval.Evaluate(r.Input(p, year), p, year, asOf, diags)
	})
}

// evaluate makes the report of the period: each promise in force each
// year evaluated by one, a year with none said, and the trust problems
// of what was counted. Evaluate and Loader.Evaluate differ only in one.
func (r *Repository) evaluate(period calendar.Period, asOf calendar.Date,
	one func(p *promise.Promise, year int, diags *diag.List) eval.Evaluation) *eval.Report {
	rep := &eval.Report{AsOf: asOf, Period: period, Source: r.Snapshot}
	rep.Diags = append(rep.Diags, r.Diags...)
	for _, year := range period.Years() {
		ps := r.InForce(year)
		if len(ps) == 0 {
			rep.Diags.Add(diag.Pos{}, r.validHint(), "inget löfte gäller %d", year)
		}
		for _, p := range ps {
			rep.Evaluations = append(rep.Evaluations, one(p, year, &rep.Diags))
		}
	}
	r.trustDiags(rep.Evaluations, &rep.Diags)
	return rep
}

// hintMost is how many promises the hint of "inget löfte gäller" names.
const hintMost = 5

// validHint says, for "inget löfte gäller", which years the promises
// govern (of the hintMost that govern the latest years, when there are
// more), or why there are none. Every piece is made from a format of its
// own, which the catalog of messages (engine/diag) puts into English
// piece by piece (--lang en).
func (r *Repository) validHint() string {
	switch {
	case len(r.Promises) == 0 && len(r.unparsed) == 1:
		return hintf("löftesfilen %s kunde inte läsas: rätta felet i den", r.unparsed[0])
	case len(r.Promises) == 0 && len(r.unparsed) > 1:
		return hintf("löftesfilerna %s kunde inte läsas: rätta felen i dem", strings.Join(r.unparsed, ", "))
	case len(r.Promises) == 0:
		return hintf("inga löften hittades i rules/; ett nytt förråd med exempel skapas med lofte init")
	}
	ps := slices.Clone(r.Promises)
	if len(ps) > hintMost {
		// The latest, in the order of the repository.
		latest := slices.Clone(ps)
		slices.SortStableFunc(latest, func(a, b *promise.Promise) int { return b.Valid.Last - a.Valid.Last })
		latest = latest[:hintMost]
		ps = slices.DeleteFunc(ps, func(p *promise.Promise) bool { return !slices.Contains(latest, p) })
	}
	var v []string
	for _, p := range ps {
		v = append(v, hintf("%s gäller %s", p.ID, p.Valid.String()))
	}
	s := strings.Join(v, ", ")
	switch n := len(r.Promises) - len(ps); {
	case n == 1:
		s = hintf("%s och ett löfte till", s)
	case n > 1:
		s = hintf("%s och %d löften till", s, n)
	}
	return s
}

// hintf makes a piece of a hint from its format.
func hintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
