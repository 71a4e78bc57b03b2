package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
)

// TestProvisionalFlag: a provisional status carries its flag in text (both
// languages), JSON and the HTML page.
func TestProvisionalFlag(t *testing.T) {
	r := example(t)
	asOf, _ := calendar.ParseDate("2022-08-31")
	rep := r.Evaluate(calendar.Period{First: 2022, Last: 2022}, asOf)
	lag := eval.Lag{Type: "trafikkontroll", Title: "Trafikkontroll", Median: 4, P90: 12, Records: 80}
	found := false
	for i := range rep.Evaluations[0].Results {
		res := &rep.Evaluations[0].Results[i]
		if res.Commitment.ID == "trafik.kontroller" {
			res.Provisional, res.Lags = true, []eval.Lag{lag}
			res.Windows[0].Provisional, res.Windows[0].Lag = true, &lag
			found = true
		}
	}
	if !found {
		t.Fatal("no trafik.kontroller")
	}
	var b bytes.Buffer
	if err := Text(&b, rep, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if want := "61 av 104 (förväntat 69)  (preliminärt: 90 % av posterna för trafikkontroll registreras inom 12 dagar)\n"; !strings.Contains(b.String(), want) {
		t.Errorf("text: no %q in\n%s", want, b.String())
	}
	b.Reset()
	if err := Text(&b, rep, TextOptions{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if want := "(provisional: 90% of trafikkontroll records are recorded within 12 days)\n"; !strings.Contains(b.String(), want) {
		t.Errorf("text en: no %q in\n%s", want, b.String())
	}
	b.Reset()
	if err := JSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"expected": 69,
              "remaining": 43,
              "days_left": 122,
              "projected": 91,
              "projected_low": 82,
              "projected_high": 101,
              "provisional": true
            }
          ],
          "provisional": true,
          "lag": [
            {
              "type": "trafikkontroll",
              "title": "Trafikkontroll",
              "median_days": 4,
              "p90_days": 12,
              "records": 80
            }
          ]`,
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("json: no %q in\n%s", want, b.String())
		}
	}
	if n := strings.Count(b.String(), `"provisional"`); n != 2 {
		t.Errorf("json: %d provisional flags, want 2", n)
	}
}

func TestProvisionalPage(t *testing.T) {
	r := example(t)
	asOf, _ := calendar.ParseDate("2022-08-31")
	rep := r.Evaluate(calendar.Period{First: 2022, Last: 2022}, asOf)
	for i := range rep.Evaluations[0].Results {
		res := &rep.Evaluations[0].Results[i]
		if res.Commitment.ID == "trafik.kontroller" {
			res.Provisional, res.Lags = true, []eval.Lag{{Type: "trafikkontroll", Title: "Trafikkontroll", Median: 4, P90: 12, Records: 80}}
		}
	}
	var b bytes.Buffer
	if err := HTML(&b, rep, PageOptions{}); err != nil {
		t.Fatal(err)
	}
	want := `<p class="muted provisional">Preliminärt: 90 % av posterna för trafikkontroll registreras inom 12 dagar.</p>`
	if strings.Count(b.String(), want) != 1 {
		t.Errorf("no provisional mark %q in the page", want)
	}
}
