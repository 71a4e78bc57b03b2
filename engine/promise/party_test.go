package promise

import (
	"reflect"
	"testing"
)

func TestParties(t *testing.T) {
	src := `promise: strikt
valid: 2022
trust: strict
parties:
  polisen:
    name: Polismyndigheten
    authors: ["*@polisen.se", Anna@Mullsjo.se]
    signers: rules/nycklar/polisen.asc
  kommunen: Mullsjö kommun
commitments:
  - id: a
    owner: [polisen, kommunen]
    rule: count(x) >= 1
`
	p, errs := ParsePromise("rules/strikt.yaml", []byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if !p.Strict {
		t.Error("trust: strict not read")
	}
	want := []Party{
		{ID: "polisen", Name: "Polismyndigheten", Authors: []string{"*@polisen.se", "Anna@Mullsjo.se"},
			Signers: "rules/nycklar/polisen.asc", Pos: p.Parties[0].Pos},
		{ID: "kommunen", Name: "Mullsjö kommun", Pos: p.Parties[1].Pos},
	}
	if !reflect.DeepEqual(p.Parties, want) {
		t.Errorf("parties %+v\nwant %+v", p.Parties, want)
	}
	if p.Parties[0].Pos.Line != 5 || !p.Parties[0].Restricted() || p.Parties[1].Restricted() {
		t.Errorf("%+v", p.Parties)
	}
	p, errs = ParsePromise("rules/open.yaml", []byte("promise: o\nvalid: 2022\ntrust: open\ncommitments: []\n"))
	if len(errs) > 0 || p.Strict {
		t.Errorf("trust: open: %v %v", errs, p.Strict)
	}
}
