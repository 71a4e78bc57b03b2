package explain

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/rule"
)

// why says in plain Swedish why a count comparison's window has its
// status, and for an unmet lower bound of a running window what is still
// needed; for a met one, the day the target was reached.
func (e *explainer) why(c *rule.Compare, w eval.Window, counted []Counted) (string, *Need, calendar.Date) {
	if w.Err != nil {
		return "regeln kunde inte beräknas: " + w.Err.Error(), nil, 0
	}
	if e.asOf < w.Start {
		return fmt.Sprintf("fönstret har inte börjat: det börjar %s", w.Start), nil, 0
	}
	if w.Value == nil || w.Target == nil {
		return "", nil, 0
	}
	v, n := *w.Value, *w.Target
	ended := e.asOf > w.End
	vs, ns := Num(v), Num(n)
	switch {
	case c.Upper():
		return e.upperWhy(c, w, vs, ns, ended), nil, 0
	case !c.Lower():
		if !ended {
			return fmt.Sprintf("%s %s %s kan bara bedömas när fönstret har slutat (%s); hittills %s", c.Parts().Metric, c.Op, ns, w.End, vs), nil, 0
		}
		return fmt.Sprintf("fönstret slutade %s med %s, och %s %s %s %s", w.End, vs, vs, c.Op, ns, holdsWord(w.Status == eval.Met)), nil, 0
	}
	goal := "minst " + ns
	if c.Op == ">" {
		goal = "fler än " + ns
	}
	switch w.Status {
	case eval.Met:
		reached := reachedOn(c, counted, n)
		s := fmt.Sprintf("målet (%s) är nått: %s", goal, vs)
		if reached != 0 {
			s += fmt.Sprintf(", sedan %s", reached)
		}
		return s, nil, reached
	case eval.Missed:
		return fmt.Sprintf("fönstret slutade %s med %s, målet var %s", w.End, vs, goal), nil, 0
	}
	need := e.need(c, w, v, n)
	elapsed, days := int(min(e.asOf, w.End)-w.Start)+1, int(w.End-w.Start)+1
	pace := ""
	if w.Expected != nil {
		pace = fmt.Sprintf("%s som förväntas vid det här laget (%s × %d/%d dagar", Num(*w.Expected), ns, elapsed, days)
		if e.c.Pace.Kind == promise.PaceMonthly {
			pace = fmt.Sprintf("%s som förväntas vid det här laget (%s efter månadsvikterna, %d/%d dagar", Num(*w.Expected), ns, elapsed, days)
		}
		pace += ")"
	}
	left := int(w.End - e.asOf)
	switch {
	case w.Status == eval.Behind && w.Expected != nil && v < math.Floor(expectedRaw(e, w, n)*(1-e.c.Tolerance)+1e-9):
		s := fmt.Sprintf("under takten: %s är färre än de %s", vs, pace)
		if e.c.Tolerance > 0 {
			s += fmt.Sprintf(", också med toleransen %s %%", Num(e.c.Tolerance*100))
		}
		return s, need, 0
	case w.Status == eval.Behind:
		return fmt.Sprintf("målet (%s) är inte nått, och bara %s återstår av fönstret (varning %d dagar före slutet)",
			goal, days2(left), e.c.WarnWithin), need, 0
	case w.Expected != nil:
		return fmt.Sprintf("i takt: %s är minst de %s", vs, pace), need, 0
	}
	return fmt.Sprintf("ingen takt (pace: none): i fas tills %d dagar före fönstrets slut", e.c.WarnWithin), need, 0
}

func (e *explainer) upperWhy(c *rule.Compare, w eval.Window, vs, ns string, ended bool) string {
	limit := "högst " + ns
	if c.Op == "<" {
		limit = "färre än " + ns
	}
	switch w.Status {
	case eval.Missed:
		return fmt.Sprintf("taket (%s) är överskridet: %s", limit, vs)
	case eval.Met:
		return fmt.Sprintf("fönstret slutade %s med %s, inom taket (%s)", w.End, vs, limit)
	}
	if ended {
		return ""
	}
	return fmt.Sprintf("%s hittills, inom taket (%s): uppfyllt om det håller till och med %s", vs, limit, w.End)
}

func holdsWord(ok bool) string {
	if ok {
		return "det stämmer"
	}
	return "det stämmer inte"
}

// expectedRaw is the expected figure before rounding down, as eval
// computes it for a linear pace; for a monthly pace the reported figure.
func expectedRaw(e *explainer, w eval.Window, target float64) float64 {
	if e.c.Pace.Kind == promise.PaceMonthly && w.Expected != nil {
		return *w.Expected
	}
	last := min(e.asOf, w.End)
	return target * float64(last-w.Start+1) / float64(w.End-w.Start+1)
}

// need is what an unmet lower bound still needs in a running window.
func (e *explainer) need(c *rule.Compare, w eval.Window, v, n float64) *Need {
	if e.asOf > w.End {
		return nil
	}
	r := n - v
	if c.Op == ">" {
		r = math.Floor(n) + 1 - v
	}
	if r <= 0 {
		return nil
	}
	nd := &Need{Remaining: r, DaysLeft: int(w.End - e.asOf)}
	left := Num(r) + " kvar"
	switch {
	case nd.DaysLeft == 0:
		nd.Text = left + ", och i dag är fönstrets sista dag"
	case r == 1:
		nd.Text = fmt.Sprintf("%s på %s", left, days2(nd.DaysLeft))
		nd.PerWeek = 7 / float64(nd.DaysLeft)
	default:
		nd.PerWeek = r * 7 / float64(nd.DaysLeft)
		rate := Num1(nd.PerWeek) + " per vecka"
		if nd.PerWeek < 1 {
			rate = fmt.Sprintf("en var %d:e dag", int(math.Floor(float64(nd.DaysLeft)/r)))
		}
		nd.Text = fmt.Sprintf("%s på %s: %s", left, days2(nd.DaysLeft), rate)
	}
	return nd
}

// reachedOn is the date of the counted record with which the sum of the
// contributions first met the target.
func reachedOn(c *rule.Compare, counted []Counted, target float64) calendar.Date {
	sum := 0.0
	for _, ct := range counted {
		sum += ct.Value
		if c.Holds(sum, target) {
			return ct.Record.Date
		}
	}
	return 0
}

func (e *explainer) exprWhy(w eval.Window) string {
	switch {
	case w.Err != nil:
		return "regeln kunde inte beräknas: " + w.Err.Error()
	case e.asOf <= w.End:
		return fmt.Sprintf("regeln är inte en räkning jämförd med ett tal, så den kan bara bedömas när året har slutat (%s)", w.End)
	case w.Status == eval.Met:
		return fmt.Sprintf("året slutade %s, och regeln gäller", w.End)
	}
	return fmt.Sprintf("året slutade %s, och regeln gäller inte", w.End)
}

func days2(n int) string {
	if n == 1 {
		return "1 dag"
	}
	return strconv.Itoa(n) + " dagar"
}

// Num writes a figure the Swedish way: whole numbers bare, others with a
// decimal comma and one decimal.
func Num(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return Num1(f)
}

// Num1 writes f with one decimal and a decimal comma.
func Num1(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', 1, 64), ".", ",", 1)
}

func joinComma(ss []string) string { return strings.Join(ss, ", ") }

func joinPlus(ss []string) string { return strings.Join(ss, "+") }
