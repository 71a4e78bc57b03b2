package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
)

// clock is a settable time for the server's cache and "today".
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
// data/) for 2022, counting how often it reads the repository.
func exampleServer(t *testing.T, asOf string) (*httptest.Server, *clock, func() int) {
	t.Helper()
	g := &globals{repo: "../..", lang: "sv", stdout: io.Discard, stderr: io.Discard}
	clk := &clock{t: time.Date(2022, 8, 31, 12, 0, 0, 0, calendar.Stockholm)}
	var srv *server
	loads := func() int { srv.mu.Lock(); defer srv.mu.Unlock(); return srv.reads }
	srv = &server{
		open: func() (*engine.Engine, error) {
			return g.open(snapshotFlags{}, engine.HistoryAuto, false)
		},
		period: "2022",
		asOf:   asOf,
		now:    clk.now,
		ttl:    serveCacheFor,
	}
	ts := httptest.NewServer(srv.handler())
	t.Cleanup(ts.Close)
	return ts, clk, loads
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
		if !regexp.MustCompile(`^"[0-9a-f]{24}"$`).MatchString(etag) {
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

func TestServeCacheAndChange(t *testing.T) {
	ts, clk, loads := exampleServer(t, "")
	resp, _ := get(t, ts.URL+"/api/status")
	first := resp.Header.Get("ETag")
	get(t, ts.URL+"/metrics")
	get(t, ts.URL+"/")
	if n := loads(); n != 1 {
		t.Errorf("%d reads of the repository for three requests within %v, want 1", n, serveCacheFor)
	}
	clk.add(serveCacheFor)
	resp, _ = get(t, ts.URL+"/api/status", "If-None-Match", first)
	if n := loads(); n != 2 || resp.StatusCode != http.StatusNotModified {
		t.Errorf("after %v: %d reads, status %d; want 2 and 304 (nothing changed)", serveCacheFor, n, resp.StatusCode)
	}
	clk.add(24 * time.Hour) // a new day: expected figures move on
	resp, body := get(t, ts.URL+"/api/status", "If-None-Match", first)
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == first || !strings.Contains(body, `"as_of": "2022-09-01"`) {
		t.Errorf("a day later: %d, ETag %s (was %s)", resp.StatusCode, resp.Header.Get("ETag"), first)
	}
}

func TestServeUnreadable(t *testing.T) {
	srv := &server{
		open: func() (*engine.Engine, error) { return nil, usageErr("inget förråd här") },
		now:  time.Now, ttl: serveCacheFor,
	}
	ts := httptest.NewServer(srv.handler())
	defer ts.Close()
	for _, path := range []string{"/", "/api/status", "/metrics", "/healthz"} {
		resp, body := get(t, ts.URL+path)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "inget förråd här") {
			t.Errorf("%s: %d %q", path, resp.StatusCode, body)
		}
	}
}

// TestServeCommand runs `lofte serve` itself: it listens on loopback,
// answers, and shuts down cleanly when its context ends (as on SIGINT).
func TestServeCommand(t *testing.T) {
	var stderr syncBuffer
	g := &globals{repo: "../..", lang: "sv", stdout: io.Discard, stderr: &stderr}
	addrs := make(chan net.Addr, 1)
	s := &serveCmd{g: g, addr: "127.0.0.1:0", period: "2022", asOf: "2022-08-31", listening: func(a net.Addr) { addrs <- a }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.run(ctx) }()
	var addr net.Addr
	select {
	case addr = <-addrs:
	case err := <-done:
		t.Fatalf("serve ended: %v\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	if !loopback(addr) {
		t.Errorf("listens on %s", addr)
	}
	resp, body := get(t, "http://"+addr.String()+"/healthz")
	if resp.StatusCode != 200 || body != "ok\n" {
		t.Errorf("healthz: %d %q", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if out := stderr.String(); !strings.Contains(out, "http://"+addr.String()+"/") || !strings.Contains(out, "avslutad") {
		t.Errorf("stderr:\n%s", out)
	}

	bad := &serveCmd{g: g, addr: "127.0.0.1:0", period: "20x"}
	var ee *exitError
	if err := bad.run(context.Background()); !errors.As(err, &ee) || ee.code != exitUsage {
		t.Errorf("bad --period: %v", err)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutine and the
// test's.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.b.String() }
