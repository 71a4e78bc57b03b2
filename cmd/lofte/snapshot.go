package main

import (
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// loaded is a repository read by check, explain and diff, which need more
// than the evaluation: the git repository (for commits), and the bytes of
// every file read (for the line under each problem, and to tell a file on
// disk from the committed one), which Load drops.
type loaded struct {
	src   *source.Repo
	snap  *source.Snapshot
	repo  *repository.Repository
	files map[string][]byte
}

// loadKeep opens the repository and reads the files the flags name, as
// load does, keeping the bytes of every file.
func (g *globals) loadKeep(f snapshotFlags) (*loaded, error) {
	if f.rev != "" && f.knownAt != "" {
		return nil, usageErr("ange --rev eller --known-at, inte båda")
	}
	src, err := source.Open(g.repo)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	src.SetMaxFileSize(int64(g.maxFileSize))
	snap, err := g.snapshot(src, f)
	if err != nil {
		return nil, err
	}
	files := make(map[string][]byte, len(snap.Files))
	for _, file := range snap.Files {
		files[file.Path] = file.Data
	}
	r := repository.Load(snap)
	if err := r.Narrow(f.promises); err != nil {
		return nil, usageErr("--promise: %v", err)
	}
	return &loaded{src: src, snap: snap, repo: r, files: files}, nil
}

// snapshot reads the working tree, a revision or what was known at a day.
func (g *globals) snapshot(src *source.Repo, f snapshotFlags) (*source.Snapshot, error) {
	var snap *source.Snapshot
	var err error
	switch {
	case f.rev != "":
		snap, err = src.Revision(f.rev)
	case f.knownAt != "":
		var day calendar.Date
		day, err = calendar.New().ParseAsOf(f.knownAt)
		if err != nil {
			return nil, usageErr("--known-at: %v", err)
		}
		snap, err = src.KnownAt(day.AddDays(1).Time())
	default:
		snap, err = src.WorkTree()
	}
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return snap, nil
}

// asOfPeriod reads --as-of (default today) and --period (default the
// evaluation date's year).
func asOfPeriod(cal *calendar.Calendar, asOfFlag, periodFlag string) (calendar.Date, calendar.Period, error) {
	asOf := today()
	var err error
	if asOfFlag != "" {
		if asOf, err = cal.ParseAsOf(asOfFlag); err != nil {
			return 0, calendar.Period{}, usageErr("--as-of: %v", err)
		}
	}
	period := calendar.Period{First: asOf.Year(), Last: asOf.Year()}
	if periodFlag != "" {
		if period, err = calendar.ParsePeriod(periodFlag); err != nil {
			return 0, calendar.Period{}, usageErr("--period: %v", err)
		}
	}
	return asOf, period, nil
}

// textOrJSON accepts text or json.
func textOrJSON(format string) error {
	if format != "text" && format != "json" {
		return usageErr("okänt format %q: välj text eller json", format)
	}
	return nil
}
