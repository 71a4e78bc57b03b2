package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
)

// MetricsContentType is the content type of the Prometheus text
// exposition format that Metrics writes.
const MetricsContentType = "text/plain; version=0.0.4; charset=utf-8"

// allStatuses are the statuses in the order lofte_commitment_status lists
// them.
var allStatuses = []eval.Status{eval.Met, eval.OnTrack, eval.Pending, eval.Unassessed, eval.Behind, eval.Missed}

// Metrics writes the report in the Prometheus text exposition format:
//
//   - lofte_commitment_status{promise,period,id,area,owner,status}: 1 for
//     the commitment's status, 0 for each other status, so that a query
//     can match on the status label or sum by it;
//   - lofte_commitment_value, lofte_commitment_target and
//     lofte_commitment_expected{promise,period,id,area,owner,window[,group][,part]}:
//     the figures of each count window (expected where there is one);
//   - lofte_commitment_since_timestamp_seconds{promise,period,id,area,owner}:
//     since when the commitment has had its status (docs/reference.md §10),
//     as the Unix time of that day's start in Sweden;
//   - lofte_errors and lofte_warnings: problems in the files.
//
// Several owners are joined with "+", as in records. A rule with several
// parts numbers them from 1 in the part label.
func Metrics(w io.Writer, rep *eval.Report) error {
	b := bufio.NewWriter(w)
	m := &metricsWriter{b: b}
	m.family("lofte_commitment_status", "Status of a commitment: 1 for its current status (met, on_track, pending, unassessed, behind, missed), 0 for the others.")
	for _, ev := range rep.Evaluations {
		for _, res := range ev.Results {
			base := commitmentLabels(ev, res)
			for _, s := range allStatuses {
				v := "0"
				if s == res.Status {
					v = "1"
				}
				m.sample("lofte_commitment_status", append(base, label{"status", s.String()}), v)
			}
		}
	}
	m.family("lofte_commitment_since_timestamp_seconds", "Since when a commitment has had its current status: the start of that day in Sweden, as Unix time.")
	for _, ev := range rep.Evaluations {
		for _, res := range ev.Results {
			if res.Since != 0 {
				m.sample("lofte_commitment_since_timestamp_seconds", commitmentLabels(ev, res), strconv.FormatInt(res.Since.Time().Unix(), 10))
			}
		}
	}
	figures := []struct {
		name, help string
		get        func(eval.Window) *float64
	}{
		{"lofte_commitment_value", "The figure a count rule measured in a window so far.", func(w eval.Window) *float64 { return w.Value }},
		{"lofte_commitment_target", "The target of a count rule in a window (a maximum for an upper bound).", func(w eval.Window) *float64 { return w.Target }},
		{"lofte_commitment_expected", "The figure expected by now at the commitment's pace in a window.", func(w eval.Window) *float64 { return w.Expected }},
	}
	for _, f := range figures {
		m.family(f.name, f.help)
		for _, ev := range rep.Evaluations {
			for _, res := range ev.Results {
				m.windows(f.name, ev, res, f.get)
			}
		}
	}
	m.family("lofte_errors", "Problems in rules and records at the last evaluation: what has one is left out.")
	m.sample("lofte_errors", nil, strconv.Itoa(rep.Diags.Errors()))
	m.family("lofte_warnings", "Warnings at the last evaluation.")
	m.sample("lofte_warnings", nil, strconv.Itoa(countSeverity(rep.Diags, diag.Warning)))
	if m.err != nil {
		return m.err
	}
	return b.Flush()
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

type label struct{ name, value string }

func commitmentLabels(ev eval.Evaluation, res eval.Result) []label {
	c := res.Commitment
	return []label{
		{"promise", ev.Promise.ID}, {"period", strconv.Itoa(ev.Year)}, {"id", c.ID},
		{"area", c.Area}, {"owner", strings.Join(c.Owner, "+")},
	}
}

func (m *metricsWriter) windows(name string, ev eval.Evaluation, res eval.Result, get func(eval.Window) *float64) {
	base := commitmentLabels(ev, res)
	parts := groupParts(res.Windows)
	for i, ws := range parts {
		for _, w := range ws {
			v := get(w)
			if v == nil {
				continue
			}
			ls := append(append([]label(nil), base...), label{"window", w.Name})
			if w.Group != "" {
				ls = append(ls, label{"group", w.Group})
			}
			if len(parts) > 1 {
				ls = append(ls, label{"part", strconv.Itoa(i + 1)})
			}
			m.sample(name, ls, strconv.FormatFloat(*v, 'g', -1, 64))
		}
	}
}

type metricsWriter struct {
	b   *bufio.Writer
	err error
}

func (m *metricsWriter) write(s ...string) {
	for _, x := range s {
		if m.err == nil {
			_, m.err = m.b.WriteString(x)
		}
	}
}

func (m *metricsWriter) family(name, help string) {
	m.write("# HELP ", name, " ", escapeHelp(help), "\n# TYPE ", name, " gauge\n")
}

func (m *metricsWriter) sample(name string, labels []label, value string) {
	m.write(name)
	if len(labels) > 0 {
		m.write("{")
		for i, l := range labels {
			if i > 0 {
				m.write(",")
			}
			m.write(l.name, `="`, escapeLabel(l.value), `"`)
		}
		m.write("}")
	}
	m.write(" ", value, "\n")
}

// The escapes of the text format: in HELP \ and newline, in label values
// also the double quote.
var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

func escapeHelp(s string) string  { return helpEscaper.Replace(s) }
func escapeLabel(s string) string { return labelEscaper.Replace(s) }
