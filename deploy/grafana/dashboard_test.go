// Package grafana holds the tests of the Grafana dashboard of lofte's
// metrics (dashboards/lofte.json) and its provisioning files.
package grafana

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/report"
)

type dashboard struct {
	UID        string `json:"uid"`
	Title      string `json:"title"`
	Templating struct {
		List []struct {
			Name  string `json:"name"`
			Type  string `json:"type"`
			Query any    `json:"query"`
		} `json:"list"`
	} `json:"templating"`
	Panels []struct {
		ID         int    `json:"id"`
		Title      string `json:"title"`
		Type       string `json:"type"`
		Datasource struct {
			Type string `json:"type"`
			UID  string `json:"uid"`
		} `json:"datasource"`
		GridPos struct{ X, Y, W, H int } `json:"gridPos"`
		Targets []struct {
			RefID string `json:"refId"`
			Expr  string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
}

func load(t *testing.T) dashboard {
	t.Helper()
	data, err := os.ReadFile("dashboards/lofte.json")
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&d); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestStructure: the dashboard has a uid and a title; every panel an id
// of its own, a place on the 24-column grid that no other panel takes,
// the datasource variable and at least one query; every variable the
// queries use is defined; the provisioning file is YAML of a file
// provider.
func TestStructure(t *testing.T) {
	d := load(t)
	if d.UID == "" || d.Title == "" || len(d.Panels) < 8 {
		t.Fatalf("uid %q, title %q, %d panels", d.UID, d.Title, len(d.Panels))
	}
	vars := map[string]bool{}
	for _, v := range d.Templating.List {
		vars[v.Name] = true
	}
	ids := map[int]bool{}
	taken := map[[2]int]int{}
	varRe := regexp.MustCompile(`\$([a-z_]+)`)
	for _, p := range d.Panels {
		if ids[p.ID] || p.ID == 0 {
			t.Errorf("panel %q: id %d", p.Title, p.ID)
		}
		ids[p.ID] = true
		if p.Datasource.Type != "prometheus" || p.Datasource.UID != "${datasource}" {
			t.Errorf("panel %q: datasource %+v", p.Title, p.Datasource)
		}
		g := p.GridPos
		if g.W <= 0 || g.H <= 0 || g.X < 0 || g.X+g.W > 24 {
			t.Errorf("panel %q: gridPos %+v", p.Title, g)
		}
		for x := g.X; x < g.X+g.W; x++ {
			for y := g.Y; y < g.Y+g.H; y++ {
				if other, ok := taken[[2]int{x, y}]; ok {
					t.Errorf("panel %q overlaps panel %d", p.Title, other)
				}
				taken[[2]int{x, y}] = p.ID
			}
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q: no query", p.Title)
		}
		for _, q := range p.Targets {
			for _, m := range varRe.FindAllStringSubmatch(q.Expr, -1) {
				if !vars[m[1]] {
					t.Errorf("panel %q: $%s is no variable", p.Title, m[1])
				}
			}
		}
	}
	data, err := os.ReadFile("provisioning/dashboards/lofte.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var prov struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Type    string
			Options struct{ Path string }
		}
	}
	if err := yaml.Unmarshal(data, &prov); err != nil || prov.APIVersion != 1 || len(prov.Providers) != 1 || prov.Providers[0].Type != "file" || prov.Providers[0].Options.Path == "" {
		t.Errorf("provisioning %+v, %v", prov, err)
	}
}

// queries are the dashboard's PromQL, its variables' included (as the
// query that lists a label's values), each with its variables at "All".
func queries(d dashboard) map[string]string {
	all := strings.NewReplacer("$promise", ".*", "$period", ".*", "$instance", ".*", "$job", ".*")
	out := map[string]string{}
	for _, p := range d.Panels {
		for _, q := range p.Targets {
			out[fmt.Sprintf("panel %q %s", p.Title, q.RefID)] = all.Replace(q.Expr)
		}
	}
	lv := regexp.MustCompile(`^label_values\((.*), *([a-z_]+)\)$`)
	for _, v := range d.Templating.List {
		q, ok := v.Query.(map[string]any)
		if !ok {
			continue
		}
		if m := lv.FindStringSubmatch(fmt.Sprint(q["query"])); m != nil {
			out["variable "+v.Name] = all.Replace(fmt.Sprintf("count by (%s) (%s)", m[2], m[1]))
		}
	}
	return out
}

// TestQueries: a real Prometheus (Debian's prometheus) scrapes two
// instances serving the metrics of the bundled example, as two lofte serve
// would, and every query of the dashboard runs without an error and with
// a result. Skipped where prometheus is not installed, unless
// LOFTE_PROMTOOL_TEST is set (as CI does).
func TestQueries(t *testing.T) {
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		if os.Getenv("LOFTE_PROMTOOL_TEST") != "" {
			t.Fatal("LOFTE_PROMTOOL_TEST is set and prometheus is not installed")
		}
		t.Skip("prometheus is not installed")
	}
	if testing.Short() {
		t.Skip("starts Prometheus")
	}
	d := load(t)
	eng, err := engine.Open("../..", engine.Options{History: engine.HistoryOff, Today: func() calendar.Date { return calendar.NewDate(2022, 8, 31) }})
	if err != nil {
		t.Fatal(err)
	}
	rep := eng.Evaluate(calendar.Period{First: 2021, Last: 2022}, calendar.NewDate(2022, 8, 31))
	var targets []string
	for range 2 {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", report.MetricsContentType)
			report.MetricsWith(w, rep, report.MetricsOptions{Evaluated: time.Now(), Duration: 40 * time.Millisecond})
		}))
		defer srv.Close()
		targets = append(targets, strings.TrimPrefix(srv.URL, "http://"))
	}
	dir := t.TempDir()
	config := fmt.Sprintf("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: lofte\n    static_configs:\n      - targets: [%s]\n", strings.Join(targets, ", "))
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address="+addr)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); cmd.Wait() }()

	query := func(q string) (int, error) {
		resp, err := http.Get("http://" + addr + "/api/v1/query?query=" + url.QueryEscape(q))
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		var out struct {
			Status string `json:"status"`
			Error  string `json:"error"`
			Data   struct {
				Result json.RawMessage `json:"result"`
			} `json:"data"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return 0, err
		}
		if out.Status != "success" {
			return 0, fmt.Errorf("%s", out.Error)
		}
		var result []any
		if err := json.Unmarshal(out.Data.Result, &result); err != nil {
			return 1, nil // a scalar
		}
		return len(result), nil
	}
	// Both instances scraped, with the example's series.
	deadline := time.Now().Add(60 * time.Second)
	for {
		n, err := query(`count(lofte_commitment_status{job="lofte"}) by (instance)`)
		if err == nil && n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Prometheus did not scrape both instances (%d, %v):\n%s", n, err, log.String())
		}
		time.Sleep(250 * time.Millisecond)
	}
	qs := queries(d)
	for name, q := range qs {
		n, err := query(q)
		switch {
		case err != nil:
			t.Errorf("%s: %s: %v", name, q, err)
		case n == 0:
			t.Errorf("%s: %s: no result", name, q)
		}
	}
	t.Logf("%d queries run against Prometheus with 2 instances scraped", len(qs))
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
