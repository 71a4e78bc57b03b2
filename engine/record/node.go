package record

import (
	yaml "go.yaml.in/yaml/v3"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
)

// ParseNode reads records written inside another YAML file (the records
// of a rule test): n is a list of records, or one record, of the file
// file, and every record and problem keeps its place in that file. It
// checks the records as Parse does.
func ParseNode(file string, n *yaml.Node, voc *promise.Vocabulary, parties []string) ([]Record, diag.List) {
	if voc == nil {
		voc = promise.NewVocabulary(nil)
	}
	c := newChecker(file, formatYAML, voc, parties)
	conv := yamlConverter{c: c, budget: 1 << 16}
	root, ok := conv.node(n, 0)
	if !ok {
		c.diags.Sort()
		return nil, c.diags
	}
	recs := c.records(root, nil)
	c.diags.Sort()
	return recs, c.diags
}
