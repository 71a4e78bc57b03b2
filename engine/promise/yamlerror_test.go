package promise

import "testing"

// A syntax error is said in Swedish at the line where the file goes
// wrong, with the reader's English message kept in the hint.
func TestYAMLSyntaxErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		{"promise: p\ncommitments:\n  - id: a\n    area: b\n    owner polisen\n    text: x\n",
			"p.yaml:5:5: YAML-fel: kolon saknas efter nyckeln (skriv nyckel: värde; yaml: could not find expected ':')"},
		{"commitments:\n  - id: a\n   owner: polisen\n",
			"p.yaml:3:4: YAML-fel: här väntades ett listelement (-) (kontrollera indraget: raden ska ha samma indrag som listans - ovanför; yaml: did not find expected '-' indicator)"},
		{"promise: p\ntitle: a: b\n",
			"p.yaml:2:1: YAML-fel: kolon på fel ställe (ett värde som innehåller \": \" skrivs inom citattecken, och en nyckel börjar på en egen rad med samma indrag som de andra; yaml: mapping values are not allowed in this context)"},
		{"promise: p\nvalid: [2021, 2022\ncommitments: []\n",
			"p.yaml:2:1: YAML-fel: listan inom [ ] avslutas aldrig (skriv , mellan elementen och avsluta med ]; yaml: did not find expected ',' or ']')"},
		{"promise: p\ntitle: x\nid: *a\n",
			"p.yaml:3:1: YAML-fel: okänt ankare 'a' (ett ankare (&namn) måste stå före den första hänvisningen (*namn); yaml: unknown anchor 'a' referenced)"},
	}
	for _, tt := range tests {
		_, errs := ParsePromise("p.yaml", []byte(tt.src))
		if len(errs) != 1 || errs[0].Error() != tt.want {
			t.Errorf("ParsePromise(%q):\n got %v\nwant %s", tt.src, errs, tt.want)
		}
	}
}
