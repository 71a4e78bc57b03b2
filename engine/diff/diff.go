// Package diff says what changed in a promise between two years (the
// promises in force for each) or two revisions of the repository, in plain
// Swedish (or English): commitments added and removed, targets raised or lowered,
// windows, conditions, owners and texts changed, the vocabulary and the
// calendar; and, as a backtest, how one year would have ended under the
// other side's rules.
package diff

import (
	"slices"
	"strconv"
	"strings"

	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/rule"
)

// Side is one side of a comparison: a repository and the promises of it
// that are compared.
type Side struct {
	Name     string // "2022", "HEAD~1": how the user named it
	Year     int    // the year, when the side is a year (else 0)
	Repo     *repository.Repository
	Promises []*promise.Promise
}

// Kinds of change.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// Change is one difference, with a sentence in Swedish (TextIn: in
// English).
type Change struct {
	Promise    string `json:"promise,omitempty"`
	Commitment string `json:"commitment,omitempty"`
	Kind       string `json:"kind"`
	// What changed: promise, title, party, valid, area_title, commitment,
	// text, area, owner, assess, rule, metric, predicate, window, group,
	// operator, target, pace, tolerance, warn_within, activity, field, term.
	What string `json:"what"`
	Old  string `json:"old,omitempty"`
	New  string `json:"new,omitempty"`
	Text string `json:"text"`
	en   string
}

// TextIn is the change's sentence in lang: "sv" or "en".
func (ch Change) TextIn(lang string) string { return bi{ch.Text, ch.en}.In(lang) }

// change is a change with its sentence in both languages.
func change(ch Change, text bi) Change {
	ch.Text, ch.en = text[0], text[1]
	return ch
}

// Diff is what changed from A to B.
type Diff struct {
	A, B string
	// Same is set when the very same promises govern both years: nothing
	// can differ.
	Same    bool
	Changes []Change
}

// Compare lists what changed from a to b: the promises paired by id (and
// a single promise on each side paired whatever their ids), then, when the
// sides are different versions of the repository, the vocabulary and the
// calendar.
func Compare(a, b Side) Diff {
	d := Diff{A: a.Name, B: b.Name}
	if a.Repo == b.Repo && samePromises(a.Promises, b.Promises) {
		d.Same = true
		return d
	}
	c := &differ{a: a, b: b}
	for _, pr := range pair(a.Promises, b.Promises) {
		c.promise(pr[0], pr[1])
	}
	if a.Repo != b.Repo {
		c.vocabulary()
		c.calendar()
	}
	d.Changes = c.changes
	return d
}

func samePromises(a, b []*promise.Promise) bool {
	return slices.Equal(a, b)
}

// pair pairs promises by id; when one promise is left on each side, they
// are paired too (next year's promise under a new id).
func pair(as, bs []*promise.Promise) [][2]*promise.Promise {
	var out [][2]*promise.Promise
	var leftA, leftB []*promise.Promise
	for _, a := range as {
		if i := slices.IndexFunc(bs, func(b *promise.Promise) bool { return b.ID == a.ID }); i >= 0 {
			out = append(out, [2]*promise.Promise{a, bs[i]})
		} else {
			leftA = append(leftA, a)
		}
	}
	for _, b := range bs {
		if !slices.ContainsFunc(as, func(a *promise.Promise) bool { return a.ID == b.ID }) {
			leftB = append(leftB, b)
		}
	}
	if len(leftA) == 1 && len(leftB) == 1 {
		return append(out, [2]*promise.Promise{leftA[0], leftB[0]})
	}
	for _, a := range leftA {
		out = append(out, [2]*promise.Promise{a, nil})
	}
	for _, b := range leftB {
		out = append(out, [2]*promise.Promise{nil, b})
	}
	return out
}

type differ struct {
	a, b    Side
	changes []Change
}

// add adds a change, with its sentence.
func (c *differ) add(ch Change, text bi) { c.changes = append(c.changes, change(ch, text)) }

func (c *differ) promise(pa, pb *promise.Promise) {
	switch {
	case pa == nil:
		n := say("%d åtaganden", "%d commitments", len(pb.Commitments))
		if len(pb.Commitments) == 1 {
			n = bi{"1 åtagande", "1 commitment"}
		}
		c.add(Change{Promise: pb.ID, Kind: Added, What: "promise", New: pb.ID},
			say("nytt löfte %s (%s), %s", "new promise %s (%s), %s", pb.ID, pb.Title, n))
		return
	case pb == nil:
		c.add(Change{Promise: pa.ID, Kind: Removed, What: "promise", Old: pa.ID},
			say("löftet %s (%s) finns inte längre", "promise %s (%s) is no longer there", pa.ID, pa.Title))
		return
	}
	id := pb.ID
	if pa.ID != pb.ID {
		c.add(Change{Promise: id, Kind: Changed, What: "promise", Old: pa.ID, New: pb.ID},
			say("ersätts av %s (%s)", "replaced by %s (%s)", pb.ID, pb.File))
	}
	if pa.Title != pb.Title {
		c.add(Change{Promise: id, Kind: Changed, What: "title", Old: pa.Title, New: pb.Title},
			say("titeln ändras från ”%s” till ”%s”", "the title changes from “%s” to “%s”", pa.Title, pb.Title))
	}
	if pa.Valid != pb.Valid && (c.a.Year == 0 || pa.File != pb.File) {
		c.add(Change{Promise: id, Kind: Changed, What: "valid", Old: pa.Valid.String(), New: pb.Valid.String()},
			say("gäller %s i stället för %s", "governs %s instead of %s", pb.Valid, pa.Valid))
	}
	c.parties(id, pa, pb)
	c.areas(id, pa, pb)
	for _, cb := range pb.Commitments {
		i := slices.IndexFunc(pa.Commitments, func(ca *promise.Commitment) bool { return ca.ID == cb.ID })
		if i < 0 {
			c.add(Change{Promise: id, Commitment: cb.ID, Kind: Added, What: "commitment", New: ruleText(cb)[0]},
				say("nytt åtagande (%s): %s", "new commitment (%s): %s", ownerText(cb.Owner), ruleText(cb)))
			continue
		}
		c.commitment(id, pa.Commitments[i], cb)
	}
	for _, ca := range pa.Commitments {
		if !slices.ContainsFunc(pb.Commitments, func(cb *promise.Commitment) bool { return cb.ID == ca.ID }) {
			c.add(Change{Promise: id, Commitment: ca.ID, Kind: Removed, What: "commitment", Old: ruleText(ca)[0]},
				say("åtagandet tas bort (var: %s)", "the commitment is removed (was: %s)", ruleText(ca)))
		}
	}
}

func (c *differ) parties(id string, pa, pb *promise.Promise) {
	for _, p := range pb.Parties {
		i := slices.IndexFunc(pa.Parties, func(q promise.Party) bool { return q.ID == p.ID })
		switch {
		case i < 0:
			c.add(Change{Promise: id, Kind: Added, What: "party", New: p.ID}, say("ny part: %s (%s)", "new party: %s (%s)", p.ID, p.Name))
		case pa.Parties[i].Name != p.Name:
			c.add(Change{Promise: id, Kind: Changed, What: "party", Old: pa.Parties[i].Name, New: p.Name},
				say("parten %s heter nu ”%s” (var ”%s”)", "party %s is now called “%s” (was “%s”)", p.ID, p.Name, pa.Parties[i].Name))
		}
	}
	for _, p := range pa.Parties {
		if !slices.ContainsFunc(pb.Parties, func(q promise.Party) bool { return q.ID == p.ID }) {
			c.add(Change{Promise: id, Kind: Removed, What: "party", Old: p.ID},
				say("parten %s (%s) är inte längre med", "party %s (%s) is no longer part of it", p.ID, p.Name))
		}
	}
}

func (c *differ) areas(id string, pa, pb *promise.Promise) {
	var names []string
	for k := range pb.Areas {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if old, ok := pa.Areas[k]; ok && old != pb.Areas[k] {
			c.add(Change{Promise: id, Kind: Changed, What: "area_title", Old: old, New: pb.Areas[k]},
				say("området %s får rubriken ”%s” (var ”%s”)", "area %s gets the heading “%s” (was “%s”)", k, pb.Areas[k], old))
		}
	}
}

// commitment compares two versions of one commitment.
func (c *differ) commitment(pid string, ca, cb *promise.Commitment) {
	add := func(kind, what, old, new string, text bi) {
		c.add(Change{Promise: pid, Commitment: cb.ID, Kind: kind, What: what, Old: old, New: new}, text)
	}
	if ca.Area != cb.Area {
		add(Changed, "area", ca.Area, cb.Area, say("flyttas från området %s till %s", "moves from area %s to %s", ca.Area, cb.Area))
	}
	if !slices.Equal(ca.Owner, cb.Owner) {
		add(Changed, "owner", ownerText(ca.Owner)[0], ownerText(cb.Owner)[0],
			say("ansvarig ändras från %s till %s", "the owner changes from %s to %s", ownerText(ca.Owner), ownerText(cb.Owner)))
	}
	if norm(ca.Text) != norm(cb.Text) {
		add(Changed, "text", ca.Text, cb.Text, bi{"texten ändras", "the text changes"})
	}
	switch {
	case ca.Manual && !cb.Manual:
		add(Changed, "assess", "manual", ruleText(cb)[0], say("räknas nu med regeln %s i stället för att bedömas för hand",
			"now counted by the rule %s instead of assessed by hand", ruleText(cb)))
	case !ca.Manual && cb.Manual:
		add(Changed, "assess", ruleText(ca)[0], "manual", say("bedöms nu för hand (assess: manual) i stället för med regeln %s",
			"now assessed by hand (assess: manual) instead of by the rule %s", ruleText(ca)))
	case !ca.Manual:
		c.rule(add, ca, cb)
	}
	if ca.Pace != cb.Pace {
		add(Changed, "pace", paceText(ca.Pace)[0], paceText(cb.Pace)[0],
			say("takten ändras från %s till %s", "the pace changes from %s to %s", paceText(ca.Pace), paceText(cb.Pace)))
	}
	if ca.Tolerance != cb.Tolerance {
		add(Changed, "tolerance", pct(ca.Tolerance)[0], pct(cb.Tolerance)[0],
			say("toleransen ändras från %s till %s", "the tolerance changes from %s to %s", pct(ca.Tolerance), pct(cb.Tolerance)))
	}
	if ca.WarnWithin != cb.WarnWithin {
		add(Changed, "warn_within", strconv.Itoa(ca.WarnWithin), strconv.Itoa(cb.WarnWithin),
			say("varnar %d dagar före fönstrets slut i stället för %d", "warns %d days before the window ends instead of %d", cb.WarnWithin, ca.WarnWithin))
	}
}

// addFunc adds a change of a commitment: its kind, what changed, the old
// and new values (in Swedish, as JSON carries them) and the sentence.
type addFunc func(kind, what, old, new string, text bi)

// rule compares two rules part by part when they have the same shape,
// else as wholes.
func (c *differ) rule(add addFunc, ca, cb *promise.Commitment) {
	ra, rb := c.a.Repo.Rules[ca], c.b.Repo.Rules[cb]
	ta, tb := norm(ca.Rule.Value), norm(cb.Rule.Value)
	whole := func() {
		if ta != tb {
			add(Changed, "rule", ta, tb, say("regeln ändras från `%s` till `%s`", "the rule changes from `%s` to `%s`", ta, tb))
		}
	}
	if ra == nil || rb == nil {
		whole()
		return
	}
	sa, la := leaves(ra.Root)
	sb, lb := leaves(rb.Root)
	if sa != sb {
		whole()
		return
	}
	for i := range la {
		c.leaf(add, la[i], lb[i], whole)
	}
}

// leaves returns the shape of a rule's tree (its && and ||) and its
// comparisons and expressions in order.
func leaves(n rule.Node) (string, []rule.Node) {
	switch x := n.(type) {
	case *rule.And:
		sl, l := leaves(x.Left)
		sr, r := leaves(x.Right)
		return "(" + sl + "&&" + sr + ")", append(l, r...)
	case *rule.Or:
		sl, l := leaves(x.Left)
		sr, r := leaves(x.Right)
		return "(" + sl + "||" + sr + ")", append(l, r...)
	case *rule.Compare:
		return "c", []rule.Node{x}
	}
	return "e", []rule.Node{n}
}

func (c *differ) leaf(add addFunc, a, b rule.Node, whole func()) {
	ca, okA := a.(*rule.Compare)
	cb, okB := b.(*rule.Compare)
	if !okA || !okB {
		ea, eb := a.(*rule.Expr), b.(*rule.Expr)
		if okA != okB || ea == nil || eb == nil {
			whole()
		} else if norm(ea.Src) != norm(eb.Src) {
			add(Changed, "rule", norm(ea.Src), norm(eb.Src),
				say("villkoret ändras från `%s` till `%s`", "the condition changes from `%s` to `%s`", norm(ea.Src), norm(eb.Src)))
		}
		return
	}
	pa, pb := ca.Parts(), cb.Parts()
	switch {
	case !slices.Equal(sorted(ca.Types), sorted(cb.Types)):
		add(Changed, "metric", pa.Metric, pb.Metric, say("räknar nu %s i stället för %s", "now counts %s instead of %s", and(cb.Types), and(ca.Types)))
	case !samePredicates(pa.Predicates, pb.Predicates):
		for _, t := range cb.Types {
			c.predicate(add, t, pa.Predicates[t], pb.Predicates[t])
		}
	case norm(pa.Metric) != norm(pb.Metric):
		add(Changed, "metric", pa.Metric, pb.Metric, say("räknar nu `%s` i stället för `%s`", "now counts `%s` instead of `%s`", pb.Metric, pa.Metric))
	}
	if ca.HasWindow != cb.HasWindow || ca.Window != cb.Window {
		add(Changed, "window", windowText(ca)[0], windowText(cb)[0],
			say("nytt fönster: %s i stället för %s", "new window: %s instead of %s", windowText(cb), windowText(ca)))
	}
	if ca.Field != cb.Field {
		switch {
		case ca.Field == "":
			add(Added, "group", "", cb.Field, say("räknas nu per %s (varje värde för sig)", "now counted per %s (each value by itself)", cb.Field))
		case cb.Field == "":
			add(Removed, "group", ca.Field, "", say("räknas inte längre per %s", "no longer counted per %s", ca.Field))
		default:
			add(Changed, "group", ca.Field, cb.Field, say("räknas nu per %s i stället för per %s", "now counted per %s instead of per %s", cb.Field, ca.Field))
		}
	}
	c.target(add, ca, cb, pa, pb)
}

func (c *differ) predicate(add addFunc, typ, a, b string) {
	switch {
	case a == b:
	case a == "":
		add(Added, "predicate", "", b, say("nytt villkor för %s: `%s`", "new condition for %s: `%s`", typ, b))
	case b == "":
		add(Removed, "predicate", a, "", say("villkoret `%s` för %s tas bort: alla räknas", "the condition `%s` for %s is removed: all count", a, typ))
	default:
		add(Changed, "predicate", a, b, say("villkoret ändras från `%s` till `%s`", "the condition changes from `%s` to `%s`", a, b))
	}
}

// target compares the operator and the target.
func (c *differ) target(add addFunc, ca, cb *rule.Compare, pa, pb rule.Parts) {
	va, okA := ca.TargetValue()
	vb, okB := cb.TargetValue()
	per := perText(cb)
	switch {
	case ca.Op != cb.Op:
		add(Changed, "operator", ca.Op+" "+pa.Target, cb.Op+" "+pb.Target,
			say("jämförelsen ändras från `%s %s` till `%s %s` %s", "the comparison changes from `%s %s` to `%s %s` %s", ca.Op, pa.Target, cb.Op, pb.Target, per))
	case okA && okB && va != vb:
		word, verb := bi{"målet", "the target"}, bi{"höjs", "is raised"}
		if cb.Upper() {
			word = bi{"taket", "the ceiling"}
		}
		if vb < va {
			verb = bi{"sänks", "is lowered"}
		}
		if !cb.Lower() && !cb.Upper() {
			verb = bi{"ändras", "changes"}
		}
		add(Changed, "target", num(va), num(vb), say("%s %s från %s till %s %s", "%s %s from %s to %s %s", word, verb, number(va), number(vb), per))
	case (!okA || !okB) && norm(pa.Target) != norm(pb.Target):
		add(Changed, "target", pa.Target, pb.Target, say("målet ändras från `%s` till `%s` %s", "the target changes from `%s` to `%s` %s", pa.Target, pb.Target, per))
	}
}

func windowText(c *rule.Compare) bi {
	if !c.HasWindow {
		return bi{"per år", "per year"}
	}
	return same("per " + c.Window.String())
}

func perText(c *rule.Compare) bi {
	s := windowText(c)
	if c.Field != "" {
		s = say("%s och per %s", "%s and per %s", s, c.Field)
	}
	return s
}

func samePredicates(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if norm(b[k]) != norm(v) {
			return false
		}
	}
	return true
}

func sorted(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return out
}

func ruleText(c *promise.Commitment) bi {
	if c.Manual {
		return bi{"bedöms för hand", "assessed by hand"}
	}
	return same("`" + norm(c.Rule.Value) + "`")
}

func ownerText(o []string) bi {
	if len(o) == 0 {
		return bi{"ingen", "none"}
	}
	return and(o)
}

func paceText(p promise.Pace) bi {
	switch p.Kind {
	case promise.PaceNone:
		return bi{"ingen takt (none)", "no pace (none)"}
	case promise.PaceMonthly:
		var sv, en []string
		for _, w := range p.Weights {
			sv, en = append(sv, num(w)), append(en, numEn(w))
		}
		return say("månadsvikter [%s]", "monthly weights [%s]", bi{strings.Join(sv, ", "), strings.Join(en, ", ")})
	}
	return bi{"jämn takt (linear)", "even pace (linear)"}
}

func pct(f float64) bi { return bi{num(f*100) + " %", numEn(f*100) + "%"} }

// norm collapses white space, so that reflowing a rule or text is no change.
func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

func num(f float64) string {
	if f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}
