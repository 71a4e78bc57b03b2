package eval

import (
	"fmt"
	"math"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/rule"
)

// Window is the outcome of one window (and, with `per FIELD`, one value).
type Window struct {
	Name     string
	Kind     calendar.Kind
	Start    calendar.Date
	End      calendar.Date
	Group    string // the enum value of a `per FIELD` clause, or ""
	Part     string // the comparison, when the rule has several parts
	Status   Status
	Upper    bool // the comparison is an upper bound (<=, <): Target is a maximum
	Value    *float64
	Target   *float64
	Expected *float64
	Err      error
	// Provisional marks a Behind window that is behind only by the
	// records of the last days, which are typically not recorded yet:
	// Lag says how long its records take (see Input.Lags).
	Provisional bool
	Lag         *Lag
	// Next is what remains to do in a started, unended, unmet window of
	// a `>=` count (docs/reference.md §10); nil in any other window.
	Next *Next
}

// Next is what a running window of a `>=` count still needs, and where
// its present pace ends (docs/reference.md §10).
type Next struct {
	Remaining float64 // target − value
	DaysLeft  int     // last day − evaluation date
	// Projected is floor(value × days in window / elapsed days): the
	// figure at the window's end if records keep coming at the pace so
	// far. Low and High are a rough 80 % range around it (see project).
	Projected float64
	Low, High float64
}

// Result is the outcome of one commitment.
type Result struct {
	Commitment *promise.Commitment
	Status     Status
	Windows    []Window
	Assessment *record.Record // manual commitments: the assessment used
	Note       string         // its note
	Broken     bool           // the rule did not compile: no status can be given (Status is Pending)
	// Provisional marks a Behind commitment whose every Behind window is
	// provisional; Lags are the recording lags that make them so.
	Provisional bool
	Lags        []Lag
	// Since is the first day of the unbroken run of days, ending at the
	// evaluation date, on which an evaluation gives Status
	// (docs/reference.md §10); 0 when it cannot be told (a rule that
	// fails to measure).
	Since calendar.Date
	// Interim marks a manual commitment of an ended year whose latest
	// assessment is an interim one (on_track, behind, pending): Status
	// is Unassessed, and Assessed is the interim assessment's status
	// (docs/reference.md §7, closed period). Assessed is the status of
	// Assessment whenever there is one.
	Interim  bool
	Assessed Status
}

// Evaluation is one promise evaluated for one year.
type Evaluation struct {
	Promise *promise.Promise
	Year    int
	AsOf    calendar.Date
	Results []Result
}

// Input is what an evaluation reads: the calendar, the records as rule
// tables, the raw records (for assessments) and the compiled rules.
type Input struct {
	Vocab    *promise.Vocabulary
	Calendar *calendar.Calendar
	Tables   *rule.Tables
	Records  *record.Set
	Rules    map[*promise.Commitment]*rule.Rule
	// Limit bounds the time one commitment's evaluation may take (0: no
	// limit). A rule can loop over records in loops (a predicate in a
	// predicate): a commitment over the limit gets an error, its run is
	// stopped at its next element (rule.Scope.Done), and the others are
	// evaluated.
	Limit time.Duration
	// Lags are the recording lags of activity types, and Known the day
	// the records were read as known (0: no provisional statuses).
	Lags  map[string]Lag
	Known calendar.Date
}

// guarded evaluates a rule under the watchdog of in.Limit, and turns a
// panic into an error.
func (in Input) guarded(c *promise.Commitment, r *rule.Rule, year int, asOf calendar.Date) (Result, error) {
	type outcome struct {
		res Result
		err error
	}
	done := make(chan outcome, 1)
	stop := make(chan struct{})
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- outcome{err: fmt.Errorf("internt fel i regeln: %v", v)}
			}
		}()
		done <- outcome{res: in.rule(c, r, year, asOf, stop)}
	}()
	if in.Limit <= 0 {
		o := <-done
		return o.res, o.err
	}
	timer := time.NewTimer(in.Limit)
	defer timer.Stop()
	select {
	case o := <-done:
		return o.res, o.err
	case <-timer.C:
		// The run is told to stop: expr cannot be interrupted, but every
		// predicate asks before each element, so the goroutine ends at
		// once; its result is dropped.
		close(stop)
		return Result{}, fmt.Errorf("regeln tog mer än %s att beräkna och avbröts", in.Limit)
	}
}

// Evaluate evaluates every commitment of p for year at asOf. A rule that
// fails at run time gives its windows an error and is reported in errs.
func Evaluate(in Input, p *promise.Promise, year int, asOf calendar.Date, errs *diag.List) Evaluation {
	ev := Evaluation{Promise: p, Year: year, AsOf: asOf}
	for _, c := range p.Commitments {
		var res Result
		if c.Manual {
			res = in.manual(c, year, asOf)
		} else if r := in.Rules[c]; r != nil {
			var err error
			if res, err = in.guarded(c, r, year, asOf); err != nil {
				res = Result{Commitment: c, Status: Pending, Broken: true}
				errs.Add(c.Rule.Pos(0), "förenkla regeln, eller dela upp den", "åtagandet %s: %v", c.ID, err)
			}
		} else {
			// The rule did not compile (reported when loading): the
			// commitment is listed, not dropped, without a status.
			res = Result{Commitment: c, Status: Pending, Broken: true}
		}
		for _, w := range res.Windows {
			if w.Err != nil {
				errs.Add(c.Rule.Pos(0), "", "åtagandet %s, %s: %v", c.ID, w.Name, w.Err)
			}
		}
		ev.Results = append(ev.Results, res)
	}
	return ev
}

// evaluator carries one commitment's evaluation.
type evaluator struct {
	in    Input
	c     *promise.Commitment
	year  int
	asOf  calendar.Date
	parts int
	out   []Window
	stop  <-chan struct{} // closed when the watchdog gives up on the rule
	// ser measures the lines of additive metrics, and lines holds them by
	// the index of their window in out: the figure at the evaluation date
	// is a line's last point, and since reads past days from it.
	ser   *series
	lines map[int][]Point
	// paces holds, per window, the running sums of the monthly pace's
	// daily weights (see expectedAt).
	paces map[calendar.Window][]float64
}

func (in Input) rule(c *promise.Commitment, r *rule.Rule, year int, asOf calendar.Date, stop <-chan struct{}) Result {
	e := &evaluator{in: in, c: c, year: year, asOf: asOf, parts: countParts(r.Root), stop: stop,
		ser: &series{in: in, year: year, asOf: asOf, stop: stop}, lines: map[int][]Point{}}
	st := e.node(r.Root)
	res := Result{Commitment: c, Status: st, Windows: e.out}
	res.Provisional, res.Lags = provisional(st, e.out)
	res.Since = e.since(r.Root, st)
	return res
}

func countParts(n rule.Node) int {
	parts := 0
	for range rule.Leaves(n) {
		parts++
	}
	return parts
}

func (e *evaluator) node(n rule.Node) Status {
	switch x := n.(type) {
	case *rule.And:
		return worst(e.node(x.Left), e.node(x.Right))
	case *rule.Or:
		return best(e.node(x.Left), e.node(x.Right))
	case *rule.Compare:
		return e.compare(x)
	case *rule.Expr:
		return e.expr(x)
	}
	return Pending
}

// windows are the windows a comparison is judged in: those of its `per`
// kind in the year, or the year itself.
func (e *evaluator) windows(hasKind bool, k calendar.Kind) []calendar.Window {
	if hasKind {
		return e.in.Calendar.Windows(k, e.year)
	}
	return []calendar.Window{e.in.Calendar.YearWindow(e.year)}
}

func (e *evaluator) compare(c *rule.Compare) Status {
	groups := c.Values
	if c.Field == "" {
		groups = []string{""}
	}
	var ws []Window
	for _, w := range e.windows(c.HasWindow, c.Window) {
		for _, g := range groups {
			win := e.window(w, c.Src)
			win.Group, win.Upper = g, c.Upper()
			value, target, err := e.measure(c, w, g, len(e.out)+len(ws))
			if err != nil {
				win.Status, win.Err = Pending, err
			} else {
				win.Value, win.Target = &value, &target
				win.Status, win.Expected = e.judge(c, w, value, target)
				if win.Status == Behind {
					win.Lag = e.lagging(c, w, value, target)
					win.Provisional = win.Lag != nil
				}
				win.Next = e.next(c, w, win.Status, value, target)
			}
			ws = append(ws, win)
		}
	}
	e.out = append(e.out, ws...)
	return aggregate(ws, e.asOf)
}

// measure is the metric and target of c in window w (and value g of a
// `per FIELD` clause) at the evaluation date. The line of an additive
// metric gives both in one pass over the records, and is kept as the
// i-th window's for since; any other metric is measured over the window.
func (e *evaluator) measure(c *rule.Compare, w calendar.Window, g string, i int) (value, target float64, err error) {
	if pts, target, ok := e.ser.byDay(c, w, c.Field, g); ok {
		e.lines[i] = pts
		return pts[len(pts)-1].Value, target, nil
	}
	return e.in.Tables.Measure(c, rule.Scope{Start: w.Start, End: min(w.End, e.asOf), Field: c.Field, Value: g, Done: e.stop})
}

func (e *evaluator) window(w calendar.Window, part string) Window {
	win := Window{Name: w.Name, Kind: w.Kind, Start: w.Start, End: w.End}
	if e.parts > 1 {
		win.Part = part
	}
	return win
}

// judge decides a count comparison's status in one window (docs/reference.md §7).
func (e *evaluator) judge(c *rule.Compare, w calendar.Window, value, target float64) (Status, *float64) {
	started, ended := e.asOf >= w.Start, e.asOf > w.End
	holds := c.Holds(value, target)
	switch {
	case c.Upper():
		switch {
		case !holds:
			return Missed, nil
		case ended:
			return Met, nil
		case !started:
			return Pending, nil
		}
		return OnTrack, nil
	case !c.Lower(): // == and !=: only an ended window can be judged
		if !ended {
			return Pending, nil
		}
		return metOr(holds), nil
	}
	var exp *float64
	if e.c.Pace.Kind != promise.PaceNone {
		x := math.Floor(e.expected(w, target) + 1e-9)
		exp = &x
	}
	switch {
	case !started:
		return Pending, exp
	case ended || holds:
		return metOr(holds), exp
	}
	if exp != nil {
		need := math.Floor(e.expected(w, target)*(1-e.c.Tolerance) + 1e-9)
		if value < need {
			return Behind, exp
		}
	}
	if int(w.End-e.asOf) < e.c.WarnWithin {
		return Behind, exp
	}
	return OnTrack, exp
}

// expected is the target scaled by the part of the window elapsed at the
// evaluation date (that day included), evenly or by monthly weights.
func (e *evaluator) expected(w calendar.Window, target float64) float64 {
	return e.expectedAt(w, target, e.asOf)
}

// expectedAt is expected as it was on the day at.
func (e *evaluator) expectedAt(w calendar.Window, target float64, at calendar.Date) float64 {
	last := min(at, w.End)
	if last < w.Start {
		return 0
	}
	if e.c.Pace.Kind != promise.PaceMonthly {
		return target * float64(last-w.Start+1) / float64(w.Days())
	}
	sums := e.paceSums(w)
	done, all := sums[last-w.Start], sums[len(sums)-1]
	if all == 0 {
		return 0
	}
	return target * done / all
}

// paceSums are the running sums of the monthly pace's daily weights
// through each day of w (a month's weight spread over its days), added
// up in the order of the days, once per window.
func (e *evaluator) paceSums(w calendar.Window) []float64 {
	if sums, ok := e.paces[w]; ok {
		return sums
	}
	sums := make([]float64, w.Days())
	var all float64
	for i := range sums {
		d := w.Start + calendar.Date(i)
		all += e.c.Pace.Weights[d.Month()-1] / float64(daysIn(d))
		sums[i] = all
	}
	if e.paces == nil {
		e.paces = map[calendar.Window][]float64{}
	}
	e.paces[w] = sums
	return sums
}

func daysIn(d calendar.Date) int {
	first := calendar.NewDate(d.Year(), d.Month(), 1)
	return int(calendar.NewDate(d.Year(), d.Month()+1, 1) - first)
}

func metOr(holds bool) Status {
	if holds {
		return Met
	}
	return Missed
}

// expr judges a general expression over the year: pending until the
// window ends, then met or missed.
func (e *evaluator) expr(x *rule.Expr) Status {
	w := e.in.Calendar.YearWindow(e.year)
	win := e.window(w, x.Src)
	switch {
	case e.asOf <= w.End:
		win.Status = Pending
	default:
		ok, err := e.in.Tables.Holds(x, rule.Scope{Start: w.Start, End: w.End, Done: e.stop})
		win.Status, win.Err = metOr(ok), err
		if err != nil {
			win.Status = Pending
		}
	}
	e.out = append(e.out, win)
	return win.Status
}

// aggregate is the status of a comparison over its windows (one, or
// those of a `per` clause): the worst of them, where a window that has not
// started yet (listed as pending) counts as on track (docs/reference.md §7).
func aggregate(ws []Window, asOf calendar.Date) Status {
	out := Met
	for _, w := range ws {
		s := w.Status
		if asOf < w.Start {
			s = OnTrack
		}
		out = worst(out, s)
	}
	return out
}

// manual takes the latest assessment of c dated in the year on or before
// the evaluation date.
func (in Input) manual(c *promise.Commitment, year int, asOf calendar.Date) Result {
	w := in.Calendar.YearWindow(year)
	res := Result{Commitment: c, Status: Unassessed}
	act := in.Vocab.Activity(promise.Assessment)
	ci, si, ni := act.FieldIndex("commitment"), act.FieldIndex("status"), act.FieldIndex("note")
	recs := in.Records.Between(promise.Assessment, w.Start, min(w.End, asOf))
	for i := range recs {
		r := &recs[i]
		if id, _ := r.Values[ci].(string); id != c.ID {
			continue
		}
		s, _ := r.Values[si].(string)
		st, err := ParseStatus(s)
		if err != nil {
			continue // the reader admits only known statuses
		}
		res.Status, res.Assessed, res.Assessment = st, st, r
		res.Note, _ = r.Values[ni].(string)
	}
	if res.Assessment != nil && asOf > w.End && !final(res.Status) {
		res.Status, res.Interim = Unassessed, true
	}
	res.Since = in.manualSince(c, w, asOf, res.Status)
	res.Windows = []Window{{Name: w.Name, Kind: w.Kind, Start: w.Start, End: w.End, Status: res.Status}}
	return res
}
