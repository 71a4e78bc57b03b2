package write

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lofte/lofte/engine/record"
)

func TestRecordOneCommit(t *testing.T) {
	dir := newRepo(t)
	w := newWriter(t, dir)
	res, err := w.Record([]record.Entry{kontroll("2022-08-20", "väg 47")}, anna, "")
	if err != nil {
		t.Fatal(err)
	}
	if head := git(t, dir, "rev-parse", "HEAD"); head != res.Commit {
		t.Errorf("HEAD %s, commit %s", head, res.Commit)
	}
	if got := git(t, dir, "log", "-1", "--format=%an <%ae>|%cn|%s", "--name-only"); got != "Anna Andersson <anna@example.org>|Anna Andersson|Ny post: trafikkontroll 2022-08-20 (polisen)\n\ndata/2022/trafikkontroll.yaml" {
		t.Errorf("commit:\n%s", got)
	}
	if diff := cmp.Diff(Result{Commit: res.Commit, Files: []string{"data/2022/trafikkontroll.yaml"}, Lines: []int{1},
		Paths: []string{"data/2022/trafikkontroll.yaml"}}, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}

	// Several records of two years and two types: one commit, three files,
	// a server's identity as committer.
	w.Committer = bo
	w.Committer.When = time.Time{}
	res, err = w.Record([]record.Entry{
		kontroll("2022-08-21", "torget"),
		{Type: "Hundsok", Date: day("2023-01-05"), By: []string{"polisen"}, Fields: []record.EntryField{{Name: "plats", Value: "gymnasium"}}},
		kontroll("2022-08-22", "hamnen"),
		kontroll("2023-02-01", "skolan"),
	}, anna, "Uppladdning")
	if err != nil {
		t.Fatal(err)
	}
	if got := git(t, dir, "log", "--format=%an|%cn|%ct|%s", "-1", "--name-only"); got != "Anna Andersson|Bo Berg|1663149600|Uppladdning\n\ndata/2022/trafikkontroll.yaml\ndata/2023/hundsok.yaml\ndata/2023/trafikkontroll.yaml" {
		t.Errorf("commit:\n%s", got)
	}
	want := Result{Commit: res.Commit,
		Files: []string{"data/2022/trafikkontroll.yaml", "data/2023/hundsok.yaml", "data/2023/trafikkontroll.yaml"},
		Lines: []int{6, 1, 11, 1},
		Paths: []string{"data/2022/trafikkontroll.yaml", "data/2023/hundsok.yaml", "data/2022/trafikkontroll.yaml", "data/2023/trafikkontroll.yaml"}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	for i, p := range res.Paths {
		lines := strings.Split(readFile(t, dir, p), "\n")
		if !strings.HasPrefix(lines[res.Lines[i]-1], "- date: ") {
			t.Errorf("%s:%d is %q", p, res.Lines[i], lines[res.Lines[i]-1])
		}
	}
	if got := git(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("status:\n%s", got)
	}
	git(t, dir, "fsck", "--strict")
}

func TestRecordInvalid(t *testing.T) {
	dir := newRepo(t)
	w := newWriter(t, dir)
	head := git(t, dir, "rev-parse", "HEAD")
	for _, tc := range []struct {
		name    string
		entries []record.Entry
		want    []string // entry:field
	}{
		{"value", []record.Entry{kontroll("2022-08-20", "ok"), {Type: "trafikkontroll", Date: day("2022-08-20"), By: []string{"polis"},
			Fields: []record.EntryField{{Name: "form", Value: "cvil"}, {Name: "fom", Value: "x"}}}},
			[]string{"1:by", "1:form", "1:fom"}},
		{"required", []record.Entry{{Type: "hundsok", Date: day("2022-08-20"), By: []string{"polisen"}}}, []string{"0:plats"}},
		{"assessment", []record.Entry{{Type: "assessment", Date: day("2022-08-20"), By: []string{"polisen"},
			Fields: []record.EntryField{{Name: "commitment", Value: "trafik.kontroller"}, {Name: "status", Value: "met"}}}},
			[]string{"0:commitment"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.Record(tc.entries, anna, "")
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("error %v, want an InvalidError", err)
			}
			var got []string
			for _, p := range inv.Problems {
				got = append(got, fmt.Sprintf("%d:%s", p.Entry, p.Field))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s\n%v", diff, inv.List())
			}
		})
	}
	if h := git(t, dir, "rev-parse", "HEAD"); h != head {
		t.Error("a commit was made")
	}
	if got := git(t, dir, "status", "--porcelain", "--untracked-files=all"); got != "" {
		t.Errorf("written:\n%s", got)
	}
	// A manual commitment is fine.
	if _, err := w.Record([]record.Entry{{Type: "assessment", Date: day("2022-08-20"), By: []string{"polisen"},
		Fields: []record.EntryField{{Name: "commitment", Value: "trafik.bedoms"}, {Name: "status", Value: "met"}}}}, anna, ""); err != nil {
		t.Fatal(err)
	}
}

// Twenty people record at once: twenty commits, every record once.
func TestRecordConcurrent(t *testing.T) {
	dir := newRepo(t)
	w := newWriter(t, dir)
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range 20 {
		wg.Go(func() {
			_, errs[i] = w.Record([]record.Entry{kontroll("2022-08-20", fmt.Sprintf("plats %02d", i))}, anna, "")
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := git(t, dir, "rev-list", "--count", "HEAD"); n != "21" {
		t.Errorf("%s commits, want 21", n)
	}
	got := places(records(t, dir, "HEAD", "data/2022/trafikkontroll.yaml"))
	if len(got) != 20 {
		t.Errorf("%d records: %v", len(got), got)
	}
	seen := map[string]bool{}
	for _, p := range got {
		seen[p] = true
	}
	if len(seen) != 20 {
		t.Errorf("duplicates: %v", got)
	}
	if s := git(t, dir, "status", "--porcelain"); s != "" {
		t.Errorf("status:\n%s", s)
	}
	git(t, dir, "fsck", "--strict")
}

func TestUndo(t *testing.T) {
	dir := newRepo(t)
	w := newWriter(t, dir)
	first, err := w.Record([]record.Entry{kontroll("2022-08-20", "ett")}, anna, "")
	if err != nil {
		t.Fatal(err)
	}
	mine, err := w.Record([]record.Entry{kontroll("2022-08-21", "två"), kontroll("2023-01-02", "tre")}, anna, "")
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := w.Record([]record.Entry{kontroll("2022-08-22", "fyra")}, bo, "")
	if err != nil {
		t.Fatal(err)
	}

	// Someone else's commit.
	later := anna
	later.When = anna.When.Add(time.Hour)
	if _, err := w.Undo(theirs.Commit, later); !errors.Is(err, ErrNotAllowed) || !strings.Contains(err.Error(), "någon annan") {
		t.Errorf("undo of another's commit: %v", err)
	}
	// Too old.
	old := anna
	old.When = anna.When.Add(UndoWindow + time.Minute)
	if _, err := w.Undo(first.Commit, old); !errors.Is(err, ErrNotAllowed) || !strings.Contains(err.Error(), "äldre än ett dygn") {
		t.Errorf("undo of an old commit: %v", err)
	}
	// Mine, with a later commit in the same file: exactly my lines go.
	hash, err := w.Undo(mine.Commit, later)
	if err != nil {
		t.Fatal(err)
	}
	if got := git(t, dir, "log", "-1", "--format=%an|%s"); got != "Anna Andersson|Ångra: Nya poster: 2 st (trafikkontroll)" {
		t.Errorf("undo commit: %s", got)
	}
	if head := git(t, dir, "rev-parse", "HEAD"); head != hash {
		t.Errorf("HEAD %s, undo %s", head, hash)
	}
	if diff := cmp.Diff([]string{"ett", "fyra"}, places(records(t, dir, "HEAD", "data/2022/trafikkontroll.yaml"))); diff != "" {
		t.Errorf("2022 (-want +got):\n%s", diff)
	}
	if got := readFile(t, dir, "data/2023/trafikkontroll.yaml"); got != "" {
		t.Errorf("2023: %q", got)
	}
	// Twice: the records are gone already.
	if _, err := w.Undo(mine.Commit, later); err == nil || !strings.Contains(err.Error(), "finns inte längre") {
		t.Errorf("second undo: %v", err)
	}
	if s := git(t, dir, "status", "--porcelain"); s != "" {
		t.Errorf("status:\n%s", s)
	}
	git(t, dir, "fsck", "--strict")
}

func TestRecent(t *testing.T) {
	dir := newRepo(t)
	w := newWriter(t, dir)
	var hashes []string
	for i, who := range []struct {
		id  string
		day int
	}{{"anna", 1}, {"bo", 2}, {"anna", 3}, {"anna", 4}} {
		by := anna
		if who.id == "bo" {
			by = bo
		}
		by.When = time.Date(2022, 9, who.day, 12, 0, 0, 0, time.UTC)
		res, err := w.Record([]record.Entry{kontroll("2022-08-20", fmt.Sprint(i))}, by, fmt.Sprintf("post %d", i))
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, res.Commit)
	}
	got, err := w.Recent("Anna@Example.org", time.Date(2022, 9, 2, 0, 0, 0, 0, time.UTC), 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []Commit{
		{Hash: hashes[3], When: time.Date(2022, 9, 4, 12, 0, 0, 0, time.UTC), Message: "post 3", Files: []string{"data/2022/trafikkontroll.yaml"}},
		{Hash: hashes[2], When: time.Date(2022, 9, 3, 12, 0, 0, 0, time.UTC), Message: "post 2", Files: []string{"data/2022/trafikkontroll.yaml"}},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got, _ := w.Recent("anna@example.org", time.Time{}, 1); len(got) != 1 || got[0].Hash != hashes[3] {
		t.Errorf("limit 1: %v", got)
	}
}

// An Excel upload: "sep=;", a byte order mark, Windows-1252.
func TestPreviewImport(t *testing.T) {
	dir := newRepo(t)
	w := newWriter(t, dir)
	head := git(t, dir, "rev-parse", "HEAD")
	bad := "\xef\xbb\xbfsep=;\ndate;type;by;plats;skola\n2022-09-14;hundsok;polisen;grundskola;Centralskolan\n2022-09-15;hundsok;polisen;skogen;\n2022-09-16;trafikkontroll;polisen+kommunen;;\n"
	p, err := w.Preview("uppladdning.csv", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pr := range p.Problems {
		got = append(got, fmt.Sprintf("row %d col %d %s entry %d", pr.Row, pr.Column, pr.Field, pr.Entry))
	}
	want := []string{"row 4 col 4 plats entry 1", "row 5 col 0 form entry 2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if len(p.Rows) != 3 || p.Rows[0].Entry.Type != "hundsok" || len(p.Rows[0].Problems) != 0 || len(p.Rows[1].Problems) != 1 || p.OK() {
		t.Errorf("rows: %+v", p.Rows)
	}
	if _, err := w.Import("uppladdning.csv", []byte(bad), anna, ""); !errors.As(err, new(*InvalidError)) {
		t.Errorf("import of a bad file: %v", err)
	}
	if h := git(t, dir, "rev-parse", "HEAD"); h != head {
		t.Error("a commit was made")
	}

	good := "sep=;\r\ndate;type;by;plats;skola;form\r\n2022-09-14;hundsok;polisen;grundskola;Centralskolan\r\n" +
		"2022-09-15;hundsok;polisen;gymnasium;S\xf6dra skolan\r\n2023-01-16;trafikkontroll;polisen+kommunen;;;civil\r\n"
	res, err := w.Import("uppladdning.csv", []byte(good), anna, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := git(t, dir, "log", "--format=%an|%s", "--name-only", head+"..HEAD"); got != "Anna Andersson|Uppladdning: uppladdning.csv (3 poster)\n\ndata/2022/hundsok.yaml\ndata/2023/trafikkontroll.yaml" {
		t.Errorf("commits:\n%s", got)
	}
	if diff := cmp.Diff([]int{1, 6, 1}, res.Lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if got := readFile(t, dir, "data/2022/hundsok.yaml"); !strings.Contains(got, "skola: Södra skolan") {
		t.Errorf("hundsok.yaml:\n%s", got)
	}
}
