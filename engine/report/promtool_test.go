package report

import (
	"bytes"
	"os"
	"os/exec"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
)

// TestPromtool: promtool (Prometheus's own checker, Debian's prometheus
// package) accepts the metrics of the bundled example and of the edge
// cases, lint included. It is skipped where promtool is not installed,
// unless LOFTE_PROMTOOL_TEST is set (as CI does).
func TestPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("LOFTE_PROMTOOL_TEST") != "" {
			t.Fatal("LOFTE_PROMTOOL_TEST is set and promtool is not installed")
		}
		t.Skip("promtool is not installed")
	}
	example, edge := example(t), edgeRepo(t)
	for _, tt := range []struct {
		name string
		rep  func() []byte
	}{
		{"the bundled example", func() []byte {
			var b bytes.Buffer
			if err := Metrics(&b, evaluateExample(t, example, calendar.Period{First: 2021, Last: 2022}, "2022-08-31")); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}},
		{"edge cases", func() []byte {
			var b bytes.Buffer
			if err := Metrics(&b, evaluateExample(t, edge, calendar.Period{First: 2022, Last: 2022}, "2022-04-30")); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}},
	} {
		cmd := exec.Command(promtool, "check", "metrics")
		cmd.Stdin = bytes.NewReader(tt.rep())
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: promtool check metrics: %v\n%s", tt.name, err, out)
		}
	}
}
