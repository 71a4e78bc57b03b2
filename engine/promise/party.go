package promise

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lofte/lofte/engine/diag"
)

var partyKeys = []string{"name", "authors", "signers"}

// party decodes one party: `polisen: Namn`, or
// `polisen: {name: Namn, authors: ["*@polisen.se"], signers: rules/polisen.asc}`.
func (d *doc) party(f field, errs *diag.List) Party {
	pt := Party{ID: f.key, Pos: f.kpos}
	if f.value.Kind != yaml.MappingNode {
		pt.Name, _ = d.scalar(f.value, "parten "+f.key, errs)
		return pt
	}
	for _, g := range d.mapping(f.value, "parten "+f.key, partyKeys, errs) {
		switch g.key {
		case "name":
			pt.Name, _ = d.scalar(g.value, "name", errs)
		case "authors":
			pt.Authors = d.strings(g.value, "authors", errs)
			for _, a := range pt.Authors {
				if _, err := path.Match(strings.ToLower(a), ""); err != nil || !strings.Contains(a, "@") {
					errs.Add(d.pos(g.value), "skriv e-postadresser eller mönster, t.ex. [\"*@polisen.se\", namn@mullsjo.se]",
						"ogiltig författare %q för parten %s", a, f.key)
				}
			}
		case "signers":
			if s, ok := d.scalar(g.value, "signers", errs); ok {
				if !strings.HasPrefix(s, "rules/") || path.Clean(s) != s || strings.Contains(s, "..") {
					errs.Add(d.pos(g.value), "lägg nyckelfilen i rules/, t.ex. signers: rules/nycklar/polisen.asc",
						"signers ska vara en fil under rules/, inte %q", s)
					continue
				}
				pt.Signers = s
			}
		}
	}
	return pt
}

// trust decodes `trust: strict` (or `trust: open`, the default).
func (d *doc) trust(n *yaml.Node, errs *diag.List) bool {
	s, ok := d.scalar(n, "trust", errs)
	switch {
	case !ok:
		return false
	case s == "strict":
		return true
	case s != "open":
		errs.Add(d.pos(n), "skriv trust: strict, eller ta bort nyckeln", "okänt värde för trust: %q", s)
	}
	return false
}

// Restricted reports whether the party says who may record for it.
func (pt Party) Restricted() bool { return len(pt.Authors) > 0 || pt.Signers != "" }
