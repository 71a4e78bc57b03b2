package eval

import (
	"slices"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/rule"
)

// Point is a cumulative figure: a comparison's metric measured from its
// window's first day through Date.
type Point struct {
	Date  calendar.Date
	Value float64
}

// Cumulative returns, for each window of c's result in the same order as
// Result.Windows, the metric of the window's count comparison measured
// from the window's first day through each day on which it changes, up to
// the evaluation date: the line of a burn-up chart. The first point is the
// day before the window starts (nothing counted yet). A window that is not
// a count comparison, has not started or fails to measure gets nil.
func (in Input) Cumulative(c *promise.Commitment, year int, asOf calendar.Date) [][]Point {
	r := in.Rules[c]
	if c.Manual || r == nil {
		return nil
	}
	s := &series{in: in, year: year, asOf: asOf}
	s.node(r.Root)
	return s.out
}

type series struct {
	in   Input
	year int
	asOf calendar.Date
	out  [][]Point
}

// node walks the rule in the order the evaluator lists windows.
func (s *series) node(n rule.Node) {
	switch x := n.(type) {
	case *rule.And:
		s.node(x.Left)
		s.node(x.Right)
	case *rule.Or:
		s.node(x.Left)
		s.node(x.Right)
	case *rule.Compare:
		s.compare(x)
	case *rule.Expr:
		s.out = append(s.out, nil)
	}
}

func (s *series) compare(c *rule.Compare) {
	groups := c.Values
	if c.Field == "" {
		groups = []string{""}
	}
	e := evaluator{in: s.in, year: s.year}
	for _, w := range e.windows(c.HasWindow, c.Window) {
		days := s.days(c.Types, w)
		for _, g := range groups {
			s.out = append(s.out, s.points(c, w, g, days))
		}
	}
}

// days lists the days of w, up to the evaluation date, on which a record
// of one of types is dated: the only days on which the metric can change.
func (s *series) days(types []string, w calendar.Window) []calendar.Date {
	var days []calendar.Date
	for _, typ := range types {
		for _, r := range s.in.Records.Between(typ, w.Start, min(w.End, s.asOf)) {
			days = append(days, r.Date)
		}
	}
	slices.Sort(days)
	return slices.Compact(days)
}

func (s *series) points(c *rule.Compare, w calendar.Window, group string, days []calendar.Date) []Point {
	if s.asOf < w.Start {
		return nil
	}
	scope := rule.Scope{Start: w.Start, End: w.Start - 1, Field: c.Field, Value: group}
	v, _, err := s.in.Tables.Measure(c, scope)
	if err != nil {
		return nil
	}
	pts := []Point{{Date: w.Start - 1, Value: v}}
	for _, d := range days {
		scope.End = d
		if v, _, err = s.in.Tables.Measure(c, scope); err != nil {
			return nil
		}
		if v != pts[len(pts)-1].Value {
			pts = append(pts, Point{Date: d, Value: v})
		}
	}
	return pts
}

// Expected is the expected figure of a count target at the end of day d
// of window w, by c's pace (linear or monthly weights), before rounding:
// what the pace line of a burn-up chart draws. It is 0 before the window.
func Expected(c *promise.Commitment, w calendar.Window, target float64, d calendar.Date) float64 {
	e := evaluator{c: c, asOf: d}
	return e.expected(w, target)
}
