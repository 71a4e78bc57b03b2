package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/internal/oidctest"
	"github.com/lofte/lofte/internal/serve"
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
	g := &globals{repo: "../..", lang: "sv", stdout: io.Discard, stderr: io.Discard}
	srv, err := serve.New(serve.Config{
		Open:   func() (*engine.Engine, error) { return g.open(snapshotFlags{}, engine.HistoryAuto, false) },
		Period: "2022", AsOf: "2022-08-31",
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	_, body := get(t, ts.URL+"/api/status")
	if body != want {
		t.Errorf("/api/status differs from evaluate --format json:\n--- serve\n%.2000s\n--- evaluate\n%.2000s", body, want)
	}
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

// TestServeCommand runs `lofte serve` itself: it listens on loopback,
// answers, and shuts down cleanly when its context ends (as on SIGINT).
func TestServeCommand(t *testing.T) {
	// Its messages in Swedish, and in English with --lang en.
	for lang, stopped := range map[string]string{"sv": "servern är avslutad", "en": "the server has stopped"} {
		var stderr syncBuffer
		g := &globals{repo: "../..", lang: lang, stdout: io.Discard, stderr: &stderr}
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
		if out := stderr.String(); !strings.Contains(out, "http://"+addr.String()+"/") || !strings.Contains(out, stopped) {
			t.Errorf("stderr:\n%s", out)
		}
	}
	g := &globals{repo: "../..", lang: "sv", stdout: io.Discard, stderr: io.Discard}
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

// TestServeOIDCNotes: serve --auth oidc against a real provider says what
// it lacks and still starts: without LOFTE_OIDC_CLIENT_SECRET only a
// public client can sign in, without LOFTE_SESSION_KEY a restart signs
// everyone out.
func TestServeOIDCNotes(t *testing.T) {
	m := oidctest.Start(t)
	for _, tc := range []struct {
		secret, key string
		want        []string
		not         []string
	}{
		{"", "", []string{"LOFTE_OIDC_CLIENT_SECRET är inte satt", "LOFTE_SESSION_KEY är inte satt"}, nil},
		{"hemlig", strings.Repeat("ab", 32), nil, []string{"LOFTE_OIDC_CLIENT_SECRET", "LOFTE_SESSION_KEY"}},
	} {
		t.Setenv("LOFTE_OIDC_CLIENT_SECRET", tc.secret)
		t.Setenv("LOFTE_SESSION_KEY", tc.key)
		var stderr bytes.Buffer
		s := &serveCmd{g: &globals{lang: "sv", stdout: io.Discard, stderr: &stderr},
			issuers: []string{m.Issuer()}, clientID: m.ClientID, baseURL: "http://127.0.0.1:8080"}
		if _, err := s.oidc(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr.String(), w) {
				t.Errorf("secret %q, key %q: no %q in %q", tc.secret, tc.key, w, stderr.String())
			}
		}
		for _, w := range tc.not {
			if strings.Contains(stderr.String(), w) {
				t.Errorf("secret %q, key %q: %q in %q", tc.secret, tc.key, w, stderr.String())
			}
		}
	}
}
