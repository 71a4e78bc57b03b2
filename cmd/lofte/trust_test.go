package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
)

// TestLoadStrict: whatever loads a repository through load (serve does)
// gets trust: strict applied, so that the public page never counts a
// record its promise does not vouch for.
func TestLoadStrict(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	files := map[string]string{
		"rules/activities.yaml": "activities:\n  trafikkontroll:\n    title: Trafikkontroll\n",
		"rules/demo.yaml": `promise: demo
valid: 2022
trust: strict
parties:
  polisen: {name: Polisen, authors: ["*@polisen.se"]}
commitments:
  - id: trafik
    owner: polisen
    rule: count(trafikkontroll) >= 12
`,
		"data/a.csv": "date,type,by\n2022-02-01,trafikkontroll,polisen\n2022-02-02,trafikkontroll,polisen\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"-c", "init.defaultBranch=main", "init", "-q"}, {"add", "-A"}, {"commit", "-q", "-m", "x"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=Bo", "GIT_AUTHOR_EMAIL=bo@mullsjo.se", "GIT_COMMITTER_NAME=Bo", "GIT_COMMITTER_EMAIL=bo@mullsjo.se")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	g := &globals{repo: dir, lang: "sv", stdout: io.Discard, stderr: io.Discard}
	e, err := g.open(snapshotFlags{}, engine.HistoryAuto, false)
	if err != nil {
		t.Fatal(err)
	}
	asOf, _ := calendar.ParseDate("2022-06-30")
	rep := e.Evaluate(calendar.Period{First: 2022, Last: 2022}, asOf)
	w := rep.Evaluations[0].Results[0].Windows[0]
	if *w.Value != 0 || rep.Diags.Errors() != 2 || !strings.Contains(rep.Diags.Error(), "författaren hör inte till polisen") {
		t.Errorf("value %v, diags:\n%v", *w.Value, rep.Diags)
	}
}
