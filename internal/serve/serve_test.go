package serve

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// exampleServer serves the bundled example (the project's own rules/ and
// data/) for 2022, with a clock the test moves on.
func exampleServer(t *testing.T, asOf string) (*httptest.Server, *clock, func() int) {
	t.Helper()
	return testServer(t, "../..", "2022", asOf, time.Date(2022, 8, 31, 12, 0, 0, 0, calendar.Stockholm))
}

// testServer serves the repository at dir.
func testServer(t *testing.T, dir, period, asOf string, at time.Time, hosts ...string) (*httptest.Server, *clock, func() int) {
	t.Helper()
	clk := &clock{t: at}
	s, err := New(Config{
		Open: func() (*engine.Engine, error) {
			return engine.Open(dir, engine.Options{Today: func() calendar.Date { return calendar.Today(clk.now()) }})
		},
		Dir: dir, Period: period, AsOf: asOf, Now: clk.now, AllowHosts: hosts,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	reads := func() int { s.live.mu.Lock(); defer s.live.mu.Unlock(); return s.live.reads }
	return ts, clk, reads
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestServeEndpoints(t *testing.T) {
	ts, _, _ := exampleServer(t, "2022-08-31")

	t.Run("healthz", func(t *testing.T) {
		resp, body := get(t, ts.URL+"/healthz")
		if resp.StatusCode != 200 || body != "ok\n" {
			t.Errorf("%d %q", resp.StatusCode, body)
		}
	})

	var etag string
	t.Run("api/status", func(t *testing.T) {
		resp, body := get(t, ts.URL+"/api/status")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var rep struct {
			AsOf        string `json:"as_of"`
			Evaluations []struct {
				Period      string `json:"period"`
				Commitments []struct {
					ID     string `json:"id"`
					Status string `json:"status"`
				} `json:"commitments"`
			} `json:"evaluations"`
			Errors []any `json:"errors"`
		}
		if err := json.Unmarshal([]byte(body), &rep); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		if rep.AsOf != "2022-08-31" || len(rep.Evaluations) != 1 || len(rep.Evaluations[0].Commitments) != 12 || len(rep.Errors) != 0 {
			t.Errorf("as_of %s, %d evaluations, errors %v", rep.AsOf, len(rep.Evaluations), rep.Errors)
		}
		etag = resp.Header.Get("ETag")
		if !regexp.MustCompile(`^W/"[0-9a-f]{24}"$`).MatchString(etag) {
			t.Errorf("ETag %q", etag)
		}
		resp, body = get(t, ts.URL+"/api/status", "If-None-Match", etag)
		if resp.StatusCode != http.StatusNotModified || body != "" {
			t.Errorf("with If-None-Match: %d %q", resp.StatusCode, body)
		}
	})

	t.Run("page", func(t *testing.T) {
		resp, body := get(t, ts.URL+"/")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if resp.Header.Get("ETag") != etag || !strings.Contains(body, `data-etag="`+strings.ReplaceAll(etag, `"`, "&#34;")+`"`) {
			t.Errorf("the page does not carry the status's ETag %s", etag)
		}
		for _, want := range []string{`<html lang="sv">`, "Medborgarlöfte Mullsjö 2021–2022", "<script>", `fetch("api/status"`, "<svg"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page has no %s", want)
			}
		}
		if strings.Contains(body, `href="/registrera"`) {
			t.Error("a link to recording on a server without sign-in")
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "connect-src 'self'") {
			t.Errorf("Content-Security-Policy %q", csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Error("no nosniff")
		}
	})

	t.Run("metrics", func(t *testing.T) {
		resp, body := get(t, ts.URL+"/metrics")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
			t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		samples := scrape(t, body)
		status := map[string]string{}
		for _, s := range samples {
			if s.name == "lofte_commitment_status" && s.value == 1 {
				status[s.labels["id"]] = s.labels["status"]
			}
		}
		if len(status) != 12 || status["trafik.kontroller"] != "behind" || status["droger.samverkan"] != "met" {
			t.Errorf("statuses %v", status)
		}
		var errs, value float64 = -1, -1
		for _, s := range samples {
			switch {
			case s.name == "lofte_errors":
				errs = s.value
			case s.name == "lofte_commitment_value" && s.labels["id"] == "trafik.kontroller":
				value = s.value
			}
		}
		if errs != 0 || value != 61 {
			t.Errorf("lofte_errors %v, value of trafik.kontroller %v", errs, value)
		}
	})

	t.Run("other paths and methods", func(t *testing.T) {
		if resp, _ := get(t, ts.URL+"/nope"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("/nope: %d", resp.StatusCode)
		}
		resp, err := http.Post(ts.URL+"/", "text/plain", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST /: %d", resp.StatusCode)
		}
		head, err := http.Head(ts.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		head.Body.Close()
		if head.StatusCode != 200 {
			t.Errorf("HEAD /healthz: %d", head.StatusCode)
		}
	})
}

// sample is one line of the Prometheus text format.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

var (
	sampleRe = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$`)
	labelRe  = regexp.MustCompile(`^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(?:,|$)`)
	familyRe = regexp.MustCompile(`^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$`)
)

// scrape reads a metrics answer line by line as a scraper would, failing
// on a line it would reject or a sample of an undeclared family.
func scrape(t *testing.T, body string) []sample {
	t.Helper()
	declared := map[string]bool{}
	var out []sample
	for i, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		if m := familyRe.FindStringSubmatch(line); m != nil {
			declared[m[2]] = true
			continue
		}
		m := sampleRe.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("line %d: %q", i+1, line)
		}
		s := sample{name: m[1], labels: map[string]string{}}
		if !declared[s.name] {
			t.Errorf("line %d: %s not declared", i+1, s.name)
		}
		for rest := m[2]; rest != ""; {
			lm := labelRe.FindStringSubmatch(rest)
			if lm == nil {
				t.Fatalf("line %d: labels %q", i+1, rest)
			}
			s.labels[lm[1]] = lm[2]
			rest = rest[len(lm[0]):]
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		s.value = v
		out = append(out, s)
	}
	return out
}

// TestServeConditional: If-None-Match as clients and proxies send it
// (RFC 9110 §13.1.2): a list of tags, a weak tag (a proxy that compresses
// weakens the tag it passes on), "*"; the page answers it as the status
// does, whose tag it carries.
func TestServeConditional(t *testing.T) {
	ts, _, _ := exampleServer(t, "2022-08-31")
	resp, _ := get(t, ts.URL+"/api/status")
	etag := resp.Header.Get("ETag")
	opaque := strings.TrimPrefix(etag, "W/") // compared weakly: with or without W/
	tests := []struct {
		inm  string
		want int
	}{
		{etag, http.StatusNotModified},
		{opaque, http.StatusNotModified},
		{`"0123", ` + opaque, http.StatusNotModified},
		{`"0123",W/` + opaque + `, "4567"`, http.StatusNotModified},
		{"*", http.StatusNotModified},
		{`"0123"`, http.StatusOK},
		{strings.TrimSuffix(etag, `"`) + `0"`, http.StatusOK},
		{"", http.StatusOK},
	}
	for _, path := range []string{"/api/status", "/"} {
		for _, tt := range tests {
			resp, body := get(t, ts.URL+path, "If-None-Match", tt.inm)
			if resp.StatusCode != tt.want || resp.Header.Get("ETag") != etag {
				t.Errorf("%s, If-None-Match %s: %d with ETag %s, want %d with %s", path, tt.inm, resp.StatusCode, resp.Header.Get("ETag"), tt.want, etag)
			}
			if tt.want == http.StatusNotModified && body != "" {
				t.Errorf("%s, If-None-Match %s: a body with 304", path, tt.inm)
			}
		}
	}
}

func TestServeCacheAndChange(t *testing.T) {
	ts, clk, loads := exampleServer(t, "")
	resp, _ := get(t, ts.URL+"/api/status")
	first := resp.Header.Get("ETag")
	get(t, ts.URL+"/metrics")
	get(t, ts.URL+"/")
	if n := loads(); n != 1 {
		t.Errorf("%d reads of the repository for three requests within %v, want 1", n, CacheFor)
	}
	clk.add(CacheFor)
	resp, _ = get(t, ts.URL+"/api/status", "If-None-Match", first)
	if n := loads(); n != 2 || resp.StatusCode != http.StatusNotModified {
		t.Errorf("after %v: %d reads, status %d; want 2 and 304 (nothing changed)", CacheFor, n, resp.StatusCode)
	}
	clk.add(24 * time.Hour) // a new day: expected figures move on
	resp, body := get(t, ts.URL+"/api/status", "If-None-Match", first)
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == first || !strings.Contains(body, `"as_of": "2022-09-01"`) {
		t.Errorf("a day later: %d, ETag %s (was %s)", resp.StatusCode, resp.Header.Get("ETag"), first)
	}
}

func TestServeUnreadable(t *testing.T) {
	_, err := New(Config{Open: func() (*engine.Engine, error) { return nil, errors.New("inget förråd här") }})
	if err == nil || !strings.Contains(err.Error(), "inget förråd här") {
		t.Errorf("New with no repository: %v", err)
	}
}

// liveServer serves a repository of the test at a fixed date, with a
// clock the test moves on to make it read the files again.
func liveServer(t *testing.T, dir string, hosts ...string) (*httptest.Server, *clock) {
	t.Helper()
	ts, clk, _ := testServer(t, dir, "2022", "2022-06-30", time.Date(2022, 6, 30, 12, 0, 0, 0, calendar.Stockholm), hosts...)
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

func writeFiles(t testing.TB, dir string, pc ...string) {
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
	clk.add(CacheFor)
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
	clk.add(CacheFor)
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
			clk.add(CacheFor)
			resp, body := get(t, ts.URL+"/healthz")
			if resp.StatusCode != tc.want || !strings.Contains(body, tc.body) {
				t.Errorf("%d %q, want %d and %q", resp.StatusCode, body, tc.want, tc.body)
			}
			// Over HTTP the repository is its folder's name, never its path
			// on the server (docs/reference.md §10).
			if strings.Contains(body, filepath.Dir(dir)) {
				t.Errorf("/healthz shows the server's path %s: %q", filepath.Dir(dir), body)
			}
		})
	}
}

func TestFolderOnly(t *testing.T) {
	for _, tc := range []struct{ msg, dir, want string }{
		{"kan inte läsa git-förrådet i /srv/lofte/kommun (trasig)", "/srv/lofte/kommun", "kan inte läsa git-förrådet i kommun (trasig)"},
		{"/srv/lofte/kommun/data saknas", "/srv/lofte/kommun", "kommun/data saknas"},
		{"förrådet i /srv/lofte: inget", "/srv/lofte/kommun/rules", "förrådet i lofte: inget"}, // the git repository above it
		{"/srv/lofte/kommun-gammal finns", "/srv/lofte/kommun", "lofte/kommun-gammal finns"},   // named from the folder above
		{"/srv/lofte/kommunen finns", "/srv/lofte/kommun", "lofte/kommunen finns"},
		{"inget att byta", "/srv/lofte/kommun", "inget att byta"},
		{"/srv/lofte/kommun och /srv/lofte/kommun", "/srv/lofte/kommun", "kommun och kommun"},
		{"/srv/x", "", "/srv/x"},
	} {
		if got := folderOnly(tc.msg, tc.dir); got != tc.want {
			t.Errorf("folderOnly(%q, %q) = %q, want %q", tc.msg, tc.dir, got, tc.want)
		}
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

// TestServeKeepsNewsTrue: when data/ disappears while the server runs,
// the page and the API keep the last good evaluation rather than publish
// every commitment at 0; /healthz says why.
func TestServeKeepsNewsTrue(t *testing.T) {
	dir := liveRepo(t)
	ts, clk := liveServer(t, dir)
	_, before := get(t, ts.URL+"/api/status")
	if err := os.Rename(filepath.Join(dir, "data"), filepath.Join(dir, "data.flyttad")); err != nil {
		t.Fatal(err)
	}
	clk.add(CacheFor)
	if resp, body := get(t, ts.URL+"/healthz"); resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "data/") {
		t.Errorf("healthz: %d %q", resp.StatusCode, body)
	}
	if _, after := get(t, ts.URL+"/api/status"); after != before {
		t.Errorf("the API changed without data/:\n%s", after)
	}
}
