package engine_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
)

// repo is a git repository of a test, made with the git command line.
type repo struct {
	t   *testing.T
	dir string
}

func newRepo(t *testing.T) *repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	r := &repo{t: t, dir: t.TempDir()}
	r.git("", "-c", "init.defaultBranch=main", "init", "-q")
	return r
}

// git runs git as who ("Namn <e-post>").
func (r *repo) git(who string, args ...string) {
	r.t.Helper()
	if who == "" {
		who = "Test <test@example.org>"
	}
	name, email, _ := strings.Cut(strings.TrimSuffix(who, ">"), " <")
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME="+name, "GIT_AUTHOR_EMAIL="+email, "GIT_COMMITTER_NAME="+name, "GIT_COMMITTER_EMAIL="+email,
		"GIT_AUTHOR_DATE=2022-03-01T12:00:00+01:00", "GIT_COMMITTER_DATE=2022-03-01T12:00:00+01:00")
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// write writes files: path, content, path, content…
func (r *repo) write(pc ...string) {
	r.t.Helper()
	for i := 0; i+1 < len(pc); i += 2 {
		p := filepath.Join(r.dir, filepath.FromSlash(pc[i]))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(pc[i+1]), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
}

func (r *repo) commit(who, msg string) {
	r.t.Helper()
	r.git(who, "add", "-A")
	r.git(who, "commit", "-q", "-m", msg)
}

const vocab = `activities:
  trafikkontroll:
    fields:
      form: {enum: [civil, uniformerad], required: true}
`

const strict = `promise: p
valid: 2022
trust: strict
parties:
  polisen:
    name: Polisen
    authors: ["*@polisen.se"]
commitments:
  - id: trafik
    owner: polisen
    rule: count(trafikkontroll) >= 10
`

var (
	y2022 = calendar.Period{First: 2022, Last: 2022}
	jun30 = calendar.NewDate(2022, 6, 30)
)

// TestChartAgreesWithStatusUnderTrust: one record committed by the police
// and two by someone else, under trust: strict. The status counts one,
// and so must the burn-up chart drawn from the same engine.
func TestChartAgreesWithStatusUnderTrust(t *testing.T) {
	g := newRepo(t)
	g.write("rules/activities.yaml", vocab, "rules/p.yaml", strict,
		"data/a.csv", "date,type,by,form\n2022-01-03,trafikkontroll,polisen,civil\n")
	g.commit("Anna <anna@polisen.se>", "polisen")
	g.write("data/b.csv", "date,type,by,form\n2022-01-04,trafikkontroll,polisen,civil\n2022-01-05,trafikkontroll,polisen,civil\n")
	g.commit("Bo <bo@example.org>", "någon annan")

	e, err := engine.Open(g.dir, engine.Options{Today: func() calendar.Date { return jun30 }})
	if err != nil {
		t.Fatal(err)
	}
	rep := e.Evaluate(y2022, jun30)
	res := rep.Evaluations[0].Results[0]
	if v := *res.Windows[0].Value; v != 1 {
		t.Fatalf("status counts %v, want 1 (the police's own record)", v)
	}
	pts := e.Repository().Cumulative(rep.Evaluations[0])[res.Commitment]
	if len(pts) != 1 || len(pts[0]) == 0 {
		t.Fatalf("no chart: %v", pts)
	}
	if last := pts[0][len(pts[0])-1]; last.Value != 1 {
		t.Errorf("the chart ends at %v, the status says 1", last.Value)
	}
	if rep.Diags.Errors() != 2 {
		t.Errorf("%d errors, want one per record not counted:\n%v", rep.Diags.Errors(), rep.Diags)
	}
}

// TestOpenReadsHistoryForStrict: without any option, a promise with
// trust: strict has its history read, so that no caller can count a
// record the promise does not vouch for; HistoryOff is said in the
// options, not by omission.
func TestOpenReadsHistoryForStrict(t *testing.T) {
	g := newRepo(t)
	g.write("rules/activities.yaml", vocab, "rules/p.yaml", strict,
		"data/b.csv", "date,type,by,form\n2022-01-04,trafikkontroll,polisen,civil\n")
	g.commit("Bo <bo@example.org>", "någon annan")
	e, err := engine.Open(g.dir, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Repository().Provenance() == nil {
		t.Fatal("history not read for a strict promise")
	}
	if v := *e.Evaluate(y2022, jun30).Evaluations[0].Results[0].Windows[0].Value; v != 0 {
		t.Errorf("an untrusted record counted: %v", v)
	}
}

// TestReloadKeepsLastGoodPromise: a promise file that breaks is used as it
// last was, with its error; a promise file removed is gone.
func TestReloadKeepsLastGoodPromise(t *testing.T) {
	g := newRepo(t)
	open := strings.Replace(strict, "trust: strict\n", "", 1)
	g.write("rules/activities.yaml", vocab, "rules/p.yaml", open,
		"data/a.csv", "date,type,by,form\n2022-01-03,trafikkontroll,polisen,civil\n")
	g.commit("", "start")
	e, err := engine.Open(g.dir, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g.write("rules/p.yaml", strings.Replace(open, "    owner: polisen", "    owner polisen", 1))
	if _, err := e.Reload(); err != nil {
		t.Fatal(err)
	}
	rep := e.Evaluate(y2022, jun30)
	if len(rep.Evaluations) != 1 || rep.Evaluations[0].Results[0].Status != eval.Behind {
		t.Fatalf("the broken promise is not evaluated at its last good version: %+v", rep.Evaluations)
	}
	if rep.Diags.Errors() == 0 || !strings.Contains(rep.Diags.Error(), "rules/p.yaml") {
		t.Errorf("the broken file is not reported: %v", rep.Diags)
	}
	if err := e.Health(rep); err != nil {
		t.Errorf("health with a promise at its last good version: %v", err)
	}
	if err := os.Remove(filepath.Join(g.dir, "rules/p.yaml")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Reload(); err != nil {
		t.Fatal(err)
	}
	rep = e.Evaluate(y2022, jun30)
	if len(rep.Evaluations) != 0 {
		t.Errorf("a removed promise is still evaluated")
	}
	if e.Health(rep) == nil {
		t.Error("healthy with no promise to evaluate")
	}
}

// TestHealthDataMissing: data/ gone while a promise counts records is
// not an evaluation to serve (every value would read 0).
func TestHealthDataMissing(t *testing.T) {
	g := newRepo(t)
	g.write("rules/activities.yaml", vocab, "rules/p.yaml", strings.Replace(strict, "trust: strict\n", "", 1),
		"data/a.csv", "date,type,by,form\n2022-01-03,trafikkontroll,polisen,civil\n")
	g.commit("", "start")
	e, err := engine.Open(g.dir, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Health(e.Evaluate(y2022, jun30)); err != nil {
		t.Fatalf("healthy repository: %v", err)
	}
	if err := os.Rename(filepath.Join(g.dir, "data"), filepath.Join(g.dir, "data.old")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Reload(); err != nil {
		t.Fatal(err)
	}
	if err := e.Health(e.Evaluate(y2022, jun30)); err == nil || !strings.Contains(err.Error(), "data/") {
		t.Errorf("health without data/: %v", err)
	}
}

// TestOpenResolvesFolderOnce: a repository opened by a relative path
// (watch without --repo) is read again by its absolute path: when its
// folder is removed and made again while the process stands in it, the
// next read finds it.
func TestOpenResolvesFolderOnce(t *testing.T) {
	g := newRepo(t)
	promise := strings.Replace(strict, "trust: strict\n", "", 1)
	g.write("rules/activities.yaml", vocab, "rules/p.yaml", promise)
	g.commit("", "start")
	t.Chdir(g.dir)
	e, err := engine.Open(".", engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(g.dir); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Reload(); err == nil {
		t.Error("no error reading a removed folder")
	}
	if err := os.Mkdir(g.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	g.git("", "-c", "init.defaultBranch=main", "init", "-q")
	g.write("rules/activities.yaml", vocab, "rules/p.yaml", promise)
	g.commit("", "again")
	if _, err := e.Reload(); err != nil {
		t.Errorf("reload once the folder is back: %v", err)
	}
	if e.Root() != g.dir {
		t.Errorf("root %s, want %s", e.Root(), g.dir)
	}
	if len(e.Evaluate(y2022, jun30).Evaluations) != 1 {
		t.Error("the promise is not read again")
	}
}

// TestParseDatesSuggests: a window or a date given as the period, and a
// date written day first, get an error that says how to write them.
func TestParseDatesSuggests(t *testing.T) {
	cal := calendar.New()
	today := func() calendar.Date { return calendar.NewDate(2022, 9, 1) }
	for _, c := range []struct {
		asOf, period, want string
	}{
		{"", "2022-T2", `--period: "2022-T2" är inget år: för att utvärdera vid den dagen, skriv --as-of 2022-T2 (2022-08-31); en period är ett år (2022) eller flera (2021..2022)`},
		{"", "2022-08-31", `skriv --as-of 2022-08-31; en period`},
		{"", "31/12/2022", `skriv --as-of 2022-12-31; en period`},
		{"31/12/2022", "", `--as-of: okänt datum "31/12/2022": datum skrivs år-månad-dag, 2022-12-31`},
		{"", "2021-2022", `--period: okänd period "2021-2022"`},
	} {
		_, _, err := engine.ParseDates(cal, c.asOf, c.period, today)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("as-of %q, period %q: %v, want %q", c.asOf, c.period, err, c.want)
		}
	}
}

// TestReloadStatCache: with a clock, Reload knows unchanged record files
// by their stat data and does not read them; what it evaluates is what a
// fresh Open evaluates, also when the vocabulary changes (every record
// file is parsed again, the unchanged ones read for that) and for a file
// with a problem, whose bytes are there for the line under the message.
func TestReloadStatCache(t *testing.T) {
	g := newRepo(t)
	open := strings.Replace(strict, "trust: strict\n", "", 1)
	g.write("rules/activities.yaml", vocab, "rules/p.yaml", open,
		"data/a.csv", "date,type,by,form\n2022-01-03,trafikkontroll,polisen,civil\n2022-01-04,trafikkontroll,polisen,civil\n",
		"data/b.csv", "date,type,by,form\n2022-01-05,trafikkontroll,polisen,civil\n2022-01-06,trafikkontroll,polisen,okänd\n")
	g.commit("", "start")
	old := time.Now().Add(-time.Hour)
	for _, f := range []string{"data/a.csv", "data/b.csv"} {
		if err := os.Chtimes(filepath.Join(g.dir, f), old, old); err != nil {
			t.Fatal(err)
		}
	}
	e, err := engine.Open(g.dir, engine.Options{Now: time.Now, History: engine.HistoryOff})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string) {
		t.Helper()
		r, err := e.Reload()
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := engine.Open(g.dir, engine.Options{History: engine.HistoryOff})
		if err != nil {
			t.Fatal(err)
		}
		got, want := e.Evaluate(y2022, jun30), fresh.Evaluate(y2022, jun30)
		n, wantN := r.Records.Len(), fresh.Repository().Records.Len()
		if n != 3 || n != wantN || got.Evaluations[0].Results[0].Status != want.Evaluations[0].Results[0].Status ||
			got.Diags.Error() != want.Diags.Error() {
			t.Errorf("%s: %d records, %v, %v; want %d, %v, %v", what, n, got.Evaluations[0].Results[0].Status, got.Diags,
				wantN, want.Evaluations[0].Results[0].Status, want.Diags)
		}
		if !strings.Contains(got.Diags.Error(), "data/b.csv") || r.Snapshot.File("data/b.csv") == nil {
			t.Errorf("%s: the file with a problem has no bytes for its message: %v", what, got.Diags)
		}
	}
	check("first reload")
	check("nothing changed")
	g.write("rules/activities.yaml", vocab+"  hundsok: {}\n")
	check("a new vocabulary")
	check("nothing changed again")
}
