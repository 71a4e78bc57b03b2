package source

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lofte/lofte/engine/privacy"
)

// DefaultMaxFileSize is the largest file read unless the caller sets
// another limit: a file larger than this is not a file of records a person
// keeps by hand, and reading it whole could exhaust memory.
const DefaultMaxFileSize = 50 << 20

// Unread is a file under rules/ or data/ that was not read, and why. Its
// records are missing from the evaluation, so callers report it as an
// error, not a warning.
type Unread struct {
	Path    string
	Message string
}

// SetMaxFileSize sets the largest file read, in bytes; 0 means the
// default. Set it before reading.
func (r *Repo) SetMaxFileSize(n int64) { r.maxSize = n }

func (r *Repo) maxFileSize() int64 {
	if r.maxSize <= 0 {
		return DefaultMaxFileSize
	}
	return r.maxSize
}

func tooLarge(path string, size, limit int64) Unread {
	return Unread{Path: path, Message: fmt.Sprintf("filen är %s, mer än gränsen %s, och läses inte: dela upp den, eller höj gränsen med --max-file-size", mib(size), mib(limit))}
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// hidden reports a name that is passed over as no file of the
// repository: a dotfile (.git, an editor's swap file, LibreOffice's lock
// file), or the owner file Microsoft Office keeps beside a file it has
// open (~$kontroller.csv: who has it open, not records).
func hidden(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$")
}

// badName reports a file name that cannot be shown or trusted: invalid
// UTF-8, control characters, a path element of its own, or an identity
// number (docs/reference.md §11: a name is printed, counted and published
// like a record).
func badName(name string) bool {
	if !utf8.ValidString(name) || name == ".." || name == "." || privacy.ContainsIDNumber(name) {
		return true
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == '/' || r == '\\' {
			return true
		}
	}
	return false
}

func badNameUnread(path string) Unread {
	if privacy.ContainsIDNumber(path) {
		return Unread{Path: privacy.Mask(sanitize(path)), Message: "namnet ser ut att innehålla ett personnummer eller samordningsnummer, och det läses inte: byt namn på filen eller mappen"}
	}
	return Unread{Path: sanitize(path), Message: "filnamnet innehåller styrtecken eller ogiltiga tecken, och filen läses inte: byt namn på den"}
}

// sanitize makes a path printable: control characters and bytes that are
// not UTF-8 become "?".
func sanitize(p string) string {
	out := make([]rune, 0, len(p))
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		if r == utf8.RuneError || unicode.IsControl(r) {
			r = '?'
		}
		out = append(out, r)
		i += n
	}
	return string(out)
}

// readAnyway reports whether the slash path p, relative to the root, lies
// under rules/ or data/, which are read as they are.
func readAnyway(p string) bool {
	return p == "rules" || p == "data" || strings.HasPrefix(p, "rules/") || strings.HasPrefix(p, "data/")
}

// linkOutside is the Unread of a symbolic link leading out of the root.
func linkOutside(rel, target, root string, dir bool) Unread {
	what := "filen"
	if dir {
		what = "mappen"
	}
	return Unread{Path: rel, Message: fmt.Sprintf("%s är en symbolisk länk till %s, utanför %s, och läses inte: "+
		"flytta eller kopiera hit det länken pekar på", what, privacy.Mask(target), privacy.Mask(root))}
}

// linkFolder is the Unread of a symbolic link to a folder of the root
// that is not read as it is.
func linkFolder(rel, target string) Unread {
	return Unread{Path: rel, Message: fmt.Sprintf("mappen är en symbolisk länk till %s och läses inte: "+
		"flytta filerna hit i stället för att länka", privacy.Mask(target))}
}

// links are the targets of the symbolic links read, relative to the root,
// each with the link it is read through: a file two links point at is
// read once.
type links map[string]string

// claim takes target for the link rel; false, with a warning, when
// another link has it already.
func (l *links) claim(target, rel string, warnf func(string, ...any)) bool {
	if first, ok := (*l)[target]; ok {
		warnf("%s är en symbolisk länk till %s, som redan läses som %s, och läses inte en gång till", rel, target, first)
		return false
	}
	if *l == nil {
		*l = links{}
	}
	(*l)[target] = rel
	return true
}
