// Package engine is lofte as a library: open a commitments repository,
// load its promises, vocabulary, calendar and records, and evaluate the
// promises in force for a period at a date.
//
//	repo, err := source.Open(".")
//	snap, err := repo.WorkTree()
//	r := engine.Load(snap)
//	report := r.Evaluate(period, asOf)
package engine

import (
	"path"
	"sort"
	"strings"

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

	env *rule.Env
}

// Load reads a snapshot of the repository: rules first, then records, then
// it compiles every rule. It never fails: every problem is in Diags, with
// its place. Load keeps the bytes of the snapshot's record files only where
// they have a problem (to show the line): the rest are dropped once read.
func Load(snap *source.Snapshot) *Repository {
	r := &Repository{Snapshot: snap, Rules: map[*promise.Commitment]*rule.Rule{}}
	files := map[string][]byte{}
	var promiseFiles []source.File
	for _, f := range snap.Files {
		switch {
		case f.Path == promise.ActivitiesFile || f.Path == promise.CalendarFile:
			files[f.Path] = f.Data
		case strings.HasPrefix(f.Path, "rules/") && isYAML(f.Path) && !strings.HasSuffix(strings.TrimSuffix(f.Path, path.Ext(f.Path)), "_test"):
			promiseFiles = append(promiseFiles, f)
		}
	}
	for _, w := range snap.Warnings {
		r.Diags.Warn(diag.Pos{}, "", "%s", w)
	}
	r.loadRules(files, promiseFiles)
	r.loadRecords()
	r.checkAssessments()
	r.compile()
	r.Diags.Sort()
	return r
}

func isYAML(p string) bool {
	ext := strings.ToLower(path.Ext(p))
	return ext == ".yaml" || ext == ".yml"
}

func (r *Repository) loadRules(files map[string][]byte, promiseFiles []source.File) {
	var errs diag.List
	if src, ok := files[promise.ActivitiesFile]; ok {
		r.Vocab, errs = promise.ParseVocabulary(promise.ActivitiesFile, src)
		r.Diags.Append(errs)
	} else {
		r.Vocab = promise.NewVocabulary(nil)
		r.Diags.Add(diag.Pos{File: promise.ActivitiesFile}, "skapa filen med nyckeln activities, se README",
			"aktivitetstyperna saknas: %s finns inte", promise.ActivitiesFile)
	}
	r.Calendar, errs = promise.ParseCalendar(promise.CalendarFile, files[promise.CalendarFile])
	r.Diags.Append(errs)
	for _, f := range promiseFiles {
		p, errs := promise.ParsePromise(f.Path, f.Data)
		r.Diags.Append(errs)
		if p != nil && p.ID != "" {
			r.Promises = append(r.Promises, p)
		}
	}
	sort.SliceStable(r.Promises, func(i, j int) bool {
		a, b := r.Promises[i], r.Promises[j]
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Valid.First < b.Valid.First
	})
	r.checkOverlaps()
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

func (r *Repository) parties() []string {
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

func (r *Repository) loadRecords() {
	// The record files move to the reader, which drops the bytes of each
	// file once read without a problem; only files with problems keep
	// their bytes in the snapshot, for the line shown under a message.
	var in []record.File
	var at []int
	for i := range r.Snapshot.Files {
		f := &r.Snapshot.Files[i]
		if strings.HasPrefix(f.Path, "data/") && record.IsRecordFile(f.Path) {
			in = append(in, record.File{Path: f.Path, Data: f.Data})
			at = append(at, i)
			f.Data = nil
		}
	}
	var errs diag.List
	r.Records, errs = record.ReadAll(in, r.Vocab, r.parties())
	r.Diags.Append(errs)
	for j, i := range at {
		r.Snapshot.Files[i].Data = in[j].Data
	}
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
		default:
			r.Diags.Add(rec.Pos, diag.DidYouMean(id, ids), "bedömningen gäller ett okänt åtagande %q", id)
		}
	}
}

func (r *Repository) compile() {
	r.env = rule.NewEnv(r.Vocab)
	for _, p := range r.Promises {
		for _, c := range p.Commitments {
			if c.Manual {
				continue
			}
			ru, errs := r.env.Compile(c.Rule)
			for _, d := range errs {
				d.Message = "åtagandet " + c.ID + ": " + d.Message
			}
			r.Diags.Append(errs)
			if ru != nil {
				r.Rules[c] = ru
			}
		}
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

// Report is the outcome of evaluating a period at a date.
type Report struct {
	AsOf        calendar.Date
	Period      calendar.Period
	Source      *source.Snapshot
	Evaluations []eval.Evaluation
	Diags       diag.List // loading problems, then evaluation problems
}

// Evaluate evaluates every promise in force for each year of the period,
// each year on its own (SPEC 7).
func (r *Repository) Evaluate(period calendar.Period, asOf calendar.Date) *Report {
	rep := &Report{AsOf: asOf, Period: period, Source: r.Snapshot}
	rep.Diags = append(rep.Diags, r.Diags...)
	for _, year := range period.Years() {
		from, to := r.span(year)
		in := eval.Input{Vocab: r.Vocab, Calendar: r.Calendar, Tables: r.env.Tables(r.Records, from, to), Records: r.Records, Rules: r.Rules}
		ps := r.InForce(year)
		if len(ps) == 0 {
			rep.Diags.Add(diag.Pos{}, r.validHint(), "inget löfte gäller %d", year)
		}
		for _, p := range ps {
			rep.Evaluations = append(rep.Evaluations, eval.Evaluate(in, p, year, asOf, &rep.Diags))
		}
	}
	return rep
}

func (r *Repository) validHint() string {
	if len(r.Promises) == 0 {
		return "inga löften hittades i rules/"
	}
	var v []string
	for _, p := range r.Promises {
		v = append(v, p.ID+" gäller "+p.Valid.String())
	}
	return strings.Join(v, ", ")
}

// Bad reports whether any commitment of the report is behind or missed.
func (rep *Report) Bad() bool {
	for _, ev := range rep.Evaluations {
		for _, res := range ev.Results {
			if res.Status.Bad() {
				return true
			}
		}
	}
	return false
}
