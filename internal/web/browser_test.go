package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lofte/lofte/internal/browsertest"
)

// TestBrowser renders every page (forms empty and with errors, the
// confirmation, Mina åtaganden, the upload and its previews, a refusal),
// opens each in headless Chromium at 375 and 1280 px wide, saves
// full-page screenshots and runs axe-core: no violation may remain, and
// the narrow pages must not scroll sideways. It logs each page's weight.
// What it needs, and LOFTE_BROWSER_TEST, LOFTE_NODE_MODULES and
// LOFTE_SCREENSHOTS, are as for engine/report's TestBrowser.
func TestBrowser(t *testing.T) {
	tools := browsertest.Find(t)
	chromium, node, modules := tools.Chromium, tools.Node, tools.Modules
	dir := browsertest.Screenshots(t, "web")
	script, err := filepath.Abs(filepath.Join("testdata", "browser.cjs"))
	if err != nil {
		t.Fatal(err)
	}

	var files []string
	for name, body := range renderPages(t) {
		file := filepath.Join(dir, name+".html")
		if err := os.WriteFile(file, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
		t.Logf("%-22s %6d bytes", name, len(body))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{script, chromium, dir, "375,1280"}, files...)...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("browser: %v\n%s", err, stderr.String())
	}
	var res []struct {
		Page   string
		Width  int
		Layout struct {
			ScrollWidth, ClientWidth int
			Lang                     string
			Headings                 []int
		}
		Violations []struct {
			ID, Impact, Help string
			Nodes            []string
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("browser output: %v\n%s", err, stdout.String())
	}
	if len(res) != 2*len(files) {
		t.Fatalf("%d renderings, want %d", len(res), 2*len(files))
	}
	for _, r := range res {
		for _, v := range r.Violations {
			t.Errorf("%s at %d px: axe-core %s (%s): %s %v", r.Page, r.Width, v.ID, v.Impact, v.Help, v.Nodes)
		}
		if r.Layout.ScrollWidth > r.Layout.ClientWidth {
			t.Errorf("%s at %d px is %d px wide: it scrolls sideways", r.Page, r.Width, r.Layout.ScrollWidth)
		}
		if r.Layout.Lang != "sv" || len(r.Layout.Headings) == 0 || r.Layout.Headings[0] != 1 {
			t.Errorf("%s: lang %q, headings %v", r.Page, r.Layout.Lang, r.Layout.Headings)
		}
	}
	t.Logf("screenshots in %s", dir)
}

// renderPages renders every page of the signed-in side, as served.
func renderPages(t *testing.T) map[string][]byte {
	f := newFixture(t)
	out := map[string][]byte{}
	get := func(name, target, who string, code int) {
		t.Helper()
		w := f.do("GET", target, who, "", nil)
		if w.Code != code {
			t.Fatalf("%s: %d", name, w.Code)
		}
		out[name] = w.Body.Bytes()
	}
	keep := func(name string, w interface {
		Result() *http.Response
	}, body []byte, code int) {
		t.Helper()
		if w.Result().StatusCode != code {
			t.Fatalf("%s: %d %s", name, w.Result().StatusCode, body)
		}
		out[name] = body
	}
	get("registrera", "/registrera", officer, 200)
	get("trafikkontroll", "/registrera/trafikkontroll", officer, 200)
	get("samverkansmote", "/registrera/samverkansmote", official, 200)
	get("trygghetsvandring", "/registrera/trygghetsvandring", official, 200)
	get("bedomning", "/registrera/assessment", official, 200)
	w := f.form("/registrera/trafikkontroll", officer, url.Values{"by": {"polisen"}, "form": {"civil"}, "plats": {"väg 47"}, "antal_kontrollerade": {"många"}})
	keep("trafikkontroll-fel", w, w.Body.Bytes(), 422)
	w = f.form("/registrera/trafikkontroll", officer, url.Values{"by": {"polisen"}, "riktad_mot": {"allman"}, "form": {"civil"}, "plats": {"väg 47"}})
	get("sparat", w.Header().Get("Location"), officer, 200)
	f.api(official, `{"type":"assessment","commitment":"droger.samverkan","status":"on_track","note":"Möten varje månad"}`)
	get("mina", "/mina", officer, 200)
	get("mina-kommunen", "/mina", official, 200)
	get("ladda-upp", "/ladda-upp", officer, 200)
	ct, body := upload(t, "hundsok.csv", "date;type;by;plats;skola\n2022-08-01;hundsok;polisen;grundskola;Centralskolan\n2022-08-15;hundsok;polisen+kommunen;gymnasium;\n")
	w = f.do("POST", "/ladda-upp", officer, ct, body)
	keep("ladda-upp-ok", w, w.Body.Bytes(), 200)
	ct, body = upload(t, "trafik.csv", "date;type;by;riktad_mot;form;plats\n2022-08-01;trafikkontroll;polisen;allman;civil;väg 47\n2022-08-02;trafikkontroll;kommunen;allman;civil;väg 26\n2022-08-03;trafikkontroll;polisen;alla;till fots;centrum\n")
	w = f.do("POST", "/ladda-upp", officer, ct, body)
	keep("ladda-upp-fel", w, w.Body.Bytes(), 422)
	w = f.form("/registrera/hundsok", "", url.Values{})
	keep("inte-inloggad", w, w.Body.Bytes(), 401)
	for name, b := range out {
		if !strings.Contains(string(b), "<html lang=\"sv\">") {
			t.Fatalf("%s is no page", name)
		}
	}
	return out
}
