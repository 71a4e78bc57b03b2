package watch

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/internal/testrepo"
)

// BenchmarkEventToTransition measures what the watcher adds between a
// change and its report, on a generated repository of 100,000 records:
// one record file is saved (a temporary file renamed over it, as editors
// and git do), the watcher gets the event, re-reads the working tree,
// parses the one changed file, evaluates and writes the transition. The
// debounce is set to a millisecond so that its deliberate wait is not
// counted; ms/transition is the wall time from the save to the transition,
// cpu-ms/transition the processor time the process used meanwhile. Each
// save alternates between the file with 51 more controls on
// one day (trafik.tak-per-dag, at most 50 a day, becomes missed) and the
// file as generated (on track again).
func BenchmarkEventToTransition(b *testing.B) {
	if !testrepo.HaveGit() {
		b.Skip("git is not installed")
	}
	if testing.Short() {
		b.Skip("large repository in short mode")
	}
	dir := b.TempDir()
	if err := testrepo.Write(dir, testrepo.Options{Records: 100_000, Seed: 1, Git: true}); err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(dir, "data", "2022", "08", "trafikkontroll.csv")
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	body := bytes.TrimRight(orig, "\r\n")
	last := orig[bytes.LastIndexByte(body, '\n')+1:] // the last row, with its line end
	more := append(bytes.Clone(orig), bytes.Repeat(last, 51)...)

	changes := make(chan *Transition, 16)
	sink := SinkFunc(func(e Event) {
		if e.Kind == Change {
			changes <- e.Transition
		}
	})
	w, err := New(Options{Dir: dir, Open: openEngine(engine.Options{Now: time.Now}), AsOf: "2022-08-31", Sink: sink, Clock: realClock{}, Quiet: time.Millisecond, MaxWait: time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	for deadline := time.Now().Add(time.Minute); w.Current() == nil; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("no start")
		}
	}

	save := func(data []byte) {
		tmp := file + ".tmp"
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(tmp, file); err != nil {
			b.Fatal(err)
		}
	}
	i := 0
	var total time.Duration
	cpu0 := cpuTime()
	for b.Loop() {
		i++
		data, want := more, eval.Missed
		if i%2 == 0 {
			data, want = orig, eval.OnTrack
		}
		t0 := time.Now()
		save(data)
		select {
		case tr := <-changes:
			total += time.Since(t0)
			if tr.Commitment != "trafik.tak-per-dag" || tr.To != want {
				b.Fatalf("transition %s", tr.Line("sv"))
			}
		case <-time.After(10 * time.Second):
			b.Fatal("no transition within 10 s")
		}
	}
	// Processor time, of every goroutine and the collector, tells what the
	// work costs when other programs share the machine and wall time lies.
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(i)/1000, "cpu-ms/transition")
	b.ReportMetric(float64(total.Microseconds())/float64(i)/1000, "ms/transition")
}

// BenchmarkCommitToTransition measures the watcher from a git command
// that moves HEAD to the report of the new commit, with the default
// debounce: the working tree alternates, by `git checkout`, between two
// branches, one with 51 more controls on one day than the other. At
// 100,000 records that turns trafik.tak-per-dag from on track to missed
// and back, and the transition is checked; at a million that day is over
// the limit either way, so the benchmark waits for the report naming the
// commit checked out (the transitions come from that same evaluation).
// ms/transition is the wall time from starting git to that report (git's
// own time included), cpu-ms/transition the processor time of the
// watcher's process meanwhile (git's not included).
func BenchmarkCommitToTransition(b *testing.B) {
	if !testrepo.HaveGit() {
		b.Skip("git is not installed")
	}
	if testing.Short() {
		b.Skip("large repository in short mode")
	}
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchCommit(b, n) })
	}
}

func benchCommit(b *testing.B, records int) {
	dir := b.TempDir()
	if err := testrepo.Write(dir, testrepo.Options{Records: records, Seed: 1, Git: true}); err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(dir, "data", "2022", "08", "trafikkontroll.csv")
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	body := bytes.TrimRight(orig, "\r\n")
	last := orig[bytes.LastIndexByte(body, '\n')+1:]
	gitIn := func(args ...string) string {
		cmd := exec.Command("git", append([]string{"-c", "gc.auto=0", "-c", "commit.gpgSign=false"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.org",
			"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.org")
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	main, mainHead := gitIn("branch", "--show-current"), gitIn("rev-parse", "HEAD")
	gitIn("checkout", "-q", "-b", "more")
	if err := os.WriteFile(file, append(bytes.Clone(orig), bytes.Repeat(last, 51)...), 0o644); err != nil {
		b.Fatal(err)
	}
	gitIn("commit", "-q", "-am", "51 kontroller till")
	moreHead := gitIn("rev-parse", "HEAD")
	gitIn("checkout", "-q", main)

	changes := make(chan *Transition, 64)
	sink := SinkFunc(func(e Event) {
		if e.Kind == Change {
			changes <- e.Transition
		}
	})
	w, err := New(Options{Dir: dir, Open: openEngine(engine.Options{Now: time.Now}), AsOf: "2022-08-31", Sink: sink, Clock: realClock{}})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	for deadline := time.Now().Add(2 * time.Minute); w.Current() == nil; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("no start")
		}
	}
	i := 0
	var total time.Duration
	cpu0 := cpuTime()
	for b.Loop() {
		i++
		branch, head, want := "more", moreHead, eval.Missed
		if i%2 == 0 {
			branch, head, want = main, mainHead, eval.OnTrack
		}
		t0 := time.Now()
		gitIn("checkout", "-q", branch)
		for deadline := t0.Add(20 * time.Second); ; time.Sleep(100 * time.Microsecond) {
			if rep := w.Current(); rep.Source.Commit == head && !rep.Source.Dirty {
				break
			}
			if time.Now().After(deadline) {
				b.Fatal("no report of the commit within 20 s")
			}
		}
		total += time.Since(t0)
		if records > 100_000 {
			continue
		}
		select {
		case tr := <-changes:
			if tr.Commitment != "trafik.tak-per-dag" || tr.To != want {
				b.Fatalf("transition %s", tr.Line("sv"))
			}
		case <-time.After(20 * time.Second):
			b.Fatal("no transition within 20 s")
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(i)/1000, "cpu-ms/transition")
	b.ReportMetric(float64(total.Microseconds())/float64(i)/1000, "ms/transition")
}
