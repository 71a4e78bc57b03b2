package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/scaffold"
	"github.com/lofte/lofte/engine/source"
	"github.com/lofte/lofte/engine/write"
)

// Recorder records activities in the repository that holds a folder, as
// lofte record does: the rules (the records are not read), a writer, and
// the git user who commits.
type Recorder struct {
	*write.Writer
	Rules *repository.Repository
	// Git is false in a plain folder: records are written, not committed.
	Git bool
	// Author is the git user (user.name and user.email), at the time given
	// to OpenRecorder; zero without git.
	Author source.Identity
}

// OpenRecorder opens the repository that holds dir for recording. now is
// the time of the commits it makes.
func OpenRecorder(dir string, now time.Time) (*Recorder, error) {
	src, err := source.Open(dir)
	if err != nil {
		return nil, err
	}
	r, err := write.WorkTreeRules(src)()
	if err != nil {
		return nil, err
	}
	if r.Snapshot.File(promise.ActivitiesFile) == nil {
		return nil, fmt.Errorf("%s finns inte i %s: är det ett förråd för lofte? (lofte init skapar ett)", promise.ActivitiesFile, src.Root())
	}
	rec := &Recorder{Writer: write.New(src, func() (*repository.Repository, error) { return r, nil }), Rules: r, Git: r.Snapshot.Git}
	if r.Snapshot.Git {
		author, committer, err := src.Identities(now)
		if err != nil {
			return nil, err
		}
		rec.Author, rec.Writer.Committer = author, committer
	}
	return rec, nil
}

// Writer returns a writer of records into the repository e reads, whose
// rules are those e read last: what the server records through.
func (e *Engine) Writer() *write.Writer {
	return write.New(e.Source(), func() (*repository.Repository, error) { return e.Repository(), nil })
}

// Init makes dir a new commitments repository with a small example (the
// files of package scaffold for o) and commits it as the git user of the folder's
// repository, or the user's, at now. It never overwrites anything. It
// returns the commit's hash and the files written.
func Init(dir string, o scaffold.Options, now time.Time) (string, []string, error) {
	if c := scaffold.Conflicts(dir, o); len(c) > 0 {
		return "", nil, fmt.Errorf("%s har redan %s: lofte init skriver inte över något; välj en ny eller tom mapp", dir, strings.Join(c, ", "))
	}
	author, committer, err := identities(dir, now)
	if err != nil {
		return "", nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, fmt.Errorf("kan inte skapa mappen %s: %v", dir, err)
	}
	files, err := scaffold.Write(dir, o)
	if err != nil {
		return "", nil, err
	}
	hash, err := source.Init(dir, files, "Nytt förråd för medborgarlöften", author, committer)
	if err != nil {
		return "", files, fmt.Errorf("filerna skrevs, men ingen commit gjordes: %w", err)
	}
	return hash, files, nil
}

// identities is who the first commit is by: the git user of the folder's
// repository when it has one, else the user's.
func identities(dir string, now time.Time) (source.Identity, source.Identity, error) {
	if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
		if src, err := source.Open(dir); err == nil {
			return src.Identities(now)
		}
	}
	return source.GlobalIdentities(now)
}

// WriteSchemas writes this lofte's JSON Schemas into the repository that
// holds dir (scaffold.SchemaDir), over those there: the root and the paths
// written, relative to it.
func WriteSchemas(dir string) (string, []string, error) {
	root, err := commitmentsRoot(dir)
	if err != nil {
		return "", nil, err
	}
	paths, err := scaffold.WriteSchemas(root)
	return root, paths, err
}
