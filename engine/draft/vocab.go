package draft

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lofte/lofte/engine/promise"
)

// suggest reads a rule for every commitment: from the first sentence (or
// a table's frequency cell) a count can be read from; else the commitment
// is assessed by hand.
func (d *Draft) suggest() {
	for _, c := range d.Commitments {
		joint := len(c.Owner) == 2
		parts := sentences(c.Text)
		if c.extra != "" {
			parts = append(parts, c.extra)
		}
		for _, s := range parts {
			if sg, ok := readRule(s, c.Text, joint); ok {
				if !sg.joint && c.jointBy != "" {
					sg.joint = true
					sg.notes = append(sg.notes, fmt.Sprintf("%q: båda parterna ska stå i by", c.jointBy))
				}
				c.act = &sg
				break
			}
		}
		if c.act != nil {
			if m := partOfYearRe.FindStringSubmatch(strings.ToLower(c.Text)); m != nil {
				if c.act.window != "" || c.act.recurring {
					// "varje helg under sommarlovet": a rule per week
					// would want a record every week of the year
					c.Manual, c.Sure = true, High
					c.Notes = append(c.Notes, fmt.Sprintf("%s, men bara %q: en regel för hela året vore fel; skriv en regel för perioden eller bedöm för hand med en assessment-post",
						c.act.notes[0], m[1]))
					c.act = nil
					continue
				}
				c.act.sure = min(c.act.sure, Medium)
				c.act.notes = append(c.act.notes, fmt.Sprintf("%q: antalet räknas på hela året", m[1]))
			}
		}
		if c.act == nil {
			c.Manual = true
			c.Sure = High
			c.Notes = append(c.Notes, manualNote(c.Text))
		}
	}
}

// manualNote says why a commitment is assessed by hand.
func manualNote(text string) string {
	s := strings.ToLower(text)
	for _, re := range manualWords {
		if m := re.FindStringSubmatch(s); m != nil {
			return fmt.Sprintf("inget antal att räkna (%q): bedöms för hand med en assessment-post", m[1])
		}
	}
	return "inget antal att räkna: bedöms för hand med en assessment-post"
}

// vocabulary writes each rule and proposes the activity types it needs.
// A type the repository already has is used as it is: a condition on a
// field it lacks is left out of the rule, with a comment.
func (d *Draft) vocabulary(v *promise.Vocabulary) {
	for _, c := range d.Commitments {
		sg := c.act
		if sg == nil {
			continue
		}
		if sg.act.id == promise.Assessment {
			sg.act.id = "assessment_aktivitet"
		}
		if id := sg.act.id; id != "" && id[0] >= '0' && id[0] <= '9' {
			sg.act.id = "a_" + id
		}
		var have *promise.Activity
		if v != nil {
			have = v.Activity(sg.act.id)
		}
		if have != nil {
			d.fit(sg, have)
			sg.notes = append(sg.notes, fmt.Sprintf("aktivitetstypen %s finns redan i activities.yaml och används som den är", sg.act.id))
		} else {
			d.propose(sg)
		}
		c.Rule = sg.rule()
		c.Sure = sg.sure
		c.Notes = append(c.Notes, sg.notes...)
	}
}

// fit drops the conditions an existing activity type cannot hold.
func (d *Draft) fit(sg *suggestion, a *promise.Activity) {
	var kept []qualifier
	for _, q := range sg.filters {
		f := a.Field(q.field)
		ok := f != nil && (q.kind == "bool" && f.Type.Kind == promise.Bool ||
			q.kind == "enum" && f.Type.Kind == promise.Enum && slices.Contains(f.Type.Enum, q.value))
		if ok {
			kept = append(kept, q)
			continue
		}
		sg.sure = min(sg.sure, Medium)
		sg.notes = append(sg.notes, fmt.Sprintf("villkoret %s är utelämnat: %s i activities.yaml har inget sådant fält; lägg till det om regeln ska räkna det", q.expr(), a.ID))
	}
	sg.filters = kept
	if sg.per != nil {
		f := a.Field(sg.per.field)
		if f == nil || f.Type.Kind != promise.Enum {
			sg.notes = append(sg.notes, fmt.Sprintf("per %s är utelämnat: %s i activities.yaml har inget enum-fält %s", sg.per.field, a.ID, sg.per.field))
			sg.per = nil
			sg.sure = min(sg.sure, Medium)
		}
	}
}

// propose adds the activity type and the fields the suggestion uses.
func (d *Draft) propose(sg *suggestion) {
	var a *Activity
	for _, x := range d.Activities {
		if x.ID == sg.act.id {
			a = x
		}
	}
	if a == nil {
		a = &Activity{ID: sg.act.id, Title: sg.act.title}
		d.Activities = append(d.Activities, a)
	}
	for _, q := range sg.filters {
		a.field(q.field, q.kind, q.values)
	}
	if sg.per != nil {
		a.field(sg.per.field, "enum", sg.per.values)
	}
}

// field adds a field, or the values an enum field lacks. The tables of
// swedish.go give a field name one kind.
func (a *Activity) field(name, kind string, values []string) {
	for i := range a.Fields {
		f := &a.Fields[i]
		if f.Name != name {
			continue
		}
		for _, v := range values {
			if !slices.Contains(f.Values, v) {
				f.Values = append(f.Values, v)
			}
		}
		return
	}
	a.Fields = append(a.Fields, Field{Name: name, Kind: kind, Values: slices.Clone(values)})
}
