package write

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

const activities = `activities:
  trafikkontroll:
    title: Trafikkontroll
    fields:
      form: {enum: [civil, uniformerad], required: true}
      plats: string
  hundsok:
    title: Hundsök
    fields:
      plats: {enum: [grundskola, gymnasium], required: true}
      skola: string
`

const promiseFile = `promise: demo
title: Demo
parties:
  polisen: Polisen
  kommunen: Kommunen
valid: 2022
commitments:
  - id: trafik.kontroller
    area: trafik
    owner: polisen
    text: Sex kontroller.
    rule: count(trafikkontroll) >= 6
  - id: trafik.bedoms
    area: trafik
    owner: polisen
    text: Bedöms.
    assess: manual
`

var (
	anna = source.Identity{Name: "Anna Andersson", Email: "anna@example.org", When: time.Date(2022, 9, 14, 10, 0, 0, 0, time.UTC)}
	bo   = source.Identity{Name: "Bo Berg", Email: "bo@example.org", When: time.Date(2022, 9, 14, 11, 0, 0, 0, time.UTC)}
)

func requireGit(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("git is not installed")
	}
}

// git runs git in dir, isolated from the user's configuration, and
// returns its trimmed output.
func git(tb testing.TB, dir string, args ...string) string {
	tb.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.org",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.org",
		"GIT_AUTHOR_DATE=2022-01-10T12:00:00+01:00", "GIT_COMMITTER_DATE=2022-01-10T12:00:00+01:00")
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func writeFile(tb testing.TB, dir, rel, content string) {
	tb.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func readFile(tb testing.TB, dir, rel string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// newRepo makes a repository with the rules committed.
func newRepo(tb testing.TB) string {
	tb.Helper()
	requireGit(tb)
	dir := tb.TempDir()
	git(tb, dir, "init", "-q", "-b", "main")
	writeFile(tb, dir, "rules/activities.yaml", activities)
	writeFile(tb, dir, "rules/demo.yaml", promiseFile)
	git(tb, dir, "add", "-A")
	git(tb, dir, "commit", "-q", "-m", "Regler")
	return dir
}

// newRemote makes a bare repository holding the rules, and returns it.
func newRemote(tb testing.TB) string {
	tb.Helper()
	seed := newRepo(tb)
	bare := filepath.Join(tb.TempDir(), "remote.git")
	git(tb, seed, "init", "-q", "--bare", "-b", "main", bare)
	git(tb, seed, "push", "-q", bare, "main")
	return bare
}

// clone clones the remote with the git command line.
func clone(tb testing.TB, bare string) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "klon")
	git(tb, filepath.Dir(dir), "clone", "-q", bare, dir)
	return dir
}

func newWriter(tb testing.TB, dir string) *Writer {
	tb.Helper()
	repo, err := source.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return New(repo, WorkTreeRules(repo))
}

// syncedWriter is a Writer of a clone whose commits are pushed.
func syncedWriter(tb testing.TB, dir string) *Writer {
	tb.Helper()
	w := newWriter(tb, dir)
	w.Syncer = NewSyncer(w.Repo())
	w.Syncer.Check = w.CheckMerged()
	return w
}

func day(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func kontroll(date, plats string) record.Entry {
	return record.Entry{Type: "trafikkontroll", Date: day(date), By: []string{"polisen"},
		Fields: []record.EntryField{{Name: "form", Value: "civil"}, {Name: "plats", Value: plats}}}
}

// records reads the records of a file at a revision of the repository
// in dir (a work tree or a bare repository).
func records(tb testing.TB, dir, rev, file string) []record.Record {
	tb.Helper()
	data := git(tb, dir, "show", rev+":"+file)
	recs, errs := record.Parse(file, []byte(data+"\n"), loadRules(tb).Vocab, nil)
	if len(errs) > 0 {
		tb.Fatalf("%s: %v", file, errs)
	}
	return recs
}

func loadRules(tb testing.TB) *repository.Repository {
	tb.Helper()
	return repository.Load(&source.Snapshot{Files: []source.File{
		{Path: "rules/activities.yaml", Data: []byte(activities)},
		{Path: "rules/demo.yaml", Data: []byte(promiseFile)},
	}})
}

// places lists the plats of each record.
func places(recs []record.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.Values[1].(string))
	}
	return out
}
