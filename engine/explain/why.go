package explain

import (
	"math"
	"strconv"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/rule"
)

// why says in plain words why a count comparison's window has its
// status, and for an unmet lower bound of a running window what is still
// needed; for a met one, the day the target was reached.
func (e *explainer) why(c *rule.Compare, w eval.Window, counted []Counted) (bi, *Need, calendar.Date) {
	if w.Err != nil {
		return failed(w.Err), nil, 0
	}
	if e.asOf < w.Start {
		return say("fönstret har inte börjat: det börjar %s", "the window has not begun: it begins %s", w.Start), nil, 0
	}
	if w.Value == nil || w.Target == nil {
		return bi{}, nil, 0
	}
	v, n := *w.Value, *w.Target
	ended := e.asOf > w.End
	vs, ns := num(v), num(n)
	switch {
	case c.Upper():
		return e.upperWhy(c, w, vs, ns, ended), nil, 0
	case !c.Lower():
		metric := same(c.Parts().Metric)
		if !ended {
			return say("%s %s %s kan bara bedömas när fönstret har slutat (%s); hittills %s",
				"%s %s %s can only be judged when the window has ended (%s); so far %s", metric, c.Op, ns, w.End, vs), nil, 0
		}
		return say("fönstret slutade %s med %s, och %s %s %s %s", "the window ended %s with %s, and %s %s %s %s",
			w.End, vs, vs, c.Op, ns, holdsWord(w.Status == eval.Met)), nil, 0
	}
	goal := say("minst %s", "at least %s", ns)
	if c.Op == ">" {
		goal = say("fler än %s", "more than %s", ns)
	}
	switch w.Status {
	case eval.Met:
		reached := reachedOn(c, counted, n)
		s := say("målet (%s) är nått: %s", "the target (%s) is reached: %s", goal, vs)
		if reached != 0 {
			s = say("%s, sedan %s", "%s, since %s", s, reached)
		}
		return s, nil, reached
	case eval.Missed:
		return say("fönstret slutade %s med %s, målet var %s", "the window ended %s with %s, the target was %s", w.End, vs, goal), nil, 0
	}
	need := e.need(c, w, v, n)
	elapsed, days := int(min(e.asOf, w.End)-w.Start)+1, int(w.End-w.Start)+1
	var pace bi
	if w.Expected != nil {
		pace = say("%s som förväntas vid det här laget (%s × %d/%d dagar)", "%s expected by now (%s × %d/%d days)", num(*w.Expected), ns, elapsed, days)
		if e.c.Pace.Kind == promise.PaceMonthly {
			pace = say("%s som förväntas vid det här laget (%s efter månadsvikterna, %d/%d dagar)",
				"%s expected by now (%s by the monthly weights, %d/%d days)", num(*w.Expected), ns, elapsed, days)
		}
	}
	left := int(w.End - e.asOf)
	switch {
	case w.Status == eval.Behind && w.Expected != nil && v < math.Floor(expectedRaw(e, w, n)*(1-e.c.Tolerance)+1e-9):
		s := say("under takten: %s är färre än de %s", "behind the pace: %s is fewer than the %s", vs, pace)
		if e.c.Tolerance > 0 {
			s = say("%s, också med toleransen %s %%", "%s, even with the tolerance of %s%%", s, num(e.c.Tolerance*100))
		}
		return s, need, 0
	case w.Status == eval.Behind:
		return say("målet (%s) är inte nått, och bara %s återstår av fönstret (varning %d dagar före slutet)",
			"the target (%s) is not reached, and the window has only %s left (warning %d days before the end)",
			goal, days2(left), e.c.WarnWithin), need, 0
	case w.Expected != nil:
		return say("i takt: %s är minst de %s", "on pace: %s is at least the %s", vs, pace), need, 0
	}
	return say("ingen takt (pace: none): i fas tills %d dagar före fönstrets slut",
		"no pace (pace: none): on track until %d days before the window ends", e.c.WarnWithin), need, 0
}

// failed says that the rule could not be computed, and why; an error
// that says so itself is given as it is.
func failed(err error) bi {
	msg := err.Error()
	text := bi{msg, diag.English(msg)}
	if strings.HasPrefix(msg, "regeln kunde inte beräknas: ") {
		return text
	}
	return say("regeln kunde inte beräknas: %s", "the rule could not be computed: %s", text)
}

func (e *explainer) upperWhy(c *rule.Compare, w eval.Window, vs, ns bi, ended bool) bi {
	limit := say("högst %s", "at most %s", ns)
	if c.Op == "<" {
		limit = say("färre än %s", "fewer than %s", ns)
	}
	switch w.Status {
	case eval.Missed:
		return say("taket (%s) är överskridet: %s", "the ceiling (%s) is exceeded: %s", limit, vs)
	case eval.Met:
		return say("fönstret slutade %s med %s, inom taket (%s)", "the window ended %s with %s, within the ceiling (%s)", w.End, vs, limit)
	}
	if ended {
		return bi{}
	}
	return say("%s hittills, inom taket (%s): uppfyllt om det håller till och med %s",
		"%s so far, within the ceiling (%s): met if it holds through %s", vs, limit, w.End)
}

func holdsWord(ok bool) bi {
	if ok {
		return bi{"det stämmer", "holds"}
	}
	return bi{"det stämmer inte", "does not hold"}
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
	left := say("%s kvar", "%s to go", num(r))
	var text bi
	switch {
	case nd.DaysLeft == 0:
		text = say("%s, och i dag är fönstrets sista dag", "%s, and today is the window's last day", left)
	case r == 1:
		text = say("%s på %s", "%s in %s", left, days2(nd.DaysLeft))
		nd.PerWeek = 7 / float64(nd.DaysLeft)
	default:
		nd.PerWeek = r * 7 / float64(nd.DaysLeft)
		rate := say("%s per vecka", "%s a week", num1(nd.PerWeek))
		if nd.PerWeek < 1 {
			rate = say("en var %d:e dag", "one every %d days", int(math.Floor(float64(nd.DaysLeft)/r)))
		}
		text = say("%s på %s: %s", "%s in %s: %s", left, days2(nd.DaysLeft), rate)
	}
	nd.Text, nd.en = text[0], text[1]
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

func (e *explainer) exprWhy(w eval.Window) bi {
	switch {
	case w.Err != nil:
		return failed(w.Err)
	case e.asOf <= w.End:
		return say("regeln är inte en räkning jämförd med ett tal, så den kan bara bedömas när året har slutat (%s)",
			"the rule is not a count compared with a number, so it can only be judged when the year has ended (%s)", w.End)
	case w.Status == eval.Met:
		return say("året slutade %s, och regeln gäller", "the year ended %s, and the rule holds", w.End)
	}
	return say("året slutade %s, och regeln gäller inte", "the year ended %s, and the rule does not hold", w.End)
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
