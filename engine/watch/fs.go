package watch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/fsnotify/fsnotify"
)

// fsWatcher is what the watcher needs of fsnotify; tests put in one that
// fails as a full inotify table or an overflowing queue does.
type fsWatcher interface {
	Add(path string) error
	Close() error
	Events() <-chan fsnotify.Event
	Errors() <-chan error
}

type notifyWatcher struct{ w *fsnotify.Watcher }

func newNotify() (fsWatcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	return notifyWatcher{w}, nil
}

func (n notifyWatcher) Add(path string) error         { return n.w.Add(path) }
func (n notifyWatcher) Close() error                  { return n.w.Close() }
func (n notifyWatcher) Events() <-chan fsnotify.Event { return n.w.Events }
func (n notifyWatcher) Errors() <-chan error          { return n.w.Errors }

// layout is where the things watched are: the commitments root, and the
// git folders that hold HEAD (gitDir) and the refs (commonDir; the same
// folder except in a linked worktree).
type layout struct {
	root      string
	gitDir    string // "" without git
	commonDir string
}

// findLayout finds the git folders of root, upward as git does. A .git
// file (linked worktree, submodule) names the real folder; its commondir
// file names the folder of the shared refs.
func findLayout(root string) layout {
	l := layout{root: root}
	for d := root; ; d = filepath.Dir(d) {
		dot := filepath.Join(d, ".git")
		if fi, err := os.Stat(dot); err == nil {
			if fi.IsDir() {
				l.gitDir = dot
			} else if l.gitDir = readGitFile(dot); l.gitDir == "" {
				return l
			}
			l.commonDir = l.gitDir
			if b, err := os.ReadFile(filepath.Join(l.gitDir, "commondir")); err == nil {
				l.commonDir = resolve(l.gitDir, strings.TrimSpace(string(b)))
			}
			return l
		}
		if filepath.Dir(d) == d {
			return l
		}
	}
}

// readGitFile reads the folder named by a .git file ("gitdir: PATH").
func readGitFile(name string) string {
	b, err := os.ReadFile(name)
	if err != nil {
		return ""
	}
	s, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:")
	if !ok {
		return ""
	}
	return resolve(filepath.Dir(name), strings.TrimSpace(s))
}

func resolve(base, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
}

// folders lists every folder to watch: the root itself (to see rules/ and
// data/ come and go), every folder under rules/ and data/, the git folder
// (HEAD), the common folder (packed-refs) and every folder under refs/.
// Folders whose names start with a dot are skipped, as the reader skips
// them; so are symbolic links.
func (l layout) folders() []string {
	out := []string{l.root}
	for _, top := range []string{"rules", "data"} {
		out = appendTree(out, filepath.Join(l.root, top))
	}
	if l.gitDir != "" {
		out = append(out, l.gitDir)
		if l.commonDir != l.gitDir {
			out = append(out, l.commonDir)
		}
		out = appendTree(out, filepath.Join(l.commonDir, "refs"))
	}
	return out
}

// appendTree appends dir and the folders under it, when dir is a folder.
func appendTree(out []string, dir string) []string {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return nil // gone while walking, or unreadable: the reader says so
		case !d.IsDir():
			return nil
		case p != dir && strings.HasPrefix(d.Name(), "."):
			return filepath.SkipDir
		}
		out = append(out, p)
		return nil
	})
	return out
}

// relevance is what an event means to the watcher.
type relevance int

const (
	ignore  relevance = iota
	content           // a file or folder of rules/ or data/, or rules/ or data/ themselves
	gitRef            // HEAD, a ref or packed-refs
)

// classify tells what the event at path means. Editors' temporary and
// backup files, swap files and lock files are ignored. A change of
// attributes only matters under rules/ and data/: a file made unreadable
// (chmod 000) is left out with a warning, and is read again once it is
// readable; in git's folders it means nothing.
func (l layout) classify(ev fsnotify.Event) relevance {
	if junk(filepath.Base(ev.Name)) {
		return ignore
	}
	p := ev.Name
	if dir := filepath.Dir(p); dir == l.root {
		switch filepath.Base(p) {
		case "rules", "data":
			return content
		}
		return ignore
	}
	for _, top := range []string{"rules", "data"} {
		if within(p, filepath.Join(l.root, top)) {
			return content
		}
	}
	if l.gitDir == "" || ev.Op == fsnotify.Chmod {
		return ignore
	}
	switch {
	case p == filepath.Join(l.gitDir, "HEAD"), p == filepath.Join(l.commonDir, "packed-refs"):
		return gitRef
	case within(p, filepath.Join(l.commonDir, "refs")):
		return gitRef
	}
	return ignore
}

// within reports whether p is inside dir.
func within(p, dir string) bool {
	return strings.HasPrefix(p, dir+string(filepath.Separator))
}

// junk reports names that editors and git write on the side: dotfiles
// (vim's .a.yaml.swp, git's .lock files inside refs are caught by the
// suffix), backups ending in ~, vim's probe file 4913, JetBrains' safe
// write files, Microsoft Office's owner files (~$kontroller.csv).
func junk(name string) bool {
	switch {
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "~$"), strings.HasSuffix(name, "~"), name == "4913":
		return true
	case strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"), strings.HasSuffix(name, ".swo"),
		strings.HasSuffix(name, ".lock"), strings.HasSuffix(name, ".tmp"),
		strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"):
		return true
	}
	return false
}

// isDir reports whether p is a folder now (not a link to one).
func isDir(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.IsDir()
}

// limitReached reports the error inotify gives when no more watches may
// be added (fs.inotify.max_user_watches).
func limitReached(err error) bool { return errors.Is(err, syscall.ENOSPC) }

// gone reports an error adding a folder that no longer exists.
func gone(err error) bool { return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) }
