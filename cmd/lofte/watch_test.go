package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// watchRepo writes and commits a small repository: at 31 August 2022
// four controls of twelve are recorded, seven expected, so
// trafik.kontroller is behind.
func watchRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	files := map[string]string{
		"rules/activities.yaml": "activities:\n  trafikkontroll:\n    fields: {}\n",
		"rules/p.yaml": "promise: p\nparties: {polisen: Polisen}\nvalid: 2022\ncommitments:\n" +
			"  - id: trafik.kontroller\n    owner: polisen\n    rule: count(trafikkontroll) >= 12\n",
		"data/2022/a.csv": "date,type,by\n2022-01-10,trafikkontroll,polisen\n2022-02-10,trafikkontroll,polisen\n" +
			"2022-03-10,trafikkontroll,polisen\n2022-04-10,trafikkontroll,polisen\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "Löfte"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=t@example.org")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

// lines reads r line by line onto a channel, closed at the end.
func lines(r io.Reader) <-chan string {
	ch := make(chan string, 64)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}

// expect waits, a few seconds at most, for a line holding want.
func expect(t *testing.T, ch <-chan string, want string) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case line, ok := <-ch:
			if !ok {
				t.Fatalf("output ended without %q", want)
			}
			if strings.Contains(line, want) {
				return line
			}
		case <-deadline:
			t.Fatalf("no line with %q within 10 s", want)
		}
	}
}

// TestWatchSignals runs the lofte command as a user would, changes a
// record file, and stops it with SIGINT or SIGTERM: it reports the
// transition and exits with the status of its last evaluation: 0, since
// the change lifted the only commitment out of behind.
func TestWatchSignals(t *testing.T) {
	if _, err := exec.LookPath("lofte"); err != nil {
		t.Skip("the lofte command is not set up (run through go test)")
	}
	for _, tt := range []struct {
		name   string
		signal syscall.Signal
		format string
		want   string
	}{
		{"SIGTERM, JSON", syscall.SIGTERM, "json", `"event":"transition"`},
		{"SIGINT, text", syscall.SIGINT, "text", "p 2022 trafik.kontroller: efter → i fas sedan 1 jan: 7 av 12 registrerade, förväntat 7 vid 31 aug"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := watchRepo(t)
			cmd := exec.Command("lofte", "--repo", dir, "watch", "--as-of", "2022-08-31", "--format", tt.format)
			cmd.Env = append(os.Environ(), "NO_COLOR=1")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			out, errs := lines(stdout), lines(stderr)
			if tt.format == "json" {
				start := expect(t, out, `"event":"start"`)
				var ev struct {
					Report struct {
						Evaluations []struct{ Commitments []struct{ Status string } }
					}
				}
				if err := json.Unmarshal([]byte(start), &ev); err != nil || ev.Report.Evaluations[0].Commitments[0].Status != "behind" {
					t.Fatalf("start event %s: %v", start, err)
				}
			} else {
				expect(t, out, "Summering:")
				expect(t, errs, "Bevakar "+dir)
			}
			more := "2022-05-10,trafikkontroll,polisen\n2022-06-10,trafikkontroll,polisen\n2022-07-10,trafikkontroll,polisen\n"
			f, err := os.OpenFile(filepath.Join(dir, "data/2022/a.csv"), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteString(more); err != nil {
				t.Fatal(err)
			}
			f.Close()
			line := expect(t, out, tt.want)
			if tt.format == "json" && !strings.Contains(line, `"from":"behind","to":"on_track"`) {
				t.Errorf("transition %s", line)
			}
			if err := cmd.Process.Signal(tt.signal); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("exit after %s: %v, want status 0", tt.signal, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("still running 10 s after %s", tt.signal)
			}
		})
	}
}

// TestWatchExitWhileBehind: stopped while a commitment is behind, watch
// exits 1, as evaluate would (docs/reference.md §9).
func TestWatchExitWhileBehind(t *testing.T) {
	if _, err := exec.LookPath("lofte"); err != nil {
		t.Skip("the lofte command is not set up (run through go test)")
	}
	dir := watchRepo(t)
	cmd := exec.Command("lofte", "--repo", dir, "watch", "--as-of", "2022-08-31", "--format", "json")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	expect(t, lines(stdout), `"event":"start"`)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Errorf("exit: %v, want status 1", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 s after SIGTERM")
	}
}
