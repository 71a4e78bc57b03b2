package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/explain"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/internal/auth"
)

// commitmentView is a commitment's status for one year, and what it
// still needs.
type commitmentView struct {
	ID, Text, Promise string
	Year              int
	Status, StatusKey string
	Symbol            string
	Windows           []windowView
	Manual            bool
	Note              string
}

// windowView is one running (or the last) window of a commitment.
type windowView struct {
	Name    string
	Figures string // "79 av minst 104, väntat i dag 60"
	Need    string // "43 kvar på 122 dagar: 2,5 per vecka", from explain
}

// statuses lists the commitments of the report that keep, explained.
func statuses(l Live, keep func(ev eval.Evaluation, res eval.Result, x *explain.Explanation) bool) []commitmentView {
	var out []commitmentView
	if l.Report == nil {
		return nil
	}
	for _, ev := range l.Report.Evaluations {
		for _, res := range ev.Results {
			x := explained(l, ev, res.Commitment)
			if keep(ev, res, x) {
				out = append(out, viewOf(l, ev, res, x))
			}
		}
	}
	return out
}

// explained explains c as evaluated in ev; nil without the repository.
func explained(l Live, ev eval.Evaluation, c *promise.Commitment) *explain.Explanation {
	if l.Repository == nil || ev.Promise == nil || c.Manual {
		return nil
	}
	var errs diag.List
	x := explain.Commitment(l.Repository.Input(ev.Promise, ev.Year), c, l.Repository.Rules[c], ev.Year, l.Report.AsOf, &errs)
	return &x
}

func viewOf(l Live, ev eval.Evaluation, res eval.Result, x *explain.Explanation) commitmentView {
	c := res.Commitment
	v := commitmentView{ID: c.ID, Text: short(c.Text), Year: ev.Year, Status: res.Status.Text("sv"),
		StatusKey: res.Status.String(), Symbol: res.Status.Symbol(), Manual: c.Manual, Note: res.Note}
	if ev.Promise != nil {
		v.Promise = ev.Promise.Title
	}
	asOf := l.Report.AsOf
	if x != nil {
		for _, p := range x.Parts {
			for _, w := range shown(p.Windows, asOf, func(w explain.Window) eval.Window { return w.Window }) {
				wv := windowOf(w.Window)
				if w.Need != nil {
					wv.Need = w.Need.Text
				}
				v.Windows = append(v.Windows, wv)
			}
		}
		return v
	}
	if c.Manual {
		return v
	}
	for _, w := range shown(res.Windows, asOf, func(w eval.Window) eval.Window { return w }) {
		v.Windows = append(v.Windows, windowOf(w))
	}
	return v
}

// shown keeps the windows running at asOf, else the last one that began.
func shown[W any](ws []W, asOf calendar.Date, win func(W) eval.Window) []W {
	var out []W
	last := -1
	for i, w := range ws {
		ew := win(w)
		if ew.Start <= asOf && asOf <= ew.End {
			out = append(out, w)
		}
		if ew.Start <= asOf {
			last = i
		}
	}
	if len(out) == 0 && last >= 0 {
		out = append(out, ws[last])
	}
	return out
}

func windowOf(w eval.Window) windowView {
	v := windowView{Name: w.Name}
	if w.Group != "" {
		v.Name += ", " + w.Group
	}
	if w.Value == nil {
		return v
	}
	v.Figures = explain.Num(*w.Value)
	if w.Target != nil {
		bound := " av minst "
		if w.Upper {
			bound = " av högst "
		}
		v.Figures += bound + explain.Num(*w.Target)
	}
	if w.Expected != nil {
		v.Figures += ", väntat hittills " + explain.Num(*w.Expected)
	}
	return v
}

// countsFor reports whether the commitment counts records of type typ (an
// assessment: whether it is the assessed commitment).
func countsFor(typ, commitment string) func(eval.Evaluation, eval.Result, *explain.Explanation) bool {
	return func(_ eval.Evaluation, res eval.Result, x *explain.Explanation) bool {
		if typ == promise.Assessment {
			return res.Commitment.ID == commitment
		}
		if x == nil {
			return false
		}
		return slices.ContainsFunc(x.Parts, func(p explain.Part) bool {
			_, ok := p.Predicates[typ]
			return ok
		})
	}
}

// doneView is the confirmation of a record.
type doneView struct {
	Type, Title   string
	Commit, Short string
	File          string
	Line          string
	Counts        []commitmentView
	NoExplain     bool
}

// done confirms a record: the commit, and the status of the commitments
// it counts for.
func (s *server) done(w http.ResponseWriter, r *http.Request, who auth.Person) {
	l := s.b.Live()
	act := l.Vocab.Activity(r.PathValue("typ"))
	q := r.URL.Query()
	hash := q.Get("commit")
	if act == nil || !slices.ContainsFunc(s.b.Recent(who), func(c Commit) bool { return c.Hash == hash && hash != "" }) {
		s.message(w, r, &who, http.StatusNotFound, "Ingen sådan registrering", "Det finns ingen registrering av dig med den länken.", "/mina", "Till Mina åtaganden")
		return
	}
	v := doneView{Type: act.ID, Title: cmpOr(act.Title, act.ID), Commit: hash, Short: hash[:min(7, len(hash))],
		File: q.Get("file"), Line: q.Get("line"), NoExplain: l.Repository == nil && act.ID != promise.Assessment}
	year := 0
	if d, err := calendar.ParseDate(q.Get("date")); err == nil {
		year = d.Year()
	}
	keep := countsFor(act.ID, q.Get("commitment"))
	v.Counts = statuses(l, func(ev eval.Evaluation, res eval.Result, x *explain.Explanation) bool {
		return ev.Year == year && keep(ev, res, x)
	})
	render(w, http.StatusOK, "done", s.page(r, &who, &l, "Sparat: "+v.Title, "registrera", v))
}

// minaView is Mina åtaganden.
type minaView struct {
	Member      bool
	Commitments []commitmentView
	Recent      []Commit
	Undone      string
	Imported    string
	Message     string
}

// mina shows the commitments the person's parties own and their recent
// records.
func (s *server) mina(w http.ResponseWriter, r *http.Request, who auth.Person) {
	l := s.b.Live()
	m := membershipOf(l.Promises, who)
	v := minaView{Member: len(m.ids) > 0, Recent: s.b.Recent(who)}
	q := r.URL.Query()
	v.Undone, v.Imported = shortHash(q.Get("angrad")), shortHash(q.Get("sparad"))
	v.Commitments = statuses(l, func(_ eval.Evaluation, res eval.Result, _ *explain.Explanation) bool {
		return m.owns(res.Commitment)
	})
	render(w, http.StatusOK, "mina", s.page(r, &who, &l, "Mina åtaganden", "mina", v))
}

func shortHash(h string) string {
	for _, c := range h {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return ""
		}
	}
	return h[:min(7, len(h))]
}

// undo reverts one of the person's own recent records.
func (s *server) undo(w http.ResponseWriter, r *http.Request, who auth.Person) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	hash := ""
	if err := r.ParseForm(); err == nil {
		hash = r.PostForm.Get("commit")
	}
	recent := s.b.Recent(who)
	i := slices.IndexFunc(recent, func(c Commit) bool { return hash != "" && c.Hash == hash })
	if i >= 0 && recent[i].Undone {
		s.message(w, r, &who, http.StatusConflict, "Redan ångrad",
			"Registreringen är redan ångrad. Ingenting ändrades.", "/mina", "Till Mina åtaganden")
		return
	}
	if i < 0 || !recent[i].Undoable {
		s.message(w, r, &who, http.StatusForbidden, "Det går inte att ångra",
			"Du kan bara ångra dina egna registreringar från det senaste dygnet. Ingenting ändrades.", "/mina", "Till Mina åtaganden")
		return
	}
	undone, err := s.b.Undo(r.Context(), who, hash)
	if err != nil {
		s.message(w, r, &who, http.StatusInternalServerError, "Det gick inte att ångra", err.Error(), "/mina", "Till Mina åtaganden")
		return
	}
	http.Redirect(w, r, "/mina?"+url.Values{"angrad": {undone}}.Encode(), http.StatusSeeOther)
}
