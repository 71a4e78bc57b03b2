package eval

import (
	"sort"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/rule"
)

// since finds the first day of the unbroken run of days, ending at the
// evaluation date, on each of which an evaluation made that day (with
// the records dated up to it) gives the status st (docs/reference.md
// §10). It never goes before the year's first day.
//
// Evaluating the rule again for each day would measure every record once
// a day. Instead each window's metric is a line of figures through the
// days with records (the line of a burn-up chart): for a metric that adds
// up, the line the evaluation measured its figure with (series.byDay), so
// that since measures nothing; for any other, one drawn by series.lineTo.
// The status of a past day is judged from the lines by the arithmetic of
// judge: the pace, the tolerance, warn_within and the windows' boundaries
// all depend on the day alone. Each day back from the evaluation date
// then costs a look-up per window, and the walk stops at the first day
// whose status differs.
func (e *evaluator) since(root rule.Node, st Status) calendar.Date {
	year := e.in.Calendar.YearWindow(e.year)
	if e.asOf < year.Start {
		return e.asOf
	}
	leaves := e.pastLeaves(root)
	if leaves == nil {
		return 0
	}
	// After the last window has ended nothing changes: start there.
	last := year.End
	for _, l := range leaves {
		for _, w := range l.windows {
			last = max(last, w.win.End)
		}
	}
	from := min(e.asOf, last+1)
	for d := from; d > year.Start; d-- {
		if e.statusOn(root, leaves, d-1) != st {
			return d
		}
	}
	return year.Start
}

// pastWindow is what judging a window on a past day needs: its line of
// figures and its target.
type pastWindow struct {
	win    calendar.Window
	target float64
	fixed  *Status // a window whose status does not depend on the day (an error)
	line   []Point // the metric through each day it changes
}

// pastLeaf is a comparison or expression of the rule and its windows.
type pastLeaf struct {
	compare *rule.Compare // nil for an expression
	windows []pastWindow
	judged  []Window      // the windows as judged on a day (reused from day to day)
	exprEnd calendar.Date // an expression: the year's last day
	final   Status        // an expression: its status once the year has ended
}

// pastLeaves measures the lines of every window of the rule, in the order
// of e.out; nil when a line cannot be drawn.
func (e *evaluator) pastLeaves(root rule.Node) map[rule.Node]*pastLeaf {
	out := map[rule.Node]*pastLeaf{}
	s := e.ser
	i := 0
	for n := range rule.Leaves(root) {
		l := &pastLeaf{}
		out[n] = l
		switch x := n.(type) {
		case *rule.Expr:
			if i >= len(e.out) {
				return nil
			}
			w := e.out[i]
			i++
			l.exprEnd, l.final = w.End, w.Status
		case *rule.Compare:
			l.compare = x
			groups := x.Values
			if x.Field == "" {
				groups = []string{""}
			}
			for _, w := range e.windows(x.HasWindow, x.Window) {
				for _, g := range groups {
					if i >= len(e.out) {
						return nil
					}
					ew := e.out[i]
					pw := pastWindow{win: w}
					if ew.Err != nil || ew.Target == nil {
						st := ew.Status
						pw.fixed = &st
					} else {
						pw.target = *ew.Target
						pw.line = e.lines[i]
						if pw.line == nil {
							pw.line = s.lineTo(x, w, x.Field, g, ew.Value)
						}
						if pw.line == nil && e.asOf >= w.Start {
							return nil
						}
					}
					i++
					l.windows = append(l.windows, pw)
				}
			}
		}
	}
	return out
}

// statusOn is the status of the rule on day d, as an evaluation at d
// gives it.
func (e *evaluator) statusOn(n rule.Node, leaves map[rule.Node]*pastLeaf, d calendar.Date) Status {
	switch x := n.(type) {
	case *rule.And:
		return worst(e.statusOn(x.Left, leaves, d), e.statusOn(x.Right, leaves, d))
	case *rule.Or:
		return best(e.statusOn(x.Left, leaves, d), e.statusOn(x.Right, leaves, d))
	}
	l := leaves[n]
	if l == nil {
		return Pending
	}
	if l.compare == nil {
		if d <= l.exprEnd {
			return Pending
		}
		return l.final
	}
	past := *e
	past.asOf = d
	if l.judged == nil {
		l.judged = make([]Window, len(l.windows))
	}
	ws := l.judged
	for i, pw := range l.windows {
		ws[i] = Window{Start: pw.win.Start, End: pw.win.End}
		switch {
		case pw.fixed != nil:
			ws[i].Status = *pw.fixed
		case d < pw.win.Start:
			ws[i].Status = Pending
		default:
			ws[i].Status, _ = past.judge(l.compare, pw.win, valueOn(pw.line, d), pw.target)
		}
	}
	return aggregate(ws, d)
}

// valueOn is the figure of a line on day d: that of its last point dated
// on or before d.
func valueOn(line []Point, d calendar.Date) float64 {
	i := sort.Search(len(line), func(k int) bool { return line[k].Date > d })
	if i == 0 {
		return 0
	}
	return line[i-1].Value
}
