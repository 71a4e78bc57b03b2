package repository_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
	"github.com/lofte/lofte/internal/testrepo"
)

// The evaluation the benchmarks and the generated-repository test make:
// the year 2022 at the end of its second tertial, as a follow-up meeting
// would, so that ended, running and future windows all occur.
var (
	benchPeriod = calendar.Period{First: 2022, Last: 2022}
	benchAsOf   = calendar.NewDate(2022, 8, 31)
)

// coldEvaluate is what a cold `lofte evaluate` does before it writes its
// report: open the repository, read a snapshot, load it and evaluate.
func coldEvaluate(tb testing.TB, dir, rev string) (*repository.Repository, *eval.Report) {
	repo, err := source.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var snap *source.Snapshot
	if rev == "" {
		snap, err = repo.WorkTree()
	} else {
		snap, err = repo.Revision(rev)
	}
	if err != nil {
		tb.Fatal(err)
	}
	r := repository.Load(snap)
	return r, r.Evaluate(benchPeriod, benchAsOf)
}

// BenchmarkEvaluate evaluates a generated repository of 10,000 and
// 100,000 records the way the command line does, from the working tree
// (worktree) and from HEAD's commit (rev); and of 1,000,000 records when
// LOFTE_BENCH_MILLION is set (writing it takes about a minute).
func BenchmarkEvaluate(b *testing.B) {
	if !testrepo.HaveGit() {
		b.Skip("git is not installed")
	}
	sizes := []int{10_000, 100_000}
	if os.Getenv("LOFTE_BENCH_MILLION") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, size := range sizes {
		name := strconv.Itoa(size/1000) + "k"
		b.Run(name, func(b *testing.B) {
			if size > 10_000 && testing.Short() {
				b.Skip("large repository in short mode")
			}
			dir := b.TempDir()
			if err := testrepo.Write(dir, testrepo.Options{Records: size, Seed: 1, Git: true}); err != nil {
				b.Fatal(err)
			}
			for _, mode := range []struct{ name, rev string }{{"worktree", ""}, {"rev", "HEAD"}} {
				b.Run(mode.name, func(b *testing.B) {
					r, rep := coldEvaluate(b, dir, mode.rev)
					if len(rep.Diags) > 0 || r.Snapshot.Dirty {
						b.Fatalf("dirty %v, diagnostics:\n%v", r.Snapshot.Dirty, rep.Diags)
					}
					records := r.Records.Len()
					b.ReportAllocs()
					for b.Loop() {
						r, rep := coldEvaluate(b, dir, mode.rev)
						if r.Records.Len() != records || len(rep.Evaluations) != 1 {
							b.Fatalf("%d records, %d evaluations", r.Records.Len(), len(rep.Evaluations))
						}
					}
					b.ReportMetric(float64(records), "records/op")
				})
			}
		})
	}
}

// TestGeneratedRepository keeps the generator honest: every rule it
// writes compiles, every record it writes validates, and every commitment
// gets a status in every year of the promise.
func TestGeneratedRepository(t *testing.T) {
	const records = 2000
	opt := testrepo.Options{Records: records, Seed: 7, Git: testrepo.HaveGit()}
	dir := t.TempDir()
	if err := testrepo.Write(dir, opt); err != nil {
		t.Fatal(err)
	}
	repo, err := source.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := repo.WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	r := repository.Load(snap)
	// Without git the only diagnostic is the warning about a plain folder.
	if len(r.Diags) != len(snap.Warnings) || opt.Git && len(snap.Warnings) > 0 {
		t.Fatalf("loading gave diagnostics:\n%v", r.Diags)
	}
	years := testrepo.DefaultYears
	if want := records + testrepo.AssessmentsPerYear*len(years); r.Records.Len() != want {
		t.Errorf("%d records read, want %d", r.Records.Len(), want)
	}
	if len(r.Promises) != 1 || r.Promises[0].ID != testrepo.PromiseID {
		t.Fatalf("promises %v, want one %s", r.Promises, testrepo.PromiseID)
	}
	if n := len(r.Promises[0].Commitments); n != testrepo.Commitments {
		t.Errorf("%d commitments, want %d", n, testrepo.Commitments)
	}
	if n := len(r.Rules); n != testrepo.Commitments-testrepo.Manual {
		t.Errorf("%d rules compiled, want %d", n, testrepo.Commitments-testrepo.Manual)
	}
	if opt.Git {
		if rev, err := repo.Revision("HEAD"); err != nil || snap.Dirty || len(rev.Files) != len(snap.Files) {
			t.Errorf("HEAD: %v; working tree dirty %v, %d files, HEAD %d", err, snap.Dirty, len(snap.Files), len(rev.Files))
		}
	}

	// Mid-2022: the past years have ended, 2022 runs, 2023 has not begun.
	period := calendar.Period{First: years[0], Last: years[len(years)-1]}
	rep := r.Evaluate(period, benchAsOf)
	if len(rep.Diags) != len(r.Diags) {
		t.Errorf("evaluation gave diagnostics:\n%v", rep.Diags[len(r.Diags):])
	}
	if len(rep.Evaluations) != len(years) {
		t.Fatalf("%d evaluations, want %d", len(rep.Evaluations), len(years))
	}
	seen := map[eval.Status]int{}
	for _, ev := range rep.Evaluations {
		if len(ev.Results) != testrepo.Commitments {
			t.Errorf("%d: %d results, want %d", ev.Year, len(ev.Results), testrepo.Commitments)
		}
		for _, res := range ev.Results {
			id := fmt.Sprintf("%d %s", ev.Year, res.Commitment.ID)
			if res.Status < eval.Missed || res.Status > eval.Met {
				t.Errorf("%s: status %d", id, res.Status)
			}
			if len(res.Windows) == 0 {
				t.Errorf("%s: no windows", id)
			}
			for _, w := range res.Windows {
				if w.Err != nil {
					t.Errorf("%s, %s: %v", id, w.Name, w.Err)
				}
			}
			seen[res.Status]++
		}
	}
	// Counts that are not all alike: the data exercise the statuses.
	for _, st := range []eval.Status{eval.Met, eval.OnTrack, eval.Pending, eval.Unassessed} {
		if seen[st] == 0 {
			t.Errorf("no commitment is %s: %v", st, seen)
		}
	}
}

// TestGeneratedPromises checks the layout of many promises: each promise
// counts its own folder, and all of them evaluate without a diagnostic.
func TestGeneratedPromises(t *testing.T) {
	const records, promises = 3000, 3
	dir := t.TempDir()
	if err := testrepo.Write(dir, testrepo.Options{Records: records, Promises: promises, Seed: 3, Years: []int{2022}}); err != nil {
		t.Fatal(err)
	}
	repo, err := source.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := repo.WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	r := repository.Load(snap)
	if len(r.Diags) != len(snap.Warnings) {
		t.Fatalf("loading gave diagnostics:\n%v", r.Diags)
	}
	if len(r.Promises) != promises {
		t.Fatalf("%d promises, want %d", len(r.Promises), promises)
	}
	total := 0
	for _, p := range r.Promises {
		n := r.RecordsOf(p).Len()
		if n != records/promises+testrepo.AssessmentsPerYear {
			t.Errorf("%s counts %d records, want %d", p.ID, n, records/promises+testrepo.AssessmentsPerYear)
		}
		total += n
	}
	if total != r.Records.Len() {
		t.Errorf("the promises count %d records of %d", total, r.Records.Len())
	}
	rep := r.Evaluate(benchPeriod, benchAsOf)
	if len(rep.Diags) != len(r.Diags) || len(rep.Evaluations) != promises {
		t.Errorf("%d evaluations, diagnostics:\n%v", len(rep.Evaluations), rep.Diags)
	}
}

// TestWriteBenchRepository writes a generated repository for measuring
// the command line by hand; it runs only when LOFTE_BENCH_REPO names the
// folder to write (LOFTE_BENCH_RECORDS records, default 100,000):
//
//	LOFTE_BENCH_REPO=/tmp/bench100k go test -run TestWriteBenchRepository ./engine/
//	lofte --repo /tmp/bench100k evaluate --period 2022 --as-of 2022-08-31
func TestWriteBenchRepository(t *testing.T) {
	dir := os.Getenv("LOFTE_BENCH_REPO")
	if dir == "" {
		t.Skip("LOFTE_BENCH_REPO is not set")
	}
	n := 100_000
	if s := os.Getenv("LOFTE_BENCH_RECORDS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatalf("LOFTE_BENCH_RECORDS: %v", err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Fatalf("%s is not empty", dir)
	}
	if err := testrepo.Write(dir, testrepo.Options{Records: n, Seed: 1, Git: testrepo.HaveGit()}); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d records to %s", n, dir)
}

// BenchmarkEvaluateLoaded evaluates a loaded repository of 100,000
// records (and 1,000,000 with LOFTE_BENCH_MILLION): the evaluation alone,
// statuses, figures and since (docs/reference.md §10), without reading
// files. Compared with the same benchmark before since was computed it
// gives since's cost.
func BenchmarkEvaluateLoaded(b *testing.B) {
	sizes := []int{100_000}
	if os.Getenv("LOFTE_BENCH_MILLION") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, size := range sizes {
		b.Run(strconv.Itoa(size/1000)+"k", func(b *testing.B) {
			dir := b.TempDir()
			if err := testrepo.Write(dir, testrepo.Options{Records: size, Seed: 1, Years: []int{2022}}); err != nil {
				b.Fatal(err)
			}
			repo, err := source.Open(dir)
			if err != nil {
				b.Fatal(err)
			}
			snap, err := repo.WorkTree()
			if err != nil {
				b.Fatal(err)
			}
			r := repository.Load(snap)
			b.ReportAllocs()
			for b.Loop() {
				if rep := r.Evaluate(benchPeriod, benchAsOf); len(rep.Evaluations) != 1 {
					b.Fatalf("%d evaluations", len(rep.Evaluations))
				}
			}
			b.ReportMetric(float64(r.Records.Len()), "records/op")
		})
	}
}
