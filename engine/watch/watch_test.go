package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/eval"
)

// TestCommitLiftsBehind: a record committed with git lifts a commitment
// from behind to on track, and the report names the new commit.
func TestCommitLiftsBehind(t *testing.T) {
	dir := newRepo(t)
	h := start(t, dir, Options{})
	writeFile(t, dir, "data/2022/juli.csv", oneControl)
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "En kontroll i juli")
	e := h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
	tr := e.Transition
	if *tr.Value != 7 || *tr.Target != 12 || *tr.Expected != 7 || tr.Promise != "p" || tr.Year != 2022 {
		t.Errorf("transition %+v", tr)
	}
	if want := "7 av 12 registrerade, förväntat 7 vid 31 aug"; tr.Reason != want {
		t.Errorf("reason %q, want %q", tr.Reason, want)
	}
	head := git(t, dir, "rev-parse", "HEAD")
	h.waitFor("the report names the new commit", func() bool {
		rep := h.w.Current()
		return rep.Source.Commit == head && !rep.Source.Dirty
	})
}

// TestCommitWithoutQuietPeriod: a new commit (a ref moved) is evaluated at
// once; the quiet period, here an hour, is for editors' saves only.
func TestCommitWithoutQuietPeriod(t *testing.T) {
	dir := newRepo(t)
	h := start(t, dir, Options{Quiet: time.Hour, MaxWait: time.Hour})
	writeFile(t, dir, "data/2022/juli.csv", oneControl)
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "En kontroll i juli")
	h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
	head := git(t, dir, "rev-parse", "HEAD")
	h.waitFor("the report names the new commit", func() bool {
		rep := h.w.Current()
		return rep.Source.Commit == head && !rep.Source.Dirty
	})
	git(t, dir, "commit", "-q", "--allow-empty", "-m", "Tom")
	head = git(t, dir, "rev-parse", "HEAD")
	h.waitFor("the report names the empty commit", func() bool { return h.w.Current().Source.Commit == head })
}

// TestCommitBurst: commits that come faster than they are evaluated (a
// script, a rebase) are one evaluation, at the last commit, not one per
// commit. Their events are held and let go at once, as they reach a
// watcher still busy with an evaluation.
func TestCommitBurst(t *testing.T) {
	dir := newRepo(t)
	fs, err := newTestFS()
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, dir, Options{newFS: func() (fsWatcher, error) { return fs, nil }})
	n := h.w.evaluationCount()
	fs.hold <- true
	juli := filepath.Join(dir, "data", "2022", "juli.csv")
	for i := range 20 {
		if i%2 == 0 {
			writeFile(t, dir, "data/2022/juli.csv", oneControl)
		} else if err := os.Remove(juli); err != nil {
			t.Fatal(err)
		}
		git(t, dir, "add", "-A")
		git(t, dir, "commit", "-q", "-m", fmt.Sprintf("Commit %d", i))
	}
	fs.hold <- false
	head := git(t, dir, "rev-parse", "HEAD")
	h.waitFor("the last commit is evaluated", func() bool { return h.w.Current().Source.Commit == head })
	// A change after the burst: its evaluation comes after every one the
	// burst made.
	writeFile(t, dir, "data/2022/juli.csv", oneControl)
	h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
	if got := h.w.evaluationCount() - n; got != 2 {
		t.Errorf("%d evaluations for a burst of 20 commits and one change, want 2", got)
	}
	if changes := slices.DeleteFunc(h.since(1), func(e Event) bool { return e.Kind != Change }); len(changes) != 1 {
		t.Errorf("%d transitions, want the one of the change after the burst; events:\n%s", len(changes), h.log())
	}
}

// TestRuleEditChangesTarget: a new target in the rule file re-evaluates
// with the rule compiled again.
func TestRuleEditChangesTarget(t *testing.T) {
	dir := newRepo(t)
	h := start(t, dir, Options{})
	writeFile(t, dir, "rules/p.yaml", strings.Replace(testPromise, ">= 12", ">= 6", 1))
	e := h.wait("behind → met", change("trafik.kontroller", eval.Behind, eval.Met))
	if e.Transition.Reason != "6 av 6 registrerade: målet är nått" {
		t.Errorf("reason %q", e.Transition.Reason)
	}
}

// TestSaveThroughRename: editors save to a temporary file and rename it
// over the original; their swap and backup files are not records.
func TestSaveThroughRename(t *testing.T) {
	dir := newRepo(t)
	h := start(t, dir, Options{})
	name := filepath.Join(dir, "data", "2022", "kontroller.csv")
	writeFile(t, dir, "data/2022/.kontroller.csv.swp", "not a record file")
	if err := os.Rename(name, name+"~"); err != nil { // vim's backup
		t.Fatal(err)
	}
	writeFile(t, dir, "data/2022/kontroller.csv.tmp", testControls+"2022-07-05,trafikkontroll,polisen,civil\n")
	if err := os.Rename(name+".tmp", name); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(name + "~"); err != nil {
		t.Fatal(err)
	}
	h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
	for _, e := range h.since(0) {
		if e.Kind == Problem {
			t.Errorf("unexpected %s", describe(e))
		}
	}
}

// TestExcelSave: Excel keeps an owner file (~$name.csv, binary) beside a
// workbook it has open, and saves by writing a new file and removing the
// old; the owner file is not a record file and no problem.
func TestExcelSave(t *testing.T) {
	dir := newRepo(t)
	h := start(t, dir, Options{})
	writeFile(t, dir, "data/2022/~$kontroller.csv", "\x07Testare\x00\x00\x00\x00\x00\x00")
	name := filepath.Join(dir, "data", "2022", "kontroller.csv")
	writeFile(t, dir, "data/2022/A1B2C3D4", testControls+"2022-07-05,trafikkontroll,polisen,civil\n")
	if err := os.Remove(name); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "data", "2022", "A1B2C3D4"), name); err != nil {
		t.Fatal(err)
	}
	h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
	for _, e := range h.since(0) {
		if e.Kind == Problem {
			t.Errorf("unexpected %s", describe(e))
		}
	}
	if ds := h.w.Current().Diags; len(ds) != 0 {
		t.Errorf("the report has problems: %v", ds)
	}
}

// TestNewSubdirectory: folders made after the start are watched, and a
// file written into them before their watch lands is read.
func TestNewSubdirectory(t *testing.T) {
	dir := newRepo(t)
	h := start(t, dir, Options{})
	writeFile(t, dir, "data/2022/juli/vecka27/kontroll.csv", oneControl)
	h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
	// The new folders are watched now: a file removed there is seen.
	if err := os.Remove(filepath.Join(dir, "data/2022/juli/vecka27/kontroll.csv")); err != nil {
		t.Fatal(err)
	}
	h.wait("on track → behind", change("trafik.kontroller", eval.OnTrack, eval.Behind))
}

// TestCheckoutBranch: switching branches re-evaluates, both ways.
func TestCheckoutBranch(t *testing.T) {
	dir := newRepo(t)
	git(t, dir, "checkout", "-q", "-b", "mer")
	writeFile(t, dir, "data/2022/juli.csv", oneControl)
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "En kontroll till")
	git(t, dir, "checkout", "-q", "main")
	h := start(t, dir, Options{})
	git(t, dir, "checkout", "-q", "mer")
	h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
	mer := git(t, dir, "rev-parse", "HEAD")
	h.waitFor("the report names the branch's commit", func() bool { return h.w.Current().Source.Commit == mer })
	git(t, dir, "checkout", "-q", "main")
	h.wait("on track → behind", change("trafik.kontroller", eval.OnTrack, eval.Behind))
}

// TestGCThenCommit: `git gc` packs the refs and removes the loose one;
// that is no deleted branch, and a commit after it is seen.
func TestGCThenCommit(t *testing.T) {
	dir := newRepo(t)
	h := start(t, dir, Options{})
	n := h.w.evaluationCount()
	git(t, dir, "gc", "-q", "--prune=now")
	h.waitFor("an evaluation after git gc", func() bool { return h.w.evaluationCount() > n })
	writeFile(t, dir, "data/2022/juli.csv", oneControl)
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "Efter gc")
	h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
	head := git(t, dir, "rev-parse", "HEAD")
	h.waitFor("the report names the commit after gc", func() bool {
		rep := h.w.Current()
		return rep.Source.Commit == head && !rep.Source.Dirty
	})
	for _, e := range h.since(0) {
		if e.Kind == Problem {
			t.Errorf("unexpected %s", describe(e))
		}
	}
}

// TestBrokenRuleKeepsLastGood: a rule file that stops compiling is an
// error event; its last good rules go on being evaluated (a new record
// still moves a status), and the fix is a recovery.
func TestBrokenRuleKeepsLastGood(t *testing.T) {
	dir := newRepo(t)
	h := start(t, dir, Options{})
	broken := strings.Replace(testPromise, "count(trafikkontroll)", "count(trafikkontrol)", 1)
	writeFile(t, dir, "rules/p.yaml", broken)
	// Problems come in the order of their place: the file's warning first.
	h.wait("the warning that the last good version is used", problem("senast var utan fel"))
	e := h.wait("the compile error", problem("okänd aktivitetstyp"))
	if e.Diag.File != "rules/p.yaml" || e.Diag.Line != 11 || !strings.Contains(e.Snippet, "count(trafikkontrol)") {
		t.Errorf("error event %s with snippet %q", describe(e), e.Snippet)
	}

	writeFile(t, dir, "data/2022/juli.csv", oneControl)
	h.wait("behind → on track by the last good rule", change("trafik.kontroller", eval.Behind, eval.OnTrack))

	writeFile(t, dir, "rules/p.yaml", testPromise)
	r := h.wait("the recovery", func(e Event) bool { return e.Kind == Recovered })
	if r.File != "rules/p.yaml" || r.Message != "inga fel kvar i rules/p.yaml" {
		t.Errorf("recovered %q: %q", r.File, r.Message)
	}
}

// TestHalfWrittenRecords: a record file caught half written, which cannot
// be read at all, is an error, and its records as last read still count:
// nothing looks missed meanwhile. Completed, it recovers.
func TestHalfWrittenRecords(t *testing.T) {
	dir := newRepo(t)
	h := start(t, dir, Options{})
	writeFile(t, dir, "data/2022/hundsok.yaml", testSearches+"- {date: 2022-08-0")
	h.wait("the warning that the last good records count", problem("de 1 som lästes senast"))
	h.wait("the syntax error", func(e Event) bool { return e.Kind == Problem && e.Diag.File == "data/2022/hundsok.yaml" })
	writeFile(t, dir, "data/2022/hundsok.yaml", testSearches+"- {date: 2022-08-02, type: hundsok, by: polisen, plats: gymnasium}\n")
	h.wait("HT on track → met", change("droger.hundsok", eval.OnTrack, eval.Met))
	h.wait("the recovery", func(e Event) bool { return e.Kind == Recovered && e.File == "data/2022/hundsok.yaml" })
	for _, e := range h.since(0) {
		if e.Kind == Change && e.Transition.Commitment == "droger.hundsok" && e.Transition.To != eval.Met {
			t.Errorf("unexpected %s", describe(e))
		}
	}
}

// TestBurst: 2,000 files written at once are a few evaluations, not 2,000.
func TestBurst(t *testing.T) {
	dir := newRepo(t)
	h := start(t, dir, Options{})
	n := h.w.evaluationCount()
	for i := range 2000 {
		writeFile(t, dir, fmt.Sprintf("data/2022/import/%04d.csv", i), oneControl)
	}
	h.wait("behind → met", change("trafik.kontroller", eval.Behind, eval.Met))
	h.waitFor("all 2,000 records counted", func() bool {
		v := h.w.Current().Evaluations[0].Results[0].Windows[0].Value
		return v != nil && *v == 2006
	})
	if got := h.w.evaluationCount() - n; got > 5 {
		t.Errorf("%d evaluations for one burst of 2,000 files", got)
	}
}

// TestExecEnvironment: --exec gets the transition in its environment, and
// record and rule content never reach a shell as code.
func TestExecEnvironment(t *testing.T) {
	dir := newRepo(t)
	out := filepath.Join(t.TempDir(), "ut.txt")
	pwned := filepath.Join(t.TempDir(), "pwned")
	evil := fmt.Sprintf("$(touch %s); touch %s `touch %s`", pwned, pwned, pwned)
	writeFile(t, dir, "rules/p.yaml", strings.Replace(testPromise, "Minst tolv trafikkontroller under året.", evil, 1))
	git(t, dir, "commit", "-q", "-am", "Text")
	cmd := `printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$LOFTE_PROMISE" "$LOFTE_PERIOD" "$LOFTE_ID" "$LOFTE_FROM" "$LOFTE_TO" ` +
		`"$LOFTE_VALUE" "$LOFTE_TARGET" "$LOFTE_EXPECTED" "$LOFTE_SINCE" "$LOFTE_TEXT" "$LOFTE_COMMITMENT_TEXT" >> '` + out + `'`
	h := start(t, dir, Options{Exec: cmd})
	writeFile(t, dir, "data/2022/juli.csv", oneControl)
	h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
	// The July record counts from its date: on track since 1 January.
	want := "p|2022|trafik.kontroller|behind|on_track|7|12|7|2022-01-01|p 2022 trafik.kontroller: efter → i fas sedan 1 jan: 7 av 12 registrerade, förväntat 7 vid 31 aug|" + evil + "\n"
	var got []byte
	h.waitFor("the command's output", func() bool {
		got, _ = os.ReadFile(out)
		return len(got) > 0 && got[len(got)-1] == '\n'
	})
	if string(got) != want {
		t.Errorf("--exec wrote\n%q\nwant\n%q", got, want)
	}
	if _, err := os.Stat(pwned); err == nil {
		t.Error("the commitment's text was run by a shell")
	}
}

// TestExecFailures: a failing command and a hanging one are reported, the
// hanging one is killed after its time, and neither holds up the watcher.
func TestExecFailures(t *testing.T) {
	dir := newRepo(t)
	cmd := `if [ "$LOFTE_TO" = on_track ]; then sleep 60; else echo "inget svar från chatten" >&2; exit 3; fi`
	h := start(t, dir, Options{Exec: cmd, ExecTimeout: 2 * time.Second})
	writeFile(t, dir, "data/2022/juli.csv", oneControl)
	h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
	if err := os.Remove(filepath.Join(dir, "data/2022/juli.csv")); err != nil {
		t.Fatal(err)
	}
	// The watcher goes on while the first command hangs.
	h.wait("on track → behind while --exec hangs", change("trafik.kontroller", eval.OnTrack, eval.Behind))
	h.wait("the killed command", problem("avbröts efter 2s"))
	e := h.wait("the failed command", problem("slutstatus 3"))
	if !strings.Contains(e.Diag.Message, "inget svar från chatten") || !strings.Contains(e.Diag.Message, "i fas → efter") {
		t.Errorf("message %q", e.Diag.Message)
	}
}

// TestMidnight: without --as-of the date follows the clock, and pace
// moves at midnight with nothing recorded.
func TestMidnight(t *testing.T) {
	dir := newRepo(t)
	writeFile(t, dir, "data/2022/juli.csv", oneControl)
	clock := newFakeClock(stockholm(2022, 8, 31, 23, 59, 30))
	h := start(t, dir, Options{Clock: clock})
	if rep := h.w.Current(); rep.AsOf.String() != "2022-08-31" {
		t.Fatalf("evaluated at %s", rep.AsOf)
	}
	h.waitFor("the watcher waits for the date", func() bool { return clock.waiting() > 0 })
	clock.set(stockholm(2022, 9, 1, 0, 0, 1))
	e := h.wait("on track → behind at midnight", change("trafik.kontroller", eval.OnTrack, eval.Behind))
	if e.Transition.AsOf.String() != "2022-09-01" || e.Transition.Reason != "förväntat 8 av 12 vid 1 sep, 7 registrerade" {
		t.Errorf("transition at %s: %q", e.Transition.AsOf, e.Transition.Reason)
	}
}

// TestMidnightSummerTime: the date moves at midnight in Sweden also
// across the nights summer time begins and ends (the last Sundays of
// March and October, 23 and 25 hours long): the evening before, the
// night itself, and the night after.
func TestMidnightSummerTime(t *testing.T) {
	dir := newRepo(t)
	nights := []struct{ before, after time.Time }{
		{stockholm(2022, 3, 26, 23, 59, 59), stockholm(2022, 3, 27, 0, 0, 0)},
		{stockholm(2022, 3, 27, 23, 59, 59), stockholm(2022, 3, 28, 0, 0, 0)},
		{stockholm(2022, 10, 29, 23, 59, 59), stockholm(2022, 10, 30, 0, 0, 0)},
		{stockholm(2022, 10, 30, 23, 59, 59), stockholm(2022, 10, 31, 0, 0, 0)},
	}
	for _, n := range nights {
		t.Run(n.after.Format("2006-01-02"), func(t *testing.T) {
			clock := newFakeClock(n.before)
			h := start(t, dir, Options{Clock: clock})
			if got, want := h.w.Current().AsOf, calendar.Today(n.before); got != want {
				t.Fatalf("evaluated at %s, want %s", got, want)
			}
			h.waitFor("the watcher waits for the date", func() bool { return clock.waiting() > 0 })
			clock.set(n.after.Add(time.Millisecond))
			want := calendar.Today(n.after)
			h.waitFor("the evaluation at the new date", func() bool { return h.w.Current().AsOf == want })
			h.stop()
		})
	}
}

// TestNewYear: without --period the year follows the date; a new year
// begins with a new start report.
func TestNewYear(t *testing.T) {
	dir := newRepo(t)
	writeFile(t, dir, "rules/p.yaml", strings.Replace(testPromise, "valid: 2022", "valid: 2022..2023", 1))
	clock := newFakeClock(stockholm(2022, 12, 31, 23, 0, 0))
	h := start(t, dir, Options{Clock: clock})
	h.waitFor("the watcher waits for the date", func() bool { return clock.waiting() > 0 })
	clock.set(stockholm(2023, 1, 1, 0, 0, 1))
	e := h.wait("a new start", func(e Event) bool { return e.Kind == Start })
	if y := e.Report.Evaluations[0].Year; y != 2023 {
		t.Errorf("new start for %d", y)
	}
	noChanges(t, h.since(0))
}

// TestDataDeleted: a deleted data/ is an error and no evaluation (nothing
// is made to look missed); back again, it recovers.
func TestDataDeleted(t *testing.T) {
	dir := newRepo(t)
	h := start(t, dir, Options{})
	if err := os.RemoveAll(filepath.Join(dir, "data")); err != nil {
		t.Fatal(err)
	}
	h.wait("the error", problem("mappen data/ finns inte längre"))
	git(t, dir, "checkout", "--", "data")
	h.wait("the recovery", func(e Event) bool { return e.Kind == Recovered && e.File == "" })
	noChanges(t, h.since(0))
}

// TestUnreadableFile: a record file made unreadable (chmod 000, a change
// of attributes only) is evaluated again at once: its records are left
// out with a warning, and counted again when it is readable.
func TestUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads a file of mode 000")
	}
	dir := newRepo(t)
	h := start(t, dir, Options{})
	name := filepath.Join(dir, "data", "2022", "hundsok.yaml")
	if err := os.Chmod(name, 0); err != nil {
		t.Fatal(err)
	}
	h.wait("the unreadable file", problem("kan inte läsa data/2022/hundsok.yaml"))
	if err := os.Chmod(name, 0o644); err != nil {
		t.Fatal(err)
	}
	h.waitFor("the file is read again", func() bool {
		return !slices.ContainsFunc(h.w.Current().Diags, func(d *diag.Diagnostic) bool {
			return strings.Contains(d.Message, "kan inte läsa")
		})
	})
}

// TestWatchLimit: when inotify refuses more watches the watcher says so,
// reads the repository by polling meanwhile, and recovers when it can
// watch again.
func TestWatchLimit(t *testing.T) {
	dir := newRepo(t)
	fs, err := newTestFS()
	if err != nil {
		t.Skip(err)
	}
	data := filepath.Join(dir, "data")
	fs.setRefuse(func(p string) error {
		if p == data || within(p, data) {
			return fmt.Errorf("add %s: %w", p, syscall.ENOSPC)
		}
		return nil
	})
	h := start(t, dir, Options{newFS: func() (fsWatcher, error) { return fs, nil }, Poll: 200 * time.Millisecond})
	h.seen = 0 // the error comes before the start: look from the first event
	h.wait("the limit error", problem("fs.inotify.max_user_watches"))
	writeFile(t, dir, "data/2022/juli.csv", oneControl)
	h.wait("behind → on track by polling", change("trafik.kontroller", eval.Behind, eval.OnTrack))
	fs.setRefuse(nil)
	e := h.wait("the recovery", func(e Event) bool { return e.Kind == Recovered })
	if e.Message != "bevakningen fungerar igen" {
		t.Errorf("recovered: %q", e.Message)
	}
}

// TestOverflow: an overflowing event queue means events were lost, so
// everything is read again.
func TestOverflow(t *testing.T) {
	dir := newRepo(t)
	fs, err := newTestFS()
	if err != nil {
		t.Skip(err)
	}
	h := start(t, dir, Options{newFS: func() (fsWatcher, error) { return fs, nil }})
	fs.mute.Store(true) // the events of this write are lost
	writeFile(t, dir, "data/2022/juli.csv", oneControl)
	fs.inject <- fsnotify.ErrEventOverflow
	h.wait("the overflow", problem("flödade över"))
	h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
}

// TestRepositoryRecreated: a repository removed is an error, and the same
// folder made again (with a new record) is read and recovers.
func TestRepositoryRecreated(t *testing.T) {
	dir := newRepo(t)
	backup := t.TempDir()
	if err := os.CopyFS(backup, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	writeFile(t, backup, "data/2022/juli.csv", oneControl)
	h := start(t, dir, Options{Poll: 200 * time.Millisecond})
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	h.wait("the error", problem("kan inte läsa förrådet"))
	if err := os.CopyFS(dir, os.DirFS(backup)); err != nil {
		t.Fatal(err)
	}
	h.wait("the recovery", func(e Event) bool { return e.Kind == Recovered && e.File == "" })
	h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
	// Watched again: a change is seen without waiting for a poll.
	if err := os.Remove(filepath.Join(dir, "data/2022/juli.csv")); err != nil {
		t.Fatal(err)
	}
	h.wait("on track → behind", change("trafik.kontroller", eval.OnTrack, eval.Behind))
}

// TestLinkedWorktree: in a linked worktree HEAD lives in the worktree's
// own git folder and the refs in the shared one; commits there are seen.
func TestLinkedWorktree(t *testing.T) {
	dir := newRepo(t)
	wt := filepath.Join(t.TempDir(), "arbetstrad")
	git(t, dir, "worktree", "add", "-q", "-b", "gren", wt)
	h := start(t, wt, Options{})
	writeFile(t, wt, "data/2022/juli.csv", oneControl)
	git(t, wt, "add", "-A")
	git(t, wt, "commit", "-q", "-m", "I arbetsträdet")
	h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
	head := git(t, wt, "rev-parse", "HEAD")
	h.waitFor("the report names the worktree's commit", func() bool {
		rep := h.w.Current()
		return rep.Source.Commit == head && !rep.Source.Dirty
	})
	// A reset moves HEAD back and the files with it.
	git(t, wt, "reset", "-q", "--hard", "HEAD~1")
	h.wait("on track → behind after reset", change("trafik.kontroller", eval.OnTrack, eval.Behind))
}

// TestStopFinishesEvaluation: asked to stop in the middle of an
// evaluation, the watcher finishes it (its events all reported) and then
// returns nil.
func TestStopFinishesEvaluation(t *testing.T) {
	dir := newRepo(t)
	inChange, release := make(chan struct{}), make(chan struct{})
	var after []Kind
	var mu sync.Mutex
	sink := SinkFunc(func(e Event) {
		if e.Kind == Change {
			close(inChange)
			<-release // the evaluation is in flight while the test stops it
		}
		mu.Lock()
		after = append(after, e.Kind)
		mu.Unlock()
	})
	w, err := New(Options{Dir: dir, Open: openEngine(engine.Options{}), AsOf: testAsOf, Sink: sink, Clock: realClock{}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	for deadline := time.Now().Add(waitTimeout); w.Current() == nil; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no start")
		}
	}
	// A broken record file and a new control: one transition, one error.
	writeFile(t, dir, "data/2022/juli.csv", oneControl+"2022-07-06,trafikkontroll,ingen,civil\n")
	select {
	case <-inChange:
	case <-time.After(waitTimeout):
		t.Fatal("no transition")
	}
	cancel()
	select {
	case err := <-done:
		t.Fatalf("Run returned %v during an evaluation", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run returned %v", err)
		}
	case <-time.After(waitTimeout):
		t.Fatal("Run did not return")
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []Kind{Start, Change, Problem}; !slices.Equal(after, want) {
		t.Errorf("events %v, want %v: the evaluation in flight was not finished", after, want)
	}
}

// TestStartErrors: a bad --as-of or --period, or no repository, stops
// the watcher before it starts.
func TestStartErrors(t *testing.T) {
	dir := newRepo(t)
	for _, o := range []Options{
		{Dir: dir, AsOf: "2022-13-01"},
		{Dir: dir, Period: "tjugotjugotvå"},
		{Dir: filepath.Join(dir, "finns-inte")},
	} {
		o.Sink = SinkFunc(func(Event) {})
		w, err := New(o)
		if err == nil {
			err = w.Run(t.Context())
		}
		if _, ok := err.(*UsageError); !ok {
			t.Errorf("%+v: error %v, want a UsageError", o, err)
		}
	}
}

// TestPlainFolder: a folder without git is watched too.
func TestPlainFolder(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "rules/activities.yaml", testVocab)
	writeFile(t, dir, "rules/p.yaml", testPromise)
	writeFile(t, dir, "data/2022/kontroller.csv", testControls)
	h := start(t, dir, Options{})
	writeFile(t, dir, "data/2022/juli.csv", oneControl)
	h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
}

// TestExecStopped: a command still running when the watcher stops gets a
// short grace and is then killed; stopping does not wait for it to end.
func TestExecStopped(t *testing.T) {
	defer func(g time.Duration) { stopGrace = g }(stopGrace)
	stopGrace = 200 * time.Millisecond
	dir := newRepo(t)
	running := filepath.Join(t.TempDir(), "körs")
	h := start(t, dir, Options{Exec: "touch '" + running + "'; sleep 60"})
	writeFile(t, dir, "data/2022/juli.csv", oneControl)
	h.wait("behind → on track", change("trafik.kontroller", eval.Behind, eval.OnTrack))
	h.waitFor("the command runs", func() bool { _, err := os.Stat(running); return err == nil })
	began := time.Now()
	h.stop()
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("stopping took %s with a hanging --exec", d)
	}
	h.wait("the killed command", problem("avbröts när bevakningen avslutades"))
}
