package repository_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/repository"
)

// TestNoPromiseHint: the hint of "inget löfte gäller" says which years
// the promises govern (the latest five when there are more), or why there
// is none, and the catalog puts every piece of it into English.
func TestNoPromiseHint(t *testing.T) {
	promises := func(n int) map[string]string {
		files := map[string]string{"rules/activities.yaml": "activities:\n  k:\n    fields: {}\n"}
		for i := range n {
			files[fmt.Sprintf("rules/p%d.yaml", i+1)] = fmt.Sprintf("promise: p%d\nparties: {polisen: Polisen}\nvalid: %d\ncommitments:\n  - id: k\n    owner: polisen\n    rule: count(k) >= 1\n", i+1, 2010+i)
		}
		return files
	}
	broken := "promise: x\nparties: {polisen: Polisen\n"
	tests := []struct {
		name   string
		files  map[string]string
		sv, en string
	}{
		{"one", promises(1), "p1 gäller 2010", "p1 governs 2010"},
		{"five", promises(5), "p1 gäller 2010, p2 gäller 2011, p3 gäller 2012, p4 gäller 2013, p5 gäller 2014",
			"p1 governs 2010, p2 governs 2011, p3 governs 2012, p4 governs 2013, p5 governs 2014"},
		{"six", promises(6), "p2 gäller 2011, p3 gäller 2012, p4 gäller 2013, p5 gäller 2014, p6 gäller 2015 och ett löfte till",
			"p2 governs 2011, p3 governs 2012, p4 governs 2013, p5 governs 2014, p6 governs 2015 and one more promise"},
		{"nine", promises(9), "p5 gäller 2014, p6 gäller 2015, p7 gäller 2016, p8 gäller 2017, p9 gäller 2018 och 4 löften till",
			"p5 governs 2014, p6 governs 2015, p7 governs 2016, p8 governs 2017, p9 governs 2018 and 4 more promises"},
		{"none", promises(0), "inga löften hittades i rules/; ett nytt förråd med exempel skapas med lofte init",
			"no promises were found in rules/; lofte init makes a new repository with an example"},
		{"unreadable", map[string]string{"rules/activities.yaml": "activities: {}\n", "rules/x.yaml": broken},
			"löftesfilen rules/x.yaml kunde inte läsas: rätta felet i den",
			"the promise file rules/x.yaml could not be read: correct the error in it"},
		{"unreadables", map[string]string{"rules/activities.yaml": "activities: {}\n", "rules/x.yaml": broken, "rules/y.yaml": broken},
			"löftesfilerna rules/x.yaml, rules/y.yaml kunde inte läsas: rätta felen i dem",
			"the promise files rules/x.yaml, rules/y.yaml could not be read: correct the errors in them"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := repository.Load(snapshot(tt.files))
			rep := r.Evaluate(calendar.Period{First: 2030, Last: 2030}, calendar.NewDate(2030, 5, 1))
			var hint string
			for _, d := range rep.Diags {
				if d.Message == "inget löfte gäller 2030" {
					hint = d.Hint
				}
			}
			if hint != tt.sv {
				t.Errorf("hint = %q, want %q", hint, tt.sv)
			}
			if got := diag.Translate("en", hint); got != tt.en {
				t.Errorf("in English = %q, want %q", got, tt.en)
			}
			if d := rep.Diags[len(rep.Diags)-1].In("en"); !strings.HasPrefix(d.Message, "no promise is in force in 2030") {
				t.Errorf("message in English = %q", d.Message)
			}
		})
	}
}
