package source

import (
	"bytes"
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
func (r *Repo) newIgnorer(repo *git.Repository) *ignorer {
	ig := &ignorer{}
	if fs, ok := repo.Storer.(*filesystem.Storage); ok {
		if f, err := fs.Filesystem().Open("info/exclude"); err == nil {
			var b bytes.Buffer
			_, _ = b.ReadFrom(f)
			_ = f.Close()
			ig.add(b.Bytes(), nil)
		}
	}
	var domain []string
	if r.prefix != "" {
		domain = strings.Split(r.prefix, "/")
	}
	for i := 0; i <= len(domain); i++ {
		dir := filepath.Join(r.top, filepath.FromSlash(strings.Join(domain[:i], "/")))
		ig.addFile(filepath.Join(dir, ".gitignore"), domain[:i])
	}
	return ig
}

// addFile adds the patterns of one .gitignore file; domain is its folder,
// relative to the work tree's top. A missing file adds nothing.
func (ig *ignorer) addFile(name string, domain []string) {
	data, err := os.ReadFile(name)
	if err != nil {
		return
	}
	ig.add(data, domain)
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
