package watch

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
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
	w, err := New(Options{Dir: dir, Open: openEngine(engine.Options{}), AsOf: "2022-08-31", Sink: sink, Clock: realClock{}, Quiet: time.Millisecond, MaxWait: time.Millisecond})
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
