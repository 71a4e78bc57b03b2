package report

import (
	"io"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/internal/version"
)

// MetricsContentType is the content type of the Prometheus text
// exposition format that Metrics writes.
const MetricsContentType = "text/plain; version=0.0.4; charset=utf-8"

// allStatuses are the statuses in the order lofte_commitment_status lists
// them.
var allStatuses = []eval.Status{eval.Met, eval.OnTrack, eval.Pending, eval.Unassessed, eval.Behind, eval.Missed}

// MetricsOptions add to the metrics what the report does not know.
type MetricsOptions struct {
	// Version is the program's version for lofte_build_info ("" is the
	// version of this build: internal/version).
	Version string
	// Evaluated is when the report was made and Duration how long it took:
	// lofte_last_evaluation_timestamp_seconds and
	// lofte_last_evaluation_duration_seconds, left out when zero.
	Evaluated time.Time
	Duration  time.Duration
}

// Metrics writes the report's metrics (see MetricsWith) without the time
// of the evaluation.
func Metrics(w io.Writer, rep *eval.Report) error { return MetricsWith(w, rep, MetricsOptions{}) }

// MetricsWith writes the report in the Prometheus text exposition format
// (docs/reference.md §9):
//
//   - lofte_build_info{version,goversion}: 1;
//   - lofte_last_evaluation_timestamp_seconds and
//     lofte_last_evaluation_duration_seconds, when o gives them;
//   - lofte_commitment_status{promise,period,id,area,owner,status}: 1 for
//     the commitment's status, 0 for each other status, so that a query
//     can match on the status label or sum by it;
//   - lofte_commitment_provisional{promise,period,id,area,owner}: 1 when
//     the commitment is behind only by records not recorded yet;
//   - lofte_commitment_value, lofte_commitment_target and
//     lofte_commitment_expected{promise,period,id,area,owner,window,group,part}:
//     the figures of each count window that has started (expected where
//     there is one); group is the value of a `per FIELD` clause and part
//     the comparison of a rule of several parts, as in the JSON output,
//     both "" (no label) otherwise;
//   - lofte_commitment_since_timestamp_seconds{promise,period,id,area,owner}:
//     since when the commitment has had its status (docs/reference.md §10),
//     as the Unix time of that day's start in Sweden;
//   - lofte_errors and lofte_warnings: problems in the files.
//
// Several owners are joined with "+", as in records.
func MetricsWith(w io.Writer, rep *eval.Report, o MetricsOptions) error {
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(NewCollector(rep, o)); err != nil {
		return err
	}
	mfs, err := reg.Gather()
	if err != nil {
		return err
	}
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return err
		}
	}
	return nil
}

var (
	commitmentLabelNames = []string{"promise", "period", "id", "area", "owner"}
	windowLabelNames     = append(append([]string(nil), commitmentLabelNames...), "window", "group", "part")

	descBuildInfo = prometheus.NewDesc("lofte_build_info", "The version of lofte and the Go it was built with: always 1.", []string{"version", "goversion"}, nil)
	descEvaluated = prometheus.NewDesc("lofte_last_evaluation_timestamp_seconds", "When the last evaluation was made, in seconds since 1970.", nil, nil)
	descDuration  = prometheus.NewDesc("lofte_last_evaluation_duration_seconds", "How long the last evaluation took (reading the repository and evaluating).", nil, nil)
	descStatus    = prometheus.NewDesc("lofte_commitment_status", "Status of a commitment: 1 for its current status (met, on_track, pending, unassessed, behind, missed), 0 for the others.", append(append([]string(nil), commitmentLabelNames...), "status"), nil)
	descProv      = prometheus.NewDesc("lofte_commitment_provisional", "1 when a commitment is behind only by records typically not recorded yet, else 0.", commitmentLabelNames, nil)
	descSince     = prometheus.NewDesc("lofte_commitment_since_timestamp_seconds", "Since when a commitment has had its current status: the start of that day in Sweden, as Unix time.", commitmentLabelNames, nil)
	descValue     = prometheus.NewDesc("lofte_commitment_value", "The figure a count rule measured in a window so far.", windowLabelNames, nil)
	descTarget    = prometheus.NewDesc("lofte_commitment_target", "The target of a count rule in a window (a maximum for an upper bound).", windowLabelNames, nil)
	descExpected  = prometheus.NewDesc("lofte_commitment_expected", "The figure expected by now at the commitment's pace in a window.", windowLabelNames, nil)
	descErrors    = prometheus.NewDesc("lofte_errors", "Problems in rules and records at the last evaluation: what has one is left out.", nil, nil)
	descWarnings  = prometheus.NewDesc("lofte_warnings", "Warnings at the last evaluation.", nil, nil)
)

// NewCollector is a Prometheus collector of the metrics MetricsWith
// writes, over one report: a server registers it (with the Go and process
// collectors it wants) in its own registry.
func NewCollector(rep *eval.Report, o MetricsOptions) prometheus.Collector {
	return &collector{rep: rep, o: o}
}

// collector is a Prometheus collector over one report.
type collector struct {
	rep *eval.Report
	o   MetricsOptions
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descBuildInfo, descEvaluated, descDuration, descStatus, descProv, descSince, descValue, descTarget, descExpected, descErrors, descWarnings} {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	// Two windows of a rule can have the same name, group and part (a
	// rule that repeats a comparison): the first one's series is sent,
	// as a registry refuses a series twice.
	seen := map[*prometheus.Desc]map[string]bool{}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		for i, l := range labels {
			labels[i] = strings.ToValidUTF8(l, "\uFFFD")
		}
		key := strings.Join(labels, "\xff")
		if seen[d][key] {
			return
		}
		if seen[d] == nil {
			seen[d] = map[string]bool{}
		}
		seen[d][key] = true
		m, err := prometheus.NewConstMetric(d, prometheus.GaugeValue, v, labels...)
		if err != nil {
			m = prometheus.NewInvalidMetric(d, err)
		}
		ch <- m
	}
	v := c.o.Version
	if v == "" {
		v = version.Short()
	}
	gauge(descBuildInfo, 1, v, runtime.Version())
	if !c.o.Evaluated.IsZero() {
		gauge(descEvaluated, float64(c.o.Evaluated.UnixMilli())/1000)
		gauge(descDuration, c.o.Duration.Seconds())
	}
	for _, ev := range c.rep.Evaluations {
		for _, res := range ev.Results {
			base := commitmentLabels(ev, res)
			for _, s := range allStatuses {
				gauge(descStatus, b2f(s == res.Status), append(base[:len(base):len(base)], s.String())...)
			}
			gauge(descProv, b2f(res.Provisional), base...)
			if res.Since != 0 {
				gauge(descSince, float64(res.Since.Time().Unix()), base...)
			}
			for _, w := range res.Windows {
				if w.Start > ev.AsOf { // not started: nothing to say yet
					continue
				}
				ls := append(base[:len(base):len(base)], w.Name, w.Group, w.Part)
				for _, f := range []struct {
					d *prometheus.Desc
					v *float64
				}{{descValue, w.Value}, {descTarget, w.Target}, {descExpected, w.Expected}} {
					if f.v != nil {
						gauge(f.d, *f.v, append([]string(nil), ls...)...)
					}
				}
			}
		}
	}
	gauge(descErrors, float64(c.rep.Diags.Errors()))
	gauge(descWarnings, float64(countSeverity(c.rep.Diags, diag.Warning)))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func countSeverity(l diag.List, s diag.Severity) int {
	n := 0
	for _, d := range l {
		if d.Severity == s {
			n++
		}
	}
	return n
}

func commitmentLabels(ev eval.Evaluation, res eval.Result) []string {
	c := res.Commitment
	return []string{ev.Promise.ID, strconv.Itoa(ev.Year), c.ID, c.Area, strings.Join(c.Owner, "+")}
}
