package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/internal/auth"
)

// formView is the form of one activity type (or of an assessment).
type formView struct {
	Type     string
	Title    string
	Action   string
	Fields   []fieldView
	Errors   []FieldError // problems not at one field
	Key      string       // the form's one-time key: sent twice, it is recorded once
	NoAccess string       // why they cannot use the form, if so
}

// fieldView is one field of a form.
type fieldView struct {
	Name     string
	ID       string
	Label    string
	Control  string // text, number, int, date, radio, select, checkboxes, lines, textarea
	Required bool
	Value    string
	Choices  []choice
	Help     string
	Error    string
}

type choice struct {
	Value, Label string
	Checked      bool
}

// label turns a field name into words: riktad_mot → Riktad mot.
func label(name string) string {
	s := strings.ReplaceAll(name, "_", " ")
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// statusLabel is an assessment status in Swedish.
func statusLabel(s string) string {
	st, err := eval.ParseStatus(s)
	if err != nil {
		return s
	}
	return st.Text("sv")
}

// assessable lists the commitments assessed by hand that one of the
// person's parties owns.
func assessable(l Live, m membership) []*promise.Commitment {
	var out []*promise.Commitment
	for _, p := range l.Promises {
		for _, c := range p.Commitments {
			if c.Manual && m.owns(c) && !slices.ContainsFunc(out, func(o *promise.Commitment) bool { return o.ID == c.ID }) {
				out = append(out, c)
			}
		}
	}
	return out
}

// buildForm builds the form of act, filled with in (nil: the defaults).
func buildForm(l Live, m membership, act *promise.Activity, in url.Values, errs []FieldError) formView {
	f := formView{Type: act.ID, Title: cmpOr(act.Title, act.ID), Action: "/registrera/" + act.ID, Key: newKey()}
	if k := in.Get(onceField); k != "" && len(k) <= 64 {
		f.Key = k // sent again with its problems: the same sending
	}
	if act.ID == promise.Assessment {
		f.Title = "Bedöm ett åtagande"
	}
	get := func(name string) string {
		if in == nil {
			return ""
		}
		return in.Get(name)
	}
	date := get(promise.FieldDate)
	if in == nil {
		date = l.Today.String()
	}
	f.Fields = append(f.Fields, fieldView{Name: promise.FieldDate, Label: "Datum", Control: "date", Required: true, Value: date,
		Help: "ÅÅÅÅ-MM-DD, i dag om du inte ändrar det"})
	if act.ID != promise.Assessment {
		f.Fields = append(f.Fields, byField(m, get(promise.FieldBy)))
	}
	for _, fd := range act.Fields {
		f.Fields = append(f.Fields, field(l, m, act, fd, in))
	}
	placeErrors(&f, errs)
	switch {
	case len(m.ids) == 0:
		f.NoAccess = "Du hör inte till någon av parterna, så du kan inte registrera något. Den som förvaltar löftet lägger till din e-postadress under authors för din part."
	case act.ID == promise.Assessment && len(assessable(l, m)) == 0:
		f.NoAccess = "Din part äger inga åtaganden som bedöms för hand."
	}
	return f
}

// byField offers the `by` values the person may give.
func byField(m membership, cur string) fieldView {
	fv := fieldView{Name: promise.FieldBy, Label: "Vem gjorde det", Control: "radio", Required: true}
	for i, by := range m.joint {
		v := strings.Join(by, "+")
		fv.Choices = append(fv.Choices, choice{Value: v, Label: m.label(by), Checked: v == cur || cur == "" && i == 0})
	}
	return fv
}

func field(l Live, m membership, act *promise.Activity, fd *promise.Field, in url.Values) fieldView {
	fv := fieldView{Name: fd.Name, Label: label(fd.Name), Required: fd.Required}
	var vals []string
	if in != nil {
		vals = in[fd.Name]
		fv.Value = in.Get(fd.Name)
	}
	t := fd.Type
	switch {
	case act.ID == promise.Assessment && fd.Name == "commitment":
		fv.Label, fv.Control = "Åtagande", "radio"
		for i, c := range assessable(l, m) {
			fv.Choices = append(fv.Choices, choice{Value: c.ID, Label: c.ID + ": " + short(c.Text), Checked: c.ID == fv.Value || in == nil && i == 0})
		}
	case act.ID == promise.Assessment && fd.Name == "status":
		fv.Label, fv.Control = "Bedömning", "radio"
		for _, st := range promise.Statuses {
			fv.Choices = append(fv.Choices, choice{Value: st, Label: statusLabel(st), Checked: st == fv.Value})
		}
	case act.ID == promise.Assessment && fd.Name == "note":
		fv.Label, fv.Control = "Anteckning", "textarea"
	case t.Kind == promise.Enum:
		fv.Control = "radio"
		if len(t.Enum) > 5 {
			fv.Control = "select"
		}
		for _, e := range t.Enum {
			fv.Choices = append(fv.Choices, choice{Value: e, Label: label(e), Checked: e == fv.Value})
		}
	case t.Kind == promise.Bool:
		fv.Control = "radio"
		for _, v := range []string{"ja", "nej"} {
			fv.Choices = append(fv.Choices, choice{Value: v, Label: label(v), Checked: v == fv.Value})
		}
	case t.Kind == promise.List && t.Elem != nil && t.Elem.Kind == promise.Enum:
		fv.Control, fv.Help = "checkboxes", "välj ett eller flera"
		for _, e := range t.Elem.Enum {
			fv.Choices = append(fv.Choices, choice{Value: e, Label: label(e), Checked: slices.Contains(vals, e)})
		}
	case t.Kind == promise.List:
		fv.Control, fv.Help = "lines", "ett värde per rad"
	case t.Kind == promise.Int:
		fv.Control, fv.Help = "int", "ett heltal"
	case t.Kind == promise.Number:
		fv.Control, fv.Help = "number", "ett tal, t.ex. 2,5"
	case t.Kind == promise.Date:
		fv.Control, fv.Help = "date", "ÅÅÅÅ-MM-DD"
	default:
		fv.Control = "text"
	}
	return fv
}

// short is the first sentence of a commitment's text, at most 90 characters.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i+1]
	}
	if utf8.RuneCountInString(s) > 90 {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:88])) + "…"
	}
	return s
}

// placeErrors puts each error at its field; the rest go on top.
func placeErrors(f *formView, errs []FieldError) {
	for i := range f.Fields {
		f.Fields[i].ID = "f-" + f.Fields[i].Name
	}
	for _, e := range errs {
		i := slices.IndexFunc(f.Fields, func(fv fieldView) bool { return fv.Name == e.Field })
		switch {
		case i < 0:
			f.Errors = append(f.Errors, e)
		case f.Fields[i].Error == "":
			f.Fields[i].Error = e.Message
		default:
			f.Fields[i].Error += " " + e.Message
		}
	}
}

// onceField is the form field of a form's one-time key.
const onceField = "engang"

var decimalComma = regexp.MustCompile(`^[-+]?[0-9]+,[0-9]+$`)

// entryOf reads a form into an entry; problems that keep it from being an
// entry at all (a date that is no date) come back as field errors.
func entryOf(l Live, m membership, act *promise.Activity, in url.Values) (record.Entry, []FieldError) {
	e := record.Entry{Type: act.ID, Date: l.Today}
	var errs []FieldError
	if d := strings.TrimSpace(in.Get(promise.FieldDate)); d != "" {
		date, err := calendar.ParseDate(d)
		if err != nil {
			errs = append(errs, FieldError{promise.FieldDate, fmt.Sprintf("date: %v", err)})
		}
		e.Date = date
	}
	if by := strings.TrimSpace(in.Get(promise.FieldBy)); by != "" {
		e.By = splitBy(by)
	}
	for _, fd := range act.Fields {
		if v, ok := formValue(fd, in[fd.Name]); ok {
			e.Fields = append(e.Fields, record.EntryField{Name: fd.Name, Value: v})
		}
	}
	if act.ID == promise.Assessment {
		e.By = assessedBy(l, m, e)
	}
	return e, errs
}

// formValue is a field's value as an entry gives it; false when empty.
func formValue(fd *promise.Field, vals []string) (string, bool) {
	switch {
	case len(vals) == 0:
		return "", false
	case fd.Type.Kind == promise.List:
		var els []string
		for _, v := range vals {
			for _, line := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' || r == '+' }) {
				if line = strings.TrimSpace(line); line != "" {
					els = append(els, line)
				}
			}
		}
		return strings.Join(els, "+"), len(els) > 0
	}
	v := oneLine(vals[0])
	if fd.Type.Kind == promise.Number && decimalComma.MatchString(v) {
		v = strings.Replace(v, ",", ".", 1)
	}
	if fd.Type.Kind == promise.Int || fd.Type.Kind == promise.Number {
		v = strings.ReplaceAll(v, " ", "") // 1 200
	}
	return v, v != ""
}

// oneLine is what a box of several lines (an assessment's note) holds,
// as the one line a record's value is (docs/reference.md §4): its lines
// joined by a space, empty ones left out.
func oneLine(v string) string {
	var lines []string
	for _, line := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, " ")
}

// splitBy reads "polisen+kommunen" (or with commas).
func splitBy(by string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(by, func(c rune) bool { return c == '+' || c == ',' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// assessedBy is who assesses: the person's parties among the owners of the
// assessed commitment.
func assessedBy(l Live, m membership, e record.Entry) []string {
	id := fieldValue(e, "commitment")
	var by []string
	for _, c := range commitments(l.Promises, id) {
		for _, o := range c.Owner {
			if m.has(o) && !slices.Contains(by, o) {
				by = append(by, o)
			}
		}
	}
	if len(by) == 0 {
		return e.By
	}
	return by
}

func fieldValue(e record.Entry, name string) string {
	for _, f := range e.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// refusal says why the person may not write e, or "" when they may
// (docs/reference.md §12): the field it is about, and the message.
func refusal(l Live, m membership, e record.Entry) (field, msg string) {
	if len(m.ids) == 0 {
		return "", "Du hör inte till någon av parterna (ingen parts authors passar din e-postadress), så du får inte registrera något."
	}
	if e.Type == promise.Assessment {
		cs := commitments(l.Promises, fieldValue(e, "commitment"))
		if len(cs) > 0 && !slices.ContainsFunc(cs, m.owns) {
			return "commitment", fmt.Sprintf("Åtagandet %s ägs av %s: du får bara bedöma åtaganden som din part äger.", cs[0].ID, m.label(cs[0].Owner))
		}
	}
	if len(e.By) > 0 && !m.anyOf(e.By) {
		return promise.FieldBy, fmt.Sprintf("Du får bara registrera det som %s gjort (by: %s).", m.label(m.ids), strings.Join(e.By, "+"))
	}
	return "", ""
}

// defaultBy gives a record without by the person's only party.
func defaultBy(m membership, e *record.Entry) {
	if len(e.By) == 0 && len(m.ids) == 1 {
		e.By = m.ids
	}
}

// form shows the empty form of an activity type.
func (s *server) form(w http.ResponseWriter, r *http.Request, who auth.Person) {
	l := s.b.Live()
	act := l.Vocab.Activity(r.PathValue("typ"))
	if act == nil {
		s.message(w, r, &who, http.StatusNotFound, "Det finns ingen sådan aktivitetstyp", "Välj en av typerna i listan.", "/registrera", "Till listan")
		return
	}
	m := membershipOf(l.Promises, who)
	status := http.StatusOK
	if len(m.ids) == 0 {
		status = http.StatusForbidden
	}
	f := buildForm(l, m, act, nil, nil)
	render(w, status, "form", s.page(r, &who, &l, f.Title, "registrera", f))
}

// submit records what a form was filled with, or shows it again with the
// problems at their fields; nothing is written then.
func (s *server) submit(w http.ResponseWriter, r *http.Request, who auth.Person) {
	l := s.b.Live()
	act := l.Vocab.Activity(r.PathValue("typ"))
	if act == nil {
		s.message(w, r, &who, http.StatusNotFound, "Det finns ingen sådan aktivitetstyp", "Ingenting sparades.", "/registrera", "Till listan")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		s.message(w, r, &who, http.StatusBadRequest, "Formuläret kunde inte läsas", "Ingenting sparades: "+err.Error(), r.URL.Path, "Försök igen")
		return
	}
	m := membershipOf(l.Promises, who)
	e, errs := entryOf(l, m, act, r.PostForm)
	again := func(status int, errs []FieldError) {
		f := buildForm(l, m, act, r.PostForm, errs)
		render(w, status, "form", s.page(r, &who, &l, "Fel i formuläret: "+f.Title, "registrera", f))
	}
	if field, msg := refusal(l, m, e); msg != "" {
		again(http.StatusForbidden, []FieldError{{field, msg}})
		return
	}
	if len(errs) > 0 {
		again(http.StatusUnprocessableEntity, errs)
		return
	}
	loc := ""
	if k := r.PostForm.Get(onceField); k != "" {
		key := who.Key + "\x00" + who.Email + "\x00" + k
		prev, first := s.once.begin(key)
		if !first {
			http.Redirect(w, r, prev, http.StatusSeeOther)
			return
		}
		defer func() { s.once.end(key, loc) }()
	}
	wr, err := s.b.Record(r.Context(), who, []record.Entry{e})
	if fe, ok := invalidOf(err); ok {
		again(http.StatusUnprocessableEntity, fe)
		return
	}
	if c := (*Conflict)(nil); errors.As(err, &c) {
		again(http.StatusConflict, []FieldError{{"", "Posten kunde inte sparas: " + c.Message}})
		return
	}
	if err != nil {
		again(http.StatusInternalServerError, []FieldError{{"", "Posten kunde inte sparas: " + err.Error()}})
		return
	}
	q := url.Values{"commit": {wr.Commit}, "file": {wr.File}, "line": {strconv.Itoa(wr.Line)}, "date": {e.Date.String()}}
	if act.ID == promise.Assessment {
		q.Set("commitment", fieldValue(e, "commitment"))
	}
	loc = "/registrera/" + act.ID + "/klart?" + q.Encode()
	http.Redirect(w, r, loc, http.StatusSeeOther)
}
