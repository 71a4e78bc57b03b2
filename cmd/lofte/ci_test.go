package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
	"go.yaml.in/yaml/v3"
)

// ciFile is a CI file that lofte init writes, read as its service runs it.
type ciFile struct {
	env     map[string]string // GitHub's env, GitLab's variables
	install string            // the script that installs the release
	steps   []string          // the shell steps after it, in order
}

// readCI reads a GitHub Actions workflow (jobs in the order of their
// names, steps in order; the step "Installera lofte" installs) or a GitLab
// CI file (jobs in the order of their stages; default.before_script
// installs).
func readCI(data []byte) (ciFile, error) {
	var doc map[string]yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return ciFile{}, err
	}
	node := func(k string) *yaml.Node { n := doc[k]; return &n }
	var f ciFile
	if _, ok := doc["jobs"]; ok { // GitHub Actions
		var js map[string]struct {
			Steps []struct{ Name, Run string }
		}
		if err := node("jobs").Decode(&js); err != nil {
			return f, err
		}
		if err := node("env").Decode(&f.env); err != nil {
			return f, err
		}
		for _, name := range sortedKeys(js) {
			for _, st := range js[name].Steps {
				switch {
				case st.Name == "Installera lofte":
					f.install = st.Run
				case st.Run != "":
					f.steps = append(f.steps, st.Run)
				}
			}
		}
		return f, nil
	}
	var stages []string
	var def struct {
		BeforeScript []string `yaml:"before_script"`
	}
	for k, v := range map[string]any{"stages": &stages, "variables": &f.env, "default": &def} {
		if err := node(k).Decode(v); err != nil {
			return f, err
		}
	}
	f.install = strings.Join(def.BeforeScript, "\n")
	for _, stage := range stages {
		for _, name := range sortedKeys(doc) {
			var job struct {
				Stage  string
				Script []string
			}
			if n := node(name); n.Kind != yaml.MappingNode || n.Decode(&job) != nil || job.Stage != stage {
				continue
			}
			f.steps = append(f.steps, strings.Join(job.Script, "\n"))
		}
	}
	return f, nil
}

// cmdCI implements `ci FILE`: it runs the shell steps of a GitHub Actions
// workflow or a GitLab CI file as the CI service would, one after the
// other in the current directory, with lofte on PATH in place of the
// installed release. The installation is left out: it downloads a release
// (TestReleaseInstall runs it against a release built by GoReleaser).
// `! ci FILE` expects a step to fail, as a red CI run.
func cmdCI(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: [!] ci FILE")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	f, err := readCI(data)
	ts.Check(err)
	if len(f.steps) == 0 {
		ts.Fatalf("%s: no steps", args[0])
	}
	ts.Setenv("GITHUB_STEP_SUMMARY", filepath.Join(ts.Getenv("WORK"), "step-summary.md"))
	ts.Setenv("RUNNER_TEMP", ts.Getenv("WORK"))
	for _, s := range f.steps {
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
