package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// snapshotFlags choose which version of the files to read (SPEC 8).
type snapshotFlags struct {
	rev      string
	knownAt  string
	promises []string // --promise: the promises to evaluate (globs); none is all
}

// addPromiseFlag registers --promise, repeatable, into dst.
func addPromiseFlag(cmd *cobra.Command, dst *[]string) {
	cmd.Flags().StringArrayVar(dst, "promise", nil, "bara löftet med detta id (kan upprepas; mönster som mullsjo* går bra)")
}

// load opens the repository and reads the files the flags name.
func (g *globals) load(f snapshotFlags) (*repository.Repository, error) {
	if f.rev != "" && f.knownAt != "" {
		return nil, usageErr("ange --rev eller --known-at, inte båda")
	}
	repo, err := source.Open(g.repo)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	repo.SetMaxFileSize(int64(g.maxFileSize))
	var snap *source.Snapshot
	switch {
	case f.rev != "":
		snap, err = repo.Revision(f.rev)
	case f.knownAt != "":
		var day calendar.Date
		day, err = calendar.New().ParseAsOf(f.knownAt)
		if err != nil {
			return nil, usageErr("--known-at: %v", err)
		}
		snap, err = repo.KnownAt(day.AddDays(1).Time())
	default:
		snap, err = repo.WorkTree()
	}
	if err != nil {
		return nil, usageErr("%v", err)
	}
	r := repository.Load(snap)
	if err := r.Narrow(f.promises); err != nil {
		return nil, usageErr("--promise: %v", err)
	}
	if err := g.strictTrust(r, f); err != nil {
		return nil, err
	}
	// Parsing leaves the file bytes and the parsers' scratch behind: freeing
	// them once, before evaluating, keeps the peak memory of a large
	// evaluation down (a few milliseconds at 100,000 records).
	runtime.GC()
	return r, nil
}

// today is the date in Sweden now: the only place lofte reads the clock.
func today() calendar.Date { return calendar.Today(time.Now()) }

// printDiags writes problems to w, each with its place, the line of the
// file and a caret under the place.
func printDiags(w io.Writer, diags diag.List, snap *source.Snapshot) {
	for _, d := range diags {
		fmt.Fprintln(w, d.Error())
		if d.File == "" {
			continue
		}
		i := sort.Search(len(snap.Files), func(i int) bool { return snap.Files[i].Path >= d.File })
		if i < len(snap.Files) && snap.Files[i].Path == d.File {
			if s := diag.Snippet(snap.Files[i].Data, d.Pos); s != "" {
				fmt.Fprintln(w, s)
			}
		}
	}
}

// isTerminal reports whether w is a terminal that may get colour.
func isTerminal(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
