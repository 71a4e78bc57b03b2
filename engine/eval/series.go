package eval

import (
	"math"
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
// from the window's first day through days on which it changes, up to the
// evaluation date: the line of a burn-up chart. The first point is the day
// before the window starts (nothing counted yet). Only comparisons over
// the whole year have figures (a window of a `per` clause gets nil, as
// does a general expression, a window not started or one that fails to
// measure).
func (in Input) Cumulative(c *promise.Commitment, year int, asOf calendar.Date) [][]Point {
	r := in.Rules[c]
	if c.Manual || r == nil {
		return nil
	}
	s := &series{in: in, year: year, asOf: asOf}
	for n := range rule.Leaves(r.Root) {
		if c, ok := n.(*rule.Compare); ok {
			s.compare(c)
		} else {
			s.out = append(s.out, nil)
		}
	}
	return s.out
}

type series struct {
	in   Input
	year int
	asOf calendar.Date
	out  [][]Point
	stop <-chan struct{} // closed when the watchdog gives up on the rule
	// field and value scope the line to one value of a `per FIELD` clause.
	field, value string
	// empties holds each comparison's metric and target over no record.
	empties map[*rule.Compare]empty
}

// empty is a comparison's metric and target over no record: the first
// point of every line, and the figure every day's records add to.
type empty struct {
	value, target float64
	ok            bool
}

func (s *series) compare(c *rule.Compare) {
	e := evaluator{in: s.in, year: s.year}
	ws := e.windows(c.HasWindow, c.Window)
	if c.HasWindow || c.Field != "" {
		n := len(ws)
		if c.Field != "" {
			n *= len(c.Values)
		}
		s.out = append(s.out, make([][]Point, n)...)
		return
	}
	for _, w := range ws {
		s.out = append(s.out, s.line(c, w))
	}
}

// exactly is the bound under which every integer is a float64: the sums
// of a line are exact below it.
const exactly = 1 << 53

// byDay measures the line of an additive metric (rule.Compare.Additive)
// in one pass over the window's records: the records of each day with
// records are measured alone, each record once, and added up from the
// window's first day up to the evaluation date (docs/reference.md §10).
// It also gives the comparison's target. It declines (ok false) a metric
// that does not add up, a window not started, a run that fails, and a
// day's figure that is not a whole number (a sum of decimals, whose sum
// of days could differ in its last digit from the sum of all): what it
// returns is then exactly what measuring the whole window gives, and its
// last point is the metric at the evaluation date.
func (s *series) byDay(c *rule.Compare, w calendar.Window, field, value string) (pts []Point, target float64, ok bool) {
	if s.asOf < w.Start || !c.Additive() {
		return nil, 0, false
	}
	none, ok := s.empty(c)
	if !ok {
		return nil, 0, false
	}
	days := s.days(c.Types, w)
	figs, err := s.in.Tables.MeasureDays(c, rule.Scope{Field: field, Value: value, Done: s.stop}, days)
	if err != nil {
		return nil, 0, false
	}
	pts = []Point{{Date: w.Start - 1, Value: none.value}}
	sum := none.value
	for i, v := range figs {
		if !whole(v) {
			return nil, 0, false
		}
		if add := v - none.value; add != 0 {
			if sum += add; !whole(sum) {
				return nil, 0, false
			}
			pts = append(pts, Point{Date: days[i], Value: sum})
		}
	}
	return pts, none.target, true
}

// whole reports an integer that a float64 holds exactly.
func whole(v float64) bool { return v == math.Trunc(v) && math.Abs(v) <= exactly }

// empty is c's metric and target over no record, measured once per
// comparison: neither depends on the window.
func (s *series) empty(c *rule.Compare) (empty, bool) {
	if n, ok := s.empties[c]; ok {
		return n, n.ok
	}
	if s.empties == nil {
		s.empties = map[*rule.Compare]empty{}
	}
	var n empty
	var err error
	n.value, n.target, err = s.in.Tables.Measure(c, rule.Scope{Start: 1, End: 0, Done: s.stop})
	n.ok = err == nil && whole(n.value)
	s.empties[c] = n
	return n, n.ok
}

// checkpoints is the number of days on which a line is measured from the
// window's start; see lineTo.
const checkpoints = 12

// line measures the metric from the window's start through each day with
// records, up to the evaluation date.
func (s *series) line(c *rule.Compare, w calendar.Window) []Point {
	if pts, _, ok := s.byDay(c, w, "", ""); ok {
		return pts
	}
	return s.lineTo(c, w, "", "", nil)
}

// lineTo draws the line of a metric that byDay declines, scoped to the
// records whose field has value (with a `per FIELD` clause; "" for all).
// Measuring each day from the start would cost a pass over the records
// per day, so lineTo measures the records of each day alone and adds up,
// and checks the sums against final, the metric at the evaluation date,
// when it is known: sums that add up to it are taken as they are. A sum
// of days that adds up to the whole is right for counts and sums, and for
// a metric that does not add up (a maximum, a count of distinct values)
// it happens only when no day's records overlap another's in what they
// count, when the line is right all the same. Otherwise the sums are
// checked against the metric measured from the start on a few days spread
// over the window; should one differ, the line is drawn through the
// checkpoints alone. A metric of no records that cannot be measured (the
// maximum of nothing) starts at 0.
func (s *series) lineTo(c *rule.Compare, w calendar.Window, field, value string, final *float64) []Point {
	s.field, s.value = field, value
	if s.asOf < w.Start {
		return nil
	}
	days := s.days(c.Types, w)
	// A metric of no records may fail (the maximum of nothing): it starts
	// from 0 then, and cannot be added up.
	empty, adds := s.measure(c, w.Start, w.Start-1)
	sums := make([]float64, len(days))
	sum, from := empty, w.Start
	for i, d := range days {
		if !adds {
			break
		}
		v, ok := s.measure(c, from, d)
		sum += v - empty
		sums[i], from, adds = sum, d+1, ok
	}
	if final != nil && adds && (len(sums) == 0 && *final == empty || len(sums) > 0 && math.Abs(*final-sums[len(sums)-1]) <= 1e-9*max(1, math.Abs(*final))) {
		return steps([]Point{{Date: w.Start - 1, Value: empty}}, points(days, sums))
	}
	// Check the sums on a few days; should one differ, measure the line
	// from the start on more.
	for _, n := range []int{4, checkpoints} {
		var checked []Point
		for k := 1; k <= min(n, len(days)); k++ {
			i := k*len(days)/min(n, len(days)) - 1
			v, ok := s.measure(c, w.Start, days[i])
			if !ok {
				return nil
			}
			checked = append(checked, Point{Date: days[i], Value: v})
			adds = adds && math.Abs(v-sums[i]) <= 1e-9*max(1, math.Abs(v))
		}
		if adds {
			break
		}
		if n == checkpoints {
			return steps([]Point{{Date: w.Start - 1, Value: empty}}, checked)
		}
	}
	pts := []Point{{Date: w.Start - 1, Value: empty}}
	for i, d := range days {
		pts = append(pts, Point{Date: d, Value: sums[i]})
	}
	return steps(pts[:1], pts[1:])
}

func points(days []calendar.Date, sums []float64) []Point {
	out := make([]Point, len(days))
	for i, d := range days {
		out[i] = Point{Date: d, Value: sums[i]}
	}
	return out
}

// steps appends to pts the points of more that change the value.
func steps(pts, more []Point) []Point {
	for _, p := range more {
		if p.Value != pts[len(pts)-1].Value {
			pts = append(pts, p)
		}
	}
	return pts
}

func (s *series) measure(c *rule.Compare, from, to calendar.Date) (float64, bool) {
	v, _, err := s.in.Tables.Measure(c, rule.Scope{Start: from, End: to, Field: s.field, Value: s.value, Done: s.stop})
	return v, err == nil
}

// days lists the days of w, up to the evaluation date, on which a record
// of one of types is dated: the only days on which the metric can change.
// The records of a type come in date order.
func (s *series) days(types []string, w calendar.Window) []calendar.Date {
	var days []calendar.Date
	for _, typ := range types {
		days = append(days, s.in.Records.Dates(typ, w.Start, min(w.End, s.asOf))...)
	}
	if len(types) > 1 {
		slices.Sort(days)
	}
	return slices.Compact(days) // a type's dates are in order, one a record
}

// Expected is the expected figure of a count target at the end of day d
// of window w, by c's pace (linear or monthly weights), before rounding:
// what the pace line of a burn-up chart draws. It is 0 before the window.
func Expected(c *promise.Commitment, w calendar.Window, target float64, d calendar.Date) float64 {
	e := evaluator{c: c, asOf: d}
	return e.expected(w, target)
}
