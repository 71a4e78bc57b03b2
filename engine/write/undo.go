package write

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lofte/lofte/engine/source"
)

// UndoWindow is how long after making it a person may undo a commit.
const UndoWindow = 24 * time.Hour

// ErrNotAllowed is the error of an Undo that the person may not make: the
// commit is someone else's, or older than UndoWindow.
var ErrNotAllowed = errors.New("ångra inte tillåtet")

// Undo makes a commit by `by` that takes back the records the commit
// added: exactly the lines it appended to each file, wherever they are now
// (records added after it stay). Only the author of the commit (compared
// by e-mail address) may undo it, and only within UndoWindow of its
// author time; by.When is the time of the undo. It returns the new
// commit's hash.
func (w *Writer) Undo(commit string, by source.Identity) (string, error) {
	info, diffs, err := w.repo.Commit(commit)
	if err != nil {
		return "", err
	}
	short := info.Hash[:7]
	if !strings.EqualFold(info.Author.Email, by.Email) || by.Email == "" {
		return "", fmt.Errorf("%w: commit %s gjordes av någon annan, och bara den som gjorde en post kan ångra den", ErrNotAllowed, short)
	}
	if age := by.When.Sub(info.Author.When); age > UndoWindow {
		return "", fmt.Errorf("%w: commit %s är äldre än ett dygn; ta bort posten för hand, eller med `git revert %s`", ErrNotAllowed, short, short)
	}
	if len(diffs) == 0 {
		return "", fmt.Errorf("commit %s lade inte till några poster", short)
	}
	edits := make([]source.FileEdit, 0, len(diffs))
	for _, d := range diffs {
		if d.New == nil || !bytes.HasPrefix(d.New, d.Old) || !strings.HasPrefix(d.Path, "data/") {
			return "", fmt.Errorf("commit %s gör mer än att lägga till poster sist i %s, så den kan inte ångras här: använd `git revert %s`", short, d.Path, short)
		}
		added := d.New[len(d.Old):]
		at := len(d.Old)
		edits = append(edits, source.FileEdit{Path: d.Path, Edit: func(cur []byte) ([]byte, error) {
			return remove(cur, added, at, d.Path)
		}})
	}
	subject, _, _ := strings.Cut(info.Message, "\n")
	msg := fmt.Sprintf("Ångra: %s\n\nTar bort posterna som commit %s lade till.", subject, info.Hash)
	hash, err := w.repo.UpdateFiles(edits, source.Update{Commit: true, Message: msg, Author: by, Committer: w.committer(by)})
	if err != nil {
		return hash, err
	}
	if w.Syncer != nil {
		_ = w.Syncer.Push(context.Background(), by.When)
	}
	return hash, nil
}

// remove takes the bytes added out of cur, preferring the place where they
// were added (at); a newline that separated them from a last line without
// one stays when more follows.
func remove(cur, added []byte, at int, file string) ([]byte, error) {
	i := -1
	if at+len(added) <= len(cur) && bytes.Equal(cur[at:at+len(added)], added) {
		i = at
	} else {
		i = bytes.Index(cur, added)
	}
	if i < 0 || len(added) == 0 {
		return nil, fmt.Errorf("posterna som ska ångras finns inte längre i %s: de har redan tagits bort eller ändrats", file)
	}
	end := i + len(added)
	if added[0] == '\n' && end < len(cur) {
		i++
	}
	out := make([]byte, 0, len(cur)-(end-i))
	out = append(out, cur[:i]...)
	return append(out, cur[end:]...), nil
}

// Commit is a commit of records, as "Mina åtaganden" lists them.
type Commit struct {
	Hash    string
	When    time.Time // author time
	Message string
	Files   []string
}

// Recent returns the commits authored by the person with e-mail address
// email on HEAD's branch since since, newest first, at most limit (0: no
// limit), of those that change files under data/ only.
func (w *Writer) Recent(email string, since time.Time, limit int) ([]Commit, error) {
	var out []Commit
	infos, err := w.repo.CommitsBy(email, since, 0)
	for _, c := range infos {
		if limit > 0 && len(out) >= limit {
			break
		}
		if !dataOnly(c.Files) {
			continue
		}
		out = append(out, Commit{Hash: c.Hash, When: c.Author.When, Message: strings.TrimRight(c.Message, "\n"), Files: c.Files})
	}
	return out, err
}

func dataOnly(files []string) bool {
	for _, f := range files {
		if !strings.HasPrefix(f, "data/") {
			return false
		}
	}
	return len(files) > 0
}
