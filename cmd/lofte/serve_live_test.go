package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
)

// TestServeEqualsEvaluate: /api/status is, byte for byte, the JSON that
// evaluate writes for the same files and date, but for the repository's
// path, of which the public gets the folder's name only.
func TestServeEqualsEvaluate(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"--repo", "../..", "evaluate", "--period", "2022", "--as-of", "2022-08-31", "--format", "json"}, &out, &errOut); code != exitBad {
		t.Fatalf("evaluate: exit %d\n%s", code, errOut.String())
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(out.String(), `"repo": `+strconv.Quote(root), `"repo": `+strconv.Quote(filepath.Base(root)), 1)
	if want == out.String() {
		t.Fatalf("evaluate's JSON does not name %s", root)
	}
	ts, _, _ := exampleServer(t, "2022-08-31")
	_, body := get(t, ts.URL+"/api/status")
	if body != want {
		t.Errorf("/api/status differs from evaluate --format json:\n--- serve\n%.2000s\n--- evaluate\n%.2000s", body, want)
	}
}

// liveServer serves a repository of the test at a fixed date, with a
// clock the test moves on to make it read the files again.
func liveServer(t *testing.T, dir string, hosts ...string) (*httptest.Server, *clock) {
	t.Helper()
	g := &globals{repo: dir, lang: "sv", stdout: io.Discard, stderr: io.Discard}
	clk := &clock{t: time.Date(2022, 6, 30, 12, 0, 0, 0, calendar.Stockholm)}
	srv := &server{
		open:   func() (*engine.Engine, error) { return g.open(snapshotFlags{}, engine.HistoryAuto, false) },
		period: "2022", asOf: "2022-06-30", now: clk.now, ttl: serveCacheFor, hosts: hosts,
	}
	ts := httptest.NewServer(srv.handler())
	t.Cleanup(ts.Close)
	return ts, clk
}

const liveVocab = `activities:
  trafikkontroll:
    fields:
      form: {enum: [civil, uniformerad], required: true}
`

const livePromise = `promise: p
valid: 2022
parties: {polisen: Polisen}
commitments:
  - id: trafik
    owner: polisen
    rule: count(trafikkontroll) >= 10
`

// liveRepo is a small committed repository.
func liveRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	writeFiles(t, dir, "rules/activities.yaml", liveVocab, "rules/p.yaml", livePromise,
		"data/a.csv", "date,type,by,form\n2022-01-03,trafikkontroll,polisen,civil\n")
	for _, args := range [][]string{{"-c", "init.defaultBranch=main", "init", "-q"}, {"add", "-A"}, {"commit", "-q", "-m", "start"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=Bo", "GIT_AUTHOR_EMAIL=bo@example.org", "GIT_COMMITTER_NAME=Bo", "GIT_COMMITTER_EMAIL=bo@example.org")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

func writeFiles(t *testing.T, dir string, pc ...string) {
	t.Helper()
	for i := 0; i+1 < len(pc); i += 2 {
		p := filepath.Join(dir, filepath.FromSlash(pc[i]))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(pc[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestServeKeepsLastGoodPromise: a promise file that breaks while the
// server runs is served at its last good version, its error in
// /api/status, and the server stays healthy; a promise file removed is
// gone, and with it the only promise: 503.
func TestServeKeepsLastGoodPromise(t *testing.T) {
	dir := liveRepo(t)
	ts, clk := liveServer(t, dir)
	if _, body := get(t, ts.URL+"/api/status"); !strings.Contains(body, `"id": "trafik"`) {
		t.Fatalf("no commitment at the start:\n%s", body)
	}
	writeFiles(t, dir, "rules/p.yaml", strings.Replace(livePromise, "owner: polisen", "owner polisen", 1))
	clk.add(serveCacheFor)
	_, body := get(t, ts.URL+"/api/status")
	if !strings.Contains(body, `"id": "trafik"`) || !strings.Contains(body, `"file": "rules/p.yaml"`) {
		t.Errorf("a broken promise is not served at its last good version with its error:\n%s", body)
	}
	if resp, body := get(t, ts.URL+"/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("healthz with a promise at its last good version: %d %q", resp.StatusCode, body)
	}
	if err := os.Remove(filepath.Join(dir, "rules/p.yaml")); err != nil {
		t.Fatal(err)
	}
	clk.add(serveCacheFor)
	if resp, body := get(t, ts.URL+"/healthz"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("healthz with no promise: %d %q", resp.StatusCode, body)
	}
}

// TestServeHealth: /healthz is 503 when there is nothing true to serve.
func TestServeHealth(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(dir string) error
		want   int
		body   string
	}{
		{"healthy", func(string) error { return nil }, 200, "ok"},
		{"rules gone", func(dir string) error { return os.RemoveAll(filepath.Join(dir, "rules")) }, 503, "löfte"},
		{"data gone", func(dir string) error { return os.Rename(filepath.Join(dir, "data"), filepath.Join(dir, "data2")) }, 503, "data/"},
		{"repository gone", func(dir string) error { return os.RemoveAll(dir) }, 503, "kunde inte läsas"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := liveRepo(t)
			ts, clk := liveServer(t, dir)
			get(t, ts.URL+"/healthz")
			if err := tc.break_(dir); err != nil {
				t.Fatal(err)
			}
			clk.add(serveCacheFor)
			resp, body := get(t, ts.URL+"/healthz")
			if resp.StatusCode != tc.want || !strings.Contains(body, tc.body) {
				t.Errorf("%d %q, want %d and %q", resp.StatusCode, body, tc.want, tc.body)
			}
		})
	}
}

// TestServeHost: on loopback only loopback names are answered (a page
// reached through a name an attacker controls is DNS rebinding), and
// --allow-host names others.
func TestServeHost(t *testing.T) {
	dir := liveRepo(t)
	for _, tc := range []struct {
		host    string
		allowed []string
		want    int
	}{
		{"", nil, 200}, // 127.0.0.1:port
		{"localhost:8080", nil, 200},
		{"[::1]:8080", nil, 200},
		{"attacker.example", nil, http.StatusMisdirectedRequest},
		{"uppfoljning.mullsjo.se", nil, http.StatusMisdirectedRequest},
		{"uppfoljning.mullsjo.se", []string{"uppfoljning.mullsjo.se"}, 200},
		{"Uppfoljning.Mullsjo.SE:443", []string{"uppfoljning.mullsjo.se"}, 200},
	} {
		ts, _ := liveServer(t, dir, tc.allowed...)
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/healthz", nil)
		if tc.host != "" {
			req.Host = tc.host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("Host %q, allowed %v: %d, want %d", tc.host, tc.allowed, resp.StatusCode, tc.want)
		}
	}
}

// TestServeGzip: a client that accepts gzip gets the same body compressed.
func TestServeGzip(t *testing.T) {
	dir := liveRepo(t)
	ts, _ := liveServer(t, dir)
	_, plain := get(t, ts.URL+"/api/status")
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/status", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent decompression
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("Content-Encoding %q, Vary %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil || string(body) != plain {
		t.Errorf("the compressed body differs (%v)", err)
	}
}
