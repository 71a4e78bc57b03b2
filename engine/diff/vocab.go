package diff

import (
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
			c.add(Change{Kind: Added, What: "activity", New: b.ID}, say("ny aktivitetstyp %s (%s)", "new activity type %s (%s)", b.ID, b.Title))
			continue
		}
		if a.Title != b.Title {
			c.add(Change{Kind: Changed, What: "activity", Old: a.Title, New: b.Title},
				say("aktivitetstypen %s heter nu ”%s” (var ”%s”)", "activity type %s is now called “%s” (was “%s”)", b.ID, b.Title, a.Title))
		}
		c.fields(a, b)
	}
	for _, a := range va.Activities {
		if a.ID != promise.Assessment && vb.Activity(a.ID) == nil {
			c.add(Change{Kind: Removed, What: "activity", Old: a.ID}, say("aktivitetstypen %s tas bort", "activity type %s is removed", a.ID))
		}
	}
}

func (c *differ) fields(a, b *promise.Activity) {
	for _, fb := range b.Fields {
		fa := a.Field(fb.Name)
		switch {
		case fa == nil:
			c.add(Change{Kind: Added, What: "field", New: b.ID + "." + fb.Name},
				say("%s får fältet %s (%s)", "%s gets the field %s (%s)", b.ID, fb.Name, typeText(fb)))
		case typeText(fa) != typeText(fb):
			c.add(Change{Kind: Changed, What: "field", Old: typeText(fa)[0], New: typeText(fb)[0]},
				say("fältet %s.%s ändras från %s till %s", "field %s.%s changes from %s to %s", b.ID, fb.Name, typeText(fa), typeText(fb)))
		}
	}
	for _, fa := range a.Fields {
		if b.Field(fa.Name) == nil {
			c.add(Change{Kind: Removed, What: "field", Old: a.ID + "." + fa.Name}, say("fältet %s.%s tas bort", "field %s.%s is removed", a.ID, fa.Name))
		}
	}
}

func typeText(f *promise.Field) bi {
	s := same(f.Type.String())
	if f.Type.Kind == promise.Enum {
		s = same("enum [" + strings.Join(f.Type.Enum, ", ") + "]")
	}
	if f.Required {
		s = say("%s, krävs", "%s, required", s)
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
			c.add(Change{Kind: Changed, What: "term", Old: old[0], New: new[0]},
				say("terminen %s: %s i stället för %s", "term %s: %s instead of %s", wb[i].Name, new, old))
		}
	}
}

func termText(w calendar.Window, def bool) bi {
	s := say("%s..%s", "%s..%s", w.Start, w.End)
	if def {
		s = say("%s (standard)", "%s (default)", s)
	}
	return s
}
