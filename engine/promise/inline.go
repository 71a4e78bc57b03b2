package promise

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lofte/lofte/engine/diag"
)

// DecodeCommitments decodes commitments written inside another YAML file
// (the inline commitments of a rule test): n is a list of commitments as
// under a promise file's commitments:, src the whole file, so that rule
// positions point into it. The commitments belong to p.
func DecodeCommitments(file string, src []byte, n *yaml.Node, p *Promise) ([]*Commitment, diag.List) {
	var errs diag.List
	d := &doc{file: file}
	for _, l := range strings.Split(string(src), "\n") {
		d.lines = append(d.lines, []rune(strings.TrimSuffix(l, "\r")))
	}
	return d.commitments(p, resolve(n), &errs), errs
}
