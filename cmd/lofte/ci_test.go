package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
	"go.yaml.in/yaml/v3"
)

// cmdCI implements `ci FILE`: it runs the shell steps of a GitHub Actions
// workflow or a GitLab CI file as the CI service would, one after the
// other in the current directory, with lofte on PATH in place of the
// installed release. The installation (the GitHub step "Installera lofte",
// GitLab's before_script) is left out: it downloads a release.
// `! ci FILE` expects a step to fail, as a red CI run.
func cmdCI(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: [!] ci FILE")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	var doc map[string]yaml.Node
	ts.Check(yaml.Unmarshal(data, &doc))
	var scripts []string
	node := func(k string) *yaml.Node { n := doc[k]; return &n }
	if _, ok := doc["jobs"]; ok { // GitHub Actions
		var js map[string]struct {
			Steps []struct{ Name, Run string }
		}
		ts.Check(node("jobs").Decode(&js))
		for _, name := range sortedKeys(js) {
			for _, st := range js[name].Steps {
				if st.Run != "" && st.Name != "Installera lofte" {
					scripts = append(scripts, st.Run)
				}
			}
		}
		ts.Setenv("GITHUB_STEP_SUMMARY", filepath.Join(ts.Getenv("WORK"), "step-summary.md"))
		ts.Setenv("RUNNER_TEMP", ts.Getenv("WORK"))
	} else { // GitLab CI: the jobs in the order of their stages
		var stages []string
		ts.Check(node("stages").Decode(&stages))
		for _, stage := range stages {
			for _, name := range sortedKeys(doc) {
				var job struct {
					Stage  string
					Script []string
				}
				if n := node(name); n.Kind != yaml.MappingNode || n.Decode(&job) != nil || job.Stage != stage {
					continue
				}
				scripts = append(scripts, strings.Join(job.Script, "\n"))
			}
		}
	}
	if len(scripts) == 0 {
		ts.Fatalf("%s: no steps", args[0])
	}
	for _, s := range scripts {
		if err := ts.Exec("bash", "-e", "-o", "pipefail", "-c", s); err != nil {
			if neg {
				return
			}
			ts.Fatalf("step failed: %v\n%s", err, s)
		}
	}
	if neg {
		ts.Fatalf("%s: every step succeeded", args[0])
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
