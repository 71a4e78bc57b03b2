// Package ruletest runs rule unit tests: the files rules/**/*_test.yaml,
// each a list of tests that name a promise of the repository (or write
// commitments inline), a period, an evaluation date and records, and say
// which status (and optionally value, and status per window) each
// commitment should get.
//
//	tests:
//	  - name: ett hundsök per termin räcker
//	    promise: mullsjo
//	    period: 2022
//	    as_of: 2022-12-31
//	    records:
//	      - {date: 2022-02-01, type: hundsok, by: polisen, plats: grundskola}
//	      - {date: 2022-09-01, type: hundsok, by: polisen, plats: grundskola, repeat: 2}
//	    expect:
//	      droger.hundsok: met
//	      trafik.kontroller: {status: missed, value: 0}
//	      droger.utvardering: {status: missed, windows: {2022-T1: missed}}
//
// Without as_of the year is judged as ended (the evaluation date is the
// day after it). A record's repeat: N stands for N copies of it. Statuses are written as
// in JSON (met, on_track, behind, missed, pending, unassessed) or in
// Swedish (uppfyllt, i fas, efter, ej uppfyllt, pågår, ej bedömt).
package ruletest

import (
	"bytes"
	"errors"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/rule"
)

// Test is one rule test, ready to run.
type Test struct {
	Name    string
	Pos     diag.Pos
	Promise *promise.Promise // the repository's, or one made of inline commitments
	Inline  bool
	Rules   map[*promise.Commitment]*rule.Rule // the inline commitments' rules
	Year    int
	AsOf    calendar.Date
	Records []record.Record
	Expect  []Expectation
}

// Expectation is what one commitment should get.
type Expectation struct {
	Commitment string
	Pos        diag.Pos
	Status     eval.Status
	Value      *float64
	Windows    []WindowExpectation
}

// WindowExpectation is the status one window (or group) should get.
type WindowExpectation struct {
	Name   string // "2022-VT", "2022-VT civil" for a group, or "civil"
	Pos    diag.Pos
	Status eval.Status
}

// IsTestFile reports whether p is a rule test file: rules/**/*_test.yaml.
func IsTestFile(p string) bool {
	ext := strings.ToLower(path.Ext(p))
	return strings.HasPrefix(p, "rules/") && (ext == ".yaml" || ext == ".yml") &&
		strings.HasSuffix(strings.TrimSuffix(p, path.Ext(p)), "_test")
}

// Parse reads every rule test file among files (path → bytes) against the
// repository. It returns the tests that can run and every problem of the
// files, with its place.
func Parse(files map[string][]byte, r *repository.Repository) ([]*Test, diag.List) {
	var paths []string
	for p := range files {
		if IsTestFile(p) {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	var tests []*Test
	var errs diag.List
	for _, p := range paths {
		ts, es := parseFile(p, files[p], r)
		tests = append(tests, ts...)
		errs = append(errs, es...)
	}
	errs.Sort()
	return tests, errs
}

type parser struct {
	file string
	src  []byte
	r    *repository.Repository
	env  *rule.Env
	errs diag.List
}

func (ps *parser) pos(n *yaml.Node) diag.Pos {
	return diag.Pos{File: ps.file, Line: n.Line, Col: n.Column}
}

func (ps *parser) errorf(n *yaml.Node, hint, format string, args ...any) {
	ps.errs.Add(ps.pos(n), hint, format, args...)
}

func parseFile(file string, src []byte, r *repository.Repository) ([]*Test, diag.List) {
	ps := &parser{file: file, src: src, r: r, env: rule.NewEnv(r.Vocab)}
	var root yaml.Node
	switch err := yaml.NewDecoder(bytes.NewReader(src)).Decode(&root); {
	case errors.Is(err, io.EOF):
		return nil, nil // an empty file: no tests yet
	case err != nil:
		// At the line where the file goes wrong, as in a promise file.
		ps.errs = append(ps.errs, promise.YAMLSyntax(file, src, err))
		return nil, ps.errs
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	top := root.Content[0]
	var tests []*Test
	for _, f := range ps.mapping(top, "testfilen", []string{"tests"}) {
		if f.value.Kind != yaml.SequenceNode {
			ps.errorf(f.value, "skriv tests: och sedan varje test som - name: …", "tests ska vara en lista")
			continue
		}
		seen := map[string]diag.Pos{}
		for _, tn := range f.value.Content {
			t := ps.test(tn)
			if t == nil {
				continue
			}
			if prev, dup := seen[t.Name]; dup {
				ps.errorf(tn, "ge testen olika namn", "testet %q finns redan på rad %d", t.Name, prev.Line)
				continue
			}
			seen[t.Name] = t.Pos
			tests = append(tests, t)
		}
	}
	return tests, ps.errs
}

type keyValue struct {
	key   string
	kn    *yaml.Node
	value *yaml.Node
}

// mapping returns the keys of a mapping node, reporting unknown and
// repeated keys.
func (ps *parser) mapping(n *yaml.Node, what string, allowed []string) []keyValue {
	if n.Kind != yaml.MappingNode {
		ps.errorf(n, "", "%s ska vara en samling nyckel: värde", what)
		return nil
	}
	var out []keyValue
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case seen[k.Value]:
			ps.errorf(k, "", "nyckeln %q står två gånger i %s", k.Value, what)
			continue
		case allowed != nil && !contains(allowed, k.Value):
			ps.errorf(k, diag.DidYouMean(k.Value, allowed), "okänd nyckel %q i %s", k.Value, what)
			continue
		}
		seen[k.Value] = true
		out = append(out, keyValue{key: k.Value, kn: k, value: v})
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

var testKeys = []string{"name", "promise", "commitments", "parties", "period", "as_of", "records", "expect"}

// test reads one test; nil when it cannot run.
func (ps *parser) test(n *yaml.Node) *Test {
	before := len(ps.errs)
	t := &Test{Pos: ps.pos(n)}
	var promiseID, commitments, parties, records, expect, period, asOf *yaml.Node
	for _, f := range ps.mapping(n, "testet", testKeys) {
		switch f.key {
		case "name":
			t.Name = f.value.Value
		case "promise":
			promiseID = f.value
		case "commitments":
			commitments = f.value
		case "parties":
			parties = f.value
		case "period":
			period = f.value
		case "as_of":
			asOf = f.value
		case "records":
			records = f.value
		case "expect":
			expect = f.value
		}
	}
	if t.Name == "" {
		ps.errorf(n, "skriv t.ex. name: ett hundsök per termin räcker", "testet saknar name")
	}
	ps.when(t, n, period, asOf)
	switch {
	case promiseID != nil && commitments != nil:
		ps.errorf(commitments, "ta bort promise eller commitments", "testet har både promise och commitments")
	case promiseID != nil:
		t.Promise = ps.namedPromise(promiseID, t.Year)
	case commitments != nil:
		t.Promise, t.Rules = ps.inline(commitments, parties, t.Year)
		t.Inline = true
	default:
		ps.errorf(n, "skriv promise: ID för ett löfte i rules/, eller commitments: med åtaganden", "testet säger inte vilket löfte det prövar")
	}
	if records != nil {
		t.Records = ps.records(records)
	}
	if expect == nil {
		ps.errorf(n, "skriv t.ex. expect: {trafik.kontroller: met}", "testet saknar expect")
	} else if t.Promise != nil {
		t.Expect = ps.expectations(expect, t.Promise)
	}
	if len(ps.errs) > before {
		return nil
	}
	return t
}

// when reads period and as_of: a period of one year; the evaluation date
// defaults to the day after the year, so that every window of it has
// ended; the year defaults to the date's.
func (ps *parser) when(t *Test, n, period, asOf *yaml.Node) {
	if asOf != nil {
		d, err := ps.r.Calendar.ParseAsOf(asOf.Value)
		if err != nil {
			ps.errorf(asOf, "skriv t.ex. as_of: 2022-08-31", "as_of: %v", err)
		}
		t.AsOf = d
	}
	switch {
	case period != nil:
		p, err := calendar.ParsePeriod(period.Value)
		if err != nil {
			ps.errorf(period, "skriv t.ex. period: 2022", "period: %v", err)
			return
		}
		if p.First != p.Last {
			ps.errorf(period, "skriv ett test för varje år", "ett test prövar ett år, inte %s", period.Value)
			return
		}
		t.Year = p.First
	case asOf != nil && t.AsOf != 0:
		t.Year = t.AsOf.Year()
	default:
		ps.errorf(n, "skriv t.ex. period: 2022 och as_of: 2022-08-31", "testet saknar period")
		return
	}
	if asOf == nil {
		t.AsOf = ps.r.Calendar.YearWindow(t.Year).End.AddDays(1)
	}
}

// namedPromise finds the repository's promise id in force for year (or
// any of that id, when none is).
func (ps *parser) namedPromise(n *yaml.Node, year int) *promise.Promise {
	var ids []string
	var other *promise.Promise
	for _, p := range ps.r.Promises {
		ids = append(ids, p.ID)
		if p.ID == n.Value {
			if p.Governs(year) {
				return p
			}
			other = p
		}
	}
	if other != nil {
		return other
	}
	hint := diag.DidYouMean(n.Value, ids)
	if hint == "" && len(ids) > 0 {
		hint = "löftena i rules/ är " + strings.Join(ids, ", ")
	}
	ps.errorf(n, hint, "okänt löfte %q", n.Value)
	return nil
}

// inline makes a promise of the test's own commitments and compiles them.
func (ps *parser) inline(n, parties *yaml.Node, year int) (*promise.Promise, map[*promise.Commitment]*rule.Rule) {
	p := &promise.Promise{ID: "test", File: ps.file, Pos: ps.pos(n), Valid: calendar.Period{First: year, Last: year}}
	if parties != nil {
		for _, f := range ps.mapping(parties, "parties", nil) {
			p.Parties = append(p.Parties, promise.Party{ID: f.key, Name: f.value.Value})
		}
	} else {
		seen := map[string]bool{}
		for _, rp := range ps.r.Promises {
			for _, pt := range rp.Parties {
				if !seen[pt.ID] {
					seen[pt.ID] = true
					p.Parties = append(p.Parties, pt)
				}
			}
		}
	}
	cs, errs := promise.DecodeCommitments(ps.file, ps.src, n, p)
	ps.errs = append(ps.errs, errs...)
	p.Commitments = cs
	rules := map[*promise.Commitment]*rule.Rule{}
	for _, c := range cs {
		if c.Manual {
			continue
		}
		ru, errs := ps.env.Compile(c.Rule)
		for _, d := range errs {
			d.Message = "åtagandet " + c.ID + ": " + d.Message
		}
		ps.errs = append(ps.errs, errs...)
		if ru != nil {
			rules[c] = ru
		}
	}
	return p, rules
}

// records reads the test's records, expanding repeat: N.
func (ps *parser) records(n *yaml.Node) []record.Record {
	if n.Kind != yaml.SequenceNode {
		ps.errorf(n, "skriv records: och sedan varje post som - {date: …, type: …, by: …}", "records ska vara en lista")
		return nil
	}
	repeats := make([]int, len(n.Content))
	for i, rn := range n.Content {
		repeats[i] = 1
		if rn.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(rn.Content); j += 2 {
			if rn.Content[j].Value != "repeat" {
				continue
			}
			v, err := strconv.Atoi(rn.Content[j+1].Value)
			if err != nil || v < 1 || v > 100000 {
				ps.errorf(rn.Content[j+1], "skriv t.ex. repeat: 10", "repeat ska vara ett heltal från 1 till 100000")
			} else {
				repeats[i] = v
			}
			rn.Content = append(rn.Content[:j:j], rn.Content[j+2:]...)
			break
		}
	}
	var out []record.Record
	for i, rn := range n.Content {
		recs, errs := record.ParseNode(ps.file, rn, ps.r.Vocab, ps.r.Parties())
		ps.errs = append(ps.errs, errs...)
		for _, rec := range recs {
			for range repeats[i] {
				out = append(out, rec)
			}
		}
	}
	return out
}

// expectations reads expect: commitment id → status, or {status, value,
// windows}.
func (ps *parser) expectations(n *yaml.Node, p *promise.Promise) []Expectation {
	var ids []string
	for _, c := range p.Commitments {
		ids = append(ids, c.ID)
	}
	var out []Expectation
	for _, f := range ps.mapping(n, "expect", nil) {
		if !contains(ids, f.key) {
			ps.errorf(f.kn, diag.DidYouMean(f.key, ids), "löftet %s har inget åtagande %q", p.ID, f.key)
			continue
		}
		e := Expectation{Commitment: f.key, Pos: ps.pos(f.kn)}
		if f.value.Kind == yaml.ScalarNode {
			e.Status, _ = ps.status(f.value)
			out = append(out, e)
			continue
		}
		hasStatus := false
		for _, g := range ps.mapping(f.value, "förväntan för "+f.key, []string{"status", "value", "windows"}) {
			switch g.key {
			case "status":
				// A status written but not known is its own error, not also a missing one.
				hasStatus = true
				e.Status, _ = ps.status(g.value)
			case "value":
				v, err := strconv.ParseFloat(strings.Replace(g.value.Value, ",", ".", 1), 64)
				if err != nil {
					ps.errorf(g.value, "skriv t.ex. value: 61", "value ska vara ett tal")
				}
				e.Value = &v
			case "windows":
				for _, w := range ps.mapping(g.value, "windows", nil) {
					st, _ := ps.status(w.value)
					e.Windows = append(e.Windows, WindowExpectation{Name: w.key, Pos: ps.pos(w.kn), Status: st})
				}
			}
		}
		if !hasStatus {
			ps.errorf(f.value, "skriv t.ex. {status: met, value: 4}", "förväntan för %s saknar status", f.key)
		}
		out = append(out, e)
	}
	return out
}

var swedish = map[string]eval.Status{
	"uppfyllt": eval.Met, "i fas": eval.OnTrack, "efter": eval.Behind,
	"ej uppfyllt": eval.Missed, "pågår": eval.Pending, "ej bedömt": eval.Unassessed,
}

func (ps *parser) status(n *yaml.Node) (eval.Status, bool) {
	s := strings.ToLower(strings.TrimSpace(n.Value))
	if st, err := eval.ParseStatus(strings.ReplaceAll(s, " ", "_")); err == nil {
		return st, true
	}
	// The schema lets the Swedish words be written with _ for the space (i_fas).
	if st, ok := swedish[strings.ReplaceAll(s, "_", " ")]; ok {
		return st, true
	}
	names := []string{"met", "on_track", "behind", "missed", "pending", "unassessed"}
	ps.errorf(n, diag.DidYouMean(s, names), "okänd status %q: skriv met, on_track, behind, missed, pending eller unassessed", n.Value)
	return 0, false
}
