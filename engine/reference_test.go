package engine_test

// A differential test: generated repositories (internal/testrepo) are
// evaluated by the engine and by a reference evaluator written here in
// plain loops, and every window's value and status must agree. The
// reference knows nothing of the engine: it reads the CSV files with
// encoding/csv, knows the vocabulary's fields by heart, computes the
// windows from docs/reference.md §5 and the statuses from §7, and
// evaluates rules it draws from a small grammar together with their
// meaning as Go functions.

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/internal/testrepo"
)

// refRecord is one CSV row as the reference reads it.
type refRecord struct {
	date   time.Time // midnight UTC of the record's day
	typ    string
	by     []string
	fields map[string]string // trimmed cells; "" is absent
}

// refDay is the day of a "YYYY-MM-DD" string.
func refDay(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// readRecords reads every CSV file under dir/data: UTF-8 with or without
// a byte order mark, else Windows-1252; an Excel "sep=" first line names
// the delimiter, else it is ";" when the header holds more ";" than ","
// (docs/reference.md §4).
func readRecords(t *testing.T, dir string) []refRecord {
	t.Helper()
	var out []refRecord
	err := filepath.WalkDir(filepath.Join(dir, "data"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".csv") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !utf8.Valid(b) {
			if b, err = charmap.Windows1252.NewDecoder().Bytes(b); err != nil {
				return err
			}
		}
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		comma := ','
		first, rest, _ := bytes.Cut(b, []byte("\n"))
		if s := strings.TrimRight(string(first), "\r"); strings.HasPrefix(s, "sep=") && len(s) == 5 {
			comma, b = rune(s[4]), rest
		} else if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
			comma = ';'
		}
		r := csv.NewReader(bytes.NewReader(b))
		r.Comma, r.FieldsPerRecord = comma, -1
		rows, err := r.ReadAll()
		if err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		head := rows[0]
		for _, row := range rows[1:] {
			rec := refRecord{fields: map[string]string{}}
			for i, cell := range row {
				cell = strings.TrimSpace(cell)
				switch head[i] {
				case "date":
					if rec.date, err = refDay(cell); err != nil {
						return fmt.Errorf("%s: %v", path, err)
					}
				case "type":
					rec.typ = cell
				case "by":
					rec.by = strings.Split(cell, "+")
				default:
					rec.fields[head[i]] = cell
				}
			}
			out = append(out, rec)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// refPred is a predicate as rule text and as its meaning.
type refPred struct {
	src  string
	test func(r *refRecord) bool
}

func yes(s string) bool {
	switch strings.ToLower(s) {
	case "ja", "true", "sant", "1", "x":
		return true
	}
	return false
}

// intOf is an int field, and whether it is present.
func intOf(r *refRecord, f string) (int, bool) {
	s := r.fields[f]
	if s == "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// enums are the enum fields of the vocabulary, in its order of values.
var enums = map[string]map[string][]string{
	"trafikkontroll": {"riktad_mot": {"bilburen_ungdom", "allman"}, "form": {"civil", "uniformerad"}},
	"hundsok":        {"plats": {"grundskola", "gymnasium", "annan"}},
	"trafikbeslut":   {"atgard": {"upphojning", "avsmalning", "sidoforskjutning", "annan"}},
	"orsaksanalys":   {"brottstyp": {"anlagd_brand", "stold", "rasistiskt_klotter", "skadegorelse"}},
}

// intFields are the int fields of the vocabulary.
var intFields = map[string][]string{
	"trafikkontroll":      {"antal_kontrollerade"},
	"kompetensutbildning": {"deltagare"},
}

var refTypes = []string{"trafikkontroll", "hundsok", "ledningsgrupp", "utvardering", "samverkansmote",
	"kompetensutbildning", "trafikbeslut", "orsaksanalys"}

// atom draws one predicate that makes sense for type typ.
func atom(rng *rand.Rand, typ string) refPred {
	for {
		switch rng.IntN(9) {
		case 0:
			p := []string{"polisen", "kommunen"}[rng.IntN(2)]
			return refPred{fmt.Sprintf("%q in .by", p), func(r *refRecord) bool { return slices.Contains(r.by, p) }}
		case 1:
			m := 1 + rng.IntN(12)
			return refPred{fmt.Sprintf(".date.Month() == %d", m), func(r *refRecord) bool { return int(r.date.Month()) == m }}
		case 2:
			d := time.Date(2021+rng.IntN(2), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
			return refPred{fmt.Sprintf(".date >= date(%q)", d.Format(time.DateOnly)), func(r *refRecord) bool { return !r.date.Before(d) }}
		case 3:
			wd := rng.IntN(7)
			return refPred{fmt.Sprintf(".date.Weekday() == %d", wd), func(r *refRecord) bool { return int(r.date.Weekday()) == wd }}
		case 4: // an enum field equal or not to one of its values (an absent value is neither)
			fields := enums[typ]
			if len(fields) == 0 {
				continue
			}
			names := mapKeys(fields)
			f := names[rng.IntN(len(names))]
			v := fields[f][rng.IntN(len(fields[f]))]
			if rng.IntN(3) == 0 {
				return refPred{fmt.Sprintf(".%s != %q", f, v), func(r *refRecord) bool { return r.fields[f] != v }}
			}
			return refPred{fmt.Sprintf(".%s == %q", f, v), func(r *refRecord) bool { return r.fields[f] == v }}
		case 5:
			if typ != "trafikkontroll" {
				continue
			}
			if rng.IntN(2) == 0 {
				return refPred{"!.bilinspektor", func(r *refRecord) bool { return !yes(r.fields["bilinspektor"]) }}
			}
			return refPred{".bilinspektor", func(r *refRecord) bool { return yes(r.fields["bilinspektor"]) }}
		case 6:
			if typ != "samverkansmote" {
				continue
			}
			v := []string{"skola", "socialtjanst", "fritidsgard", "elevhalsa", "raddningstjanst"}[rng.IntN(5)]
			return refPred{fmt.Sprintf("%q in .med", v), func(r *refRecord) bool {
				return slices.Contains(strings.Split(r.fields["med"], "+"), v)
			}}
		case 7: // an ordering comparison with an absent int is false
			fs := intFields[typ]
			if len(fs) == 0 {
				continue
			}
			f, k := fs[rng.IntN(len(fs))], 5+rng.IntN(35)
			return refPred{fmt.Sprintf(".%s >= %d", f, k), func(r *refRecord) bool { n, ok := intOf(r, f); return ok && n >= k }}
		case 8: // a string field present or absent
			f := map[string]string{"hundsok": "skola", "ledningsgrupp": "tema", "utvardering": "anteckning",
				"trafikbeslut": "plats", "trafikkontroll": "plats", "kompetensutbildning": "amne", "orsaksanalys": "anteckning"}[typ]
			if f == "" {
				continue
			}
			if rng.IntN(2) == 0 {
				return refPred{fmt.Sprintf(".%s == nil", f), func(r *refRecord) bool { return r.fields[f] == "" }}
			}
			return refPred{fmt.Sprintf(".%s != nil", f), func(r *refRecord) bool { return r.fields[f] != "" }}
		}
	}
}

// pred draws a predicate of one to three atoms joined by &&, || and !.
func pred(rng *rand.Rand, typ string) refPred {
	p := atom(rng, typ)
	for range rng.IntN(3) {
		q := atom(rng, typ)
		a, b := p, q
		switch rng.IntN(3) {
		case 0:
			p = refPred{"(" + a.src + " && " + b.src + ")", func(r *refRecord) bool { return a.test(r) && b.test(r) }}
		case 1:
			p = refPred{"(" + a.src + " || " + b.src + ")", func(r *refRecord) bool { return a.test(r) || b.test(r) }}
		default:
			p = refPred{"!(" + a.src + ")", func(r *refRecord) bool { return !a.test(r) }}
		}
	}
	return p
}

func mapKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// refMetric is a metric over the records of a window: its rule text, the
// types it counts (for `per FIELD`), and its value.
type refMetric struct {
	src   string
	types []string
	value func(recs []*refRecord) int
}

func metric(rng *rand.Rand) refMetric {
	typ := refTypes[rng.IntN(len(refTypes))]
	of := func(t string, p func(*refRecord) bool) func([]*refRecord) int {
		return func(recs []*refRecord) int {
			n := 0
			for _, r := range recs {
				if r.typ == t && (p == nil || p(r)) {
					n++
				}
			}
			return n
		}
	}
	switch k := rng.IntN(10); {
	case k < 3:
		return refMetric{"count(" + typ + ")", []string{typ}, of(typ, nil)}
	case k < 7:
		p := pred(rng, typ)
		return refMetric{"count(" + typ + ", " + p.src + ")", []string{typ}, of(typ, p.test)}
	case k < 9: // a sum of an int field, an absent one as 0
		typ = []string{"trafikkontroll", "kompetensutbildning"}[rng.IntN(2)]
		f := intFields[typ][0]
		return refMetric{fmt.Sprintf("sum(map(%s, .%s ?? 0))", typ, f), []string{typ}, func(recs []*refRecord) int {
			s := 0
			for _, r := range recs {
				if r.typ == typ {
					n, _ := intOf(r, f)
					s += n
				}
			}
			return s
		}}
	default: // two types added up
		other := refTypes[rng.IntN(len(refTypes))]
		a, b := of(typ, nil), of(other, nil)
		return refMetric{"count(" + typ + ") + count(" + other + ")", []string{typ, other},
			func(recs []*refRecord) int { return a(recs) + b(recs) }}
	}
}

// between are the records dated from first to last, both included, of
// recs sorted by date.
func between(recs []*refRecord, first, last time.Time) []*refRecord {
	i, _ := slices.BinarySearchFunc(recs, first, func(r *refRecord, d time.Time) int { return r.date.Compare(d) })
	j := i
	for j < len(recs) && !recs[j].date.After(last) {
		j++
	}
	return recs[i:j]
}

// refWindow is a window of docs/reference.md §5.
type refWindow struct {
	name       string
	start, end time.Time
}

type refTerm struct {
	name       string
	start, end time.Time
}

// readTerms reads the terms of rules/calendar.yaml ("  2022-VT: 2022-01-09..2022-06-14").
func readTerms(t *testing.T, dir string) []refTerm {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "rules", "calendar.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var terms []refTerm
	for _, m := range regexp.MustCompile(`(?m)^\s+(\d{4}-[VH]T):\s*(\S+)\.\.(\S+)$`).FindAllStringSubmatch(string(b), -1) {
		s, err1 := refDay(m[2])
		e, err2 := refDay(m[3])
		if err1 != nil || err2 != nil {
			t.Fatalf("calendar.yaml: %s", m[0])
		}
		terms = append(terms, refTerm{m[1], s, e})
	}
	return terms
}

// windows are the windows of kind k that belong to year y.
func windows(k string, y int, terms []refTerm) []refWindow {
	day := func(m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	span := func(name string, from time.Month, months int) refWindow {
		return refWindow{name, day(from, 1), day(from+time.Month(months), 0)}
	}
	var ws []refWindow
	switch k {
	case "":
		ws = append(ws, span(strconv.Itoa(y), 1, 12))
	case "halvår":
		for i := range 2 {
			ws = append(ws, span(fmt.Sprintf("%d-H%d", y, i+1), time.Month(1+6*i), 6))
		}
	case "tertial":
		for i := range 3 {
			ws = append(ws, span(fmt.Sprintf("%d-T%d", y, i+1), time.Month(1+4*i), 4))
		}
	case "kvartal":
		for i := range 4 {
			ws = append(ws, span(fmt.Sprintf("%d-Q%d", y, i+1), time.Month(1+3*i), 3))
		}
	case "månad":
		for i := range 12 {
			ws = append(ws, span(fmt.Sprintf("%d-%02d", y, i+1), time.Month(1+i), 1))
		}
	case "dag":
		for d := day(1, 1); d.Year() == y; d = d.AddDate(0, 0, 1) {
			ws = append(ws, refWindow{d.Format(time.DateOnly), d, d})
		}
	case "vecka": // ISO weeks: those whose Thursday is in y
		d := day(1, 1)
		for d.Weekday() != time.Monday {
			d = d.AddDate(0, 0, -1)
		}
		for ; ; d = d.AddDate(0, 0, 7) {
			wy, wn := d.ISOWeek()
			if wy > y {
				break
			}
			if wy == y {
				ws = append(ws, refWindow{fmt.Sprintf("%d-W%02d", y, wn), d, d.AddDate(0, 0, 6)})
			}
		}
	case "termin":
		for _, half := range []string{"VT", "HT"} {
			name := fmt.Sprintf("%d-%s", y, half)
			for _, tm := range terms {
				if tm.name == name {
					ws = append(ws, refWindow{name, tm.start, tm.end})
				}
			}
		}
	}
	return ws
}

var windowKinds = []string{"", "halvår", "tertial", "kvartal", "månad", "vecka", "dag", "termin"}

// Statuses, worst first (docs/reference.md §7).
var statusOrder = []string{"missed", "behind", "unassessed", "pending", "on_track", "met"}

func rank(s string) int { return slices.Index(statusOrder, s) }

func worse(a, b string) string {
	if rank(a) < rank(b) {
		return a
	}
	return b
}

func better(a, b string) string {
	if rank(a) > rank(b) {
		return a
	}
	return b
}

// refCompare is a count comparison: METRIC [per KIND] [per FIELD] OP TARGET.
type refCompare struct {
	m      refMetric
	kind   string
	field  string
	op     string
	target int
}

func (c refCompare) src() string {
	s := c.m.src
	if c.kind != "" {
		s += " per " + c.kind
	}
	if c.field != "" {
		s += " per " + c.field
	}
	return fmt.Sprintf("%s %s %d", s, c.op, c.target)
}

func (c refCompare) holds(v int) bool {
	switch c.op {
	case ">=":
		return v >= c.target
	case ">":
		return v > c.target
	case "<=":
		return v <= c.target
	case "<":
		return v < c.target
	case "==":
		return v == c.target
	}
	return v != c.target
}

// refCommitment is a drawn commitment: one comparison, or two joined by
// && or ||, with its pace settings.
type refCommitment struct {
	id     string
	parts  []refCompare
	join   string // "&&", "||" or ""
	tol    float64
	warn   int // -1: the default, 30
	noPace bool
}

func (c refCommitment) rule() string {
	if len(c.parts) == 1 {
		return c.parts[0].src()
	}
	return c.parts[0].src() + " " + c.join + " " + c.parts[1].src()
}

// refResult is one window's outcome, keyed by part, window and group.
type refResult struct {
	start, end string
	value      int
	status     string
}

// refKey is a window's key: the index of its part, its name and group.
type refKey struct {
	part        int
	name, group string
}

// refEval evaluates one comparison in year y at asOf.
func refEval(c refCompare, cm refCommitment, part int, recs []*refRecord, y int, asOf time.Time, terms []refTerm,
	out map[refKey]refResult) string {
	groups := []string{""}
	if c.field != "" {
		groups = enums[c.m.types[0]][c.field]
	}
	agg, started := "met", false
	for _, w := range windows(c.kind, y, terms) {
		last := w.end
		if asOf.Before(last) {
			last = asOf
		}
		in := between(recs, w.start, last)
		for _, g := range groups {
			sel := in
			if g != "" {
				sel = nil
				for _, r := range in {
					if r.fields[c.field] == g {
						sel = append(sel, r)
					}
				}
			}
			v := c.m.value(sel)
			st := refStatus(c, cm, w, v, asOf)
			out[refKey{part, w.name, g}] = refResult{w.start.Format(time.DateOnly), w.end.Format(time.DateOnly), v, st}
			if asOf.Before(w.start) {
				st = "on_track" // a window not started counts as on track
			} else {
				started = true
			}
			agg = worse(agg, st)
		}
	}
	if !started {
		return "on_track" // docs/reference.md §7: a window not started counts as on track
	}
	return agg
}

// refStatus is a window's status by docs/reference.md §7.
func refStatus(c refCompare, cm refCommitment, w refWindow, v int, asOf time.Time) string {
	started, ended := !asOf.Before(w.start), asOf.After(w.end)
	holds := c.holds(v)
	metOr := func(ok bool) string {
		if ok {
			return "met"
		}
		return "missed"
	}
	switch c.op {
	case "<=", "<":
		switch {
		case !holds:
			return "missed"
		case ended:
			return "met"
		case !started:
			return "pending"
		}
		return "on_track"
	case "==", "!=":
		if !ended {
			return "pending"
		}
		return metOr(holds)
	}
	switch {
	case !started:
		return "pending"
	case ended || holds:
		return metOr(holds)
	}
	days := int(w.end.Sub(w.start).Hours()/24) + 1
	elapsed := int(asOf.Sub(w.start).Hours()/24) + 1
	if !cm.noPace {
		// floor(N × elapsed / days × (1 − tolerance)), tolerance 0 or ½: exact in integers
		need := c.target * elapsed / days
		if cm.tol == 0.5 {
			need = c.target * elapsed / (2 * days)
		}
		if v < need {
			return "behind"
		}
	}
	warn := cm.warn
	if warn < 0 {
		warn = 30
	}
	if int(w.end.Sub(asOf).Hours()/24) < warn {
		return "behind"
	}
	return "on_track"
}

// drawCommitments draws n commitments whose targets lie near the values
// the records give, so that every status comes up.
func drawCommitments(rng *rand.Rand, n int, recs []*refRecord, terms []refTerm) []refCommitment {
	ops := []string{">=", ">=", ">=", ">", "<=", "<", "==", "!="}
	draw := func() refCompare {
		c := refCompare{m: metric(rng), kind: windowKinds[rng.IntN(len(windowKinds))], op: ops[rng.IntN(len(ops))]}
		if len(c.m.types) == 1 && len(enums[c.m.types[0]]) > 0 && rng.IntN(3) == 0 {
			names := mapKeys(enums[c.m.types[0]])
			c.field = names[rng.IntN(len(names))]
		}
		// The target: a value of a window of 2022 over the whole window, give or take one.
		ws := windows(c.kind, 2022, terms)
		w := ws[rng.IntN(len(ws))]
		in := between(recs, w.start, w.end)
		c.target = max(0, c.m.value(in)+rng.IntN(3)-1)
		return c
	}
	cs := make([]refCommitment, n)
	for i := range cs {
		c := refCommitment{id: fmt.Sprintf("ref.r%02d", i), parts: []refCompare{draw()}, warn: -1}
		if d := draw(); rng.IntN(4) == 0 && d.src() != c.parts[0].src() {
			c.parts = append(c.parts, d)
			c.join = []string{"&&", "||"}[rng.IntN(2)]
		}
		if rng.IntN(3) == 0 {
			c.tol = 0.5
		}
		if rng.IntN(3) == 0 {
			c.warn = rng.IntN(10)
		}
		c.noPace = rng.IntN(5) == 0
		cs[i] = c
	}
	return cs
}

func promiseYAML(cs []refCommitment, years string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "promise: %s\ntitle: Referenslöfte\nparties:\n  polisen: Polisen\n  kommunen: Kommunen\nvalid: %s\nareas:\n  ref: Referens\ncommitments:\n", testrepo.PromiseID, years)
	for _, c := range cs {
		fmt.Fprintf(&b, "  - id: %s\n    area: ref\n    owner: polisen\n    text: Dragen regel.\n    rule: %q\n", c.id, c.rule())
		if c.tol != 0 {
			fmt.Fprintf(&b, "    tolerance: %g\n", c.tol)
		}
		if c.warn >= 0 {
			fmt.Fprintf(&b, "    warn_within: %d\n", c.warn)
		}
		if c.noPace {
			b.WriteString("    pace: none\n")
		}
	}
	return b.String()
}

// gitCommit commits everything in dir.
func gitCommit(t *testing.T, dir, msg string) {
	t.Helper()
	for _, args := range [][]string{{"add", "-A"}, {"commit", "-q", "-m", msg}} {
		cmd := exec.Command("git", append([]string{"-c", "commit.gpgSign=false", "-c", "user.name=Referens",
			"-c", "user.email=referens@example.org"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}

func TestEvaluateAgreesWithReference(t *testing.T) {
	cases := []struct {
		records int
		seed    int64
		git     bool
	}{
		{0, 1, false},
		{200, 2, false},
		{3000, 3, false},
		{12000, 4, true},
		{20000, 5, false},
	}
	if testing.Short() {
		cases = cases[:3]
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("records=%d,seed=%d", tc.records, tc.seed), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			years := []int{2021, 2022, 2023}
			if tc.git && !testrepo.HaveGit() {
				t.Skip("git finns inte")
			}
			if err := testrepo.Write(dir, testrepo.Options{Records: tc.records, Years: years, Seed: tc.seed, Git: tc.git}); err != nil {
				t.Fatal(err)
			}
			// The assessments are of the generated promise's manual
			// commitments, which the drawn promise replaces.
			for _, y := range years {
				if err := os.Remove(filepath.Join(dir, "data", strconv.Itoa(y), "bedomningar.jsonl")); err != nil {
					t.Fatal(err)
				}
			}
			all := readRecords(t, dir)
			if got := len(all); got != tc.records {
				t.Fatalf("the reference read %d records, want %d", got, tc.records)
			}
			recs := make([]*refRecord, len(all))
			for i := range all {
				recs[i] = &all[i]
			}
			slices.SortStableFunc(recs, func(a, b *refRecord) int { return a.date.Compare(b.date) })
			terms := readTerms(t, dir)
			rng := rand.New(rand.NewPCG(uint64(tc.seed), 14))
			cs := drawCommitments(rng, 40, recs, terms)
			if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(testrepo.PromiseFile)), []byte(promiseYAML(cs, "2021..2023")), 0o644); err != nil {
				t.Fatal(err)
			}
			opts := map[string]engine.Options{"arbetsträd": {History: engine.HistoryOff, NoParseCache: true}}
			if tc.git {
				gitCommit(t, dir, "Dragna regler")
				// cold: the parsed-file cache is written; warm: it is read
				opts["kall"] = engine.Options{History: engine.HistoryOff}
				opts["varm"] = engine.Options{History: engine.HistoryOff}
				opts["rev"] = engine.Options{History: engine.HistoryOff, Rev: "HEAD"}
			}
			asOfs := []string{"2021-12-31", "2022-01-03", "2022-03-15", "2022-08-31", "2022-12-31", "2023-01-02"}
			for range 2 {
				d := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(365))
				asOfs = append(asOfs, d.Format(time.DateOnly))
			}
			want := map[string][]refOutcome{} // by year and evaluation date
			for _, name := range []string{"arbetsträd", "kall", "varm", "rev"} {
				o, ok := opts[name]
				if !ok {
					continue
				}
				e, err := engine.Open(dir, o)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				for _, y := range []int{2021, 2022} {
					for _, a := range asOfs {
						k := fmt.Sprint(y, a)
						if want[k] == nil {
							want[k] = reference(cs, recs, terms, y, a)
						}
						compareReport(t, e, name, cs, want[k], y, a)
					}
				}
			}
		})
	}
}

// refOutcome is the reference's outcome of one commitment.
type refOutcome struct {
	status  string
	windows map[refKey]refResult
}

// reference evaluates every commitment in year y at asOf.
func reference(cs []refCommitment, recs []*refRecord, terms []refTerm, y int, asOf string) []refOutcome {
	at, err := refDay(asOf)
	if err != nil {
		panic(err)
	}
	out := make([]refOutcome, len(cs))
	for i, c := range cs {
		ws := map[refKey]refResult{}
		st := refEval(c.parts[0], c, 0, recs, y, at, terms, ws)
		if len(c.parts) > 1 {
			st2 := refEval(c.parts[1], c, 1, recs, y, at, terms, ws)
			if c.join == "&&" {
				st = worse(st, st2)
			} else {
				st = better(st, st2)
			}
		}
		out[i] = refOutcome{st, ws}
	}
	return out
}

// compareReport evaluates year y at asOf with e, and reports every window
// and commitment where it differs from the reference's outcomes.
func compareReport(t *testing.T, e *engine.Engine, name string, cs []refCommitment, ref []refOutcome, y int, asOf string) {
	t.Helper()
	per, err := calendar.ParsePeriod(strconv.Itoa(y))
	if err != nil {
		t.Fatal(err)
	}
	d, err := calendar.ParseDate(asOf)
	if err != nil {
		t.Fatal(err)
	}
	rep := e.Evaluate(per, d)
	if n := rep.Diags.Errors(); n > 0 {
		t.Fatalf("%s %d %s: %d errors: %v", name, y, asOf, n, rep.Diags.Error())
	}
	if len(rep.Evaluations) != 1 || len(rep.Evaluations[0].Results) != len(cs) {
		t.Fatalf("%s %d %s: %d evaluations, want 1 with %d results", name, y, asOf, len(rep.Evaluations), len(cs))
	}
	bad := 0
	for i, res := range rep.Evaluations[0].Results {
		c := cs[i]
		if res.Commitment.ID != c.id {
			t.Fatalf("result %d is %s, want %s", i, res.Commitment.ID, c.id)
		}
		st, want := ref[i].status, ref[i].windows
		where := fmt.Sprintf("%s, %d per %s, %s: %s", name, y, asOf, c.id, c.rule())
		if got := res.Status.String(); got != st {
			t.Errorf("%s: status %s, want %s", where, got, st)
			bad++
		}
		if len(res.Windows) != len(want) {
			t.Errorf("%s: %d windows, want %d", where, len(res.Windows), len(want))
			bad++
		}
		// The engine marks each window with its part's source text, as
		// it prints it; the parts come in the order of the rule.
		var parts []string
		for _, w := range res.Windows {
			if bad > 10 {
				t.FailNow()
			}
			if !slices.Contains(parts, w.Part) {
				parts = append(parts, w.Part)
			}
			k := refKey{slices.Index(parts, w.Part), w.Name, w.Group}
			r, ok := want[k]
			switch {
			case !ok:
				t.Errorf("%s: window %q (%q, del %q) not in the reference", where, w.Name, w.Group, w.Part)
			case w.Err != nil || w.Value == nil:
				t.Errorf("%s: window %s %s: no value (%v)", where, w.Name, w.Group, w.Err)
			case w.Start.String() != r.start || w.End.String() != r.end:
				t.Errorf("%s: window %s is %s..%s, want %s..%s", where, w.Name, w.Start, w.End, r.start, r.end)
			case *w.Value != float64(r.value):
				t.Errorf("%s: window %s %s: value %v, want %d", where, w.Name, w.Group, *w.Value, r.value)
			case w.Status.String() != r.status:
				t.Errorf("%s: window %s %s (value %d): status %s, want %s", where, w.Name, w.Group, r.value, w.Status, r.status)
			default:
				continue
			}
			bad++
		}
	}
}
