package promise

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/privacy"
)

// doc is one parsed YAML file: its root node and the lines of its source,
// kept to map positions inside scalars (rule text) back onto the file.
type doc struct {
	file   string
	root   *yaml.Node
	lines  [][]rune
	masked map[*yaml.Node]bool // scalars that held an identity number
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML parses src; a syntax error becomes a diagnostic with its line.
func parseYAML(file string, src []byte, errs *diag.List) *doc {
	if !utf8.Valid(src) {
		errs.Add(diag.Pos{File: file, Line: 1, Col: 1}, "spara filen som UTF-8", "filen är inte giltig UTF-8")
		return nil
	}
	if bytes.IndexByte(src, 0) >= 0 {
		errs.Add(diag.Pos{File: file, Line: 1, Col: 1}, "", "filen innehåller NUL-tecken: det är inte en textfil")
		return nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		*errs = append(*errs, yamlSyntax(file, src, err))
		return nil
	}
	d := &doc{file: file}
	for _, l := range strings.Split(string(src), "\n") {
		d.lines = append(d.lines, []rune(strings.TrimSuffix(l, "\r")))
	}
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		d.root = root.Content[0]
	}
	d.refuseIDNumbers(d.root, errs)
	return d
}

// refuseIDNumbers reports every scalar (a value or a key) that holds an
// identity number, with the place of the number, and masks it where it
// stands, so that nothing read from the file repeats it: titles, texts
// and rules are published in every report (docs/reference.md §11).
func (d *doc) refuseIDNumbers(n *yaml.Node, errs *diag.List) {
	if n == nil || n.Kind == yaml.AliasNode { // an alias's node is walked where it is defined
		return
	}
	if n.Kind == yaml.ScalarNode {
		if i := privacy.Index(n.Value); i >= 0 {
			errs.Add(d.text(n).Pos(utf8.RuneCountInString(n.Value[:i])),
				"det som står i rules/ publiceras i varje rapport och får aldrig innehålla uppgifter om personer",
				"värdet ser ut att innehålla ett personnummer eller samordningsnummer")
			n.Value = privacy.Mask(n.Value)
			if d.masked == nil {
				d.masked = map[*yaml.Node]bool{}
			}
			d.masked[n] = true
		}
		return
	}
	for _, c := range n.Content {
		d.refuseIDNumbers(c, errs)
	}
}

// holdsMasked reports whether n or a node inside it held an identity
// number.
func (d *doc) holdsMasked(n *yaml.Node) bool {
	if len(d.masked) == 0 || n == nil {
		return false
	}
	if n.Kind == yaml.AliasNode {
		return d.masked[n.Alias]
	}
	if d.masked[n] {
		return true
	}
	for _, c := range n.Content {
		if d.holdsMasked(c) {
			return true
		}
	}
	return false
}

func (d *doc) pos(n *yaml.Node) diag.Pos {
	return diag.Pos{File: d.file, Line: n.Line, Col: n.Column}
}

// field is one key of a mapping with its value.
type field struct {
	key   string
	kpos  diag.Pos
	value *yaml.Node
}

// mapping returns the keys of a mapping node in order, reporting
// duplicate keys and keys not in allowed (with a suggestion).
func (d *doc) mapping(n *yaml.Node, what string, allowed []string, errs *diag.List) []field {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		errs.Add(d.pos(n), "", "%s ska vara en samling nyckel: värde", what)
		return nil
	}
	seen := map[string]bool{}
	var out []field
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		kp := d.pos(k)
		if seen[k.Value] {
			errs.Add(kp, "", "nyckeln %q står två gånger i %s", k.Value, what)
			continue
		}
		seen[k.Value] = true
		if allowed != nil && !slices.Contains(allowed, k.Value) {
			errs.Add(kp, diag.DidYouMean(k.Value, allowed), "okänd nyckel %q i %s", k.Value, what)
			continue
		}
		out = append(out, field{key: k.Value, kpos: kp, value: v})
	}
	return out
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// scalar returns the text of a scalar node, or reports what it should be.
func (d *doc) scalar(n *yaml.Node, what string, errs *diag.List) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		errs.Add(d.pos(n), "", "%s ska vara ett enkelt värde, inte en lista eller samling", what)
		return "", false
	}
	return n.Value, true
}

// strings returns a scalar or a list of scalars as a list.
func (d *doc) strings(n *yaml.Node, what string, errs *diag.List) []string {
	switch n.Kind {
	case yaml.ScalarNode:
		return []string{n.Value}
	case yaml.SequenceNode:
		var out []string
		for _, c := range n.Content {
			if s, ok := d.scalar(resolve(c), what, errs); ok {
				out = append(out, s)
			}
		}
		return out
	}
	errs.Add(d.pos(n), "", "%s ska vara ett värde eller en lista", what)
	return nil
}

// Text is a scalar's value together with the place of each of its
// characters in the file, so that an offset in the value (as reported by
// the rule compiler) can be shown where the user wrote it, also inside
// `|` and `>` blocks and quoted strings.
type Text struct {
	Value string
	at    []diag.Pos // one per rune of Value, plus one past the end
}

// Pos returns the place in the file of the rune at offset i of Value.
func (t Text) Pos(i int) diag.Pos {
	switch {
	case len(t.at) == 0:
		return diag.Pos{}
	case i < 0:
		i = 0
	case i >= len(t.at):
		i = len(t.at) - 1
	}
	return t.at[i]
}

// text locates the runes of a scalar node in the source. It walks the
// value and the source together: a rune of the value is found at the next
// equal rune of the source; a folded line break or a space matches the end
// of a source line. What cannot be matched (escapes) keeps the last place.
func (d *doc) text(n *yaml.Node) Text {
	val := []rune(n.Value)
	t := Text{Value: n.Value, at: make([]diag.Pos, 0, len(val)+1)}
	line, col := n.Line-1, n.Column-1 // 0-based cursor in d.lines
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		line, col = n.Line, 0 // content starts on the next line
	} else if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		col++ // past the opening quote
	}
	block := n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0
	indent := -1 // a block's indentation: only that much is skipped on each line
	if block {
		for l := line; l < len(d.lines) && indent < 0; l++ {
			if t := strings.TrimLeft(string(d.lines[l]), " "); t != "" {
				indent = len(d.lines[l]) - len([]rune(t))
			}
		}
	}
	skipBlank := func() {
		for i := 0; line < len(d.lines) && col < len(d.lines[line]) && (indent < 0 || i < indent); i++ {
			if r := d.lines[line][col]; r != ' ' && r != '\t' {
				break
			}
			col++
		}
	}
	if block || line > n.Line-1 {
		skipBlank()
	}
	last := diag.Pos{File: d.file, Line: line + 1, Col: col + 1}
	for _, r := range val {
		found := false
		for tries := 0; line < len(d.lines) && tries < 4096; tries++ {
			if col >= len(d.lines[line]) { // end of a source line
				if r == '\n' || r == ' ' {
					last = diag.Pos{File: d.file, Line: line + 1, Col: col + 1}
					line, col = line+1, 0
					skipBlank()
					found = true
					break
				}
				line, col = line+1, 0
				skipBlank()
				continue
			}
			if d.lines[line][col] == r {
				last = diag.Pos{File: d.file, Line: line + 1, Col: col + 1}
				col++
				found = true
				break
			}
			col++
		}
		if !found {
			line, col = n.Line-1, n.Column-1 // give up matching: keep last
		}
		t.at = append(t.at, last)
	}
	t.at = append(t.at, diag.Pos{File: d.file, Line: last.Line, Col: last.Col + 1})
	return t
}

func kindOf(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "en samling"
	case yaml.SequenceNode:
		return "en lista"
	}
	return fmt.Sprintf("%q", n.Value)
}
