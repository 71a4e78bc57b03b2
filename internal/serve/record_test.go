package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/internal/auth"
)

// The repository of the recording tests: two parties with authors, a
// count and a manual commitment of the municipality.
const (
	recVocab = `activities:
  trafikkontroll:
    title: Trafikkontroll
    fields:
      form: {enum: [civil, uniformerad], required: true}
      plats: string
`
	recPromise = `promise: p
title: Medborgarlöfte Exempelby 2022 (påhittat)
valid: 2022
parties:
  polisen: {name: Polisen, authors: ["*@polisen.example"]}
  kommunen: {name: Exempelby kommun, authors: ["*@exempelby.example"]}
commitments:
  - id: trafik
    owner: polisen
    rule: count(trafikkontroll) >= 10
  - id: samverkan
    owner: kommunen
    assess: manual
`
	anna = "anna@polisen.example"
	bo   = "bo@exempelby.example"
)

var testDay = time.Date(2022, 6, 30, 12, 0, 0, 0, calendar.Stockholm)

// git runs git in dir and returns its output.
func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Start", "GIT_AUTHOR_EMAIL=start@example.org", "GIT_COMMITTER_NAME=Start", "GIT_COMMITTER_EMAIL=start@example.org")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// recRepo is a committed repository with one traffic control.
func recRepo(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	writeFiles(t, dir, "rules/activities.yaml", recVocab, "rules/p.yaml", recPromise,
		"data/2022/trafikkontroll.yaml", "- {date: 2022-01-03, type: trafikkontroll, by: polisen, form: civil}\n")
	git(t, dir, "-c", "init.defaultBranch=main", "init", "-q")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "start")
	return dir
}

// recServer serves dir signed in through a proxy trusted at trusted.
func recServer(t testing.TB, dir string, push bool, trusted ...string) (*Server, *httptest.Server) {
	t.Helper()
	if trusted == nil {
		trusted = []string{"127.0.0.1", "::1"}
	}
	nets, err := auth.ParsePrefixes(trusted)
	if err != nil {
		t.Fatal(err)
	}
	p, err := auth.NewProxy(auth.ProxyConfig{Header: "X-Forwarded-Email", Trusted: nets})
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return testDay }
	s, err := New(Config{
		Open:   func() (*engine.Engine, error) { return engine.Open(dir, engine.Options{}) },
		Period: "2022", AsOf: "2022-06-30", Auth: p, Push: push, Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

// post sends a record to /api/records as who ("" for nobody), with extra
// headers: name, value…
func post(t *testing.T, url, who, body string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/api/records", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if who != "" {
		req.Header.Set("X-Forwarded-Email", who)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestRecordsAPI: POST /api/records answers as docs/reference.md §12
// says, and writes exactly one commit by the signed-in person for a 201,
// nothing otherwise.
func TestRecordsAPI(t *testing.T) {
	dir := recRepo(t)
	_, ts := recServer(t, dir, false)
	for _, tc := range []struct {
		name, who, body string
		want            int
		field           string
	}{
		{"not signed in", "", `{"type": "trafikkontroll", "by": "polisen", "form": "civil"}`, 401, ""},
		{"the police record their own", anna, `{"type": "trafikkontroll", "by": "polisen", "form": "civil"}`, 201, ""},
		{"the police record for the municipality", anna, `{"type": "trafikkontroll", "by": "kommunen", "form": "civil"}`, 403, "by"},
		{"a joint record by the municipality", bo, `{"type": "trafikkontroll", "by": "polisen+kommunen", "form": "uniformerad"}`, 201, ""},
		{"a value not in the enum", anna, `{"type": "trafikkontroll", "by": "polisen", "form": "hemlig"}`, 422, "form"},
		{"a required field missing", anna, `{"type": "trafikkontroll", "by": "polisen"}`, 422, "form"},
		{"a personnummer", anna, `{"type": "trafikkontroll", "by": "polisen", "form": "civil", "plats": "19811218-9876"}`, 422, "plats"},
		{"an assessment of another party's commitment", anna, `{"type": "assessment", "commitment": "samverkan", "status": "met"}`, 403, ""},
		{"an assessment of their own", bo, `{"type": "assessment", "commitment": "samverkan", "status": "on_track", "note": "enligt plan"}`, 201, ""},
		{"someone of no party", "eve@example.org", `{"type": "trafikkontroll", "by": "polisen", "form": "civil"}`, 403, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := git(t, dir, "rev-parse", "HEAD")
			code, body := post(t, ts.URL, tc.who, tc.body)
			if code != tc.want {
				t.Fatalf("%d %s, want %d", code, body, tc.want)
			}
			if strings.Contains(body, "19811218") || strings.Contains(body, "9876") {
				t.Errorf("the answer repeats the personnummer: %s", body)
			}
			after := git(t, dir, "rev-parse", "HEAD")
			if tc.want != 201 {
				if after != before || git(t, dir, "status", "--porcelain") != "" {
					t.Errorf("something was written for a %d", code)
				}
				var got struct {
					Errors []struct{ Field, Message string }
				}
				if err := json.Unmarshal([]byte(body), &got); err != nil || len(got.Errors) == 0 {
					t.Fatalf("no errors in %s", body)
				}
				if tc.field != "" && got.Errors[0].Field != tc.field {
					t.Errorf("field %q, want %q: %s", got.Errors[0].Field, tc.field, body)
				}
				return
			}
			var got struct {
				Commit, File string
				Line         int
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			if got.Commit != after || git(t, dir, "rev-parse", "HEAD~1") != before {
				t.Errorf("commit %s: not exactly one new commit on %s", got.Commit, before)
			}
			if author := git(t, dir, "log", "-1", "--format=%ae"); author != tc.who {
				t.Errorf("author %s, want %s", author, tc.who)
			}
			if files := git(t, dir, "show", "--name-only", "--format=", "HEAD"); files != got.File {
				t.Errorf("the commit changes %q, want only %s", files, got.File)
			}
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(got.File)))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(data), "\n")
			if got.Line < 1 || got.Line > len(lines) || !strings.Contains(lines[got.Line-1], "2022-06-30") {
				t.Errorf("line %d of %s is not the record:\n%s", got.Line, got.File, data)
			}
		})
	}
}

// TestUntrustedProxy: the e-mail header counts only from the proxy's
// address; from anywhere else the request is not signed in.
func TestUntrustedProxy(t *testing.T) {
	dir := recRepo(t)
	_, ts := recServer(t, dir, false, "10.0.0.0/8")
	if code, body := post(t, ts.URL, anna, `{"type": "trafikkontroll", "by": "polisen", "form": "civil"}`); code != http.StatusUnauthorized {
		t.Errorf("a header from an untrusted address: %d %s", code, body)
	}
	if n := git(t, dir, "rev-list", "--count", "HEAD"); n != "1" {
		t.Errorf("%s commits", n)
	}
}

// TestCrossSite: a request from another site that would write is
// refused, whoever is signed in.
func TestCrossSite(t *testing.T) {
	dir := recRepo(t)
	_, ts := recServer(t, dir, false)
	for _, h := range [][]string{{"Origin", "https://attacker.example"}, {"Sec-Fetch-Site", "cross-site"}} {
		if code, body := post(t, ts.URL, anna, `{"type": "trafikkontroll", "by": "polisen", "form": "civil"}`, h...); code != http.StatusForbidden {
			t.Errorf("%s: %d %s", h, code, body)
		}
	}
	if n := git(t, dir, "rev-list", "--count", "HEAD"); n != "1" {
		t.Errorf("%s commits after refused requests", n)
	}
}

// TestConcurrentSubmissions: twenty people submitting at once lose
// nothing: twenty commits, each record once, a repository git finds sound.
func TestConcurrentSubmissions(t *testing.T) {
	dir := recRepo(t)
	_, ts := recServer(t, dir, false)
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"type": "trafikkontroll", "by": "polisen", "form": "civil", "plats": "plats %d"}`, i)
			codes[i], _ = post(t, ts.URL, fmt.Sprintf("p%d@polisen.example", i), body)
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusCreated {
			t.Errorf("submission %d: %d", i, c)
		}
	}
	if n := git(t, dir, "rev-list", "--count", "HEAD"); n != "21" {
		t.Errorf("%s commits, want 21", n)
	}
	git(t, dir, "fsck", "--strict")
	data, err := os.ReadFile(filepath.Join(dir, "data/2022/trafikkontroll.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range codes {
		if n := strings.Count(string(data), fmt.Sprintf("plats %d}", i)); n != 1 {
			t.Errorf("record %d is in the file %d times", i, n)
		}
	}
	if s := git(t, dir, "status", "--porcelain"); s != "" {
		t.Errorf("the working tree is not clean:\n%s", s)
	}
}

// TestStatusMovesOn: a record written shows in the status at once.
func TestStatusMovesOn(t *testing.T) {
	dir := recRepo(t)
	_, ts := recServer(t, dir, false)
	value := func() float64 {
		_, body := get(t, ts.URL+"/api/status")
		var rep struct {
			Evaluations []struct {
				Commitments []struct {
					ID      string
					Windows []struct{ Value float64 }
				}
			}
		}
		if err := json.Unmarshal([]byte(body), &rep); err != nil {
			t.Fatal(err)
		}
		for _, c := range rep.Evaluations[0].Commitments {
			if c.ID == "trafik" {
				return c.Windows[0].Value
			}
		}
		t.Fatal("no trafik")
		return 0
	}
	if v := value(); v != 1 {
		t.Fatalf("value %v at the start", v)
	}
	if code, body := post(t, ts.URL, anna, `{"type": "trafikkontroll", "by": "polisen", "form": "civil"}`); code != 201 {
		t.Fatalf("%d %s", code, body)
	}
	if v := value(); v != 2 {
		t.Errorf("value %v after a record, want 2", v)
	}
}

// TestPush: the server's clone of a shared (bare) repository pushes each
// record; when another clone pushed in between, the record is re-applied
// on top and pushed; when the remote cannot be reached the record waits,
// the page says so, and it is sent when the remote is back.
func TestPush(t *testing.T) {
	seed := recRepo(t)
	remote := filepath.Join(t.TempDir(), "remote.git")
	git(t, seed, "clone", "-q", "--bare", seed, remote)
	server := filepath.Join(t.TempDir(), "server")
	other := filepath.Join(t.TempDir(), "other")
	git(t, seed, "clone", "-q", remote, server)
	git(t, seed, "clone", "-q", remote, other)
	s, ts := recServer(t, server, true)

	// Another clone records and pushes first.
	f := filepath.Join(other, "data/2022/trafikkontroll.yaml")
	data, _ := os.ReadFile(f)
	writeFiles(t, other, "data/2022/trafikkontroll.yaml", string(data)+"- {date: 2022-02-01, type: trafikkontroll, by: polisen, form: uniformerad}\n")
	git(t, other, "commit", "-q", "-am", "från den andra")
	git(t, other, "push", "-q")

	if code, body := post(t, ts.URL, anna, `{"type": "trafikkontroll", "by": "polisen", "form": "civil", "plats": "servern"}`); code != 201 {
		t.Fatalf("%d %s", code, body)
	}
	atRemote := git(t, remote, "show", "main:data/2022/trafikkontroll.yaml")
	if strings.Count(atRemote, "2022-02-01") != 1 || strings.Count(atRemote, "servern") != 1 {
		t.Errorf("the remote does not have both records once:\n%s", atRemote)
	}
	if who := git(t, remote, "log", "-1", "--format=%ae", "main"); who != anna {
		t.Errorf("the pushed commit is by %s", who)
	}
	git(t, remote, "fsck", "--strict")

	// The remote goes away: the record waits, and is sent when it is back.
	gone := remote + ".borta"
	if err := os.Rename(remote, gone); err != nil {
		t.Fatal(err)
	}
	if code, body := post(t, ts.URL, anna, `{"type": "trafikkontroll", "by": "polisen", "form": "civil", "plats": "väntar"}`); code != 201 {
		t.Fatalf("%d %s", code, body)
	}
	if n := s.backend().Pending(); n != 1 {
		t.Errorf("%d waiting, want 1", n)
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/mina", nil)
	req.Header.Set("X-Forwarded-Email", anna)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "väntar på att skickas") {
		t.Errorf("the page does not say a record waits:\n%.3000s", page)
	}
	if err := os.Rename(gone, remote); err != nil {
		t.Fatal(err)
	}
	s.sync(context.Background())
	if n := s.backend().Pending(); n != 0 {
		t.Errorf("%d still waiting after the remote came back (%v)", n, s.syncer.Err())
	}
	if atRemote := git(t, remote, "show", "main:data/2022/trafikkontroll.yaml"); strings.Count(atRemote, "väntar") != 1 {
		t.Errorf("the waiting record did not reach the remote once:\n%s", atRemote)
	}
	git(t, remote, "fsck", "--strict")

	// A record pushed by the other clone is followed.
	git(t, other, "pull", "-q", "--rebase")
	data, _ = os.ReadFile(f)
	writeFiles(t, other, "data/2022/trafikkontroll.yaml", string(data)+"- {date: 2022-03-01, type: trafikkontroll, by: polisen, form: civil}\n")
	git(t, other, "commit", "-q", "-am", "en till")
	git(t, other, "push", "-q")
	s.sync(context.Background())
	mine, err := os.ReadFile(filepath.Join(server, "data/2022/trafikkontroll.yaml"))
	if err != nil || !strings.Contains(string(mine), "2022-03-01") {
		t.Errorf("the server did not follow the remote (%v):\n%s", err, mine)
	}
}

// TestPageLinksToRecording: with sign-in, the public page's navigation
// links to the forms.
func TestPageLinksToRecording(t *testing.T) {
	_, ts := recServer(t, recRepo(t), false)
	resp, body := get(t, ts.URL+"/")
	if resp.StatusCode != 200 {
		t.Fatalf("%d", resp.StatusCode)
	}
	if !strings.Contains(body, `<li class="nav-extra"><a href="/registrera">Logga in för att registrera</a></li>`) {
		t.Errorf("no link to /registrera in the page:\n%s", body)
	}
}

// TestRecordOverUncommittedChanges: when the file a record would go to
// has changes on the server that are not committed, nothing is written
// and the answer is 409 Conflict (the repository is not in a state to
// take it), not a server error, and it does not point the person at the
// command line's --no-commit.
func TestRecordOverUncommittedChanges(t *testing.T) {
	dir := recRepo(t)
	_, ts := recServer(t, dir, false)
	file := filepath.Join(dir, "data", "2022", "trafikkontroll.yaml")
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "- {date: 2022-01-04, type: trafikkontroll, by: polisen, form: civil}")
	f.Close()
	before := git(t, dir, "rev-parse", "HEAD")
	code, body := post(t, ts.URL, anna, `{"type": "trafikkontroll", "by": "polisen", "form": "civil"}`)
	if code != http.StatusConflict {
		t.Fatalf("%d %s, want 409", code, body)
	}
	if strings.Contains(body, "--no-commit") || !strings.Contains(body, "data/2022/trafikkontroll.yaml") {
		t.Errorf("the answer should name the file and not the command line's --no-commit: %s", body)
	}
	if git(t, dir, "rev-parse", "HEAD") != before || git(t, dir, "status", "--porcelain") != "M data/2022/trafikkontroll.yaml" {
		t.Errorf("something was written")
	}
}

// TestDefaultDateAtMidnight: a record without a date made just after
// midnight is dated the new day, though the evaluation the page shows was
// made (and is shared for CacheFor) the day before.
func TestDefaultDateAtMidnight(t *testing.T) {
	dir := recRepo(t)
	nets, err := auth.ParsePrefixes([]string{"127.0.0.1", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := auth.NewProxy(auth.ProxyConfig{Header: "X-Forwarded-Email", Trusted: nets})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	clock := time.Date(2022, 6, 30, 23, 59, 59, 0, calendar.Stockholm)
	s, err := New(Config{
		Open:   func() (*engine.Engine, error) { return engine.Open(dir, engine.Options{}) },
		Period: "2022", Auth: p,
		Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return clock },
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	if r, err := http.Get(ts.URL + "/api/status"); err != nil {
		t.Fatal(err)
	} else {
		r.Body.Close()
	}
	mu.Lock()
	clock = clock.Add(time.Second) // 00:00:00 on 1 July, within CacheFor
	mu.Unlock()
	code, body := post(t, ts.URL, anna, `{"type": "trafikkontroll", "by": "polisen", "form": "civil"}`)
	if code != http.StatusCreated {
		t.Fatalf("%d %s", code, body)
	}
	if got := git(t, dir, "show", "HEAD", "--format=", "--unified=0"); !strings.Contains(got, "2022-07-01") {
		t.Errorf("the record made at midnight is not dated 1 July:\n%s", got)
	}
}
