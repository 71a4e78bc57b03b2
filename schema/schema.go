// Package schema holds the JSON Schemas of lofte's files and of its JSON
// output, so that an editor validates a promise as it is typed: lofte init
// writes copies into the repository (.lofte/schema/), and files name
// their schema in a first line
//
//	# yaml-language-server: $schema=../.lofte/schema/promise.json
//
// which the YAML extension of VS Code (and other editors using the YAML
// language server) reads, relative to the file. The schemas are those of docs/reference.md §2
// (promise.json), §3 (activities.json), §5 (calendar.json), the rule tests
// (ruletest.json) and §10 (report.json, the output of evaluate --format
// json). What a schema cannot say (a rule's syntax, an owner that is no
// party, overlapping terms) lofte check says.
package schema

import (
	"embed"
	"path"
	"strings"
)

// FS holds the schemas, one file each.
//
//go:embed *.json
var FS embed.FS

// Base is the address the schemas' $id are relative to: the files of the
// main branch.
const Base = "https://raw.githubusercontent.com/lofte/lofte/main/schema/"

// Names are the schemas' file names.
var Names = []string{"activities.json", "calendar.json", "promise.json", "report.json", "ruletest.json"}

// For is the schema of a file of a commitments repository, by its path
// relative to the root ("rules/exempel.yaml"), or "" for a file that has
// none (records, which the activity types describe).
func For(p string) string {
	ext := strings.ToLower(path.Ext(p))
	switch {
	case !strings.HasPrefix(p, "rules/") || ext != ".yaml" && ext != ".yml":
		return ""
	case p == "rules/activities.yaml":
		return "activities.json"
	case p == "rules/calendar.yaml":
		return "calendar.json"
	case strings.HasSuffix(strings.TrimSuffix(p, path.Ext(p)), "_test"):
		return "ruletest.json"
	}
	return "promise.json"
}
