package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lofte/lofte/engine/scaffold"
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
	cmd.Env = gitEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("lofte init: %v\n%s", err, out)
	}
	for _, p := range []string{".github/workflows/lofte.yml", ".gitlab-ci.yml"} {
		data, err := os.ReadFile(filepath.Join(dir, "ny", p))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "9.8.7") {
			t.Errorf("%s does not name release 9.8.7:\n%s", p, data)
		}
	}
}

// TestReleaseInstall: a municipality goes from a release to a green CI
// without Go. The release is a GoReleaser snapshot (LOFTE_RELEASE_DIST
// names its dist folder; .ci/run makes it), served over HTTP as a copy of
// the release downloads (LOFTE_DOWNLOAD). The released lofte makes a new
// repository with init; the install step of each CI file it wrote
// downloads the archive, checks it against checksums.txt and installs it;
// then every step runs with that lofte alone and passes, and writes the
// JUnit report and the page. A changed archive fails the install. The
// .deb holds the same program and the manual pages.
func TestReleaseInstall(t *testing.T) {
	dist := os.Getenv("LOFTE_RELEASE_DIST")
	if dist == "" {
		t.Skip("LOFTE_RELEASE_DIST names no GoReleaser dist folder (.ci/run makes one)")
	}
	var meta struct{ Version string }
	readJSON(t, filepath.Join(dist, "metadata.json"), &meta)
	var artifacts []struct{ Type, Path, Goos, Goarch string }
	readJSON(t, filepath.Join(dist, "artifacts.json"), &artifacts)
	inDist := func(typ string) string {
		for _, a := range artifacts {
			if a.Type == typ && (a.Goos == "" || a.Goos == "linux" && a.Goarch == "amd64") {
				// Paths are relative to where GoReleaser ran: dist/...
				return filepath.Join(dist, strings.SplitN(filepath.ToSlash(a.Path), "/", 2)[1])
			}
		}
		t.Fatalf("%s has no %s for linux/amd64", dist, typ)
		return ""
	}
	released := inDist("Binary")
	archive := inDist("Archive")
	if want := "lofte_" + meta.Version + "_linux_amd64.tar.gz"; filepath.Base(archive) != want {
		t.Fatalf("the archive is %s, the CI files download %s", filepath.Base(archive), want)
	}

	// The copy of the release downloads: v<version>/<file>, counting what is fetched.
	var mu sync.Mutex
	fetched := map[string]int{}
	files := http.StripPrefix("/v"+meta.Version, http.FileServer(http.Dir(dist)))
	mirror := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		fetched[path.Base(r.URL.Path)]++
		mu.Unlock()
		files.ServeHTTP(w, r)
	}))
	defer mirror.Close()
	// A copy whose archive was changed after the checksums were made.
	tampered := t.TempDir()
	for _, name := range []string{filepath.Base(archive), "checksums.txt"} {
		copyFile(t, filepath.Join(dist, name), filepath.Join(tampered, name))
	}
	f, err := os.OpenFile(filepath.Join(tampered, filepath.Base(archive)), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{0})
	f.Close()
	bad := httptest.NewServer(http.StripPrefix("/v"+meta.Version, http.FileServer(http.Dir(tampered))))
	defer bad.Close()

	for _, file := range []string{".github/workflows/lofte.yml", ".gitlab-ci.yml"} {
		t.Run(path.Base(file), func(t *testing.T) {
			work := t.TempDir()
			repo := filepath.Join(work, "kommun")
			env := gitEnv()
			init := exec.Command(released, "init", repo)
			init.Env = env
			if out, err := init.CombinedOutput(); err != nil {
				t.Fatalf("lofte init (released): %v\n%s", err, out)
			}
			data, err := os.ReadFile(filepath.Join(repo, file))
			if err != nil {
				t.Fatal(err)
			}
			ci, err := readCI(data)
			if err != nil {
				t.Fatal(err)
			}
			if ci.env["LOFTE_VERSION"] != meta.Version || ci.install == "" {
				t.Fatalf("%s installs %q, not release %s", file, ci.env["LOFTE_VERSION"], meta.Version)
			}
			// The CI machine: its own home, temporary folder and program
			// folder (GitLab's /tmp and /usr/local/bin are the test's own
			// folders here), and no lofte on PATH but what is installed.
			home, tmp, bin := filepath.Join(work, "home"), filepath.Join(work, "tmp"), filepath.Join(work, "bin")
			for _, d := range []string{home, tmp, bin} {
				os.MkdirAll(d, 0o755)
			}
			githubPath := filepath.Join(work, "github-path")
			summary := filepath.Join(work, "step-summary.md")
			install := strings.NewReplacer("cd /tmp", "cd "+tmp, "/usr/local/bin/", bin+"/").Replace(ci.install)
			runEnv := func(download, pathDirs string) []string {
				e := append([]string{}, env...)
				for k, v := range ci.env {
					e = append(e, k+"="+v)
				}
				return append(e, "LOFTE_DOWNLOAD="+download, "HOME="+home, "RUNNER_TEMP="+tmp, "GITHUB_PATH="+githubPath,
					"GITHUB_STEP_SUMMARY="+summary, "CI_PROJECT_DIR="+repo, "PATH="+pathDirs+withoutLofte(t, os.Getenv("PATH")))
			}
			step := func(script string, e []string) error {
				cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", script)
				cmd.Dir, cmd.Env = repo, e
				out, err := cmd.CombinedOutput()
				if err != nil {
					return fmt.Errorf("%v\n%s\n%s", err, script, out)
				}
				return nil
			}

			if err := step(install, runEnv(bad.URL, "")); err == nil {
				t.Fatalf("the install step accepted an archive that does not match checksums.txt")
			}
			os.RemoveAll(tmp)
			os.MkdirAll(tmp, 0o755)
			if err := step(install, runEnv(mirror.URL, "")); err != nil {
				t.Fatalf("install step: %v", err)
			}
			pathDirs := bin + string(os.PathListSeparator)
			if p, err := os.ReadFile(githubPath); err == nil { // GitHub: the step adds its folder to PATH
				pathDirs = strings.TrimSpace(string(p)) + string(os.PathListSeparator)
			}
			e := runEnv(mirror.URL, pathDirs)
			check := exec.Command("bash", "-c", `command -v lofte && lofte --version`)
			check.Env = e
			out, err := check.Output()
			if err != nil || !strings.HasPrefix(string(out), strings.TrimSuffix(pathDirs, string(os.PathListSeparator))+"/lofte\nlofte "+meta.Version+" ") {
				t.Fatalf("after the install step, lofte is %q (%v), want release %s from %s", out, err, meta.Version, pathDirs)
			}
			for _, s := range ci.steps {
				if err := step(s, e); err != nil {
					t.Fatalf("step failed with the released lofte: %v", err)
				}
			}
			outputs := []string{"uppfoljning/junit.xml", "uppfoljning/index.html"}
			if strings.HasPrefix(file, ".gitlab") {
				outputs = []string{"junit.xml", "public/index.html"}
			}
			for _, o := range outputs {
				if b, err := os.ReadFile(filepath.Join(repo, o)); err != nil || len(b) == 0 {
					t.Errorf("the CI run wrote no %s: %v", o, err)
				}
			}
		})
	}
	mu.Lock()
	if n := fetched[filepath.Base(archive)]; n != 2 || fetched["checksums.txt"] != 2 {
		t.Errorf("the copy of the release was asked for %v, want the archive and checksums.txt once per CI file", fetched)
	}
	mu.Unlock()

	// The .deb: the same program, its manual pages, the package's name and version.
	deb := inDist("Linux Package")
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		t.Log("dpkg-deb is not installed: the .deb is not opened")
		return
	}
	fields, err := exec.Command("dpkg-deb", "--field", deb, "Package", "Version").Output()
	// Debian writes a pre-release 0.2.0-rc1 as 0.2.0~rc1, so that it comes before 0.2.0.
	if err != nil || string(fields) != "Package: lofte\nVersion: "+strings.ReplaceAll(meta.Version, "-", "~")+"\n" {
		t.Errorf("%s: %q, %v", deb, fields, err)
	}
	root := t.TempDir()
	if out, err := exec.Command("dpkg-deb", "--extract", deb, root).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb --extract: %v\n%s", err, out)
	}
	if out, err := exec.Command(filepath.Join(root, "usr/bin/lofte"), "--version").Output(); err != nil || !strings.HasPrefix(string(out), "lofte "+meta.Version+" ") {
		t.Errorf("lofte of the .deb: %q, %v", out, err)
	}
	for _, page := range []string{"lofte.1", "lofte-evaluate.1", "lofte-serve.1"} {
		if _, err := os.Stat(filepath.Join(root, "usr/share/man/man1", page)); err != nil {
			t.Errorf("the .deb has no manual page %s", page)
		}
	}
}

// withoutLofte is the PATH list without the folders that hold a lofte.
func withoutLofte(t *testing.T, list string) string {
	var keep []string
	for _, d := range filepath.SplitList(list) {
		if _, err := os.Stat(filepath.Join(d, "lofte")); err != nil {
			keep = append(keep, d)
		}
	}
	return strings.Join(keep, string(os.PathListSeparator))
}

func readJSON(t *testing.T, file string, v any) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

// TestWorkflowsLint: the GitHub Actions workflows, lofte's own and the one
// lofte init writes, pass actionlint (with shellcheck over their scripts
// where it is installed). It runs where actionlint is on PATH and must
// where LOFTE_ACTIONLINT_TEST=1 (.ci/run installs it).
func TestWorkflowsLint(t *testing.T) {
	if _, err := exec.LookPath("actionlint"); err != nil {
		if os.Getenv("LOFTE_ACTIONLINT_TEST") == "1" {
			t.Fatal("LOFTE_ACTIONLINT_TEST=1 but actionlint is not on PATH")
		}
		t.Skip("actionlint is not installed")
	}
	dir := t.TempDir()
	if _, err := scaffold.Write(dir, scaffold.Options{Year: 2026, Version: "1.2.3", CI: scaffold.CIServices}); err != nil {
		t.Fatal(err)
	}
	own, err := filepath.Glob("../../.github/workflows/*.yml")
	if err != nil || len(own) < 2 {
		t.Fatalf("lofte's own workflows: %v, %v", own, err)
	}
	files := append(own, filepath.Join(dir, ".github/workflows/lofte.yml"))
	out, err := exec.Command("actionlint", append([]string{"-no-color"}, files...)...).CombinedOutput()
	if err != nil {
		t.Errorf("actionlint: %v\n%s", err, out)
	}
}

// gitEnv is the environment with a git identity of its own and no git
// configuration of the machine, for the git that lofte and its tests run.
func gitEnv(extra ...string) []string {
	return append(append(os.Environ(), "GIT_AUTHOR_NAME=Exempel", "GIT_AUTHOR_EMAIL=exempel@example.org",
		"GIT_COMMITTER_NAME=Exempel", "GIT_COMMITTER_EMAIL=exempel@example.org",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1"), extra...)
}
