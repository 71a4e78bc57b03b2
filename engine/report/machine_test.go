package report

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
)

// The JUnit shapes as a CI system reads them, declared here apart from
// the writer's so that the test reads the XML back independently.
type (
	xSuites struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Errors   int      `xml:"errors,attr"`
		Skipped  int      `xml:"skipped,attr"`
		Suites   []xSuite `xml:"testsuite"`
	}
	xSuite struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Failures   int    `xml:"failures,attr"`
		Skipped    int    `xml:"skipped,attr"`
		Timestamp  string `xml:"timestamp,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []xCase `xml:"testcase"`
	}
	xCase struct {
		Name      string    `xml:"name,attr"`
		Classname string    `xml:"classname,attr"`
		Failure   *xProblem `xml:"failure"`
		Error     *xProblem `xml:"error"`
		Skipped   *xProblem `xml:"skipped"`
		SystemOut string    `xml:"system-out"`
	}
	xProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

func TestJUnit(t *testing.T) {
	r := example(t)
	tests := []struct {
		name     string
		period   calendar.Period
		asOf     string
		lang     string
		suites   []string
		failures map[string]string // "suite/id" → message
		skipped  []string
	}{
		{"2022 during the year", calendar.Period{First: 2022, Last: 2022}, "2022-08-31", "sv",
			[]string{"mullsjo 2022"},
			map[string]string{"mullsjo 2022/trafik.kontroller": "efter sedan 22 jan: 61 av 104 (förväntat 69); 43 kvar på 122 dagar, 2,5 per vecka; i nuvarande takt 91 av 104 vid 31 dec (troligen 82–101)"},
			[]string{"mullsjo 2022/droger.andt"}},
		{"English", calendar.Period{First: 2022, Last: 2022}, "2022-08-31", "en",
			[]string{"mullsjo 2022"},
			map[string]string{"mullsjo 2022/trafik.kontroller": "behind since 22 Jan: 61 of 104 (expected 69); 43 to go in 122 days, 2.5 a week; at the present pace 91 of 104 by 31 Dec (likely 82–101)"},
			[]string{"mullsjo 2022/droger.andt"}},
		{"two finished years", calendar.Period{First: 2021, Last: 2022}, "2023-01-15", "sv",
			[]string{"mullsjo 2021", "mullsjo 2022"},
			map[string]string{
				"mullsjo 2021/droger.ledningsgrupp": "ej uppfyllt sedan 1 jan 2022: 3 av 4",
				"mullsjo 2022/trafik.kontroller":    "ej uppfyllt sedan 1 jan: 97 av 104",
			},
			// An interim assessment does not close a year
			// (docs/reference.md §7): 2021's polisanmalan is unassessed.
			[]string{"mullsjo 2021/skadegorelse.polisanmalan", "mullsjo 2022/droger.sociala-insatsgrupper", "mullsjo 2022/droger.andt", "mullsjo 2022/skadegorelse.polisanmalan"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := JUnit(&b, evaluateExample(t, r, tt.period, tt.asOf), tt.lang); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(b.String(), xml.Header) {
				t.Error("no XML declaration")
			}
			// The common JUnit schema has no skipped on <testsuites>.
			if open := regexp.MustCompile(`<testsuites[^>]*>`).FindString(b.String()); strings.Contains(open, "skipped=") {
				t.Errorf("skipped on %s", open)
			}
			var got xSuites
			if err := xml.Unmarshal(b.Bytes(), &got); err != nil {
				t.Fatalf("not XML: %v\n%s", err, b.String())
			}
			var names []string
			failures, skipped, total := map[string]string{}, []string{}, 0
			for _, s := range got.Suites {
				names = append(names, s.Name)
				if s.Tests != len(s.Cases) || s.Tests != 12 {
					t.Errorf("%s: tests=%d with %d cases, want 12", s.Name, s.Tests, len(s.Cases))
				}
				props := map[string]string{}
				for _, p := range s.Properties {
					props[p.Name] = p.Value
				}
				if props["as_of"] != tt.asOf || props["promise"] != "mullsjo" || props["commit"] == "" || s.Timestamp != tt.asOf+"T00:00:00" {
					t.Errorf("%s: properties %v, timestamp %s", s.Name, props, s.Timestamp)
				}
				nf, ns := 0, 0
				for _, c := range s.Cases {
					key := s.Name + "/" + c.Name
					if !strings.HasPrefix(c.Classname, "mullsjo.") {
						t.Errorf("%s: classname %q", key, c.Classname)
					}
					if c.Failure != nil {
						nf++
						failures[key] = c.Failure.Message
						if !strings.Contains(c.Failure.Text, "rule: ") && !strings.Contains(c.Failure.Message, "bedömt") && !strings.Contains(c.Failure.Message, "assessed") {
							t.Errorf("%s: failure text without the rule:\n%s", key, c.Failure.Text)
						}
					} else if c.SystemOut == "" {
						t.Errorf("%s: no system-out", key)
					}
					if c.Skipped != nil {
						ns++
						skipped = append(skipped, key)
					}
					if c.Error != nil {
						t.Errorf("%s: error %q in the bundled example", key, c.Error.Message)
					}
				}
				if s.Failures != nf || s.Skipped != ns {
					t.Errorf("%s: failures=%d skipped=%d, counted %d and %d", s.Name, s.Failures, s.Skipped, nf, ns)
				}
				total += s.Tests
			}
			if strings.Join(names, ",") != strings.Join(tt.suites, ",") {
				t.Errorf("suites %v, want %v", names, tt.suites)
			}
			if got.Tests != total || got.Failures != len(failures) || got.Errors != 0 {
				t.Errorf("testsuites: tests=%d failures=%d errors=%d", got.Tests, got.Failures, got.Errors)
			}
			for k, want := range tt.failures {
				if failures[k] != want {
					t.Errorf("%s: failure %q, want %q", k, failures[k], want)
				}
			}
			for k := range failures {
				if _, ok := tt.failures[k]; !ok {
					t.Errorf("%s: unexpected failure %q", k, failures[k])
				}
			}
			if strings.Join(skipped, ",") != strings.Join(tt.skipped, ",") {
				t.Errorf("skipped %v, want %v", skipped, tt.skipped)
			}
		})
	}
}

// sample is one line of the text exposition format.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

var (
	sampleRe = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$`)
	labelRe  = regexp.MustCompile(`^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(?:,|$)`)
	helpRe   = regexp.MustCompile(`^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$`)
)

// parseExposition reads the Prometheus text format line by line, failing
// the test on any line a scraper would reject: a sample of a family
// without TYPE, a repeated HELP or TYPE, a repeated series, a bad label
// or value.
func parseExposition(t *testing.T, text string) []sample {
	t.Helper()
	if !strings.HasSuffix(text, "\n") {
		t.Error("the exposition does not end with a newline")
	}
	typed, helped, series := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var out []sample
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if m := helpRe.FindStringSubmatch(line); m != nil {
			seen := helped
			if m[1] == "TYPE" {
				seen = typed
				if m[3] != "gauge" {
					t.Errorf("line %d: type %q", i+1, m[3])
				}
			}
			if seen[m[2]] {
				t.Errorf("line %d: second %s for %s", i+1, m[1], m[2])
			}
			seen[m[2]] = true
			continue
		}
		m := sampleRe.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("line %d is no sample: %q", i+1, line)
			continue
		}
		s := sample{name: m[1], labels: map[string]string{}}
		if !typed[s.name] || !helped[s.name] {
			t.Errorf("line %d: %s has no HELP or TYPE before it", i+1, s.name)
		}
		for rest := m[2]; rest != ""; {
			lm := labelRe.FindStringSubmatch(rest)
			if lm == nil {
				t.Errorf("line %d: bad labels at %q", i+1, rest)
				break
			}
			if _, dup := s.labels[lm[1]]; dup {
				t.Errorf("line %d: label %s twice", i+1, lm[1])
			}
			s.labels[lm[1]] = strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\n`, "\n").Replace(lm[2])
			rest = rest[len(lm[0]):]
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			t.Errorf("line %d: value %q: %v", i+1, m[3], err)
		}
		s.value = v
		key := s.name + "{" + m[2] + "}"
		if series[key] {
			t.Errorf("line %d: series %s twice", i+1, key)
		}
		series[key] = true
		out = append(out, s)
	}
	return out
}

// find returns the samples of name whose labels include want.
func find(samples []sample, name string, want map[string]string) []sample {
	var out []sample
	for _, s := range samples {
		if s.name != name {
			continue
		}
		ok := true
		for k, v := range want {
			if s.labels[k] != v {
				ok = false
			}
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

func TestMetrics(t *testing.T) {
	r := example(t)
	var b bytes.Buffer
	if err := Metrics(&b, evaluateExample(t, r, calendar.Period{First: 2021, Last: 2022}, "2022-08-31")); err != nil {
		t.Fatal(err)
	}
	samples := parseExposition(t, b.String())
	checkMetrics(t, samples)
}

// checkMetrics checks the metrics of the bundled example for 2021..2022
// at 2022-08-31.
func checkMetrics(t *testing.T, samples []sample) {
	t.Helper()
	ones := map[string]string{}
	for _, s := range find(samples, "lofte_commitment_status", nil) {
		for _, l := range []string{"promise", "period", "id", "area", "owner", "status"} {
			if s.labels[l] == "" {
				t.Errorf("status without %s: %v", l, s.labels)
			}
		}
		if s.value == 1 {
			key := s.labels["period"] + "/" + s.labels["id"]
			if prev, dup := ones[key]; dup {
				t.Errorf("%s is both %s and %s", key, prev, s.labels["status"])
			}
			ones[key] = s.labels["status"]
		} else if s.value != 0 {
			t.Errorf("status value %v", s.value)
		}
	}
	if len(ones) != 24 {
		t.Errorf("%d commitments with a status, want 12 in each of 2 years", len(ones))
	}
	for key, want := range map[string]string{"2022/trafik.kontroller": "behind", "2021/trafik.kontroller": "met", "2022/droger.andt": "unassessed"} {
		if ones[key] != want {
			t.Errorf("%s: status %s, want %s", key, ones[key], want)
		}
	}
	k := map[string]string{"period": "2022", "id": "trafik.kontroller", "window": "2022", "owner": "polisen", "area": "trafik", "promise": "mullsjo"}
	for name, want := range map[string]float64{"lofte_commitment_value": 61, "lofte_commitment_target": 104, "lofte_commitment_expected": 69} {
		if got := find(samples, name, k); len(got) != 1 || got[0].value != want {
			t.Errorf("%s%v = %v, want %v", name, k, got, want)
		}
	}
	// The part label is the comparison, as in the JSON output.
	riktade := find(samples, "lofte_commitment_value", map[string]string{"period": "2022", "id": "trafik.riktade"})
	if len(riktade) != 3 || !strings.HasPrefix(riktade[0].labels["part"], "count(trafikkontroll, ") || !strings.HasSuffix(riktade[0].labels["part"], ">= 9") ||
		riktade[1].labels["group"] != "civil" || !strings.Contains(riktade[1].labels["part"], "per form") {
		t.Errorf("trafik.riktade values: %v", riktade)
	}
	if got := find(samples, "lofte_commitment_value", map[string]string{"id": "trafik.kontroller"}); len(got) != 2 || got[0].labels["part"] != "" || got[0].labels["group"] != "" {
		t.Errorf("a rule of one part: %v", got)
	}
	if got := find(samples, "lofte_commitment_value", map[string]string{"id": "droger.samverkan"}); len(got) != 0 {
		t.Errorf("a manual commitment has values: %v", got)
	}
	// A window that has not started is left out; one that has is there.
	if got := find(samples, "lofte_commitment_value", map[string]string{"period": "2022", "id": "droger.utvardering", "window": "2022-T3"}); len(got) != 0 {
		t.Errorf("a window not started: %v", got)
	}
	if got := find(samples, "lofte_commitment_value", map[string]string{"period": "2022", "id": "droger.utvardering", "window": "2022-T2"}); len(got) != 1 || got[0].value != 1 {
		t.Errorf("a window started: %v", got)
	}
	if got := find(samples, "lofte_commitment_provisional", map[string]string{"period": "2022", "id": "trafik.kontroller"}); len(got) != 1 || got[0].value != 0 {
		t.Errorf("provisional: %v", got)
	}
	if got := find(samples, "lofte_build_info", nil); len(got) != 1 || got[0].value != 1 || got[0].labels["goversion"] == "" {
		t.Errorf("lofte_build_info: %v", got)
	}
	if got := find(samples, "lofte_errors", nil); len(got) != 1 || got[0].value != 0 || len(got[0].labels) != 0 {
		t.Errorf("lofte_errors: %v", got)
	}
	// Behind since 22 January 2022: midnight in Sweden (CET, UTC+1) is
	// 2022-01-21T23:00:00Z, Unix time 1642806000.
	since := find(samples, "lofte_commitment_since_timestamp_seconds", map[string]string{"period": "2022", "id": "trafik.kontroller"})
	if len(since) != 1 || since[0].value != 1642806000 || since[0].labels["window"] != "" {
		t.Errorf("since of trafik.kontroller: %v, want 1642806000 (2022-01-22)", since)
	}
	if got := find(samples, "lofte_commitment_since_timestamp_seconds", nil); len(got) != 24 {
		t.Errorf("%d since samples, want one per commitment and year (24)", len(got))
	}
}

// TestMetricsWith: the version, the time and duration of the evaluation;
// label values with quotes, backslashes and newlines read back as they
// were; a series repeated by a rule is written once.
func TestMetricsWith(t *testing.T) {
	snap := &source.Snapshot{Root: "/m", Files: []source.File{
		{Path: "rules/activities.yaml", Data: []byte(`activities:
  kontroll:
    fields:
      form: {enum: ['a"b\c', "rad\nny"]}
`)},
		{Path: "rules/x.yaml", Data: []byte(`promise: x
valid: 2022
parties: {polisen: P}
commitments:
  - id: c
    owner: polisen
    rule: count(kontroll) per form >= 1 && count(kontroll) per form >= 1
`)},
	}}
	r := repository.Load(snap)
	if r.Diags.Errors() > 0 {
		t.Fatal(r.Diags)
	}
	rep := evaluateExample(t, r, calendar.Period{First: 2022, Last: 2022}, "2022-04-30")
	var b bytes.Buffer
	at := time.Date(2022, 4, 30, 12, 0, 0, 500_000_000, time.UTC)
	if err := MetricsWith(&b, rep, MetricsOptions{Version: "1.2.3", Evaluated: at, Duration: 1500 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	samples := parseExposition(t, b.String())
	if got := find(samples, "lofte_build_info", map[string]string{"version": "1.2.3"}); len(got) != 1 {
		t.Errorf("lofte_build_info: %v", got)
	}
	if got := find(samples, "lofte_last_evaluation_timestamp_seconds", nil); len(got) != 1 || got[0].value != float64(at.UnixMilli())/1000 {
		t.Errorf("timestamp: %v", got)
	}
	if got := find(samples, "lofte_last_evaluation_duration_seconds", nil); len(got) != 1 || got[0].value != 1.5 {
		t.Errorf("duration: %v", got)
	}
	got := find(samples, "lofte_commitment_target", map[string]string{"id": "c", "group": `a"b\c`})
	if len(got) != 1 || len(find(samples, "lofte_commitment_target", map[string]string{"id": "c", "group": "rad\nny"})) != 1 {
		t.Errorf("the repeated comparison: %v\n%s", got, b.String())
	}
	b.Reset()
	if err := Metrics(&b, rep); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "lofte_last_evaluation") {
		t.Errorf("Metrics without a time:\n%s", b.String())
	}
}
