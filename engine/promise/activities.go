package promise

import (
	"regexp"

	"go.yaml.in/yaml/v3"

	"github.com/lofte/lofte/engine/diag"
)

// Files with a fixed role in rules/.
const (
	ActivitiesFile = "rules/activities.yaml"
	CalendarFile   = "rules/calendar.yaml"
)

var identRe = regexp.MustCompile(`^[\p{L}_][\p{L}\p{N}_]*$`)

var typeNames = []string{"string", "int", "number", "bool", "date", "enum", "list"}

// ParseVocabulary decodes rules/activities.yaml (docs/reference.md §3).
func ParseVocabulary(file string, src []byte) (*Vocabulary, diag.List) {
	var errs diag.List
	d := parseYAML(file, src, &errs)
	if d == nil || d.root == nil {
		if d != nil {
			errs.Add(diag.Pos{File: file, Line: 1, Col: 1}, "se README: Aktivitetstyper", "filen är tom: den ska ha nyckeln activities")
		}
		return NewVocabulary(nil), errs
	}
	var acts []*Activity
	for _, top := range d.mapping(d.root, file, []string{"activities"}, &errs) {
		for _, f := range d.mapping(top.value, "activities", nil, &errs) {
			if a := d.activity(f, &errs); a != nil {
				acts = append(acts, a)
			}
		}
	}
	return NewVocabulary(acts), errs
}

func (d *doc) activity(f field, errs *diag.List) *Activity {
	if !identRe.MatchString(f.key) {
		errs.Add(f.kpos, "använd bokstäver, siffror och _, t.ex. trafikkontroll", "ogiltigt namn på aktivitetstyp %q", f.key)
		return nil
	}
	if f.key == Assessment {
		errs.Add(f.kpos, "välj ett annat namn", "aktivitetstypen %q är reserverad för bedömningar", f.key)
		return nil
	}
	a := &Activity{ID: f.key, Title: f.key, Pos: f.kpos}
	if f.value.Kind == yaml.ScalarNode && f.value.Value == "" { // `hundsok:` with nothing
		return a
	}
	for _, g := range d.mapping(f.value, "aktivitetstypen "+f.key, []string{"title", "fields"}, errs) {
		switch g.key {
		case "title":
			if s, ok := d.scalar(g.value, "title", errs); ok {
				a.Title = s
			}
		case "fields":
			if g.value.Kind == yaml.ScalarNode && g.value.Value == "" {
				continue
			}
			for _, h := range d.mapping(g.value, "fields", nil, errs) {
				if fl := d.field(h, errs); fl != nil {
					a.Fields = append(a.Fields, fl)
				}
			}
		}
	}
	return a
}

func (d *doc) field(f field, errs *diag.List) *Field {
	switch {
	case !identRe.MatchString(f.key):
		errs.Add(f.kpos, "använd bokstäver, siffror och _, t.ex. riktad_mot", "ogiltigt fältnamn %q", f.key)
		return nil
	case f.key == FieldDate || f.key == FieldType || f.key == FieldBy:
		errs.Add(f.kpos, "date, type och by finns i alla poster och deklareras inte", "fältet %q är ett kärnfält", f.key)
		return nil
	}
	fl := &Field{Name: f.key, Pos: f.kpos}
	t, req, ok := d.fieldType(f.value, errs)
	if !ok {
		return nil
	}
	fl.Type, fl.Required = t, req
	return fl
}

// fieldType decodes `string`, `{enum: [...]}`, `{list: T}` or
// `{type: T, required: true}`.
func (d *doc) fieldType(n *yaml.Node, errs *diag.List) (t Type, required, ok bool) {
	if n.Kind == yaml.ScalarNode {
		for i, name := range typeNames[:5] {
			if n.Value == name {
				return Type{Kind: Kind(i)}, false, true
			}
		}
		errs.Add(d.pos(n), diag.DidYouMean(n.Value, typeNames), "okänd fälttyp %s: välj string, int, number, bool, date, {enum: [...]} eller {list: TYP}", kindOf(n))
		return t, false, false
	}
	ok = true
	set := false
	notPersonal := false
	defer func() {
		if notPersonal {
			t.NotPersonal = true
			if t.Elem != nil {
				t.Elem.NotPersonal = true
			}
		}
	}()
	for _, g := range d.mapping(n, "fälttypen", []string{"type", "enum", "list", "required", "personal"}, errs) {
		switch g.key {
		case "type":
			t, _, ok = d.fieldType(g.value, errs)
			set = true
		case "enum":
			vals := d.strings(g.value, "enum", errs)
			if len(vals) == 0 {
				errs.Add(g.kpos, "skriv t.ex. {enum: [civil, uniformerad]}", "enum behöver minst ett värde")
				ok = false
			}
			t, set = Type{Kind: Enum, Enum: vals}, true
		case "list":
			elem, _, eok := d.fieldType(g.value, errs)
			if elem.Kind == List {
				errs.Add(g.kpos, "", "en lista av listor stöds inte")
				eok = false
			}
			t, set, ok = Type{Kind: List, Elem: &elem}, true, ok && eok
		case "personal":
			if g.value.Value != "false" {
				errs.Add(d.pos(g.value), "", "personal kan bara vara false: det tillåter tal som liknar personnummer i fältet")
			}
			notPersonal = true
		case "required":
			required = g.value.Value == "true"
			if g.value.Value != "true" && g.value.Value != "false" {
				errs.Add(d.pos(g.value), "", "required ska vara true eller false")
			}
		}
	}
	if !set && ok {
		errs.Add(d.pos(n), "skriv t.ex. {type: string, required: true}", "fälttypen saknar type, enum eller list")
		ok = false
	}
	return t, required, ok
}
