// Package scaffold writes a new commitments repository: the activity
// vocabulary, a calendar with a note on school terms, a small example
// promise with its rule tests, data/, a README for the people who keep
// the repository and a CI example that checks and evaluates it.
package scaffold

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

//go:embed all:files
var files embed.FS

// Files lists the paths Write writes, relative to the folder, sorted.
func Files() []string {
	var out []string
	_ = fs.WalkDir(files, "files", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, strings.TrimPrefix(p, "files/"))
		}
		return err
	})
	sort.Strings(out)
	return out
}

// Conflicts lists what Write would overwrite in dir: the folders rules/
// and data/ when they exist, and its other files. A README.md of the
// folder is no conflict: the guide is then written as LOFTE.md.
func Conflicts(dir string) []string {
	var out []string
	for _, p := range []string{"rules", "data"} {
		if exists(dir, p) {
			out = append(out, p+"/")
		}
	}
	for _, p := range Files() {
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

// Write writes the files into dir, for the year given (the example promise
// is in force that year). It refuses, writing nothing, when anything would
// be overwritten.
func Write(dir string, year int) ([]string, error) {
	if c := Conflicts(dir); len(c) > 0 {
		return nil, fmt.Errorf("%s har redan %s: lofte init skriver inte över något; välj en ny eller tom mapp",
			dir, strings.Join(c, ", "))
	}
	paths := Files()
	for i, p := range paths {
		data, err := files.ReadFile("files/" + p)
		if err != nil {
			return nil, err
		}
		if p == readme && exists(dir, readme) {
			p, paths[i] = altReadme, altReadme
		}
		text := strings.NewReplacer("{{.Year}}", strconv.Itoa(year), "{{.NextYear}}", strconv.Itoa(year+1)).Replace(string(data))
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
