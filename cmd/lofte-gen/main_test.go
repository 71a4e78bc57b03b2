package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lofte/lofte/internal/testrepo"
)

func TestGenerate(t *testing.T) {
	if !testrepo.HaveGit() {
		t.Skip("git is not installed")
	}
	dir := filepath.Join(t.TempDir(), "förråd")
	var out, errb bytes.Buffer
	if err := run([]string{"--records", "1200", "--promises", "2", "--years", "2021..2022", "--seed", "5", dir}, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	if !strings.HasPrefix(out.String(), "1200 registreringar, 2 löften, 2021..2022, i ") {
		t.Errorf("output %q", out.String())
	}
	for _, f := range []string{"rules/mullsjo.yaml", "rules/habo.yaml", "data/habo/2022/bedomningar.jsonl", "data/mullsjo/2021/01/trafikkontroll.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	log, err := exec.Command("git", "-C", dir, "log", "--format=%s").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "Registreringar 2022\nRegistreringar 2021\nMedborgarlöften, aktivitetstyper och läsårstider\n"; string(log) != want {
		t.Errorf("git log:\n%swant:\n%s", log, want)
	}
	status, _ := exec.Command("git", "-C", dir, "status", "--porcelain").Output()
	if len(status) > 0 {
		t.Errorf("uncommitted files:\n%s", status)
	}

	// A folder that is not empty is left alone.
	if err := run([]string{"--records", "10", dir}, &out, &errb); err == nil || !strings.Contains(err.Error(), "inte tom") {
		t.Errorf("second run: %v", err)
	}
	for _, args := range [][]string{{"--promises", "0", "x"}, {"--years", "2022..2019", "x"}, {}} {
		if err := run(args, &out, &errb); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}
