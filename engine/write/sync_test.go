package write

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/source"
)

const kontroller = "data/2022/trafikkontroll.yaml"

// clean fails unless the work tree and the index match HEAD.
func clean(t *testing.T, dir string) {
	t.Helper()
	if s := git(t, dir, "status", "--porcelain", "--untracked-files=all"); s != "" {
		t.Errorf("status of %s:\n%s", dir, s)
	}
}

// Another clone pushed in between: the push is refused, the record is
// made again on top of the remote and pushed; both records are there once.
func TestSyncReapply(t *testing.T) {
	bare := newRemote(t)
	a, b := clone(t, bare), clone(t, bare)
	wa, wb := syncedWriter(t, a), syncedWriter(t, b)
	if res, err := wb.Record([]record.Entry{kontroll("2022-08-20", "från b")}, bo, ""); err != nil || !res.Pushed {
		t.Fatalf("b: %+v %v %v", res, err, wb.Syncer.Err())
	}
	res, err := wa.Record([]record.Entry{kontroll("2022-08-21", "från a")}, anna, "")
	if err != nil {
		t.Fatal(err)
	}
	if !res.Pushed || wa.Syncer.Pending() != 0 || wa.Syncer.Err() != nil {
		t.Fatalf("a: pushed %v, pending %d, %v", res.Pushed, wa.Syncer.Pending(), wa.Syncer.Err())
	}
	if diff := cmp.Diff([]string{"från b", "från a"}, places(records(t, bare, "main", kontroller))); diff != "" {
		t.Errorf("remote (-want +got):\n%s", diff)
	}
	if got := git(t, bare, "log", "--format=%an|%s", "main"); got != "Anna Andersson|Ny post: trafikkontroll 2022-08-21 (polisen)\nBo Berg|Ny post: trafikkontroll 2022-08-20 (polisen)\nTest|Regler" {
		t.Errorf("remote log:\n%s", got)
	}
	if got := git(t, a, "rev-parse", "HEAD"); got != git(t, bare, "rev-parse", "main") {
		t.Errorf("a at %s", got)
	}
	clean(t, a)
	if got := readFile(t, a, kontroller); got != git(t, bare, "show", "main:"+kontroller)+"\n" {
		t.Errorf("a's file:\n%s", got)
	}
	git(t, bare, "fsck", "--strict")
	git(t, a, "fsck", "--strict")

	// b follows with Sync: a fast-forward of branch and work tree.
	if err := wb.Syncer.Sync(context.Background(), bo.When); err != nil {
		t.Fatal(err)
	}
	if got, want := git(t, b, "rev-parse", "HEAD"), git(t, bare, "rev-parse", "main"); got != want {
		t.Errorf("b at %s, remote at %s", got, want)
	}
	clean(t, b)
	if diff := cmp.Diff([]string{"från b", "från a"}, places(records(t, b, "HEAD", kontroller))); diff != "" {
		t.Errorf("b (-want +got):\n%s", diff)
	}
}

// Both servers write while the other is ahead: each Sync brings the other's
// records, nothing twice.
func TestSyncTwoServers(t *testing.T) {
	bare := newRemote(t)
	a, b := clone(t, bare), clone(t, bare)
	wa, wb := syncedWriter(t, a), syncedWriter(t, b)
	ctx := context.Background()
	for i, w := range []*Writer{wa, wb, wa, wb, wb, wa} {
		if _, err := w.Record([]record.Entry{kontroll("2022-08-20", string(rune('A'+i)))}, anna, ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, w := range []*Writer{wa, wb} {
		if err := w.Syncer.Sync(ctx, anna.When); err != nil {
			t.Fatal(err)
		}
	}
	want := places(records(t, bare, "main", kontroller))
	if len(want) != 6 {
		t.Fatalf("remote: %v", want)
	}
	for _, dir := range []string{a, b} {
		if diff := cmp.Diff(want, places(records(t, dir, "HEAD", kontroller))); diff != "" {
			t.Errorf("%s (-remote +got):\n%s", dir, diff)
		}
		clean(t, dir)
	}
	git(t, bare, "fsck", "--strict")
}

// The remote cannot be reached: the record is committed and waits; once
// the remote is back, Sync pushes it.
func TestSyncUnavailable(t *testing.T) {
	bare := newRemote(t)
	a := clone(t, bare)
	wa := syncedWriter(t, a)
	if err := os.Rename(bare, bare+".borta"); err != nil {
		t.Fatal(err)
	}
	res, err := wa.Record([]record.Entry{kontroll("2022-08-20", "väntar")}, anna, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Pushed || res.Commit == "" || wa.Syncer.Pending() != 1 {
		t.Fatalf("pushed %v, commit %q, pending %d", res.Pushed, res.Commit, wa.Syncer.Pending())
	}
	var re *source.RemoteError
	if err := wa.Syncer.Err(); !errors.As(err, &re) || re.Rejected || !strings.Contains(err.Error(), "kan inte") {
		t.Errorf("error: %v", err)
	}
	if err := wa.Syncer.Sync(context.Background(), anna.When); err == nil || wa.Syncer.Pending() != 1 {
		t.Errorf("sync while away: %v, pending %d", err, wa.Syncer.Pending())
	}
	if err := os.Rename(bare+".borta", bare); err != nil {
		t.Fatal(err)
	}
	if err := wa.Syncer.Sync(context.Background(), anna.When); err != nil {
		t.Fatal(err)
	}
	if wa.Syncer.Pending() != 0 || wa.Syncer.Err() != nil {
		t.Errorf("pending %d, %v", wa.Syncer.Pending(), wa.Syncer.Err())
	}
	if got := git(t, bare, "rev-parse", "main"); got != res.Commit {
		t.Errorf("remote at %s, want %s", got, res.Commit)
	}
	git(t, bare, "fsck", "--strict")
}

// The remote rewrote the file: the local record cannot be appended to it.
// The commit stays local, nothing is lost or doubled, and the conflict is
// reported.
func TestSyncConflict(t *testing.T) {
	bare := newRemote(t)
	a, b := clone(t, bare), clone(t, bare)
	wa, wb := syncedWriter(t, a), syncedWriter(t, b)
	if _, err := wb.Record([]record.Entry{kontroll("2022-08-20", "först")}, bo, ""); err != nil {
		t.Fatal(err)
	}
	if err := wa.Syncer.Sync(context.Background(), anna.When); err != nil {
		t.Fatal(err)
	}
	// b rewrites the first record by hand and pushes.
	writeFile(t, b, kontroller, strings.Replace(readFile(t, b, kontroller), "först", "ändrad", 1))
	git(t, b, "commit", "-q", "-am", "Rättning")
	git(t, b, "push", "-q")
	res, err := wa.Record([]record.Entry{kontroll("2022-08-21", "sedan")}, anna, "")
	if err != nil {
		t.Fatal(err)
	}
	var ce *source.ConflictError
	if res.Pushed || !errors.As(wa.Syncer.Err(), &ce) || ce.Path != kontroller || wa.Syncer.Pending() != 1 {
		t.Fatalf("pushed %v, pending %d, %v", res.Pushed, wa.Syncer.Pending(), wa.Syncer.Err())
	}
	if got := git(t, a, "rev-parse", "HEAD"); got != res.Commit {
		t.Errorf("a moved to %s", got)
	}
	if diff := cmp.Diff([]string{"först", "sedan"}, places(records(t, a, "HEAD", kontroller))); diff != "" {
		t.Errorf("a (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ändrad"}, places(records(t, bare, "main", kontroller))); diff != "" {
		t.Errorf("remote (-want +got):\n%s", diff)
	}
	clean(t, a)
}

// A file the remote changed has changes of the user's: Sync refuses
// before anything moves.
func TestSyncDirty(t *testing.T) {
	bare := newRemote(t)
	a, b := clone(t, bare), clone(t, bare)
	wa, wb := syncedWriter(t, a), syncedWriter(t, b)
	if _, err := wa.Record([]record.Entry{kontroll("2022-08-19", "noll")}, anna, ""); err != nil {
		t.Fatal(err)
	}
	if err := wb.Syncer.Sync(context.Background(), bo.When); err != nil {
		t.Fatal(err)
	}
	if _, err := wb.Record([]record.Entry{kontroll("2022-08-20", "från b")}, bo, ""); err != nil {
		t.Fatal(err)
	}
	mine := readFile(t, a, kontroller) + "# egen rad\n"
	writeFile(t, a, kontroller, mine)
	head := git(t, a, "rev-parse", "HEAD")
	err := wa.Syncer.Sync(context.Background(), anna.When)
	if err == nil || !strings.Contains(err.Error(), "har ändringar som inte är incheckade och skulle skrivas över") {
		t.Fatalf("sync: %v", err)
	}
	if got := git(t, a, "rev-parse", "HEAD"); got != head {
		t.Error("HEAD moved")
	}
	if got := readFile(t, a, kontroller); got != mine {
		t.Errorf("file changed:\n%s", got)
	}
}

// Twenty records at once on one server while another pushes too: after a
// Sync on both, the remote holds every record once.
func TestSyncConcurrent(t *testing.T) {
	bare := newRemote(t)
	a, b := clone(t, bare), clone(t, bare)
	wa, wb := syncedWriter(t, a), syncedWriter(t, b)
	var wg sync.WaitGroup
	errs := make([]error, 25)
	for i := range 25 {
		w := wa
		if i%5 == 4 {
			w = wb
		}
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
	ctx := context.Background()
	for _, w := range []*Writer{wa, wb, wa} {
		if err := w.Syncer.Sync(ctx, anna.When); err != nil {
			t.Fatal(err)
		}
	}
	got := places(records(t, bare, "main", kontroller))
	seen := map[string]bool{}
	for _, p := range got {
		seen[p] = true
	}
	if len(got) != 25 || len(seen) != 25 {
		t.Errorf("remote has %d records, %d different: %v", len(got), len(seen), got)
	}
	if n := git(t, bare, "rev-list", "--count", "main"); n != "26" {
		t.Errorf("%s commits at the remote, want 26", n)
	}
	for _, w := range []*Writer{wa, wb} {
		if w.Syncer.Pending() != 0 {
			t.Errorf("pending %d", w.Syncer.Pending())
		}
	}
	clean(t, a)
	git(t, bare, "fsck", "--strict")
	git(t, a, "fsck", "--strict")
}

// Two local commits wait while another clone creates the same file: both
// are made again on top, the second adding to what the first made.
func TestSyncReapplySeveral(t *testing.T) {
	bare := newRemote(t)
	a, b := clone(t, bare), clone(t, bare)
	wa, wb := syncedWriter(t, a), syncedWriter(t, b)
	if err := os.Rename(bare, bare+".borta"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"a1", "a2"} {
		if _, err := wa.Record([]record.Entry{kontroll("2022-08-21", p)}, anna, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Rename(bare+".borta", bare); err != nil {
		t.Fatal(err)
	}
	if _, err := wb.Record([]record.Entry{kontroll("2022-08-20", "b1")}, bo, ""); err != nil {
		t.Fatal(err)
	}
	if err := wa.Syncer.Sync(context.Background(), anna.When); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"b1", "a1", "a2"}, places(records(t, bare, "main", kontroller))); diff != "" {
		t.Errorf("remote (-want +got):\n%s", diff)
	}
	if got := git(t, bare, "log", "--format=%an", "main"); got != "Anna Andersson\nAnna Andersson\nBo Berg\nTest" {
		t.Errorf("log:\n%s", got)
	}
	clean(t, a)
	git(t, bare, "fsck", "--strict")
}

// An undo made while the remote could not be reached goes out on top of
// records added there since: exactly the undone record goes.
func TestSyncUndo(t *testing.T) {
	bare := newRemote(t)
	a, b := clone(t, bare), clone(t, bare)
	wa, wb := syncedWriter(t, a), syncedWriter(t, b)
	res, err := wa.Record([]record.Entry{kontroll("2022-08-20", "a1")}, anna, "")
	if err != nil || !res.Pushed {
		t.Fatalf("%v %v", err, wa.Syncer.Err())
	}
	if err := os.Rename(bare, bare+".borta"); err != nil {
		t.Fatal(err)
	}
	later := anna
	later.When = anna.When.Add(time.Hour)
	if _, err := wa.Undo(res.Commit, later); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(bare+".borta", bare); err != nil {
		t.Fatal(err)
	}
	if err := wb.Syncer.Sync(context.Background(), bo.When); err != nil {
		t.Fatal(err)
	}
	if _, err := wb.Record([]record.Entry{kontroll("2022-08-21", "b1")}, bo, ""); err != nil {
		t.Fatal(err)
	}
	// The caller's ticker: one tick, then closed.
	ticks := make(chan time.Time, 1)
	ticks <- later.When
	close(ticks)
	wa.Syncer.Run(context.Background(), ticks)
	if err := wa.Syncer.Err(); err != nil || wa.Syncer.Pending() != 0 {
		t.Fatalf("pending %d, %v", wa.Syncer.Pending(), err)
	}
	if diff := cmp.Diff([]string{"b1"}, places(records(t, bare, "main", kontroller))); diff != "" {
		t.Errorf("remote (-want +got):\n%s", diff)
	}
	clean(t, a)
	git(t, bare, "fsck", "--strict")
}
