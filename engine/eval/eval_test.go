package eval

import (
	"strings"
	"testing"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/rule"
)

const vocabYAML = `
activities:
  kontroll:
    fields:
      form: {enum: [civil, uniformerad]}
      antal: int
      bilinspektor: bool
  hundsok:
    fields:
      skola: string
`

func d(s string) calendar.Date {
	x, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return x
}

// recs makes n records of typ dated on day, and extra fields by name.
func recs(typ string, n int, day string, fields ...any) []record.Record {
	out := make([]record.Record, n)
	for i := range out {
		out[i] = record.Record{Type: typ, Date: d(day), By: []string{"polisen"}, Values: fields}
	}
	return out
}

// spread makes n records of typ, one a day from day.
func spread(typ string, n int, day string) []record.Record {
	out := make([]record.Record, n)
	for i := range out {
		out[i] = record.Record{Type: typ, Date: d(day).AddDays(i % 200), By: []string{"polisen"}, Values: []any{nil}}
	}
	return out
}

func assess(id, status, day string) record.Record {
	return record.Record{Type: promise.Assessment, Date: d(day), By: []string{"kommunen"}, Values: []any{id, status, nil}}
}

type fixture struct {
	voc *promise.Vocabulary
	cal *calendar.Calendar
	env *rule.Env
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	voc, errs := promise.ParseVocabulary("rules/activities.yaml", []byte(vocabYAML))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	cal := calendar.New()
	if err := cal.SetTerm("2022-VT", d("2022-01-11"), d("2022-06-17")); err != nil {
		t.Fatal(err)
	}
	if err := cal.SetTerm("2022-HT", d("2022-08-22"), d("2022-12-21")); err != nil {
		t.Fatal(err)
	}
	return fixture{voc: voc, cal: cal, env: rule.NewEnv(voc)}
}

// eval evaluates one commitment for 2022 at asOf.
func (f fixture) eval(t *testing.T, c *promise.Commitment, rs []record.Record, asOf string) Result {
	t.Helper()
	p := &promise.Promise{ID: "p", Valid: calendar.Period{First: 2022, Last: 2022}, Commitments: []*promise.Commitment{c}}
	c.Promise = p
	rules := map[*promise.Commitment]*rule.Rule{}
	if !c.Manual {
		r, errs := f.env.Compile(c.Rule)
		if len(errs) > 0 {
			t.Fatalf("compile %q: %v", c.Rule.Value, errs)
		}
		rules[c] = r
	}
	set := record.NewSet(rs)
	in := Input{Vocab: f.voc, Calendar: f.cal, Tables: f.env.Tables(set, d("2021-01-01"), d("2023-12-31")), Records: set, Rules: rules}
	var errs diag.List
	ev := Evaluate(in, p, 2022, d(asOf), &errs)
	if len(errs) > 0 {
		t.Fatalf("evaluate: %v", errs)
	}
	return ev.Results[0]
}

func commitment(src string) *promise.Commitment {
	return &promise.Commitment{ID: "c", Rule: promise.Text{Value: src}, WarnWithin: promise.DefaultWarnWithin}
}

func fp(f float64) *float64 { return &f }

// step is one evaluation date of a time-stepped test.
type step struct {
	asOf     string
	want     Status
	expected *float64 // checked when set
}

func TestCountPace(t *testing.T) {
	f := newFixture(t)
	sixtyOne := spread("kontroll", 61, "2022-01-03") // all dated 2022-01-03 .. 2022-03-03
	tests := []struct {
		name  string
		edit  func(*promise.Commitment)
		recs  []record.Record
		steps []step
	}{
		{"61 of 104", nil, sixtyOne, []step{
			{"2021-12-31", OnTrack, fp(0)},  // not started: listed pending, counts as on track
			{"2022-01-01", OnTrack, fp(0)},  // 104×1/365 → 0
			{"2022-03-01", OnTrack, fp(17)}, // 104×60/365 = 17.1; 58 records by then
			{"2022-07-18", OnTrack, fp(56)}, // 104×199/365 = 56.7
			{"2022-08-31", Behind, fp(69)},  // the example of docs/reference.md §7: 61 < 69
			{"2022-12-31", Behind, fp(104)}, // last day, unmet
			{"2023-01-01", Missed, fp(104)}, // ended
		}},
		{"met early", nil, spread("kontroll", 104, "2022-01-01"), []step{
			{"2022-03-01", OnTrack, fp(17)}, // 60 so far
			{"2022-07-20", Met, fp(57)},     // all 104 by 2022-04-14
			{"2023-06-01", Met, fp(104)},
		}},
		{"warn_within", nil, append(spread("kontroll", 100, "2022-01-01"), recs("kontroll", 3, "2022-12-20", nil)...), []step{
			{"2022-12-01", OnTrack, fp(95)}, // 30 days left is not fewer than 30
			{"2022-12-02", Behind, fp(95)},  // 29 days left
			{"2022-12-20", Behind, fp(100)}, // 103 < 104
		}},
		{"warn_within 0", func(c *promise.Commitment) { c.WarnWithin = 0 }, spread("kontroll", 100, "2022-01-01"), []step{
			{"2022-12-02", OnTrack, fp(95)},
			{"2022-12-31", Behind, fp(104)}, // below pace on the last day
		}},
		{"tolerance 0.1", func(c *promise.Commitment) { c.Tolerance = 0.1 }, sixtyOne, []step{
			{"2022-08-31", Behind, fp(69)}, // floor(69.2×0.9) = 62 > 61
		}},
		{"tolerance 0.15", func(c *promise.Commitment) { c.Tolerance = 0.15 }, sixtyOne, []step{
			{"2022-08-31", OnTrack, fp(69)}, // floor(69.2×0.85) = 58 ≤ 61
		}},
		{"pace none", func(c *promise.Commitment) { c.Pace.Kind = promise.PaceNone }, sixtyOne, []step{
			{"2022-08-31", OnTrack, nil},
			{"2022-12-01", OnTrack, nil},
			{"2022-12-02", Behind, nil},
			{"2023-01-01", Missed, nil},
		}},
		{"monthly weights", func(c *promise.Commitment) {
			c.Pace = promise.Pace{Kind: promise.PaceMonthly, Weights: [12]float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}}
		}, nil, []step{
			{"2022-08-31", OnTrack, fp(0)},
			{"2022-11-15", Behind, fp(26)}, // 104 × (15/30) / 2
		}},
	}
	for _, tt := range tests {
		for _, s := range tt.steps {
			t.Run(tt.name+"/"+s.asOf, func(t *testing.T) {
				c := commitment("count(kontroll) >= 104")
				if tt.edit != nil {
					tt.edit(c)
				}
				res := f.eval(t, c, tt.recs, s.asOf)
				checkStep(t, res, s)
			})
		}
	}
}

func checkStep(t *testing.T, res Result, s step) {
	t.Helper()
	if res.Status != s.want {
		t.Errorf("status %s, want %s (windows %+v)", res.Status, s.want, res.Windows)
	}
	if s.expected != nil {
		if len(res.Windows) == 0 || res.Windows[0].Expected == nil {
			t.Fatalf("no expected figure, want %v", *s.expected)
		}
		if got := *res.Windows[0].Expected; got != *s.expected {
			t.Errorf("expected %v, want %v", got, *s.expected)
		}
	}
}

func TestRuleKinds(t *testing.T) {
	f := newFixture(t)
	civil, unif := "civil", "uniformerad"
	vt := recs("hundsok", 1, "2022-03-10", nil)
	tests := []struct {
		name  string
		rule  string
		recs  []record.Record
		steps []step
	}{
		{"upper bound", "count(kontroll) <= 2", recs("kontroll", 2, "2022-02-01", nil), []step{
			{"2021-12-01", OnTrack, nil},
			{"2022-06-01", OnTrack, nil},
			{"2023-01-01", Met, nil},
		}},
		{"upper bound exceeded", "count(kontroll) < 3", recs("kontroll", 3, "2022-02-01", nil), []step{
			{"2022-01-31", OnTrack, nil},
			{"2022-02-01", Missed, nil}, // missed as soon as exceeded
		}},
		{"greater than", "kontroll > 2", recs("kontroll", 3, "2022-05-01", nil), []step{
			{"2022-04-30", OnTrack, nil},
			{"2022-05-01", Met, nil},
		}},
		{"reversed", "104 <= count(kontroll)", spread("kontroll", 61, "2022-01-03"), []step{
			{"2022-08-31", Behind, fp(69)},
		}},
		{"per termin", "count(hundsok) per termin >= 1", vt, []step{
			{"2022-01-05", OnTrack, nil}, // no term has started
			{"2022-03-09", OnTrack, nil}, // VT running; HT not started counts as on track
			{"2022-03-10", OnTrack, nil}, // VT met; HT not started counts as on track
			{"2022-06-18", OnTrack, nil}, // VT met, HT not started
			{"2022-09-01", OnTrack, nil}, // HT running, 111 days left
			{"2022-11-22", Behind, nil},  // 29 days left in HT
			{"2022-12-22", Missed, nil},  // HT ended unmet
		}},
		{"per field", "count(kontroll) per form >= 1", recs("kontroll", 1, "2022-03-01", civil), []step{
			{"2022-08-31", OnTrack, nil},
			{"2023-01-01", Missed, nil},
		}},
		{"per field met", "count(kontroll) per form >= 1", append(recs("kontroll", 1, "2022-03-01", civil), recs("kontroll", 1, "2022-04-01", unif)...), []step{
			{"2022-03-15", OnTrack, nil},
			{"2022-04-01", Met, nil},
		}},
		{"per window and field", "count(kontroll) per halvår per form >= 1", append(recs("kontroll", 1, "2022-03-01", civil), recs("kontroll", 1, "2022-04-01", unif)...), []step{
			{"2022-06-30", OnTrack, nil}, // H1 met for both; H2 not started
			{"2022-07-01", OnTrack, nil},
			{"2023-01-01", Missed, nil},
		}},
		{"and is worst", "count(kontroll) >= 104 && count(hundsok) >= 1", append(spread("kontroll", 61, "2022-01-03"), vt...), []step{
			{"2022-08-31", Behind, nil},
		}},
		{"or is best", "count(kontroll) >= 104 || count(hundsok) >= 1", append(spread("kontroll", 61, "2022-01-03"), vt...), []step{
			{"2022-08-31", Met, nil},
		}},
		{"general expression", `all(hundsok, .skola == nil)`, vt, []step{
			{"2022-08-31", Pending, nil},
			{"2023-01-01", Met, nil},
		}},
		{"equality is general", "count(hundsok) == 2", vt, []step{
			{"2022-08-31", Pending, nil},
			{"2023-01-01", Missed, nil},
		}},
		// A metric that a further record can lower is not a count: it is
		// judged only when its window ends (docs/reference.md §7).
		{"difference is general", "count(kontroll) - count(hundsok) >= 1", recs("kontroll", 1, "2022-02-01", nil), []step{
			{"2022-08-31", Pending, nil}, // one hundsok more would undo it
			{"2023-01-01", Met, nil},
		}},
		{"falling metric is general", "100 - count(kontroll) >= 99", recs("kontroll", 2, "2022-02-01", nil), []step{
			{"2022-01-15", Pending, nil},
			{"2022-02-01", Pending, nil}, // not behind: no pace for a falling metric
			{"2023-01-01", Missed, nil},
		}},
		{"negated count upper bound is general", "-count(kontroll) <= -2", recs("kontroll", 1, "2022-02-01", nil), []step{
			{"2022-08-31", Pending, nil}, // not missed: one record more makes it hold
			{"2023-01-01", Missed, nil},
		}},
		{"scaled count is a count", "count(kontroll) / 2 + 1 >= 2", recs("kontroll", 2, "2022-02-01", nil), []step{
			{"2022-01-31", OnTrack, nil},
			{"2022-02-01", Met, nil},
		}},
		{"record after as-of does not count", "count(hundsok) >= 1", recs("hundsok", 1, "2022-09-01", nil), []step{
			{"2022-08-31", OnTrack, nil},
			{"2022-09-01", Met, nil},
		}},
	}
	for _, tt := range tests {
		for _, s := range tt.steps {
			t.Run(tt.name+"/"+s.asOf, func(t *testing.T) {
				res := f.eval(t, commitment(tt.rule), tt.recs, s.asOf)
				checkStep(t, res, s)
			})
		}
	}
}

func TestManual(t *testing.T) {
	f := newFixture(t)
	rs := []record.Record{
		assess("c", "behind", "2021-12-01"), // another year
		assess("c", "on_track", "2022-03-01"),
		assess("other", "missed", "2022-04-01"),
		assess("c", "met", "2022-06-01"),
	}
	for _, s := range []step{
		{"2022-02-28", Unassessed, nil},
		{"2022-03-01", OnTrack, nil},
		{"2022-05-31", OnTrack, nil},
		{"2022-06-01", Met, nil},
		{"2023-02-01", Met, nil},
	} {
		t.Run(s.asOf, func(t *testing.T) {
			c := &promise.Commitment{ID: "c", Manual: true}
			checkStep(t, f.eval(t, c, rs, s.asOf), s)
		})
	}
}

func TestPerWindowFigures(t *testing.T) {
	f := newFixture(t)
	res := f.eval(t, commitment("count(hundsok) per termin >= 1"), recs("hundsok", 1, "2022-03-10", nil), "2022-09-01")
	if len(res.Windows) != 2 {
		t.Fatalf("got %d windows, want VT and HT", len(res.Windows))
	}
	vt, ht := res.Windows[0], res.Windows[1]
	if vt.Name != "2022-VT" || vt.Status != Met || *vt.Value != 1 || *vt.Target != 1 {
		t.Errorf("VT = %+v", vt)
	}
	if ht.Name != "2022-HT" || ht.Status != OnTrack || *ht.Value != 0 || ht.Start != d("2022-08-22") {
		t.Errorf("HT = %+v", ht)
	}
}

func TestAggregate(t *testing.T) {
	asOf := d("2022-06-01")
	started := func(st Status) Window { return Window{Start: d("2022-01-01"), Status: st} }
	future := Window{Start: d("2022-07-01"), Status: Pending}
	tests := []struct {
		in   []Window
		want Status
	}{
		{[]Window{started(Met), started(Met)}, Met},
		{[]Window{started(Met), future}, OnTrack},
		{[]Window{future, future}, OnTrack},
		{[]Window{started(Pending), future}, Pending}, // a running == window stays pending
		{[]Window{started(Met), started(Behind), future}, Behind},
		{[]Window{started(Missed), started(Met)}, Missed},
	}
	for _, tt := range tests {
		if got := aggregate(tt.in, asOf); got != tt.want {
			t.Errorf("aggregate(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestNotStartedWindowIsListedPending(t *testing.T) {
	f := newFixture(t)
	res := f.eval(t, commitment("count(kontroll) >= 104"), nil, "2021-12-31")
	if res.Status != OnTrack || len(res.Windows) != 1 || res.Windows[0].Status != Pending {
		t.Errorf("status %s, windows %+v; want on_track with one pending window", res.Status, res.Windows)
	}
}

// TestAbsentFields: a record without an optional field does not match a
// predicate on it, and an absent bool is false; neither is an error.
func TestAbsentFields(t *testing.T) {
	f := newFixture(t)
	rs := []record.Record{
		{Type: "kontroll", Date: d("2022-02-01"), By: []string{"polisen"}, Values: []any{nil, nil, nil}},
		{Type: "kontroll", Date: d("2022-02-02"), By: []string{"polisen"}, Values: []any{"civil", 3, true}},
	}
	for _, tt := range []struct {
		rule string
		want float64
	}{
		{"count(kontroll, .antal > 2) >= 1", 1},
		{"count(kontroll, .antal <= 3) >= 1", 1},
		{"count(kontroll, .bilinspektor) >= 1", 1},
		{"count(kontroll, !.bilinspektor) >= 1", 1},
		{`count(kontroll, .form == "civil") >= 1`, 1},
		{`count(kontroll, .form == nil) >= 1`, 1},
	} {
		res := f.eval(t, commitment(tt.rule), rs, "2022-08-31")
		if w := res.Windows[0]; w.Err != nil || w.Value == nil || *w.Value != tt.want {
			t.Errorf("%s: value %v, error %v; want %v", tt.rule, w.Value, w.Err, tt.want)
		}
	}
}

// TestWatchdog: a rule that takes too long gets an error, and the other
// commitments of the promise are still evaluated.
func TestWatchdog(t *testing.T) {
	f := newFixture(t)
	slow := commitment(`count(kontroll, count(kontroll, count(kontroll, "polisen" in .by) == 150) == 150) >= 1`)
	slow.ID = "slow"
	quick := commitment("count(kontroll) >= 1")
	quick.ID = "quick"
	p := &promise.Promise{ID: "p", Valid: calendar.Period{First: 2022, Last: 2022}, Commitments: []*promise.Commitment{slow, quick}}
	rules := map[*promise.Commitment]*rule.Rule{}
	for _, c := range p.Commitments {
		c.Promise = p
		r, errs := f.env.Compile(c.Rule)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		rules[c] = r
	}
	set := record.NewSet(spread("kontroll", 150, "2022-01-01"))
	in := Input{Vocab: f.voc, Calendar: f.cal, Tables: f.env.Tables(set, d("2022-01-01"), d("2022-12-31")), Records: set, Rules: rules, Limit: 20 * time.Millisecond}
	var errs diag.List
	ev := Evaluate(in, p, 2022, d("2022-08-31"), &errs)
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "slow") || !strings.Contains(errs[0].Message, "avbröts") {
		t.Errorf("errors %v; want one, for slow, saying it was stopped", errs)
	}
	if !ev.Results[0].Broken || ev.Results[1].Status != Met {
		t.Errorf("results %+v", ev.Results)
	}
}
