package record

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/lofte/lofte/engine/diag"
	yaml "go.yaml.in/yaml/v3"
)

// maxDepth bounds the nesting of YAML and JSON values (and YAML alias
// chains): records are flat, and a cycle of aliases must end.
const maxDepth = 64

func (c *checker) yamlFile(data []byte) []Record {
	docs, err := decodeYAML(data)
	if err != nil {
		c.yamlError(data, err)
		return nil
	}
	// An alias costs a few bytes and may stand for a large value: the
	// budget keeps "billion laughs" files from exhausting memory.
	conv := yamlConverter{c: c, budget: 4*len(data) + 1024}
	var roots []*node
	for _, doc := range docs {
		root, ok := conv.node(doc, 0)
		if !ok {
			return nil
		}
		roots = append(roots, root)
	}
	var recs []Record
	for _, root := range roots {
		recs = c.records(root, recs)
	}
	return recs
}

// decodeYAML returns the root node of each document of the stream.
func decodeYAML(data []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var roots []*yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return roots, nil
		}
		if err != nil {
			return nil, err
		}
		if len(doc.Content) > 0 {
			roots = append(roots, doc.Content[0])
		}
	}
}

type yamlConverter struct {
	c      *checker
	budget int // nodes left to convert
}

func (y *yamlConverter) pos(n *yaml.Node) diag.Pos {
	return diag.Pos{File: y.c.file, Line: n.Line, Col: n.Column}
}

// node converts n, following aliases and merge keys. It reports false
// after a file-level problem.
func (y *yamlConverter) node(n *yaml.Node, depth int) (*node, bool) {
	if y.budget--; y.budget < 0 {
		y.c.errorf(y.pos(n), "skriv ut värdena i stället för att upprepa alias i flera led",
			"YAML-filens alias blir för många värden")
		return nil, false
	}
	if depth > maxDepth {
		y.c.errorf(y.pos(n), "", "YAML-filen är för djupt nästlad (eller har ett alias som pekar på sig självt)")
		return nil, false
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return &node{kind: nullNode, pos: y.pos(n)}, true
		}
		v, ok := y.node(n.Alias, depth+1)
		if ok {
			// Report a bad value where the alias is used.
			cp := *v
			cp.pos = y.pos(n)
			v = &cp
		}
		return v, ok
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return &node{kind: nullNode, pos: y.pos(n)}, true
		}
		return &node{kind: scalarNode, text: n.Value, pos: y.pos(n)}, true
	case yaml.SequenceNode:
		out := &node{kind: listNode, pos: y.pos(n), items: make([]*node, len(n.Content))}
		for i, it := range n.Content {
			v, ok := y.node(it, depth+1)
			if !ok {
				return nil, false
			}
			out.items[i] = v
		}
		return out, true
	case yaml.MappingNode:
		return y.mapping(n, depth)
	}
	return &node{kind: nullNode, pos: y.pos(n)}, true
}

func (y *yamlConverter) mapping(n *yaml.Node, depth int) (*node, bool) {
	out := &node{kind: mapNode, pos: y.pos(n)}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		key := ""
		if k.Kind == yaml.ScalarNode {
			key = k.Value
		}
		val, ok := y.node(v, depth+1)
		if !ok {
			return nil, false
		}
		out.fields = append(out.fields, field{key: key, keyPos: y.pos(k), val: val})
	}
	// Fields written out win over merged ones, earlier merges over
	// later ones.
	for _, m := range merges {
		src, ok := y.node(m, depth+1)
		if !ok {
			return nil, false
		}
		srcs := []*node{src}
		if src.kind == listNode {
			srcs = src.items
		}
		for _, s := range srcs {
			if s.kind != mapNode {
				y.c.errorf(s.pos, "", "<< ska följas av en mappning eller en lista med mappningar")
				out.bad = true
				continue
			}
			for _, f := range s.fields {
				if len(out.fields) <= maxFields && firstIndex(out.fields, f.key) < 0 {
					out.fields = append(out.fields, f)
				}
			}
		}
	}
	return out, true
}

// yamlError reports a syntax error: the file's records are left out.
func (c *checker) yamlError(data []byte, err error) {
	line, msg := splitYAMLError(err)
	line = yamlErrorLine(data, line, msg)
	sv, hint := translateYAML(msg)
	c.errorf(diag.Pos{File: c.file, Line: line}, hint, "ogiltig YAML: %s", sv)
}

// splitYAMLError takes "yaml: line 3: did not find expected key" apart.
func splitYAMLError(err error) (line int, msg string) {
	msg = strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				return n, rest[i+2:]
			}
		}
	}
	return 0, msg
}

// yamlErrorLine finds the line of a syntax error. The parser names the
// line where the enclosing construct starts, counted from 0 for some
// errors and not at all on the first line, so that line is only a lower
// bound: the error is on the first line from there whose prefix of the
// file fails to parse with the same message, found by bisection.
func yamlErrorLine(data []byte, reported int, msg string) int {
	ends := lineEnds(data)
	lo, hi := max(1, reported), len(ends)
	if lo >= hi {
		return max(1, min(reported, hi))
	}
	fails := func(k int) bool {
		_, err := decodeYAML(data[:ends[k-1]])
		if err == nil {
			return false
		}
		_, m := splitYAMLError(err)
		return m == msg
	}
	for lo < hi {
		if mid := (lo + hi) / 2; fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// lineEnds returns the offset just after each line of data.
func lineEnds(data []byte) []int {
	var ends []int
	for off := 0; off < len(data); {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			ends = append(ends, len(data))
			break
		}
		off += i + 1
		ends = append(ends, off)
	}
	return ends
}

var yamlMessages = [...]struct{ en, sv, hint string }{
	{"mapping values are not allowed", "kolon på fel ställe",
		`ett värde som innehåller ": " skrivs inom citattecken; kontrollera indraget`},
	{"did not find expected key", "väntade ett nytt fältnamn",
		"kontrollera indraget, och att ett värde med citattecken står helt inom citattecken"},
	{"did not find expected '-' indicator", "fel indrag i listan",
		"posterna i en lista börjar med - i samma kolumn"},
	{"found character that cannot start any token", "ett tecken som inte kan inleda ett värde",
		"indrag görs med mellanslag, inte tabb; ett värde som börjar med @ eller ` skrivs inom citattecken"},
	{"found a tab character", "tabbtecken i indraget", "indrag görs med mellanslag"},
	{"could not find expected ':'", "kolon saknas efter ett fältnamn", ""},
	{"found unexpected end of stream", "filen tar slut mitt i ett värde",
		"saknas ett avslutande citattecken?"},
	{"did not find expected ',' or ']'", "listan avslutas inte", "saknas ] eller ett kommatecken?"},
	{"did not find expected ',' or '}'", "mappningen avslutas inte", "saknas } eller ett kommatecken?"},
	{"did not find expected node content", "ett värde saknas", ""},
	{"block sequence entries are not allowed", "listpunkt på fel ställe", "kontrollera indraget"},
	{"mapping keys are not allowed", "fältnamn på fel ställe", "kontrollera indraget"},
	{"did not find expected comment or line break", "oväntad text efter ett värde",
		"ett värde som innehåller citattecken skrivs helt inom citattecken"},
	{"found unknown escape character", `okänd escape-sekvens i en text inom "…"`,
		`skriv \\ för \, eller skriv texten inom '…'`},
	{"control characters are not allowed", "kontrolltecken är inte tillåtna", ""},
	{"exceeded max depth", "för djupt nästlad", ""},
}

func translateYAML(msg string) (sv, hint string) {
	if rest, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
		name, _, _ := strings.Cut(rest, "'")
		return "aliaset *" + name + " pekar inte på något ankare", "ankaret &" + name + " ska stå före aliaset"
	}
	for _, m := range yamlMessages {
		if strings.HasPrefix(msg, m.en) {
			return m.sv, m.hint
		}
	}
	return msg, ""
}
