package main

import (
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestPreCommitHooks: the hook definitions of .pre-commit-hooks.yaml have
// what pre-commit requires (id, name, entry, language), run a command lofte
// has, without file names (lofte reads the whole repository), and on the
// files a commitments repository keeps.
func TestPreCommitHooks(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID, Name, Entry, Language, Files string
		PassFilenames                    *bool `yaml:"pass_filenames"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) == 0 {
		t.Fatal("no hooks")
	}
	root := newRoot(io.Discard, io.Discard)
	ids := map[string]bool{}
	for _, h := range hooks {
		if h.ID == "" || h.Name == "" || h.Entry == "" || ids[h.ID] {
			t.Errorf("hook %+v: id, name and entry are required, ids unique", h)
		}
		ids[h.ID] = true
		if h.Language != "golang" && h.Language != "system" {
			t.Errorf("%s: language %q", h.ID, h.Language)
		}
		args := strings.Fields(h.Entry)
		if cmd, rest, err := root.Find(args[1:]); args[0] != "lofte" || err != nil || cmd == root || len(rest) != 0 {
			t.Errorf("%s: entry %q is no lofte command", h.ID, h.Entry)
		}
		if h.PassFilenames == nil || *h.PassFilenames {
			t.Errorf("%s: file names are passed", h.ID)
		}
		if re, err := regexp.Compile(h.Files); err != nil || !re.MatchString("rules/exempel.yaml") || re.MatchString("README.md") {
			t.Errorf("%s: files %q", h.ID, h.Files)
		}
	}
	if !ids["lofte-check"] {
		t.Error("no lofte-check hook")
	}
}
