// Package write adds records to a commitments repository: it checks
// each record against the rules, appends it to data/YEAR/TYPE.yaml, and
// commits it through engine/source (git's index lock, atomic writes), as
// the person who made it. The command line (lofte record) and the web
// server both write through a Writer, so that a record is laid out and
// committed the same way whoever makes it. A Syncer shares the commits
// through the branch's upstream.
//
// Choices callers may rely on:
//
//   - Layout: a record of type T dated in year Y goes to data/Y/T.yaml,
//     appended at the end (record.AppendYAML); nothing else in the file
//     changes. docs/reference.md §4 describes the record files, §12 recording
//     over HTTP.
//   - One call, one commit: all the records given to Record, or read from
//     an upload by Import, go into one commit, with as many files as there
//     are years and types. Its author is the person given; its committer
//     is Writer.Committer (the server's identity, or the user's own git
//     identity on the command line), or the author when that is zero.
//   - Nothing is written when any record has a problem: the error is an
//     *InvalidError listing every problem with its field.
//   - Time is an argument (Identity.When), never read from the clock.
package write

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// Writer adds records to one repository. It is safe for concurrent use:
// commits follow one another under git's index lock.
type Writer struct {
	repo  *source.Repo
	rules func() (*repository.Repository, error)
	// Committer commits on behalf of the author; zero: the author. A zero
	// When takes the author's.
	Committer source.Identity
	// Syncer, when set, pushes each commit to the upstream.
	Syncer *Syncer
}

// New returns a Writer for repo. rules gives the rules records are
// checked against (the vocabulary, the parties and the promises); it is
// asked at each call, so that a server can follow changes of the rules.
func New(repo *source.Repo, rules func() (*repository.Repository, error)) *Writer {
	return &Writer{repo: repo, rules: rules}
}

// Repo is the repository written to.
func (w *Writer) Repo() *source.Repo { return w.repo }

// Result is what Record and Import wrote.
type Result struct {
	// Commit is the commit's full hash; "" when no commit was made (a
	// folder without git, or Append).
	Commit string
	// Files are the files appended to, in the order of their first
	// record; Lines holds, for each record given, the line at which it
	// starts in its file, and Paths that file.
	Files []string
	Lines []int
	Paths []string
	// Pushed is set when the commit reached the upstream (Writer.Syncer).
	Pushed bool
}

// Problem is one problem with a record given or a row of an upload.
type Problem struct {
	*diag.Diagnostic // message, hint, and Field: the field it is about
	// Entry is the index of the record among those given to Record, or of
	// the row among the rows of an upload; -1 for the file as a whole.
	Entry int
	// Row and Column are the place in an uploaded file: the line (from 1)
	// and, in a CSV file, the column of the cell (from 1); 0 when unknown.
	Row, Column int
}

// InvalidError is the error of a record or an upload that does not fit
// the rules: nothing was written.
type InvalidError struct {
	Problems []Problem
}

func (e *InvalidError) Error() string {
	if len(e.Problems) == 1 {
		return "posten passar inte: " + e.Problems[0].Diagnostic.Error()
	}
	return fmt.Sprintf("%d fel, ingenting skrevs: %s", len(e.Problems), e.Problems[0].Diagnostic.Error())
}

// List returns the problems as diagnostics.
func (e *InvalidError) List() diag.List {
	l := make(diag.List, len(e.Problems))
	for i, p := range e.Problems {
		l[i] = p.Diagnostic
	}
	return l
}

// File is the file a record goes to: data/YEAR/TYPE.yaml, TYPE being the
// activity's id as the vocabulary spells it.
func File(e record.Entry) string {
	return path.Join("data", fmt.Sprint(e.Date.Year()), e.Type+".yaml")
}

// Record checks the entries, appends each to its file and commits them
// all in one commit by author, with message (empty: "Ny post: TYPE DATUM
// (PART)", or a count for several).
func (w *Writer) Record(entries []record.Entry, author source.Identity, message string) (Result, error) {
	return w.write(entries, author, message, true)
}

// Check checks entries as Record does, without writing: an
// *InvalidError lists the problems. It returns the entries with their
// types as the vocabulary spells them.
func (w *Writer) Check(entries []record.Entry) ([]record.Entry, error) {
	r, err := w.rules()
	if err != nil {
		return nil, err
	}
	entries, problems := check(entries, r)
	if len(problems) > 0 {
		return entries, &InvalidError{Problems: problems}
	}
	return entries, nil
}

// Append is Record without a commit: the files are written and left for
// the user to commit (lofte record --no-commit).
func (w *Writer) Append(entries []record.Entry) (Result, error) {
	return w.write(entries, source.Identity{}, "", false)
}

func (w *Writer) write(entries []record.Entry, author source.Identity, message string, commit bool) (Result, error) {
	if len(entries) == 0 {
		return Result{}, errors.New("ingen post att skriva")
	}
	r, err := w.rules()
	if err != nil {
		return Result{}, err
	}
	entries, problems := check(entries, r)
	if len(problems) > 0 {
		return Result{}, &InvalidError{Problems: problems}
	}
	res := Result{Lines: make([]int, len(entries)), Paths: make([]string, len(entries))}
	byFile := map[string][]int{}
	for i, e := range entries {
		f := File(e)
		if _, ok := byFile[f]; !ok {
			res.Files = append(res.Files, f)
		}
		byFile[f] = append(byFile[f], i)
		res.Paths[i] = f
	}
	parties := r.Parties()
	var bad []Problem
	edits := make([]source.FileEdit, len(res.Files))
	for k, f := range res.Files {
		edits[k] = source.FileEdit{Path: f, Edit: func(old []byte) ([]byte, error) {
			data := old
			for _, i := range byFile[f] {
				next, errs := record.AppendYAML(f, data, entries[i], r.Vocab, parties)
				if len(errs) > 0 {
					bad = append(bad, problemsOf(errs, i)...)
					return nil, errInvalid
				}
				res.Lines[i] = appendedLine(data, next)
				data = next
			}
			return data, nil
		}}
	}
	if message == "" {
		message = defaultMessage(entries)
	}
	u := source.Update{Commit: commit, Message: message, Author: author, Committer: w.committer(author)}
	res.Commit, err = w.repo.UpdateFiles(edits, u)
	if errors.Is(err, errInvalid) {
		return Result{}, &InvalidError{Problems: bad}
	}
	if err != nil {
		return res, err
	}
	if res.Commit != "" && w.Syncer != nil {
		res.Pushed = w.Syncer.Push(context.Background(), u.Committer.When) == nil
	}
	return res, nil
}

var errInvalid = errors.New("posten passar inte")

func (w *Writer) committer(author source.Identity) source.Identity {
	c := w.Committer
	if c.Name == "" {
		return author
	}
	if c.When.IsZero() {
		c.When = author.When
	}
	return c
}

// appendedLine is the line at which the record added to old to make new
// starts.
func appendedLine(old, new []byte) int {
	start := len(old)
	if start < len(new) && new[start] == '\n' {
		start++
	}
	return bytes.Count(new[:start], []byte("\n")) + 1
}

func defaultMessage(entries []record.Entry) string {
	if len(entries) == 1 {
		return "Ny post: " + entries[0].String()
	}
	var types []string
	for _, e := range entries {
		if !contains(types, e.Type) {
			types = append(types, e.Type)
		}
	}
	return fmt.Sprintf("Nya poster: %d st (%s)", len(entries), strings.Join(types, ", "))
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// check checks each entry against the rules and returns them with their
// types, parties and enum values spelled as the vocabulary and the
// promises do.
func check(entries []record.Entry, r *repository.Repository) ([]record.Entry, []Problem) {
	out := make([]record.Entry, len(entries))
	var problems []Problem
	parties := r.Parties()
	for i, e := range entries {
		act, errs := record.CheckEntry(e, r.Vocab, parties)
		if act != nil {
			e.Type = act.ID
			if len(errs) == 0 {
				e = spelled(e, act, parties)
			}
		}
		if len(errs) == 0 && e.Type == promise.Assessment {
			errs = assessed(e, r)
		}
		problems = append(problems, problemsOf(errs, i)...)
		out[i] = e
	}
	return out, problems
}

// spelled returns e with its parties and the values of its enum fields
// (and of lists of enums) written as the promises and the vocabulary spell
// them: they are matched without regard to case (docs/reference.md §4),
// and a record is written as it will be read, so that the file, the
// commit message and what is counted agree.
func spelled(e record.Entry, act *promise.Activity, parties []string) record.Entry {
	by := make([]string, len(e.By))
	for i, p := range e.By {
		by[i] = spell(parties, p)
	}
	e.By = by
	fields := make([]record.EntryField, len(e.Fields))
	for i, f := range e.Fields {
		if fd := act.Field(f.Name); fd != nil {
			switch {
			case fd.Type.Kind == promise.Enum:
				f.Value = spell(fd.Type.Enum, f.Value)
			case fd.Type.Kind == promise.List && fd.Type.Elem != nil && fd.Type.Elem.Kind == promise.Enum:
				elems := strings.Split(f.Value, "+")
				for j, v := range elems {
					elems[j] = spell(fd.Type.Elem.Enum, v)
				}
				f.Value = strings.Join(elems, "+")
			}
		}
		fields[i] = f
	}
	e.Fields = fields
	return e
}

// spell is the one of names that v is, exactly, else without regard to
// case; else v as it was.
func spell(names []string, v string) string {
	t := strings.TrimSpace(v)
	for _, n := range names {
		if n == t {
			return n
		}
	}
	for _, n := range names {
		if strings.EqualFold(n, t) {
			return n
		}
	}
	return v
}

func problemsOf(errs diag.List, entry int) []Problem {
	var out []Problem
	for _, d := range errs {
		if d.Severity == diag.Error {
			out = append(out, Problem{Diagnostic: d, Entry: entry})
		}
	}
	return out
}

// assessed refuses an assessment of a commitment that is not assessed by
// hand (assess: manual, docs/reference.md §7): evaluate would report it as
// an error.
func assessed(e record.Entry, r *repository.Repository) diag.List {
	var id string
	for _, f := range e.Fields {
		if f.Name == "commitment" {
			id = f.Value
		}
	}
	var manual []string
	for _, p := range r.Promises {
		for _, c := range p.Commitments {
			if c.Manual {
				if c.ID == id {
					return nil
				}
				manual = append(manual, c.ID)
			}
		}
	}
	var errs diag.List
	hint := diag.DidYouMean(id, manual)
	if hint == "" && len(manual) > 0 {
		hint = "åtagandena som bedöms för hand är " + strings.Join(manual, ", ")
	}
	errs.Add(diag.Pos{}, hint, "commitment: %q är inget åtagande som bedöms för hand (assess: manual)", id)
	errs[0].Field = "commitment"
	return errs
}

// WorkTreeRules returns a rules function for New that reads rules/ from
// repo's work tree at each call, as lofte record does.
func WorkTreeRules(repo *source.Repo) func() (*repository.Repository, error) {
	return func() (*repository.Repository, error) {
		snap, err := repo.WorkTree()
		if err != nil {
			return nil, err
		}
		files := snap.Files[:0:0]
		for _, f := range snap.Files {
			if strings.HasPrefix(f.Path, "rules/") {
				files = append(files, f)
			}
		}
		snap.Files = files
		return repository.Load(snap), nil
	}
}
