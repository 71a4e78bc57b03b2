// Package engine is lofte as a library, and its one way in: Open a
// commitments repository, Evaluate the promises in force for a period at
// a date, and read the Report.
//
//	e, err := engine.Open(".", engine.Options{Today: today})
//	rep := e.Evaluate(period, asOf)
//
// Open chooses the version of the files to read (the working tree, a
// revision, or what was known at a day), loads them through one
// repository.Loader (which keeps the last good version of a file that
// broke, and re-reads only what changed on Reload), and reads history,
// provenance and trust when a promise, an option or a status needs them.
// Everything an evaluation counts goes through repository.Repository.Input,
// so the status, the chart, explain, backtests, serve and watch agree.
//
// The packages below it, in the order data flows: calendar, diag and
// privacy (pure helpers); promise (rule files); record (record files);
// source (files and git); rule (the rule language); eval (statuses);
// history (which commit added each record); trust (who may record);
// repository (a loaded repository and its loader); and the consumers
// check, explain, diff, ruletest, report, watch and write.
package engine

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/history"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// Report is the outcome of an evaluation.
type Report = eval.Report

// History says when history (the commit that added each record) is read.
type History int

const (
	// HistoryAuto reads it when a promise has trust: strict, or a
	// commitment is behind its pace (to mark the status provisional).
	HistoryAuto History = iota
	// HistoryOn reads it at once (--provenance, check --trust).
	HistoryOn
	// HistoryOff never reads it; a promise with trust: strict then counts
	// no record that needs it (see trust).
	HistoryOff
)

// Options choose what Open reads.
type Options struct {
	// Rev reads the files as committed at a revision (docs/reference.md §8).
	Rev string
	// KnownAt reads them as committed on the last commit of HEAD's
	// first-parent history on or before that day (a date or window name).
	KnownAt string
	// Promises keeps only the promises whose id matches one of these
	// globs; none keeps all.
	Promises []string
	// MaxFileSize bounds a file read (0: the default of package source).
	MaxFileSize int64
	// History says when history is read.
	History History
	// KeepFiles keeps the bytes of every file read (Files): check,
	// explain and diff show lines of them.
	KeepFiles bool
	// Today is today's date in Sweden: the day records of the working
	// tree are known. The engine never reads the clock; nil means the
	// commit's day.
	Today func() calendar.Date
	// Now is the clock, for the working tree's stat cache: with it,
	// Reload reads and hashes only the record files whose stat data
	// changed since the previous read (source.Repo.WorkTreeSince). A
	// long-running reader (watch) sets it; without it every file is read.
	// Not used with KeepFiles.
	Now func() time.Time
	// NoParseCache reads every record file without the cache of parsed
	// files in the git folder (.git/lofte/parsed/), which otherwise has
	// the records of a file read by an earlier run (keyed by its blob id,
	// the vocabulary and the parties) instead of parsing it again.
	NoParseCache bool
}

// Engine is an opened commitments repository. Its methods are safe for
// concurrent use.
type Engine struct {
	dir string
	opt Options

	mu     sync.Mutex
	src    *source.Repo // nil after a failed read: opened again by Reload
	loader *repository.Loader
	repo   *repository.Repository
	files  map[string][]byte
	prov   *history.Provenance // nil: history not read for repo
	warned bool                // history could not be read: said once
}

// Open opens the repository that holds dir and reads the files Options
// name. Its errors are the user's to fix (bad options, no such revision,
// a folder that cannot be read); problems in files are not errors but
// diagnostics of the Repository and of every Report.
func Open(dir string, o Options) (*Engine, error) {
	if o.Rev != "" && o.KnownAt != "" {
		return nil, errors.New("ange --rev eller --known-at, inte båda")
	}
	abs, err := filepath.Abs(dir) // once: the folder may be removed and created again
	if err != nil {
		return nil, err
	}
	e := &Engine{dir: abs, opt: o, loader: repository.NewLoader()}
	if _, err := e.reload(true); err != nil {
		return nil, err
	}
	return e, nil
}

// Root is the commitments root: the folder that holds rules/ and data/.
func (e *Engine) Root() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.repo.Snapshot.Root
}

// Repository returns the repository as last read.
func (e *Engine) Repository() *repository.Repository {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.repo
}

// Files returns the bytes of every file as last read, with
// Options.KeepFiles; nil without.
func (e *Engine) Files() map[string][]byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.files
}

// Reload reads the files again (the working tree; a revision does not
// change) through the loader, which re-reads only what changed and keeps
// the last good version of a file that broke. When the repository cannot
// be read, the last repository stands and the error says why.
func (e *Engine) Reload() (*repository.Repository, error) { return e.reload(false) }

func (e *Engine) reload(first bool) (*repository.Repository, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	snap, err := e.snapshot(first)
	if err != nil {
		e.src = nil // opened afresh next time
		return e.repo, err
	}
	if e.opt.KeepFiles {
		e.files = make(map[string][]byte, len(snap.Files))
		for _, f := range snap.Files {
			e.files[f.Path] = f.Data
		}
	}
	r := e.loader.Load(snap)
	if err := snap.ReadErr(); err != nil { // a record file of the commit did not read
		return e.repo, err
	}
	if err := r.Narrow(e.opt.Promises); err != nil && first {
		return nil, fmt.Errorf("--promise: %v", err)
	} // later, a promise gone: the others are still read
	prov := e.prov
	e.prov = nil
	if e.opt.History == HistoryOn || (e.opt.History == HistoryAuto && r.Strict()) {
		if err := e.readHistory(r, true); err != nil {
			// The repository read stands only with its history: a strict
			// promise must not count records it cannot vouch for.
			e.prov = prov
			return e.repo, err
		}
	}
	e.repo = r
	// Parsing leaves the file bytes and the parsers' scratch behind:
	// freeing them once, before the first evaluation, keeps the peak
	// memory of a large evaluation down (a few milliseconds at 100,000
	// records); a reload re-reads only what changed and is left to the
	// collector's own pace, and so is a first read that parsed nothing
	// (every record file in the parse cache, and not read).
	if first && e.loader.Parsed() > 0 {
		runtime.GC()
	}
	return r, nil
}

// snapshot reads the version of the files the options name; first is
// set for the read of Open.
func (e *Engine) snapshot(first bool) (*source.Snapshot, error) {
	if e.src == nil {
		src, err := source.Open(e.dir)
		if err != nil {
			return nil, err
		}
		src.SetMaxFileSize(e.opt.MaxFileSize)
		e.src = src
		if dir := src.CacheDir(); dir != "" && !e.opt.NoParseCache {
			e.loader.UseCache(repository.NewParseCache(filepath.Join(dir, "parsed")))
		}
	}
	// A commit's record files are read only when the loader does not
	// have them parsed already (by blob id, in the parse cache).
	switch {
	case e.opt.Rev != "" && e.opt.KeepFiles:
		return e.src.Revision(e.opt.Rev)
	case e.opt.Rev != "":
		return e.src.RevisionIDs(e.opt.Rev)
	case e.opt.KnownAt != "":
		day, err := calendar.New().ParseAsOf(e.opt.KnownAt)
		if err != nil {
			return nil, fmt.Errorf("--known-at: %v", err)
		}
		if e.opt.KeepFiles {
			return e.src.KnownAt(day.AddDays(1).Time())
		}
		return e.src.KnownAtIDs(day.AddDays(1).Time())
	}
	switch {
	case e.opt.KeepFiles:
		return e.src.WorkTree()
	case e.opt.Now != nil:
		return e.src.WorkTreeSince(e.opt.Now())
	case first && !e.opt.NoParseCache:
		// The record files unchanged since an earlier run are known by
		// their blob ids, and the parse cache has their records: they
		// are not read. (A Reload without Now reads every file, as
		// documented: it has no clock to judge the stat data by.)
		return e.src.WorkTreeCached()
	}
	return e.src.WorkTree()
}

// known is the day the records read are known: today for the working
// tree, the day asked for with KnownAt, the commit's day (0) for a revision.
func (e *Engine) known(cal *calendar.Calendar) calendar.Date {
	switch {
	case e.opt.KnownAt != "":
		d, _ := cal.ParseAsOf(e.opt.KnownAt)
		return d
	case e.opt.Rev == "" && e.opt.Today != nil:
		return e.opt.Today()
	}
	return 0
}

// readHistory reads history for r and has r evaluated with it: trust:
// strict and provisional statuses. When it cannot be read, a promise
// with trust: strict cannot be evaluated (an error); otherwise a warning
// says so, once, and evaluation goes on without it. Without full, only
// the recording lags are needed at once (provisional statuses): they may
// come from the cache of an earlier reading, and the whole history is
// read when Provenance asks for it.
func (e *Engine) readHistory(r *repository.Repository, full bool) error {
	read := r.ReadLags
	if full {
		read = r.ReadProvenance
	}
	prov, err := read(e.src, e.known(r.Calendar))
	if err != nil {
		for _, p := range r.Promises {
			if p.Strict {
				return fmt.Errorf("löftet %s har trust: strict, men historien kunde inte läsas: %v", p.ID, err)
			}
		}
		if !e.warned {
			e.warned = true
			r.Diags.Warn(diag.Pos{}, "", "historien kunde inte läsas, så posternas commits och registreringstider är okända: %v", err)
		}
		return nil
	}
	v := &verifier{src: e.src}
	r.UseProvenance(prov, v.verify)
	r.PrepareTrust() // signatures checked now, while the repository is open
	v.close()
	e.prov = prov
	return nil
}

// verifier checks commit signatures, opening the repository at the first.
type verifier struct {
	mu  sync.Mutex
	src *source.Repo
	v   *source.Verifier
}

func (v *verifier) verify(commit string, keys []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.v == nil {
		opened, err := v.src.Verifier()
		if err != nil {
			return err
		}
		v.v = opened
	}
	return v.v.Verify(commit, keys)
}

func (v *verifier) close() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.v != nil {
		v.v.Close()
		v.v = nil
	}
}

// Evaluate evaluates every promise in force for each year of period at
// asOf (docs/reference.md §7). With HistoryAuto, a commitment behind its
// pace has history read and is evaluated again, so that a shortfall made
// only of records typically not yet recorded is marked provisional.
func (e *Engine) Evaluate(period calendar.Period, asOf calendar.Date) *Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	r := e.repo
	rep := e.loader.Evaluate(r, period, asOf)
	if e.prov == nil && e.opt.History == HistoryAuto && r.Snapshot.Git && behindPace(rep) {
		if err := e.readHistory(r, false); err == nil && e.prov != nil {
			rep = e.loader.Evaluate(r, period, asOf)
		}
	}
	return rep
}

// Provenance returns the history of the records as last read, reading it
// if need be; nil (and no error) where there is none to read.
func (e *Engine) Provenance() (*history.Provenance, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.prov == nil && e.repo.Snapshot.Git {
		if err := e.readHistory(e.repo, true); err != nil {
			return nil, err
		}
	}
	if err := e.prov.Complete(); err != nil {
		return nil, err
	}
	return e.prov, nil
}

// Source returns the git repository read, for what only git knows: the
// last change of a file, identities, commits. nil after a failed read.
func (e *Engine) Source() *source.Repo {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.src
}

// Dates reads an evaluation date (asOf: a date or a window name; ""
// means today) and a period ("2022", "2021..2022"; "" means the
// evaluation date's year) with the repository's calendar.
func (e *Engine) Dates(asOf, period string) (calendar.Date, calendar.Period, error) {
	return ParseDates(e.Repository().Calendar, asOf, period, e.opt.Today)
}

// ParseDates is Dates with a given calendar.
func ParseDates(cal *calendar.Calendar, asOf, period string, today func() calendar.Date) (calendar.Date, calendar.Period, error) {
	var day calendar.Date
	var err error
	switch {
	case asOf != "":
		if day, err = cal.ParseAsOf(asOf); err != nil {
			return 0, calendar.Period{}, fmt.Errorf("--as-of: %v", err)
		}
	case today != nil:
		day = today()
	default:
		return 0, calendar.Period{}, errors.New("--as-of: inget datum")
	}
	p := calendar.Period{First: day.Year(), Last: day.Year()}
	if period != "" {
		if p, err = calendar.ParsePeriod(period); err != nil {
			// A date or a window other than a year is an evaluation date.
			if end, werr := cal.ParseAsOf(period); werr == nil {
				written := strings.TrimSpace(period)
				if written != end.String() {
					written += " (" + end.String() + ")"
				}
				return 0, calendar.Period{}, fmt.Errorf("--period: %q är inget år: för att utvärdera vid den dagen, skriv --as-of %s; en period är ett år (%d) eller flera (%d..%d)",
					period, written, end.Year(), end.Year()-1, end.Year())
			}
			if d, ok := calendar.SuggestDate(period); ok {
				return 0, calendar.Period{}, fmt.Errorf("--period: %q är inget år: för att utvärdera vid den dagen, skriv --as-of %s; en period är ett år (%d) eller flera (%d..%d)",
					period, d, d.Year(), d.Year()-1, d.Year())
			}
			return 0, calendar.Period{}, fmt.Errorf("--period: %v", err)
		}
	}
	return day, p, nil
}

// behindPace reports a window behind its expected pace: the only status
// the recording lag can mark provisional.
func behindPace(rep *Report) bool {
	for _, ev := range rep.Evaluations {
		for _, res := range ev.Results {
			if slices.ContainsFunc(res.Windows, func(w eval.Window) bool {
				return w.Status == eval.Behind && w.Value != nil && w.Expected != nil && *w.Value < *w.Expected
			}) {
				return true
			}
		}
	}
	return false
}
