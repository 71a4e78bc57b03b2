package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/internal/auth"
	"github.com/lofte/lofte/internal/browsertest"
	"github.com/lofte/lofte/internal/oidctest"
)

const e2ePromise = `promise: p
title: Medborgarlöfte Exempelby 2022 (påhittat)
valid: 2022
parties:
  polisen: {name: Polisen, authors: ["*@polisen.example"]}
  kommunen: {name: Exempelby kommun, authors: ["*@exempelby.example"]}
commitments:
  - id: trafik
    area: trafik
    owner: polisen
    text: Polisen ska göra minst tio trafikkontroller under året.
    rule: count(trafikkontroll) >= 10
  - id: trygghet
    area: trygghet
    owner: [polisen, kommunen]
    text: Polisen och kommunen ska arbeta tillsammans för att öka tryggheten.
    assess: manual
`

const e2eVocab = `activities:
  trafikkontroll:
    title: Trafikkontroll
    fields:
      form: {enum: [civil, uniformerad], required: true}
      plats: string
      antal: int
`

// TestBrowserEndToEnd: the police officer, on a phone, signs in through a
// real OpenID Connect provider (two organisations, two issuers), records
// a traffic control, sees a mistake at its field, saves, uploads a CSV
// file from Excel, and signs out; every record is a commit by her, the
// status moves on, and every page passes axe-core at 375 and 1280 px.
func TestBrowserEndToEnd(t *testing.T) {
	tools := browsertest.Find(t)
	chromium, node, modules := tools.Chromium, tools.Node, tools.Modules
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	writeFiles(t, dir, "rules/activities.yaml", e2eVocab, "rules/p.yaml", e2ePromise,
		"data/2022/trafikkontroll.yaml", "- {date: 2022-01-03, type: trafikkontroll, by: polisen, form: civil}\n")
	git(t, dir, "-c", "init.defaultBranch=main", "init", "-q")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "start")

	police, town := oidctest.Start(t), oidctest.Start(t)
	town.ClientID, town.ClientSecret = police.ClientID, police.ClientSecret
	police.QueueUser(&mockoidc.MockUser{Subject: "anna", Email: "Anna.Andersson@polisen.example", EmailVerified: true, PreferredUsername: "Anna Andersson"})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	method, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{
		Issuers:  []string{"Polisen=" + police.Issuer(), "Exempelby kommun=" + town.Issuer()},
		ClientID: police.ClientID, ClientSecret: police.ClientSecret, BaseURL: base,
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{
		Open:   func() (*engine.Engine, error) { return engine.Open(dir, engine.Options{}) },
		Period: "2022", AsOf: "2022-06-30", Auth: method, Now: func() time.Time { return testDay },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()

	out := browsertest.Screenshots(t, "serve")
	csv := filepath.Join(t.TempDir(), "kontroller.csv")
	// As Excel writes it: sep=, semicolons, Windows-1252 (ö is 0xF6).
	if err := os.WriteFile(csv, []byte("sep=;\r\ndate;type;by;form;plats\r\n2022-06-01;trafikkontroll;polisen;civil;Bj\xf6rkgatan\r\n2022-06-02;trafikkontroll;polisen;uniformerad;V\xe4g 26\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs(filepath.Join("testdata", "e2e.cjs"))
	run, stop := context.WithTimeout(context.Background(), 4*time.Minute)
	defer stop()
	cmd := exec.CommandContext(run, node, script, chromium, base, out, csv)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("browser: %v\n%s\n%s", err, stderr.String(), stdout.String())
	}
	var res struct {
		Pages []struct {
			Page, URL string
			Width     int
			Layout    struct {
				ScrollWidth, ClientWidth int
				Lang                     string
			}
			Violations []struct {
				ID, Impact, Help string
				Nodes            []string
			}
		}
		Steps struct {
			Before, After, AfterUpload float64
			ChooserURL                 string
			Error                      struct{ Invalid, Message, Kept string }
			Saved, Uploaded, Mina      string
			AfterLogout                string
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("browser output: %v\n%s", err, stdout.String())
	}
	st := res.Steps
	if !strings.Contains(st.ChooserURL, "/auth/login") {
		t.Errorf("the form did not ask for sign-in: %s", st.ChooserURL)
	}
	if st.Error.Invalid != "true" || st.Error.Message == "" || st.Error.Kept != "Väg 47 vid Mullsjö" {
		t.Errorf("the mistake is not shown at its field: %+v", st.Error)
	}
	if st.Before != 1 || st.After != 2 || st.AfterUpload != 4 {
		t.Errorf("the status counts %v, %v after the form, %v after the upload; want 1, 2, 4", st.Before, st.After, st.AfterUpload)
	}
	if !strings.Contains(st.Mina, "trafik") {
		t.Errorf("Mina åtaganden does not show the commitment:\n%s", st.Mina)
	}
	if !strings.Contains(st.AfterLogout, "/auth/login") {
		t.Errorf("still signed in after signing out: %s", st.AfterLogout)
	}
	// Two commits, both by Anna, one record in the first and two in the second.
	log := git(t, dir, "log", "--format=%an <%ae>|%s", "-3")
	lines := strings.Split(log, "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "Anna Andersson <anna.andersson@polisen.example>|") ||
		!strings.HasPrefix(lines[1], "Anna Andersson <anna.andersson@polisen.example>|") || !strings.HasSuffix(lines[2], "|start") {
		t.Errorf("the commits are not hers:\n%s", log)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "data/2022/trafikkontroll.yaml"))
	for _, want := range []string{"Väg 47 vid Mullsjö", "antal: 3", "Björkgatan", "Väg 26"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the records lack %q:\n%s", want, data)
		}
	}
	if len(res.Pages) < 14 {
		t.Errorf("%d pages audited", len(res.Pages))
	}
	for _, p := range res.Pages {
		for _, v := range p.Violations {
			t.Errorf("%s at %d px: axe-core %s (%s): %s %v", p.Page, p.Width, v.ID, v.Impact, v.Help, v.Nodes)
		}
		if p.Layout.ScrollWidth > p.Layout.ClientWidth {
			t.Errorf("%s at %d px is %d px wide: it scrolls sideways", p.Page, p.Width, p.Layout.ScrollWidth)
		}
		if p.Layout.Lang != "sv" {
			t.Errorf("%s: lang %q", p.Page, p.Layout.Lang)
		}
	}
	t.Logf("screenshots in %s", out)
}
