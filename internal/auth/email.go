package auth

import (
	"net/mail"
	"strings"
	"unicode"
)

// maxName bounds a display name; it becomes a commit author, so it is
// kept short and on one line.
const maxName = 200

// normalEmail returns s as a bare, lower-case e-mail address, or false when
// s is not exactly one address (no display name, no angle brackets, no
// list): party membership is decided by it (docs/reference.md §2, §12).
func normalEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 254 {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", false
	}
	return strings.ToLower(s), true
}

// cleanName makes a display name safe as a commit author: no control
// characters, no angle brackets (they delimit the e-mail in "Name <e-mail>"),
// one line, at most maxName characters. It falls back to email.
func cleanName(name, email string) string {
	var b strings.Builder
	n := 0
	for _, r := range name {
		if n == maxName {
			break
		}
		switch {
		case r == '<' || r == '>' || unicode.IsControl(r):
			r = ' '
		case !unicode.IsPrint(r) && !unicode.IsSpace(r):
			continue
		}
		b.WriteRune(r)
		n++
	}
	if s := strings.Join(strings.Fields(b.String()), " "); s != "" {
		return s
	}
	return email
}
