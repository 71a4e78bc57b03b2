package watch

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/google/go-cmp/cmp"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
)

func TestDebouncer(t *testing.T) {
	d := debouncer{quiet: 250 * time.Millisecond, maxWait: 2 * time.Second}
	t0 := time.Unix(1000, 0)
	steps := []struct {
		at   time.Duration
		want time.Duration
	}{
		{0, 250 * time.Millisecond},                       // the first change
		{100 * time.Millisecond, 250 * time.Millisecond},  // quiet restarts
		{1900 * time.Millisecond, 100 * time.Millisecond}, // the maximum wait is near
		{2000 * time.Millisecond, 0},                      // reached: now
		{2500 * time.Millisecond, 0},                      // past it: still now
	}
	for _, s := range steps {
		if got := d.touch(t0.Add(s.at)); got != s.want {
			t.Errorf("change at %s: wait %s, want %s", s.at, got, s.want)
		}
	}
	d.done()
	if got := d.touch(t0.Add(3 * time.Second)); got != 250*time.Millisecond {
		t.Errorf("after done: wait %s, want a new quiet period", got)
	}
}

func TestUntilDateCheck(t *testing.T) {
	tests := []struct {
		now  time.Time
		want time.Duration
	}{
		{stockholm(2022, 8, 31, 23, 59, 30), 30*time.Second + time.Millisecond},
		{stockholm(2022, 8, 31, 12, 0, 0), time.Minute},
		// The night summer time ends has 25 hours; midnight is still midnight.
		{stockholm(2022, 10, 30, 23, 59, 59), time.Second + time.Millisecond},
		{stockholm(2022, 3, 26, 23, 59, 59), time.Second + time.Millisecond},
	}
	for _, tt := range tests {
		if got := untilDateCheck(tt.now); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.now, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	root := "/r"
	l := layout{root: root, gitDir: "/r/.git", commonDir: "/r/.git"}
	tests := []struct {
		name string
		op   fsnotify.Op
		want relevance
	}{
		{"/r/data/2022/a.csv", fsnotify.Write, content},
		{"/r/data/2022/a.csv", fsnotify.Chmod, content}, // chmod 000 and back
		{"/r/rules/p.yaml", fsnotify.Chmod, content},
		{"/r/data", fsnotify.Chmod, content},
		{"/r/README.md", fsnotify.Chmod, ignore},
		{"/r/.git/HEAD", fsnotify.Chmod, ignore},
		{"/r/data/2022/.a.csv.swp", fsnotify.Chmod, ignore},
		{"/r/data/2022/a.csv", fsnotify.Create | fsnotify.Chmod, content},
		{"/r/rules/p.yaml", fsnotify.Rename, content},
		{"/r/data/2022", fsnotify.Create, content},
		{"/r/data", fsnotify.Remove, content},
		{"/r/rules", fsnotify.Create, content},
		{"/r/README.md", fsnotify.Write, ignore},
		{"/r/data/2022/.a.csv.swp", fsnotify.Write, ignore},
		{"/r/data/2022/a.csv~", fsnotify.Create, ignore},
		{"/r/data/2022/4913", fsnotify.Create, ignore},
		{"/r/data/2022/~$kontroller.csv", fsnotify.Create, ignore},
		{"/r/rules/p.yaml___jb_tmp___", fsnotify.Create, ignore},
		{"/r/data/a.csv.tmp", fsnotify.Create, ignore},
		{"/r/.git/HEAD", fsnotify.Write, gitRef},
		{"/r/.git/HEAD.lock", fsnotify.Create, ignore},
		{"/r/.git/packed-refs", fsnotify.Create, gitRef},
		{"/r/.git/refs/heads/main", fsnotify.Create, gitRef},
		{"/r/.git/refs/heads/main.lock", fsnotify.Create, ignore},
		{"/r/.git/index", fsnotify.Write, ignore},
		{"/r/.git/objects/ab", fsnotify.Create, ignore},
		{"/r/.git/ORIG_HEAD", fsnotify.Write, ignore},
	}
	for _, tt := range tests {
		name := filepath.FromSlash(tt.name)
		if got := l.classify(fsnotify.Event{Name: name, Op: tt.op}); got != tt.want {
			t.Errorf("%s %s: %d, want %d", tt.op, tt.name, got, tt.want)
		}
	}
}

func f(x float64) *float64 { return &x }

func TestReason(t *testing.T) {
	year := calendar.Window{Kind: calendar.Year, Name: "2022", Start: calendar.NewDate(2022, 1, 1), End: calendar.NewDate(2022, 12, 31)}
	ht := calendar.Window{Kind: calendar.Term, Name: "2022-HT", Start: calendar.NewDate(2022, 7, 1), End: calendar.NewDate(2022, 12, 31)}
	aug31, dec20, jan15 := calendar.NewDate(2022, 8, 31), calendar.NewDate(2022, 12, 20), calendar.NewDate(2023, 1, 15)
	win := func(w calendar.Window, st eval.Status, v, tg float64, exp *float64) eval.Window {
		return eval.Window{Name: w.Name, Kind: w.Kind, Start: w.Start, End: w.End, Status: st, Value: f(v), Target: f(tg), Expected: exp}
	}
	tests := []struct {
		name string
		res  eval.Result
		asOf calendar.Date
		lang string
		want string
	}{
		{"behind the pace", eval.Result{Status: eval.Behind, Windows: []eval.Window{win(year, eval.Behind, 61, 104, f(69))}}, aug31, "sv",
			"förväntat 69 av 104 vid 31 aug, 61 registrerade"},
		{"behind the pace, English", eval.Result{Status: eval.Behind, Windows: []eval.Window{win(year, eval.Behind, 61, 104, f(69))}}, aug31, "en",
			"expected 69 of 104 by 31 Aug, 61 recorded"},
		{"on track", eval.Result{Status: eval.OnTrack, Windows: []eval.Window{win(year, eval.OnTrack, 70, 104, f(69))}}, aug31, "sv",
			"70 av 104 registrerade, förväntat 69 vid 31 aug"},
		{"near the end", eval.Result{Status: eval.Behind, Windows: []eval.Window{win(year, eval.Behind, 100, 104, f(101))}}, dec20, "sv",
			"förväntat 101 av 104 vid 20 dec, 100 registrerade"},
		{"near the end, pace kept", eval.Result{Status: eval.Behind, Windows: []eval.Window{win(year, eval.Behind, 102, 104, f(101))}}, dec20, "sv",
			"102 av 104 registrerade och 11 dagar kvar till 31 dec"},
		{"met", eval.Result{Status: eval.Met, Windows: []eval.Window{win(year, eval.Met, 104, 104, f(69))}}, aug31, "sv",
			"104 av 104 registrerade: målet är nått"},
		{"missed", eval.Result{Status: eval.Missed, Windows: []eval.Window{win(year, eval.Missed, 99, 104, f(104))}}, jan15, "sv",
			"2022 slutade med 99 av 104"},
		{"upper bound exceeded", eval.Result{Status: eval.Missed, Windows: []eval.Window{func() eval.Window {
			w := win(year, eval.Missed, 3, 2, nil)
			w.Upper = true
			return w
		}()}}, aug31, "sv", "3 registrerade, högst 2 får det vara"},
		{"per term: the telling window", eval.Result{Status: eval.Behind, Windows: []eval.Window{
			win(calendar.Window{Kind: calendar.Term, Name: "2022-VT", Start: calendar.NewDate(2022, 1, 1), End: calendar.NewDate(2022, 6, 30)}, eval.Met, 1, 1, f(1)),
			win(ht, eval.Behind, 0, 2, f(1)),
		}}, aug31, "sv", "HT 2022: förväntat 1 av 2 vid 31 aug, 0 registrerade"},
		{"general expression", eval.Result{Status: eval.Pending, Windows: []eval.Window{{Name: "2022", Kind: calendar.Year, Start: year.Start, End: year.End, Status: eval.Pending}}}, aug31, "sv",
			"avgörs när 2022 slutar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.res.Commitment = &promise.Commitment{ID: "x"}
			if got := explain(tt.res, nil, tt.asOf, tt.lang).Reason; got != tt.want {
				t.Errorf("reason %q, want %q", got, tt.want)
			}
		})
	}
}

// report builds a report of one promise from commitment ids and statuses.
func testReport(asOf calendar.Date, results ...eval.Result) *eval.Report {
	p := &promise.Promise{ID: "p"}
	return &eval.Report{AsOf: asOf, Evaluations: []eval.Evaluation{{Promise: p, Year: 2022, AsOf: asOf, Results: results}}}
}

func result(id string, st eval.Status, broken bool) eval.Result {
	return eval.Result{Commitment: &promise.Commitment{ID: id, Text: "text " + id}, Status: st, Broken: broken,
		Windows: []eval.Window{{Name: "2022", Kind: calendar.Year, Start: calendar.NewDate(2022, 1, 1), End: calendar.NewDate(2022, 12, 31), Status: st}}}
}

func TestDecide(t *testing.T) {
	day := calendar.NewDate(2022, 8, 31)
	prev := states(testReport(day, result("a", eval.Behind, false), result("b", eval.OnTrack, false), result("c", eval.Met, false)))
	next := testReport(day,
		result("a", eval.OnTrack, false), // changed
		result("b", eval.Pending, true),  // broken: no status, none made up
		result("d", eval.Met, false),     // new
	) // c is gone
	ts, known := decide(prev, next, "sv")
	var got []string
	for _, tr := range ts {
		got = append(got, tr.Line("sv"))
	}
	want := []string{
		"p 2022 a: efter → i fas: avgörs när 2022 slutar",
		"p 2022 d: ny → uppfyllt: regeln gäller för 2022",
		"p 2022 c: uppfyllt → borttagen: åtagandet finns inte längre",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("transitions (-want +got):\n%s", diff)
	}
	if k := known[key{"p", 2022, "b"}]; k.status != eval.OnTrack {
		t.Errorf("broken b: known status %s, want the last known on_track", k.status)
	}
	// Fixed again with its old status: no transition.
	ts, _ = decide(known, testReport(day, result("a", eval.OnTrack, false), result("b", eval.OnTrack, false), result("d", eval.Met, false)), "sv")
	if len(ts) != 0 {
		t.Errorf("transitions after the fix: %+v", ts)
	}
}

func TestJSONSink(t *testing.T) {
	var buf bytes.Buffer
	s := &JSONSink{Out: &buf}
	at := stockholm(2022, 9, 1, 14, 3, 12)
	tr := Transition{Promise: "p", Year: 2022, Commitment: "trafik.kontroller", From: eval.Behind, To: eval.OnTrack,
		AsOf: calendar.NewDate(2022, 8, 31), Since: calendar.NewDate(2022, 8, 29), Window: "2022", Value: f(70), Target: f(104), Expected: f(69), Reason: "r"}
	var l diag.List
	l.Add(diag.Pos{File: "rules/p.yaml", Line: 3, Col: 9}, "h", "m")
	s.Event(Event{Kind: Change, Time: at, Transition: &tr})
	added := tr
	added.Added = true
	s.Event(Event{Kind: Change, Time: at, Transition: &added})
	removed := tr
	removed.Removed, removed.Since, removed.Window, removed.Value, removed.Target, removed.Expected = true, 0, "", nil, nil, nil
	s.Event(Event{Kind: Change, Time: at, Transition: &removed})
	s.Event(Event{Kind: Problem, Time: at, Diag: l[0]})
	s.Event(Event{Kind: Recovered, Time: at, File: "rules/p.yaml", Message: "inga fel kvar i rules/p.yaml"})
	want := []string{
		`{"event":"transition","time":"2022-09-01T14:03:12+02:00","as_of":"2022-08-31","promise":"p","period":"2022","commitment":"trafik.kontroller","from":"behind","to":"on_track","since":"2022-08-29","window":"2022","value":70,"target":104,"expected":69,"reason":"r"}`,
		`{"event":"transition","time":"2022-09-01T14:03:12+02:00","as_of":"2022-08-31","promise":"p","period":"2022","commitment":"trafik.kontroller","from":null,"to":"on_track","since":"2022-08-29","window":"2022","value":70,"target":104,"expected":69,"reason":"r"}`,
		`{"event":"transition","time":"2022-09-01T14:03:12+02:00","as_of":"2022-08-31","promise":"p","period":"2022","commitment":"trafik.kontroller","from":"behind","to":null,"reason":"r"}`,
		`{"event":"error","time":"2022-09-01T14:03:12+02:00","severity":"error","file":"rules/p.yaml","line":3,"column":9,"message":"m","hint":"h"}`,
		`{"event":"recovered","time":"2022-09-01T14:03:12+02:00","file":"rules/p.yaml","message":"inga fel kvar i rules/p.yaml"}`,
	}
	got := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON lines (-want +got):\n%s", diff)
	}
	for _, line := range got {
		if !json.Valid([]byte(line)) {
			t.Errorf("not JSON: %s", line)
		}
	}
}

func TestTextSink(t *testing.T) {
	var out, errs bytes.Buffer
	s := &TextSink{Out: &out, Err: &errs}
	at := stockholm(2022, 9, 1, 14, 3, 12)
	tr := Transition{Promise: "mullsjo", Year: 2022, Commitment: "trafik.kontroller", From: eval.Behind, To: eval.OnTrack,
		Reason: "70 av 104 registrerade, förväntat 69 vid 31 aug"}
	s.Event(Event{Kind: Change, Time: at, Transition: &tr})
	s.Event(Event{Kind: Recovered, Time: at, Message: "förrådet läses igen"})
	if want := "2022-09-01 14:03:12 mullsjo 2022 trafik.kontroller: efter → i fas: 70 av 104 registrerade, förväntat 69 vid 31 aug\n"; out.String() != want {
		t.Errorf("transition line\n%q\nwant\n%q", out.String(), want)
	}
	if want := "2022-09-01 14:03:12 återställd: förrådet läses igen\n"; errs.String() != want {
		t.Errorf("recovery line %q, want %q", errs.String(), want)
	}
}

func TestEnv(t *testing.T) {
	tr := Transition{Promise: "p", Year: 2022, Commitment: "c", From: eval.OnTrack, To: eval.Behind, Value: f(2.5),
		Target: f(4), Reason: "r", AsOf: calendar.NewDate(2022, 8, 31), Since: calendar.NewDate(2022, 8, 20), Text: "$(rm -rf /)"}
	got := Env(tr, "sv")
	want := []string{"LOFTE_PROMISE=p", "LOFTE_PERIOD=2022", "LOFTE_ID=c", "LOFTE_FROM=on_track", "LOFTE_TO=behind",
		"LOFTE_VALUE=2.5", "LOFTE_TARGET=4", "LOFTE_EXPECTED=", "LOFTE_TEXT=p 2022 c: i fas → efter sedan 20 aug: r", "LOFTE_REASON=r",
		"LOFTE_WINDOW=", "LOFTE_AS_OF=2022-08-31", "LOFTE_SINCE=2022-08-20", "LOFTE_COMMITMENT_TEXT=$(rm -rf /)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestDecideNamesChangedWindow: the reason of a transition speaks of the
// window whose status changed, not the first that has the new status.
func TestDecideNamesChangedWindow(t *testing.T) {
	day := calendar.NewDate(2022, 9, 30)
	vt := calendar.Window{Kind: calendar.Term, Name: "2022-VT", Start: calendar.NewDate(2022, 1, 11), End: calendar.NewDate(2022, 6, 17)}
	ht := calendar.Window{Kind: calendar.Term, Name: "2022-HT", Start: calendar.NewDate(2022, 8, 22), End: calendar.NewDate(2022, 12, 21)}
	res := func(st, htSt eval.Status, htValue float64) eval.Result {
		return eval.Result{Commitment: &promise.Commitment{ID: "droger.hundsok"}, Status: st, Windows: []eval.Window{
			{Name: vt.Name, Kind: vt.Kind, Start: vt.Start, End: vt.End, Status: eval.Met, Value: f(1), Target: f(1)},
			{Name: ht.Name, Kind: ht.Kind, Start: ht.Start, End: ht.End, Status: htSt, Value: f(htValue), Target: f(1), Expected: f(0)},
		}}
	}
	prev := states(testReport(day, res(eval.OnTrack, eval.OnTrack, 0)))
	ts, _ := decide(prev, testReport(day, res(eval.Met, eval.Met, 1)), "sv")
	if len(ts) != 1 || ts[0].Reason != "HT 2022: 1 av 1 registrerade: målet är nått" || ts[0].Window != "2022-HT" {
		t.Errorf("transitions %+v", ts)
	}
}

func TestMovedRefs(t *testing.T) {
	l := layout{root: "/r", gitDir: "/r/.git", commonDir: "/r/.git"}
	for name, want := range map[string]bool{
		"/r/.git/HEAD":                     true,
		"/r/.git/refs/heads/main":          true,
		"/r/.git/refs/heads/topic/a":       true,
		"/r/.git/refs/remotes/origin/main": false,
		"/r/.git/refs/tags/v1":             false,
		"/r/.git/packed-refs":              false,
		"/r/data/2022/kontroller.csv":      false,
		"/r/.git/refs/headsx":              false,
	} {
		if got := l.moved(name); got != want {
			t.Errorf("moved(%s) = %v, want %v", name, got, want)
		}
	}
}
