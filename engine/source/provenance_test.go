package source

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// lineKeys reads a test data file: each line is a record whose key is
// its text; a file starting with "!!" cannot be read.
func lineKeys(_ string, data []byte) ([]RecordRef, bool) {
	if strings.HasPrefix(string(data), "!!") {
		return nil, true
	}
	var refs []RecordRef
	for i, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		sum := sha256.Sum256([]byte(line))
		var k RecordKey
		copy(k[:], sum[:])
		refs = append(refs, RecordRef{Key: k, Type: line, Date: "2022-01-01", By: []string{"polisen"}, Line: i + 1})
	}
	return refs, false
}

func lineOptions(noCache bool) ProvenanceOptions {
	csv := func(p string) bool { return strings.HasSuffix(p, ".csv") }
	return ProvenanceOptions{Files: csv, Keys: lineKeys, Fingerprint: "rader", NoCache: noCache}
}

// owners renders, for each record text, the subjects of the commits that
// added it (oldest first) and where: "r1=första@data/a.csv:1".
func owners(h *History) string {
	by := map[string][]string{}
	for _, a := range h.Added {
		by[a.Type] = append(by[a.Type], fmt.Sprintf("%s@%s:%d", h.Commits[a.Commit].Subject, a.Path, a.Line))
	}
	var lines []string
	for typ, cs := range by {
		lines = append(lines, typ+"="+strings.Join(cs, ","))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n"
}

func provenance(t *testing.T, r *Repo, rev string, opt ProvenanceOptions) *History {
	t.Helper()
	h, err := r.Provenance(rev, opt)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// provenanceRepo builds a history commit by commit with the git command
// line: additions, a rename (git mv), a side branch merged with --no-ff,
// an edit, a file broken and repaired, and the same record in two files.
func provenanceRepo(t *testing.T) *testRepo {
	r := newTestRepo(t)
	r.write("rules/a.yaml", "promise: a\n", "data/a.csv", "r1\nr2\n", "data/README.md", "inga poster\n")
	r.commit("2022-01-10T12:00:00+01:00", "första")
	r.write("data/a.csv", "r1\nr2\nr3\n")
	r.commit("2022-01-11T12:00:00+01:00", "r3")
	if err := os.MkdirAll(r.path("data/2022"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.git("mv", "data/a.csv", "data/2022/a.csv")
	r.commit("2022-01-12T12:00:00+01:00", "flytt")
	r.git("checkout", "-q", "-b", "sido")
	r.write("data/b.csv", "r4\n")
	r.commit("2022-01-13T12:00:00+01:00", "r4 på sidan")
	r.git("checkout", "-q", "main")
	r.write("data/2022/a.csv", "r1\nr2\nr3\nr5\n")
	r.commit("2022-01-14T12:00:00+01:00", "r5")
	r.gitAt("2022-01-15T12:00:00+01:00", "merge", "-q", "--no-ff", "-m", "sammanslagning", "sido")
	r.write("data/2022/a.csv", "r1x\nr2\nr3\nr5\n")
	r.commit("2022-01-16T12:00:00+01:00", "r1 rättad")
	r.write("data/b.csv", "!!r4\n")
	r.commit("2022-01-17T12:00:00+01:00", "trasig")
	r.write("data/b.csv", "r4\nr6\n")
	r.commit("2022-01-18T12:00:00+01:00", "lagad")
	r.write("data/c.csv", "r2\n")
	r.commit("2022-01-19T12:00:00+01:00", "r2 igen")
	return r
}

func TestProvenance(t *testing.T) {
	r := provenanceRepo(t)
	repo := mustOpen(t, r.dir)
	h := provenance(t, repo, "", lineOptions(true))
	want := `r1=första@data/a.csv:1
r1x=r1 rättad@data/2022/a.csv:1
r2=första@data/a.csv:2,r2 igen@data/c.csv:1
r3=r3@data/a.csv:3
r4=r4 på sidan@data/b.csv:1
r5=r5@data/2022/a.csv:4
r6=lagad@data/b.csv:2
`
	if got := owners(h); got != want {
		t.Errorf("additions:\n%s\nwant:\n%s", got, want)
	}
	if len(h.Commits) != 10 || h.Walked != 10 {
		t.Errorf("%d commits, %d walked; want 10", len(h.Commits), h.Walked)
	}
	if tip, ok := h.TipCommit(); !ok || tip.Subject != "r2 igen" || tip.Author != "Test" || tip.Email != "test@example.org" ||
		tip.When.Format("2006-01-02T15:04:05-07:00") != "2022-01-19T12:00:00+01:00" {
		t.Errorf("tip %+v", tip)
	}
	// Parents come first.
	pos := map[string]int{}
	for i, c := range h.Commits {
		pos[c.Subject] = i
	}
	if !(pos["r4 på sidan"] < pos["sammanslagning"] && pos["r5"] < pos["sammanslagning"] && pos["första"] == 0) {
		t.Errorf("order %v", pos)
	}

	// At an older revision: before the merge, r4 is not there.
	old := provenance(t, repo, "HEAD~5", lineOptions(true))
	if got := owners(old); strings.Contains(got, "r4") || !strings.Contains(got, "r5=r5@") {
		t.Errorf("at HEAD~5:\n%s", got)
	}
}

// TestProvenanceCache: the second call reads no commit, a call after two
// new commits reads two, and each gives what a walk without the cache
// gives. An older revision is walked afresh and leaves the cache alone; a
// new fingerprint rebuilds it.
func TestProvenanceCache(t *testing.T) {
	r := provenanceRepo(t)
	repo := mustOpen(t, r.dir)
	first := provenance(t, repo, "", lineOptions(false))
	if first.Walked != 10 {
		t.Fatalf("first call walked %d commits, want 10", first.Walked)
	}
	if _, err := os.Stat(filepath.Join(r.dir, ".git", "lofte", "provenance.gob")); err != nil {
		t.Fatalf("no cache: %v", err)
	}
	again := provenance(t, repo, "", lineOptions(false))
	if again.Walked != 0 || owners(again) != owners(first) || len(again.Commits) != 10 {
		t.Errorf("second call walked %d commits\n%s", again.Walked, owners(again))
	}

	r.write("data/d.csv", "r7\n")
	r.commit("2022-01-20T12:00:00+01:00", "r7")
	r.write("data/d.csv", "r7\nr8\n")
	r.commit("2022-01-21T12:00:00+01:00", "r8")
	next := provenance(t, repo, "", lineOptions(false))
	fresh := provenance(t, repo, "", lineOptions(true))
	if next.Walked != 2 {
		t.Errorf("after two commits walked %d, want 2", next.Walked)
	}
	if owners(next) != owners(fresh) || !strings.Contains(owners(next), "r8=r8@data/d.csv:2") {
		t.Errorf("cached:\n%s\nfresh:\n%s", owners(next), owners(fresh))
	}

	older := provenance(t, repo, "HEAD~1", lineOptions(false))
	if older.Walked != 11 {
		t.Errorf("older revision walked %d, want 11", older.Walked)
	}
	if h := provenance(t, repo, "", lineOptions(false)); h.Walked != 0 {
		t.Errorf("HEAD after an older revision walked %d, want 0", h.Walked)
	}
	other := lineOptions(false)
	other.Fingerprint = "annan"
	if h := provenance(t, repo, "", other); h.Walked != 12 {
		t.Errorf("new fingerprint walked %d, want 12", h.Walked)
	}

	// A damaged cache is rebuilt.
	if err := os.WriteFile(filepath.Join(r.dir, ".git", "lofte", "provenance.gob"), []byte("skräp"), 0o644); err != nil {
		t.Fatal(err)
	}
	if h := provenance(t, repo, "", other); h.Walked != 12 || owners(h) != owners(fresh) {
		t.Errorf("damaged cache: walked %d", h.Walked)
	}
}

func TestProvenanceEmpty(t *testing.T) {
	r := newTestRepo(t)
	h := provenance(t, mustOpen(t, r.dir), "", lineOptions(false))
	if h.Tip != "" || len(h.Added) != 0 {
		t.Errorf("no commits: %+v", h)
	}
	plain := t.TempDir()
	h, err := mustOpen(t, plain).Provenance("", lineOptions(false))
	if err != nil || h.Tip != "" {
		t.Errorf("plain folder: %v %+v", err, h)
	}
}
