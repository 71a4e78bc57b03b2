// Package scaffold writes a new commitments repository: the activity
// vocabulary, a calendar with a note on school terms, a small example
// promise with its rule tests, data/, a README for the people who keep
// the repository and CI files (GitHub Actions, GitLab CI) that check and
// test it, follow it up and publish the follow-up page.
package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/lofte/lofte/schema"
)

//go:embed all:files
var files embed.FS

// FirstRelease is the release of lofte the CI files install when the
// running program is no release (a build from source).
const FirstRelease = "0.1.0"

// CIServices are the CI services Write can write files for.
var CIServices = []string{"github", "gitlab"}

// ciFiles are the files of each CI service.
var ciFiles = map[string]string{
	".github/workflows/lofte.yml": "github",
	".gitlab-ci.yml":              "gitlab",
}

// Options say what Write writes.
type Options struct {
	Year int // the example promise is in force that year
	// Version is the release of lofte that the CI files install, without
	// a leading v ("0.3.1"); "" is FirstRelease.
	Version string
	// CI are the CI services to write files for (see CIServices); none
	// writes no CI file.
	CI []string
}

// SchemaDir is the folder, relative to the repository's root, of the JSON
// Schemas that the first line of each file in rules/ names, so that an
// editor validates a promise as it is typed, without a network.
const SchemaDir = ".lofte/schema"

// schemas are the schemas of the files in rules/ (schema.For).
var schemas = []string{"activities.json", "calendar.json", "promise.json", "ruletest.json"}

// WriteSchemas writes this lofte's schemas into dir's SchemaDir, over those
// there, and returns their paths relative to dir.
func WriteSchemas(dir string) ([]string, error) {
	var out []string
	for _, name := range schemas {
		p := SchemaDir + "/" + name
		data, _ := schema.FS.ReadFile(name)
		abs := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			return out, fmt.Errorf("kan inte skapa mappen %s: %v", filepath.Dir(abs), err)
		}
		if err := os.WriteFile(abs, data, 0o644); err != nil {
			return out, fmt.Errorf("kan inte skriva %s: %v", abs, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// StaleSchemas lists the schemas in dir's SchemaDir (paths relative to
// dir) that differ from this lofte's: written by another version, they may
// reject what this one takes, or take what it rejects.
func StaleSchemas(dir string) []string {
	var out []string
	for _, name := range schemas {
		p := SchemaDir + "/" + name
		have, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			continue // none: the files name no schema, or another one
		}
		if want, _ := schema.FS.ReadFile(name); !bytes.Equal(have, want) {
			out = append(out, p)
		}
	}
	return out
}

// Files lists the paths Write writes with o, relative to the folder,
// sorted.
func Files(o Options) []string {
	var out []string
	_ = fs.WalkDir(files, "files", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			p = strings.TrimPrefix(p, "files/")
			if ci, ok := ciFiles[p]; !ok || slices.Contains(o.CI, ci) {
				out = append(out, p)
			}
		}
		return err
	})
	for _, name := range schemas {
		out = append(out, SchemaDir+"/"+name)
	}
	sort.Strings(out)
	return out
}

// Conflicts lists what Write would overwrite in dir: the folders rules/,
// data/ and SchemaDir when they exist, and its other files. A README.md of the
// folder is no conflict: the guide is then written as LOFTE.md.
func Conflicts(dir string, o Options) []string {
	var out []string
	for _, p := range []string{"rules", "data"} {
		if exists(dir, p) {
			out = append(out, p+"/")
		}
	}
	if exists(dir, SchemaDir) {
		out = append(out, SchemaDir+"/")
	}
	for _, p := range Files(o) {
		switch {
		case strings.HasPrefix(p, "rules/") || strings.HasPrefix(p, "data/") || strings.HasPrefix(p, SchemaDir+"/"):
			// in a folder that must not exist
		case p == readme:
			if exists(dir, readme) && exists(dir, altReadme) {
				out = append(out, altReadme)
			}
		case exists(dir, p):
			out = append(out, p)
		}
	}
	return out
}

const (
	readme    = "README.md"
	altReadme = "LOFTE.md"
)

func exists(dir, p string) bool {
	_, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p)))
	return err == nil
}

// Write writes the files into dir as o says. It refuses, writing nothing,
// when anything would be overwritten.
func Write(dir string, o Options) ([]string, error) {
	for _, ci := range o.CI {
		if !slices.Contains(CIServices, ci) {
			return nil, fmt.Errorf("okänd CI-tjänst %q: välj %s", ci, strings.Join(CIServices, ", "))
		}
	}
	version := strings.TrimPrefix(o.Version, "v")
	if version == "" {
		version = FirstRelease
	}
	year := o.Year
	if c := Conflicts(dir, o); len(c) > 0 {
		return nil, fmt.Errorf("%s har redan %s: lofte init skriver inte över något; välj en ny eller tom mapp",
			dir, strings.Join(c, ", "))
	}
	paths := Files(o)
	for i, p := range paths {
		if strings.HasPrefix(p, SchemaDir+"/") {
			continue // below
		}
		data, err := files.ReadFile("files/" + p)
		if err != nil {
			return nil, err
		}
		if p == readme && exists(dir, readme) {
			p, paths[i] = altReadme, altReadme
		}
		text := strings.NewReplacer("{{.Year}}", strconv.Itoa(year), "{{.NextYear}}", strconv.Itoa(year+1), "{{.Version}}", version).Replace(string(data))
		abs := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			return nil, fmt.Errorf("kan inte skapa mappen %s: %v", filepath.Dir(abs), err)
		}
		f, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%s finns redan: lofte init skriver inte över något", abs)
		}
		if err != nil {
			return nil, fmt.Errorf("kan inte skriva %s: %v", abs, err)
		}
		_, err = f.WriteString(text)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("kan inte skriva %s: %v", abs, err)
		}
	}
	if _, err := WriteSchemas(dir); err != nil {
		return nil, err
	}
	sort.Strings(paths)
	return paths, nil
}
