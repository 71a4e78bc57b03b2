package report

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/internal/browsertest"
)

// TestBrowser opens the public page of the bundled example in headless
// Chromium at 1280 and 375 px wide, saves full-page screenshots (and the
// print layout and an A4 PDF), and runs axe-core on it: no serious or
// critical violation of WCAG 2.1 A and AA may remain, and the narrow page
// must not scroll sideways.
//
// What it needs, and how it is found, is in package browsertest.
func TestBrowser(t *testing.T) {
	tools := browsertest.Find(t)
	chromium, node, modules := tools.Chromium, tools.Node, tools.Modules
	script, err := filepath.Abs(filepath.Join("testdata", "browser.cjs"))
	if err != nil {
		t.Fatal(err)
	}
	shots := browsertest.Screenshots(t, "")

	r := example(t)
	rendered := map[string]*bytes.Buffer{}
	var names []string
	for _, pg := range pages {
		var b bytes.Buffer
		if err := HTML(&b, evaluateExample(t, r, pg.period, pg.asOf), PageOptions{Cumulative: r.Cumulative, Links: pg.links}); err != nil {
			t.Fatal(err)
		}
		rendered[pg.name], names = &b, append(names, pg.name)
	}
	// The edge cases: two promises, a broken rule, an upper bound, weeks.
	edge := edgeRepo(t)
	var b bytes.Buffer
	if err := HTML(&b, evaluateExample(t, edge, calendar.Period{First: 2022, Last: 2022}, "2022-04-30"), PageOptions{Cumulative: edge.Cumulative}); err != nil {
		t.Fatal(err)
	}
	rendered["kantfall"], names = &b, append(names, "kantfall")

	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(shots, name)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, "uppfoljning.html")
			if err := os.WriteFile(file, rendered[name].Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			res := runBrowser(t, node, modules, script, chromium, file, dir)
			checkBrowser(t, res)
			t.Logf("screenshots in %s", dir)
		})
	}
}

// browserResult is what browser.cjs prints.
type browserResult struct {
	Widths []struct {
		Width      int    `json:"width"`
		Screenshot string `json:"screenshot"`
		Layout     struct {
			ScrollWidth int    `json:"scrollWidth"`
			ClientWidth int    `json:"clientWidth"`
			Lang        string `json:"lang"`
			Headings    []int  `json:"headings"`
		} `json:"layout"`
		Violations []struct {
			ID     string   `json:"id"`
			Impact string   `json:"impact"`
			Help   string   `json:"help"`
			Nodes  []string `json:"nodes"`
		} `json:"violations"`
	} `json:"widths"`
	Print string `json:"print"`
	PDF   string `json:"pdf"`
}

func runBrowser(t *testing.T, node, modules, script, chromium, file, dir string) browserResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script, chromium, file, dir, "1280", "375")
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("browser: %v\n%s", err, stderr.String())
	}
	var res browserResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("browser output: %v\n%s", err, stdout.String())
	}
	return res
}

func checkBrowser(t *testing.T, res browserResult) {
	t.Helper()
	if len(res.Widths) != 2 {
		t.Fatalf("%d widths rendered, want 2", len(res.Widths))
	}
	for _, w := range res.Widths {
		for _, v := range w.Violations {
			msg := "axe-core at %d px: %s (%s): %s %v"
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf(msg, w.Width, v.ID, v.Impact, v.Help, v.Nodes)
			} else {
				t.Logf(msg, w.Width, v.ID, v.Impact, v.Help, v.Nodes)
			}
		}
		if w.Layout.ScrollWidth > w.Layout.ClientWidth {
			t.Errorf("at %d px the page is %d px wide: it scrolls sideways", w.Width, w.Layout.ScrollWidth)
		}
		if w.Layout.Lang != "sv" {
			t.Errorf("lang %q", w.Layout.Lang)
		}
		if len(w.Layout.Headings) == 0 || w.Layout.Headings[0] != 1 {
			t.Errorf("headings %v do not start with h1", w.Layout.Headings)
		}
		for _, f := range []string{w.Screenshot} {
			if st, err := os.Stat(f); err != nil || st.Size() < 10_000 {
				t.Errorf("screenshot %s: %v", f, err)
			}
		}
	}
	for _, f := range []string{res.Print, res.PDF} {
		if st, err := os.Stat(f); err != nil || st.Size() < 10_000 {
			t.Errorf("print rendering %s: %v", f, err)
		}
	}
}
