package source

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// openError explains why the git repository found from dir cannot be read.
func openError(dir string, err error) error {
	where, _ := gitFolder(dir)
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "objectformat"):
		return fmt.Errorf("git-förrådet i %s använder SHA-256 (extensions.objectFormat), som lofte inte kan läsa: "+
			"använd ett förråd med SHA-1 (git init --object-format=sha1), "+
			"eller kopiera rules/ och data/ till en mapp utan git", where)
	case errors.Is(err, git.ErrUnknownExtension),
		errors.Is(err, git.ErrUnsupportedExtensionRepositoryFormatVersion),
		errors.Is(err, git.ErrUnsupportedRepositoryFormatVersion):
		return fmt.Errorf("git-förrådet i %s använder ett format som lofte inte kan läsa (%v): "+
			"använd ett vanligt förråd, eller kopiera rules/ och data/ till en mapp utan git", where, err)
	}
	return fmt.Errorf("kan inte läsa git-förrådet i %s (%v): kontrollera det med `git status` och `git fsck`, "+
		"eller ange en mapp utan trasig .git med --repo", where, err)
}

// gitFolder returns the folder at or above dir that holds a .git entry, or
// dir and false when there is none.
func gitFolder(dir string) (string, bool) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, true
		}
		if filepath.Dir(d) == d {
			return dir, false
		}
	}
}

// readError explains a failure to read a commit, a tree or a blob. Objects
// missing from a shallow clone are the common case.
func readError(repo *git.Repository, top, what string, err error) error {
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		if shallow, _ := repo.Storer.Shallow(); len(shallow) > 0 {
			return fmt.Errorf("%s saknas i git-förrådet i %s, som är en grund klon (shallow clone): "+
				"hämta hela historiken med `git fetch --unshallow`", what, top)
		}
		return fmt.Errorf("%s saknas i git-förrådet i %s: förrådet kan vara skadat, kontrollera det med `git fsck`", what, top)
	}
	return fmt.Errorf("kan inte läsa %s i git-förrådet i %s (%v): kontrollera förrådet med `git fsck`", what, top, err)
}

// noCommitsError is the error of Revision and KnownAt in a repository whose
// HEAD has no commit yet.
func noCommitsError(top string) error {
	return fmt.Errorf("git-förrådet i %s har inga commits än: gör en första commit, "+
		"eller läs arbetskatalogen utan --rev och --known-at", top)
}

// plainError is the error of Revision and KnownAt in a plain folder.
func plainError(root, flag string) error {
	return fmt.Errorf("%s kräver ett git-förråd, men inget hittades i %s: "+
		"kör `git init` och gör en commit, eller läs mappen utan %s", flag, root, flag)
}
