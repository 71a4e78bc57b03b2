package watch

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/report"
)

// Transition is one commitment whose status changed between two
// evaluations.
type Transition struct {
	Promise    string // the promise id
	Year       int    // the evaluated year
	Commitment string // the commitment id
	Text       string // the commitment's text, as written in the promise
	// From and To are the statuses before and after. A commitment that
	// was not there before is Added (From is meaningless); one that is no
	// longer there is Removed (To is meaningless).
	From, To       eval.Status
	Added, Removed bool
	AsOf           calendar.Date
	// Since is since when the commitment has had its new status
	// (docs/reference.md §10): the evaluation date when it has just
	// changed, earlier when records dated back changed it. 0 for a
	// removed commitment, or when it cannot be told.
	Since calendar.Date
	// Window is the window that explains the new status ("2022",
	// "2022-HT"), with its figures where the rule counts: Value, Target
	// and Expected are nil where there is none.
	Window                  string
	Value, Target, Expected *float64
	// Reason says why, in words: "förväntat 69 av 104 vid 31 aug, 61
	// registrerade".
	Reason string
}

// key names a commitment in one evaluated year.
type key struct {
	promise string
	year    int
	id      string
}

// known is what the watcher last knew of a commitment: its status, and
// the status of each of its windows.
type known struct {
	status  eval.Status
	text    string
	windows map[string]eval.Status
}

// windowKey names a window of a result: its name, value and part.
func windowKey(w *eval.Window) string { return w.Name + "\x00" + w.Group + "\x00" + w.Part }

func knownOf(res eval.Result) known {
	k := known{status: res.Status, text: res.Commitment.Text, windows: make(map[string]eval.Status, len(res.Windows))}
	for i := range res.Windows {
		k.windows[windowKey(&res.Windows[i])] = res.Windows[i].Status
	}
	return k
}

// decide compares a new report with what was known and returns the
// transitions, in the order of the report, and what is known now. It is
// the one place where transitions are decided:
//
//   - a commitment whose status changed is a transition;
//   - a new commitment is one (Added), and so is a commitment that is gone
//     (Removed);
//   - a commitment whose rule does not compile has no status: it keeps the
//     one last known, so that no transition is made up, and the compile
//     error is reported as an error event.
func decide(prev map[key]known, rep *eval.Report, lang string) ([]Transition, map[key]known) {
	next := make(map[key]known, len(prev))
	var out []Transition
	for _, ev := range rep.Evaluations {
		for _, res := range ev.Results {
			k := key{ev.Promise.ID, ev.Year, res.Commitment.ID}
			before, was := prev[k]
			if res.Broken {
				if was {
					next[k] = before
				}
				continue
			}
			next[k] = knownOf(res)
			if was && before.status == res.Status {
				continue
			}
			t := explain(res, before.windows, ev.AsOf, lang)
			t.Promise, t.Year, t.Commitment, t.Text = k.promise, k.year, k.id, res.Commitment.Text
			t.From, t.To, t.Added, t.AsOf, t.Since = before.status, res.Status, !was, ev.AsOf, res.Since
			out = append(out, t)
		}
	}
	for _, k := range sortedKeys(prev) {
		if _, ok := next[k]; !ok {
			out = append(out, Transition{Promise: k.promise, Year: k.year, Commitment: k.id, Text: prev[k].text,
				From: prev[k].status, Removed: true, AsOf: rep.AsOf, Reason: word(lang, "removed")})
		}
	}
	return out, next
}

// states is what is known after a report, with no transitions: the
// watcher's start.
func states(rep *eval.Report) map[key]known {
	_, next := decide(nil, rep, "sv")
	return next
}

func sortedKeys(m map[key]known) []key {
	ks := slices.Collect(maps.Keys(m))
	slices.SortFunc(ks, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.promise, b.promise), cmp.Compare(a.year, b.year), cmp.Compare(a.id, b.id))
	})
	return ks
}

// explain finds the window that accounts for a result's new status and
// says why in words. before are the statuses of the windows as they were.
func explain(res eval.Result, before map[string]eval.Status, asOf calendar.Date, lang string) Transition {
	if res.Commitment.Manual {
		return Transition{Reason: assessed(res, lang)}
	}
	w := telling(res, before, asOf)
	if w == nil {
		return Transition{Reason: word(lang, "nowindow")}
	}
	label := calendar.Window{Kind: w.Kind, Name: w.Name, Start: w.Start, End: w.End}.Label(lang)
	if w.Group != "" {
		label += " " + w.Group
		if w.Kind == calendar.Year && len(res.Windows) > 1 {
			label = w.Group
		}
	}
	t := Transition{Window: w.Name, Value: w.Value, Target: w.Target, Expected: w.Expected}
	t.Reason = reason(res, w, label, asOf, lang)
	if len(res.Windows) > 1 && !strings.HasPrefix(t.Reason, label) {
		t.Reason = label + ": " + t.Reason
	}
	return t
}

// telling returns the window whose status is the result's: the first such
// window whose status changed, else the first such window that has
// started, else the first window with that status as the result counts it
// (a window not yet started counts as on track), else the first window.
func telling(res eval.Result, before map[string]eval.Status, asOf calendar.Date) *eval.Window {
	if len(res.Windows) == 0 {
		return nil
	}
	for i := range res.Windows {
		w := &res.Windows[i]
		if old, ok := before[windowKey(w)]; ok && old != w.Status && w.Status == res.Status {
			return w
		}
	}
	for i := range res.Windows {
		if w := &res.Windows[i]; w.Status == res.Status && asOf >= w.Start {
			return w
		}
	}
	for i := range res.Windows {
		w := &res.Windows[i]
		if w.Status == res.Status || asOf < w.Start && res.Status == eval.OnTrack {
			return w
		}
	}
	return &res.Windows[0]
}

// reason says in words why window w, called label, has its status.
func reason(res eval.Result, w *eval.Window, label string, asOf calendar.Date, lang string) string {
	switch {
	case w.Err != nil:
		return word(lang, "error") + ": " + w.Err.Error()
	case asOf < w.Start:
		return fmt.Sprintf(word(lang, "notstarted"), label)
	case w.Value == nil || w.Target == nil:
		return exprReason(w.Status, label, lang)
	}
	v, tg := num(*w.Value), num(*w.Target)
	if w.Upper {
		switch w.Status {
		case eval.Missed:
			return fmt.Sprintf(word(lang, "overmax"), v, tg)
		case eval.Met:
			return fmt.Sprintf(word(lang, "endedmax"), label, v, tg)
		}
		return fmt.Sprintf(word(lang, "undermax"), v, tg)
	}
	switch w.Status {
	case eval.Met:
		if asOf > w.End {
			return fmt.Sprintf(word(lang, "endedmet"), label, v, tg)
		}
		return fmt.Sprintf(word(lang, "met"), v, tg)
	case eval.Missed:
		return fmt.Sprintf(word(lang, "endedmissed"), label, v, tg)
	case eval.Pending:
		return fmt.Sprintf(word(lang, "pendingend"), v, tg, label)
	}
	day := dayMonth(min(asOf, w.End), lang)
	switch {
	case w.Status == eval.Behind && w.Expected != nil && *w.Value < *w.Expected:
		return fmt.Sprintf(word(lang, "behind"), num(*w.Expected), tg, day, v)
	case w.Status == eval.Behind: // the pace is kept, but the end is near
		return fmt.Sprintf(word(lang, "nearend"), v, tg, int(w.End-asOf), dayMonth(w.End, lang))
	case w.Expected == nil:
		return fmt.Sprintf(word(lang, "of"), v, tg)
	}
	return fmt.Sprintf(word(lang, "ontrack"), v, tg, num(*w.Expected), day)
}

func exprReason(st eval.Status, label, lang string) string {
	switch st {
	case eval.Met:
		return fmt.Sprintf(word(lang, "exprmet"), label)
	case eval.Missed:
		return fmt.Sprintf(word(lang, "exprmissed"), label)
	}
	return fmt.Sprintf(word(lang, "exprpending"), label)
}

func assessed(res eval.Result, lang string) string {
	if res.Assessment == nil {
		return word(lang, "unassessed")
	}
	s := fmt.Sprintf(word(lang, "assessed"), res.Assessment.Date)
	if res.Note != "" {
		s += ": " + res.Note
	}
	return s
}

var monthsShort = map[string][12]string{
	"sv": {"jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec"},
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
}

// dayMonth writes a date as people say it: "31 aug".
func dayMonth(d calendar.Date, lang string) string {
	return strconv.Itoa(d.Day()) + " " + monthsShort[langOf(lang)][d.Month()-1]
}

func langOf(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "sv"
}

// num writes a figure as the text report does: whole numbers without
// decimals, else one decimal (with a decimal comma in Swedish).
func num(f float64) string {
	if f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return strings.Replace(strconv.FormatFloat(f, 'f', 1, 64), ".", ",", 1)
}

// machineNum writes a figure for a program: a decimal point, no rounding.
func machineNum(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// Line is the transition as one line for people, without the time:
// "mullsjo 2022 trafik.kontroller: efter → i fas sedan 31 aug: 70 av 104
// registrerade, förväntat 69 vid 31 aug".
func (t Transition) Line(lang string) string {
	from, to := t.From.Text(lang), t.To.Text(lang)
	if t.Added {
		from = word(lang, "new")
	}
	if t.Removed {
		to = word(lang, "gone")
	} else if since := report.SinceText(t.Since, t.AsOf, lang); since != "" {
		to += " " + since
	}
	return fmt.Sprintf("%s %d %s: %s → %s: %s", t.Promise, t.Year, t.Commitment, from, to, t.Reason)
}

// stamp writes a time as the events show it, in Swedish time.
func stamp(t time.Time) string { return t.In(calendar.Stockholm).Format("2006-01-02 15:04:05") }
