// Package scaffold writes a new commitments repository: the activity
// vocabulary, a calendar with a note on school terms, a small example
// promise with its rule tests, data/, a README for the people who keep
// the repository and CI files (GitHub Actions, GitLab CI) that check and
// test it, follow it up and publish the follow-up page.
package scaffold

import (
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
	sort.Strings(out)
	return out
}

// Conflicts lists what Write would overwrite in dir: the folders rules/
// and data/ when they exist, and its other files. A README.md of the
// folder is no conflict: the guide is then written as LOFTE.md.
func Conflicts(dir string, o Options) []string {
	var out []string
	for _, p := range []string{"rules", "data"} {
		if exists(dir, p) {
			out = append(out, p+"/")
		}
	}
	for _, p := range Files(o) {
		switch {
		case strings.HasPrefix(p, "rules/") || strings.HasPrefix(p, "data/"):
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
	sort.Strings(paths)
	return paths, nil
}
