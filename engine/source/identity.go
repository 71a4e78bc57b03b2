package source

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
)

// Identities returns who commits made by lofte are by: the author and
// committer git itself would use. GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL and
// GIT_AUTHOR_DATE (and GIT_COMMITTER_*) win when set, as with git; else
// user.name and user.email of the repository's configuration, then the
// user's (~/.gitconfig) and the system's. now is the time of the commit
// unless a date variable says otherwise.
func (r *Repo) Identities(now time.Time) (author, committer Identity, err error) {
	var user userConfig
	if r.top != "" {
		if repo, err := openGit(r.top); err == nil {
			if cfg, err := repo.ConfigScoped(config.GlobalScope); err == nil {
				user = userConfig(cfg.User)
			}
		}
	} else if cfg, err := config.LoadConfig(config.GlobalScope); err == nil {
		user = userConfig(cfg.User)
	}
	return identities(user, now)
}

// GlobalIdentities is Identities for a folder that is not a git
// repository yet: the user's and the system's configuration only.
func GlobalIdentities(now time.Time) (author, committer Identity, err error) {
	var user userConfig
	if cfg, err := config.LoadConfig(config.GlobalScope); err == nil {
		user = userConfig(cfg.User)
	}
	return identities(user, now)
}

// userConfig is the user section of a git configuration.
type userConfig = struct {
	Name  string
	Email string
}

func identities(user userConfig, now time.Time) (author, committer Identity, err error) {
	author = Identity{Name: user.Name, Email: user.Email, When: now}
	envIdentity(&author, "GIT_AUTHOR")
	committer = Identity{Name: user.Name, Email: user.Email, When: now}
	if committer.Name == "" {
		committer.Name = author.Name
	}
	if committer.Email == "" {
		committer.Email = author.Email
	}
	envIdentity(&committer, "GIT_COMMITTER")
	if author.Name == "" || author.Email == "" {
		return author, committer, fmt.Errorf("git vet inte vem du är: ange namn och e-post med " +
			"`git config user.name \"Förnamn Efternamn\"` och `git config user.email namn@example.org` " +
			"(lägg till --global för alla förråd)")
	}
	return author, committer, nil
}

func envIdentity(id *Identity, prefix string) {
	if v := os.Getenv(prefix + "_NAME"); v != "" {
		id.Name = v
	}
	if v := os.Getenv(prefix + "_EMAIL"); v != "" {
		id.Email = v
	}
	if v := os.Getenv(prefix + "_DATE"); v != "" {
		if t, ok := parseGitDate(v); ok {
			id.When = t
		}
	}
}

// parseGitDate reads the date formats git accepts most often: ISO 8601
// ("2022-09-01T12:00:00+02:00", also with a space), RFC 2822 and git's
// internal "@1662026400 +0200".
func parseGitDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "@"); ok {
		secs, zone, _ := strings.Cut(rest, " ")
		n, err := strconv.ParseInt(secs, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		t := time.Unix(n, 0)
		if z, err := time.Parse("-0700", strings.TrimSpace(zone)); err == nil {
			t = t.In(z.Location())
		}
		return t, true
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05 -0700", "2006-01-02T15:04:05 -0700",
		time.RFC1123Z, "Mon Jan 2 15:04:05 2006 -0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Init makes dir a git repository with branch main when it is not one
// yet, and commits the given files (paths relative to dir, already
// written), and nothing else, as its first commit, or as a commit on top
// of what is there. It returns the commit's hash.
func Init(dir string, files []string, message string, author, committer Identity) (string, error) {
	if _, err := os.Lstat(filepath.Join(dir, ".git")); err != nil {
		if _, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
			InitOptions: git.InitOptions{DefaultBranch: "refs/heads/main"},
		}); err != nil {
			return "", fmt.Errorf("kan inte skapa ett git-förråd i %s: %v", dir, err)
		}
	}
	r, err := Open(dir)
	if err != nil {
		return "", err
	}
	if r.top == "" {
		return "", fmt.Errorf("%s blev inget git-förråd", dir)
	}
	return r.CommitFiles(files, Update{Message: message, Author: author, Committer: committer})
}
