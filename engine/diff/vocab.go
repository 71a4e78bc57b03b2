package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
)

// vocabulary compares the activity types of the two sides.
func (c *differ) vocabulary() {
	va, vb := c.a.Repo.Vocab, c.b.Repo.Vocab
	for _, b := range vb.Activities {
		if b.ID == promise.Assessment {
			continue
		}
		a := va.Activity(b.ID)
		if a == nil {
			c.add(Change{Kind: Added, What: "activity", New: b.ID, Text: fmt.Sprintf("ny aktivitetstyp %s (%s)", b.ID, b.Title)})
			continue
		}
		if a.Title != b.Title {
			c.add(Change{Kind: Changed, What: "activity", Old: a.Title, New: b.Title,
				Text: fmt.Sprintf("aktivitetstypen %s heter nu ”%s” (var ”%s”)", b.ID, b.Title, a.Title)})
		}
		c.fields(a, b)
	}
	for _, a := range va.Activities {
		if a.ID != promise.Assessment && vb.Activity(a.ID) == nil {
			c.add(Change{Kind: Removed, What: "activity", Old: a.ID, Text: fmt.Sprintf("aktivitetstypen %s tas bort", a.ID)})
		}
	}
}

func (c *differ) fields(a, b *promise.Activity) {
	for _, fb := range b.Fields {
		fa := a.Field(fb.Name)
		switch {
		case fa == nil:
			c.add(Change{Kind: Added, What: "field", New: b.ID + "." + fb.Name,
				Text: fmt.Sprintf("%s får fältet %s (%s)", b.ID, fb.Name, typeText(fb))})
		case typeText(fa) != typeText(fb):
			c.add(Change{Kind: Changed, What: "field", Old: typeText(fa), New: typeText(fb),
				Text: fmt.Sprintf("fältet %s.%s ändras från %s till %s", b.ID, fb.Name, typeText(fa), typeText(fb))})
		}
	}
	for _, fa := range a.Fields {
		if b.Field(fa.Name) == nil {
			c.add(Change{Kind: Removed, What: "field", Old: a.ID + "." + fa.Name, Text: fmt.Sprintf("fältet %s.%s tas bort", a.ID, fa.Name)})
		}
	}
}

func typeText(f *promise.Field) string {
	s := f.Type.String()
	if f.Type.Kind == promise.Enum {
		s = "enum [" + strings.Join(f.Type.Enum, ", ") + "]"
	}
	if f.Required {
		s += ", krävs"
	}
	return s
}

// calendar compares the school terms of the years the promises govern.
func (c *differ) calendar() {
	var years []int
	for _, ps := range [][]*promise.Promise{c.a.Promises, c.b.Promises} {
		for _, p := range ps {
			for _, y := range p.Valid.Years() {
				if !slices.Contains(years, y) {
					years = append(years, y)
				}
			}
		}
	}
	slices.Sort(years)
	ca, cb := c.a.Repo.Calendar, c.b.Repo.Calendar
	for _, y := range years {
		wa, wb := ca.Windows(calendar.Term, y), cb.Windows(calendar.Term, y)
		da, db := ca.DefaultTerms(y), cb.DefaultTerms(y)
		for i := range wb {
			if wa[i].Start == wb[i].Start && wa[i].End == wb[i].End {
				continue
			}
			old, new := termText(wa[i], slices.Contains(da, wa[i].Name)), termText(wb[i], slices.Contains(db, wb[i].Name))
			c.add(Change{Kind: Changed, What: "term", Old: old, New: new,
				Text: fmt.Sprintf("terminen %s: %s i stället för %s", wb[i].Name, new, old)})
		}
	}
}

func termText(w calendar.Window, def bool) string {
	s := fmt.Sprintf("%s..%s", w.Start, w.End)
	if def {
		s += " (standard)"
	}
	return s
}
