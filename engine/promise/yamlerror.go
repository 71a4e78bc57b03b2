package promise

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lofte/lofte/engine/diag"
)

// yamlSyntax turns a syntax error of the YAML reader into a diagnostic in
// Swedish at the line where the file goes wrong (docs/design.md, "YAML
// syntax errors"). The reader's own line is that of the construct the
// error was found in, and is at times one off: the line given is the
// first one after which the file, cut there, fails with the same error.
// The reader's English message is kept in the hint.
func yamlSyntax(file string, src []byte, err error) *diag.Diagnostic {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	lines := strings.SplitAfter(string(src), "\n")
	if l := failingLine(lines, msg, line); l > 0 {
		line = l
	}
	pos := diag.Pos{File: file, Line: max(line, 1), Col: 1}
	if pos.Line <= len(lines) {
		text := []rune(lines[pos.Line-1])
		for pos.Col <= len(text) && (text[pos.Col-1] == ' ' || text[pos.Col-1] == '\t') {
			pos.Col++
		}
	}
	sv, hint := translateYAML(msg)
	if hint != "" {
		hint += "; "
	}
	return &diag.Diagnostic{Pos: pos, Severity: diag.Error, Message: "YAML-fel: " + sv, Hint: hint + "yaml: " + msg}
}

// maxScanLines bounds the files whose every line is tried when the
// reader's line is not near the one that fails.
const maxScanLines = 2000

// failingLine returns the first line l (from 1) such that lines[:l] fails
// to parse with the message msg, or 0. The lines around near, the reader's
// own line, are tried first.
func failingLine(lines []string, msg string, near int) int {
	fails := func(l int) bool {
		if l < 1 || l > len(lines) {
			return false
		}
		var n yaml.Node
		err := yaml.Unmarshal([]byte(strings.Join(lines[:l], "")), &n)
		if err == nil {
			return false
		}
		m := strings.TrimPrefix(err.Error(), "yaml: ")
		if s := yamlLine.FindStringSubmatch(err.Error()); s != nil {
			m = s[2]
		}
		return m == msg
	}
	if near > 0 {
		for l := max(near-1, 1); l <= near+2; l++ {
			if fails(l) && !fails(l-1) {
				return l
			}
		}
	}
	if len(lines) > maxScanLines {
		return 0
	}
	for l := 1; l <= len(lines); l++ {
		if fails(l) {
			return l
		}
	}
	return 0
}

// yamlMessages are the reader's syntax errors in Swedish, with a hint.
var yamlMessages = []struct{ en, sv, hint string }{
	{"could not find expected ':'", "kolon saknas efter nyckeln", "skriv nyckel: värde"},
	{"mapping values are not allowed in this context", "kolon på fel ställe",
		"ett värde som innehåller \": \" skrivs inom citattecken, och en nyckel börjar på en egen rad med samma indrag som de andra"},
	{"did not find expected key", "här väntades en nyckel", "kontrollera indraget: raden ska ha samma indrag som nycklarna ovanför"},
	{"did not find expected '-' indicator", "här väntades ett listelement (-)", "kontrollera indraget: raden ska ha samma indrag som listans - ovanför"},
	{"did not find expected ',' or ']'", "listan inom [ ] avslutas aldrig", "skriv , mellan elementen och avsluta med ]"},
	{"did not find expected ',' or '}'", "samlingen inom { } avslutas aldrig", "skriv , mellan fälten och avsluta med }"},
	{"did not find expected node content", "här väntades ett värde", ""},
	{"found unexpected end of stream", "filen tar slut mitt i ett värde", "avsluta citattecknet"},
	{"found a tab character that violates indentation", "tabbtecken i indraget", "dra in med mellanslag"},
	{"found character that cannot start any token", "tecknet kan inte inleda ett värde",
		"dra in med mellanslag, inte tabb; ett värde som börjar med @ eller ` skrivs inom citattecken"},
	{"found unknown escape character", "okänd teckenkod efter \\ inom \"…\"", "skriv \\\\ för \\ eller använd '…'"},
	{"block sequence entries are not allowed in this context", "ett listelement (-) kan inte stå här", "kontrollera indraget"},
	{"found unexpected ':'", "kolon på fel ställe", "ett värde som innehåller : skrivs inom citattecken"},
}

// translateYAML returns the reader's message msg in Swedish and a hint.
func translateYAML(msg string) (sv, hint string) {
	for _, m := range yamlMessages {
		if msg == m.en {
			return m.sv, m.hint
		}
	}
	if name, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
		return "okänt ankare '" + strings.TrimSuffix(name, " referenced"), "ett ankare (&namn) måste stå före den första hänvisningen (*namn)"
	}
	return "filen kan inte läsas som YAML", "kontrollera indrag och kolon på raden"
}

// YAMLSyntax is the diagnostic of a syntax error err of the YAML reader in
// file (with source src), in Swedish, at the line where the file goes
// wrong, for other YAML files under rules/ (the rule tests).
func YAMLSyntax(file string, src []byte, err error) *diag.Diagnostic {
	return yamlSyntax(file, src, err)
}
