package repository_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/history"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// gitRepo is a commitments repository built commit by commit with the git
// command line, each commit with its own author and date.
type gitRepo struct {
	t   *testing.T
	dir string
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	g := &gitRepo{t: t, dir: t.TempDir()}
	g.run("", "", "-c", "init.defaultBranch=main", "init", "-q")
	return g
}

// run runs git as who ("Namn <e-post>") at date.
func (g *gitRepo) run(who, date string, args ...string) string {
	g.t.Helper()
	if who == "" {
		who = "Test <test@example.org>"
	}
	if date == "" {
		date = "2022-01-01T12:00:00+01:00"
	}
	name, email, _ := strings.Cut(strings.TrimSuffix(who, ">"), " <")
	cmd := exec.Command("git", args...)
	cmd.Dir = g.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME="+name, "GIT_AUTHOR_EMAIL="+email, "GIT_COMMITTER_NAME="+name, "GIT_COMMITTER_EMAIL="+email,
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		g.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (g *gitRepo) write(pathsAndData ...string) {
	g.t.Helper()
	for i := 0; i+1 < len(pathsAndData); i += 2 {
		name := filepath.Join(g.dir, filepath.FromSlash(pathsAndData[i]))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			g.t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(pathsAndData[i+1]), 0o644); err != nil {
			g.t.Fatal(err)
		}
	}
}

// commit stages everything and commits it as who at date (a day: noon).
func (g *gitRepo) commit(who, day, msg string) {
	g.t.Helper()
	g.run(who, "", "add", "-A")
	g.run(who, day+"T12:00:00+01:00", "commit", "-q", "--allow-empty", "-m", msg)
}

// load reads the working tree and its provenance, known at day known.
func (g *gitRepo) load(known string) (*repository.Repository, *history.Provenance) {
	g.t.Helper()
	src, err := source.Open(g.dir)
	if err != nil {
		g.t.Fatal(err)
	}
	snap, err := src.WorkTree()
	if err != nil {
		g.t.Fatal(err)
	}
	r := repository.Load(snap)
	if len(r.Diags) > 0 {
		g.t.Fatalf("load: %v", r.Diags)
	}
	var k calendar.Date
	if known != "" {
		k = day(known)
	}
	prov, err := r.ReadProvenance(src, k)
	if err != nil {
		g.t.Fatal(err)
	}
	v, err := src.Verifier()
	if err != nil {
		g.t.Fatal(err)
	}
	g.t.Cleanup(v.Close)
	r.UseProvenance(prov, v.Verify)
	return r, prov
}

func day(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

const provVocab = `activities:
  trafikkontroll:
    title: Trafikkontroll
    fields:
      form: {enum: [civil, uniformerad], required: true}
  hundsok:
    fields:
      plats: {enum: [grundskola, gymnasium], required: true}
`

const provPromise = `promise: p
valid: 2022
parties:
  polisen: Polisen
  kommunen: Kommunen
commitments:
  - id: trafik
    owner: polisen
    rule: count(trafikkontroll) >= 10
  - id: hund
    owner: polisen
    rule: count(hundsok) >= 1
`

// origins renders each record with the commit that added it:
// "trafikkontroll 2022-01-03 data/x.csv:2 ← regler (Anna)".
func origins(r *repository.Repository, prov *history.Provenance) string {
	var lines []string
	for _, typ := range r.Records.Types() {
		recs := r.Records.Of(typ)
		for i := range recs {
			from := "inte incheckad"
			if c, ok := prov.Origin(&recs[i]); ok {
				from = fmt.Sprintf("%s (%s)", c.Subject, c.Author)
			}
			lines = append(lines, fmt.Sprintf("%s %s %s ← %s", typ, recs[i].Date, recs[i].Pos.File, from))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n"
}

// TestRecordProvenance: records keep the commit that added them through a
// rename (git mv), a merge of a side branch and a move from CSV to YAML;
// an edited record belongs to the commit that edited it; a record only in
// the working tree has none. The second read walks no commit, and one
// after a new commit walks one.
func TestRecordProvenance(t *testing.T) {
	g := newGitRepo(t)
	const anna, bo, cia = "Anna <anna@polisen.se>", "Bo <bo@mullsjo.se>", "Cia <cia@polisen.se>"
	g.write("rules/activities.yaml", provVocab, "rules/p.yaml", provPromise,
		"data/2022/trafik.csv", "date,type,by,form\n2022-01-03,trafikkontroll,polisen,civil\n2022-01-04,trafikkontroll,polisen,uniformerad\n")
	g.commit(anna, "2022-01-05", "regler")
	g.write("data/2022/trafik.csv", "date,type,by,form\n2022-01-03,trafikkontroll,polisen,civil\n2022-01-04,trafikkontroll,polisen,uniformerad\n2022-01-15,trafikkontroll,polisen,civil\n")
	g.commit(anna, "2022-01-20", "tredje")
	if err := os.MkdirAll(filepath.Join(g.dir, "data/2022/q1"), 0o755); err != nil {
		t.Fatal(err)
	}
	g.run(bo, "", "mv", "data/2022/trafik.csv", "data/2022/q1/trafik.csv")
	g.commit(bo, "2022-01-21", "flytt")
	g.run("", "", "checkout", "-q", "-b", "sido")
	g.write("data/2022/hundsok.yaml", "- {date: 2022-02-01, type: hundsok, by: polisen, plats: grundskola}\n")
	g.commit(cia, "2022-02-10", "hundsök")
	g.run("", "", "checkout", "-q", "main")
	g.write("data/2022/q1/trafik.csv", "date,type,by,form\n2022-01-03,trafikkontroll,polisen,civil\n2022-01-04,trafikkontroll,polisen,uniformerad\n2022-01-15,trafikkontroll,polisen,civil\n2022-02-10,trafikkontroll,polisen,uniformerad\n")
	g.commit(anna, "2022-02-12", "fjärde")
	g.run(bo, "2022-02-15T12:00:00+01:00", "merge", "-q", "--no-ff", "-m", "sammanslagning", "sido")
	g.write("data/2022/q1/trafik.csv", "date,type,by,form\n2022-01-04,trafikkontroll,polisen,uniformerad\n2022-01-15,trafikkontroll,polisen,civil\n2022-02-10,trafikkontroll,polisen,uniformerad\n",
		"data/2022/flyttad.yaml", "- date: 2022-01-03\n  type: trafikkontroll\n  by: [polisen]\n  form: civil\n")
	g.commit(bo, "2022-02-20", "till yaml")
	g.write("data/2022/q1/trafik.csv", "date,type,by,form\n2022-01-05,trafikkontroll,polisen,uniformerad\n2022-01-15,trafikkontroll,polisen,civil\n2022-02-10,trafikkontroll,polisen,uniformerad\n")
	g.commit(bo, "2022-02-21", "rättning")
	g.write("data/2022/ny.csv", "date,type,by,form\n2022-03-01,trafikkontroll,polisen,civil\n")

	r, prov := g.load("")
	want := `hundsok 2022-02-01 data/2022/hundsok.yaml ← hundsök (Cia)
trafikkontroll 2022-01-03 data/2022/flyttad.yaml ← regler (Anna)
trafikkontroll 2022-01-05 data/2022/q1/trafik.csv ← rättning (Bo)
trafikkontroll 2022-01-15 data/2022/q1/trafik.csv ← tredje (Anna)
trafikkontroll 2022-02-10 data/2022/q1/trafik.csv ← fjärde (Anna)
trafikkontroll 2022-03-01 data/2022/ny.csv ← inte incheckad
`
	if got := origins(r, prov); got != want {
		t.Errorf("provenance:\n%s\nwant:\n%s", got, want)
	}
	if prov.History.Walked != 8 {
		t.Errorf("first read walked %d commits, want 8", prov.History.Walked)
	}
	if tip, _ := prov.History.TipCommit(); prov.Known != day("2022-02-21") || tip.Subject != "rättning" {
		t.Errorf("known %s, tip %+v", prov.Known, tip)
	}

	// The cache: nothing to walk, then one new commit.
	_, again := g.load("")
	if again.History.Walked != 0 || origins(r, again) != want {
		t.Errorf("second read walked %d commits", again.History.Walked)
	}
	g.commit(cia, "2022-03-02", "ny fil")
	r, next := g.load("")
	if next.History.Walked != 1 {
		t.Errorf("after one commit walked %d, want 1", next.History.Walked)
	}
	if got := origins(r, next); !strings.Contains(got, "2022-03-01 data/2022/ny.csv ← ny fil (Cia)") {
		t.Errorf("after the commit:\n%s", got)
	}
}
