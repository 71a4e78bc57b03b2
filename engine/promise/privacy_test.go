package promise

import (
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/privacy"
)

// An identity number anywhere in a promise file (its title, a party, a
// commitment's text or a rule's string) is an error at the number, the
// value is masked, and a commitment holding one is left out
// (docs/reference.md §11).
func TestPromiseRefusesIDNumber(t *testing.T) {
	src := `promise: demo
title: "Löfte 19811218-9876"
parties:
  polisen: Polisen
valid: 2022
commitments:
  - id: a
    owner: polisen
    text: Minst åtta, anmälda av 811218–9876.
    rule: count(trafikkontroll) >= 8
  - id: b
    owner: polisen
    rule: count(trafikkontroll where plats == "１９８１１２１８－９８７６") >= 1
  - id: c
    owner: polisen
    text: Åtta kontroller.
    rule: count(trafikkontroll) >= 8
`
	p, errs := ParsePromise("rules/demo.yaml", []byte(src))
	var places []string
	for _, d := range errs {
		places = append(places, d.Pos.String())
		if !strings.Contains(d.Message, "personnummer") || privacy.ContainsIDNumber(d.Error()) {
			t.Errorf("message %q", d.Error())
		}
	}
	if got, want := strings.Join(places, " "), "rules/demo.yaml:2:15 rules/demo.yaml:9:34 rules/demo.yaml:13:48"; got != want {
		t.Errorf("errors at %s, want %s", got, want)
	}
	if p == nil || len(p.Commitments) != 1 || p.Commitments[0].ID != "c" {
		t.Fatalf("commitments %v, want c only", p.Commitments)
	}
	if p.Title != "Löfte XXXXXXXX-XXXX" {
		t.Errorf("title %q, want it masked", p.Title)
	}
}
