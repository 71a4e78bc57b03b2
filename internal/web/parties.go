package web

import (
	"slices"
	"strings"

	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/trust"
	"github.com/lofte/lofte/internal/auth"
)

// membership is what a signed-in person may write for: the parties whose
// authors patterns match their e-mail (docs/reference.md §2, §12).
type membership struct {
	ids   []string          // their party ids, in the order of the promises
	names map[string]string // every party id → its name
	// joint lists the `by` values they may give: each of their parties,
	// and each together with the other parties of a promise.
	joint [][]string
}

// membershipOf computes the parties of who from the promises. A party
// without authors has no members.
func membershipOf(ps []*promise.Promise, who auth.Person) membership {
	m := membership{names: map[string]string{}}
	for _, p := range ps {
		for _, pt := range p.Parties {
			if _, ok := m.names[pt.ID]; !ok || m.names[pt.ID] == pt.ID {
				m.names[pt.ID] = cmpOr(pt.Name, pt.ID)
			}
			if len(pt.Authors) > 0 && who.Email != "" && trust.Matches(pt.Authors, who.Email) && !slices.Contains(m.ids, pt.ID) {
				m.ids = append(m.ids, pt.ID)
			}
		}
	}
	add := func(by []string) {
		if !slices.ContainsFunc(m.joint, func(b []string) bool { return slices.Equal(b, by) }) {
			m.joint = append(m.joint, by)
		}
	}
	for _, id := range m.ids {
		add([]string{id})
	}
	for _, p := range ps {
		ids := p.PartyIDs()
		if len(ids) < 2 || !slices.ContainsFunc(ids, m.has) {
			continue
		}
		for _, id := range m.ids {
			for _, other := range ids {
				if other != id && slices.Contains(ids, id) {
					add(inOrder(ids, id, other))
				}
			}
		}
		if len(ids) > 2 {
			add(ids)
		}
	}
	return m
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// inOrder returns a and b in the order of ids.
func inOrder(ids []string, a, b string) []string {
	if slices.Index(ids, a) > slices.Index(ids, b) {
		a, b = b, a
	}
	return []string{a, b}
}

func (m membership) has(id string) bool { return slices.Contains(m.ids, id) }

// anyOf reports whether one of ids is theirs.
func (m membership) anyOf(ids []string) bool { return slices.ContainsFunc(ids, m.has) }

// label is a `by` value for people: "Polismyndigheten + Mullsjö kommun".
func (m membership) label(by []string) string {
	names := make([]string, len(by))
	for i, id := range by {
		names[i] = cmpOr(m.names[id], id)
	}
	return strings.Join(names, " + ")
}

// owns reports whether one of their parties owns c.
func (m membership) owns(c *promise.Commitment) bool { return m.anyOf(c.Owner) }

// commitment finds the commitment id among the promises (the first with
// that id); nil when there is none.
func commitments(ps []*promise.Promise, id string) []*promise.Commitment {
	var out []*promise.Commitment
	for _, p := range ps {
		for _, c := range p.Commitments {
			if c.ID == id {
				out = append(out, c)
			}
		}
	}
	return out
}
