package source

import (
	"bytes"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// ignorer answers whether git ignores a path of the work tree. Patterns are
// kept in the order git gives them precedence: .git/info/exclude first,
// then .gitignore files from the top down; the last matching pattern wins.
type ignorer struct {
	patterns []gitignore.Pattern
}

// newIgnorer loads .git/info/exclude and the .gitignore files of every
// folder from the work tree's top down to the commitments root. Files below
// the root are added by the disk walk as it enters each folder.
//
// A file that exists but cannot be read is an error: read as absent, it
// would let ignored files be counted (docs/design.md, "Ignore files").
func (r *Repo) newIgnorer(repo *git.Repository) (*ignorer, error) {
	ig := &ignorer{}
	if fs, ok := repo.Storer.(*filesystem.Storage); ok {
		f, err := fs.Filesystem().Open("info/exclude")
		if err == nil {
			var b bytes.Buffer
			_, err = b.ReadFrom(f)
			_ = f.Close()
			ig.add(b.Bytes(), nil)
		}
		if err != nil && !errors.Is(err, iofs.ErrNotExist) {
			return nil, ignoreError(filepath.Join(fs.Filesystem().Root(), "info", "exclude"), err)
		}
	}
	var domain []string
	if r.prefix != "" {
		domain = strings.Split(r.prefix, "/")
	}
	for i := 0; i <= len(domain); i++ {
		dir := filepath.Join(r.top, filepath.FromSlash(strings.Join(domain[:i], "/")))
		if err := ig.addFile(filepath.Join(dir, ".gitignore"), domain[:i]); err != nil {
			return nil, err
		}
	}
	return ig, nil
}

// addFile adds the patterns of one .gitignore file; domain is its folder,
// relative to the work tree's top. A missing file adds nothing; one that
// cannot be read is an error.
func (ig *ignorer) addFile(name string, domain []string) error {
	data, err := os.ReadFile(name)
	if errors.Is(err, iofs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return ignoreError(name, err)
	}
	ig.add(data, domain)
	return nil
}

// ignoreError is the error of an ignore file that cannot be read.
func ignoreError(name string, err error) error {
	return fmt.Errorf("kan inte läsa %s (%v): lofte kan då inte veta vilka filer git ignorerar; "+
		"rätta filens rättigheter, eller ta bort den", name, err)
}

func (ig *ignorer) add(data []byte, domain []string) {
	for line := range strings.Lines(string(data)) {
		line = strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		ig.patterns = append(ig.patterns, gitignore.ParsePattern(line, domain))
	}
}

// match reports whether git ignores gitPath, slash-separated and relative
// to the work tree's top.
func (ig *ignorer) match(gitPath string, isDir bool) bool {
	parts := strings.Split(gitPath, "/")
	for i := len(ig.patterns) - 1; i >= 0; i-- {
		switch ig.patterns[i].Match(parts, isDir) {
		case gitignore.Exclude:
			return true
		case gitignore.Include:
			return false
		}
	}
	return false
}
