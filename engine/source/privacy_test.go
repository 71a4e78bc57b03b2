package source

import (
	"os"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/privacy"
)

// A file or folder whose name holds an identity number is not read, in
// the working tree and at a revision, and is reported with the number
// masked (docs/reference.md §11).
func TestIDNumberInName(t *testing.T) {
	r := baseRepo(t)
	r.write(
		"data/2022/811218-9876/19811218-9876.yaml", "- a\n",
		"data/19811218\u20139876.yaml", "- a\n",
		"data/x.csv", "- a\n",
	)
	// A link whose target names a number is reported masked too.
	if err := os.Symlink("../../811218-9876.yaml", r.path("data/l.yaml")); err != nil {
		t.Skip(err)
	}
	r.commit("2022-01-11T12:00:00+01:00", "namn")

	work, err := mustOpen(t, r.dir).WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	rev, err := mustOpen(t, r.dir).Revision("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if work.Dirty {
		t.Error("working tree dirty: a file not read is no change")
	}
	for name, s := range map[string]*Snapshot{"working tree": work, "HEAD": rev} {
		want := append(append([]string{}, baseFiles[:4]...), append([]string{"data/x.csv", "- a\n"}, baseFiles[4:]...)...)
		wantListing(t, s, want...)
		var paths []string
		link := false // the link is said, its target masked: a warning when it leads nowhere, else an error
		for _, w := range s.Warnings {
			link = link || strings.Contains(w, "../../XXXXXX-XXXX.yaml,")
		}
		for _, u := range s.Unread {
			if u.Path == "data/l.yaml" {
				link = link || strings.Contains(u.Message, "../../XXXXXX-XXXX.yaml,")
				continue
			}
			paths = append(paths, u.Path)
			switch {
			case !strings.Contains(u.Message, "personnummer"):
				t.Errorf("%s: message %q for %s", name, u.Message, u.Path)
			}
			if privacy.ContainsIDNumber(u.Message) {
				t.Errorf("%s: message %q repeats the number", name, u.Message)
			}
		}
		if got, want := strings.Join(paths, " "), "data/XXXXXXXX-XXXX.yaml data/2022/XXXXXX-XXXX"; got != want {
			t.Errorf("%s: unread %q, want %q", name, got, want)
		}
		if !link {
			t.Errorf("%s: the link is not said, masked: %q %v", name, s.Warnings, s.Unread)
		}
		for _, w := range s.Warnings {
			if privacy.ContainsIDNumber(w) {
				t.Errorf("%s: warning %q repeats the number", name, w)
			}
		}
	}
}

// An author name, address or commit subject holding an identity number is
// masked where the commit is read, for every use of it
// (docs/reference.md §11).
func TestIDNumberInAuthor(t *testing.T) {
	r := baseRepo(t)
	r.write("data/2022/trafik.csv", "datum;plats\n2022-02-01;Mullsjö\n")
	cmd := gitCommand(r.dir, "commit", "-q", "-a", "-m", "Poster från 19811218\u20139876")
	cmd.Env = append(gitEnv("2022-02-01T12:00:00+01:00"),
		"GIT_AUTHOR_NAME=Test 811218-9876", "GIT_AUTHOR_EMAIL=198112189876@example.org")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git commit: %v\n%s", err, out)
	}
	check := func(what string, name, email, subject string) {
		t.Helper()
		if name != "Test XXXXXX-XXXX" || email != "XXXXXXXXXXXX@example.org" || subject != "Poster från XXXXXXXX-XXXX" {
			t.Errorf("%s: %q <%q> %q, want the number masked", what, name, email, subject)
		}
	}
	repo := mustOpen(t, r.dir)
	changes, err := repo.LastChanges("", []string{"data/2022/trafik.csv"})
	if err != nil {
		t.Fatal(err)
	}
	c := changes["data/2022/trafik.csv"]
	check("LastChanges", c.Author, c.Email, c.Subject)
	for range 2 { // walked, then read from the cache
		h, err := repo.Provenance("", lineOptions(false))
		if err != nil {
			t.Fatal(err)
		}
		last := h.Commits[len(h.Commits)-1]
		check("Provenance", last.Author, last.Email, last.Subject)
	}
}
