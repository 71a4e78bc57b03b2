package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// releaseLdflags are the ldflags of .goreleaser.yaml with the version
// 9.8.7: the test reads them from the file, so that it tests what a
// release does.
func releaseLdflags(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, "- -s -w -X ") {
			return strings.ReplaceAll(strings.TrimPrefix(l, "- "), "{{ .Version }}", "9.8.7")
		}
	}
	t.Fatal("no ldflags in .goreleaser.yaml")
	return ""
}

// TestReleaseBuild: a binary built with the release's ldflags says its
// version with --version and version, and the CI files of lofte init
// install that release.
func TestReleaseBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lofte")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "lofte")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", releaseLdflags(t), "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, err := exec.Command(bin, args...).Output()
		if err != nil || !strings.HasPrefix(string(out), "lofte 9.8.7 ") {
			t.Errorf("lofte %s: %q, %v", args[0], out, err)
		}
	}
	cmd := exec.Command(bin, "init", "--ci", "github,gitlab", filepath.Join(dir, "ny"))
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Exempel", "GIT_AUTHOR_EMAIL=exempel@example.org",
		"GIT_COMMITTER_NAME=Exempel", "GIT_COMMITTER_EMAIL=exempel@example.org", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("lofte init: %v\n%s", err, out)
	}
	for _, p := range []string{".github/workflows/lofte.yml", ".gitlab-ci.yml", "rules/exempel.yaml"} {
		data, err := os.ReadFile(filepath.Join(dir, "ny", p))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "9.8.7") {
			t.Errorf("%s does not name release 9.8.7:\n%s", p, data)
		}
	}
}
