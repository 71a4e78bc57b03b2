package repository_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
	"github.com/lofte/lofte/internal/testrepo"
)

const (
	incVocab = `activities:
  trafikkontroll:
    fields:
      form: {enum: [civil, uniformerad]}
  hundsok:
    fields:
      plats: {enum: [grundskola, gymnasium], required: true}
`
	incPromise = `promise: p
title: Löfte
parties:
  polisen: Polisen
valid: 2022
commitments:
  - id: kontroller
    area: trafik
    owner: polisen
    rule: count(trafikkontroll) >= 4
  - id: hundsok
    area: droger
    owner: polisen
    rule: count(hundsok) per termin >= 1
`
	incRecords = `- {date: 2022-02-01, type: trafikkontroll, by: polisen}
- {date: 2022-03-01, type: trafikkontroll, by: polisen, form: civil}
- {date: 2022-03-02, type: hundsok, by: polisen, plats: grundskola}
`
	incCSV = "date,type,by,form\n2022-04-01,trafikkontroll,polisen,civil\n"
)

// snapshot builds a snapshot of the files given as path, content pairs.
func snapshot(files map[string]string) *source.Snapshot {
	snap := &source.Snapshot{Root: "/förråd", Git: true, Commit: strings.Repeat("a", 40)}
	for p, data := range files {
		snap.Files = append(snap.Files, source.File{Path: p, Data: []byte(data)})
	}
	slices.SortFunc(snap.Files, func(a, b source.File) int { return strings.Compare(a.Path, b.Path) })
	return snap
}

func baseFiles() map[string]string {
	return map[string]string{
		"rules/activities.yaml": incVocab,
		"rules/p.yaml":          incPromise,
		"data/a.yaml":           incRecords,
		"data/b.csv":            incCSV,
	}
}

// outcome is what a report says, in a form cmp can compare: statuses and
// figures of every window, and every diagnostic.
func outcome(rep *eval.Report) []string {
	var out []string
	for _, ev := range rep.Evaluations {
		for _, res := range ev.Results {
			line := fmt.Sprintf("%s %d %s %s broken=%v", ev.Promise.ID, ev.Year, res.Commitment.ID, res.Status, res.Broken)
			for _, w := range res.Windows {
				line += " " + w.Name + ":" + w.Status.String()
				if w.Value != nil {
					line += fmt.Sprintf("=%g/%g", *w.Value, *w.Target)
				}
			}
			out = append(out, line)
		}
	}
	for _, d := range rep.Diags {
		out = append(out, d.Error())
	}
	return out
}

var incAsOf = calendar.NewDate(2022, 8, 31)

func evaluate(r *repository.Repository) []string {
	return outcome(r.Evaluate(calendar.Period{First: 2022, Last: 2022}, incAsOf))
}

// TestLoaderMatchesLoad loads a sequence of changes with one Loader and
// checks each result against a fresh Load of the same files: a Loader
// that skips unchanged files must not change what is reported.
func TestLoaderMatchesLoad(t *testing.T) {
	steps := []struct {
		name string
		edit func(map[string]string)
	}{
		{"start", func(map[string]string) {}},
		{"record added", func(f map[string]string) { f["data/b.csv"] += "2022-05-01,trafikkontroll,polisen,uniformerad\n" }},
		{"bad record", func(f map[string]string) { f["data/b.csv"] += "2022-05-02,trafikkontroll,polisen,okänd\n" }},
		{"new file", func(f map[string]string) {
			f["data/c/d.yaml"] = "- {date: 2022-06-01, type: hundsok, by: polisen, plats: gymnasium}\n"
		}},
		{"file removed", func(f map[string]string) { delete(f, "data/a.yaml") }},
		{"target changed", func(f map[string]string) {
			f["rules/p.yaml"] = strings.Replace(f["rules/p.yaml"], ">= 4", ">= 2", 1)
		}},
		{"calendar added", func(f map[string]string) {
			f["rules/calendar.yaml"] = "terms:\n  2022-VT: 2022-01-11..2022-06-17\n"
		}},
		{"vocabulary field added", func(f map[string]string) {
			f["rules/activities.yaml"] = strings.Replace(f["rules/activities.yaml"], "form: {enum: [civil, uniformerad]}",
				"form: {enum: [civil, uniformerad, okänd]}", 1)
		}},
		{"party added", func(f map[string]string) {
			f["rules/p.yaml"] = strings.Replace(f["rules/p.yaml"], "  polisen: Polisen\n", "  polisen: Polisen\n  kommunen: Kommunen\n", 1)
			f["data/e.yaml"] = "- {date: 2022-06-02, type: hundsok, by: kommunen, plats: gymnasium}\n"
		}},
		{"second promise", func(f map[string]string) {
			f["rules/q.yaml"] = strings.Replace(incPromise, "promise: p", "promise: q", 1)
		}},
		{"vocabulary removed", func(f map[string]string) { delete(f, "rules/activities.yaml") }},
	}
	files := baseFiles()
	l := repository.NewLoader()
	for _, st := range steps {
		st.edit(files)
		got := evaluate(l.Load(snapshot(files)))
		want := evaluate(repository.Load(snapshot(files)))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: Loader differs from Load (-Load +Loader):\n%s", st.name, diff)
		}
	}
}

// TestLoaderReuses checks that unchanged files are not read again:
// compiled rules and records are the same objects as before.
func TestLoaderReuses(t *testing.T) {
	files := baseFiles()
	l := repository.NewLoader()
	r1 := l.Load(snapshot(files))
	files["data/b.csv"] += "2022-05-01,trafikkontroll,polisen,civil\n"
	r2 := l.Load(snapshot(files))
	if r1.Promises[0] != r2.Promises[0] {
		t.Error("the promise was parsed again although its file did not change")
	}
	for c, ru := range r1.Rules {
		if r2.Rules[c] != ru {
			t.Errorf("rule of %s compiled again although nothing it depends on changed", c.ID)
		}
	}
	if got := r2.Records.Len(); got != r1.Records.Len()+1 {
		t.Errorf("%d records after adding one to %d", got, r1.Records.Len())
	}
	// Records are copied into each set, but the values of an unchanged
	// file's records are those read the first time.
	if a, b := r1.Records.Of("hundsok")[0].Values, r2.Records.Of("hundsok")[0].Values; &a[0] != &b[0] {
		t.Error("records of an unchanged file were read again")
	}

	// A change to the vocabulary compiles every rule again.
	files["rules/activities.yaml"] += "  ledningsgrupp: {}\n"
	r3 := l.Load(snapshot(files))
	for c, ru := range r2.Rules {
		if r3.Rules[c] == ru {
			t.Errorf("rule of %s kept across a vocabulary change", c.ID)
		}
	}
	if len(r3.Diags) != 0 {
		t.Errorf("diagnostics: %v", r3.Diags)
	}
}

// TestLoaderKeepsLastGoodPromise breaks a promise file and fixes it: while
// it is broken the last good version is evaluated, its errors and a
// warning are reported and Stale names it; fixed, it is used as it is.
func TestLoaderKeepsLastGoodPromise(t *testing.T) {
	files := baseFiles()
	l := repository.NewLoader()
	good := evaluate(l.Load(snapshot(files)))

	tests := []struct {
		name, promise, wantErr string
	}{
		{"unknown activity", strings.Replace(incPromise, "count(trafikkontroll)", "count(trafikkontrol)", 1), "okänd aktivitetstyp"},
		{"YAML syntax", incPromise + "  - id: [\n", "rules/p.yaml:"},
		{"half written", incPromise[:len(incPromise)/2], "rules/p.yaml"},
		{"empty", "", "filen är tom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files["rules/p.yaml"] = tt.promise
			r := l.Load(snapshot(files))
			if !slices.Equal(r.Stale, []string{"rules/p.yaml"}) {
				t.Errorf("Stale = %v, want rules/p.yaml", r.Stale)
			}
			got := evaluate(r)
			if diff := cmp.Diff(good, got[:len(got)-len(r.Diags)]); diff != "" {
				t.Errorf("statuses differ from the last good version:\n%s", diff)
			}
			msgs := strings.Join(got[len(got)-len(r.Diags):], "\n")
			if !strings.Contains(msgs, tt.wantErr) || !strings.Contains(msgs, "utvärderas som filen senast var utan fel") {
				t.Errorf("diagnostics do not name the error %q and the last good version:\n%s", tt.wantErr, msgs)
			}
			if r.Diags.Errors() == 0 {
				t.Error("no error reported")
			}
		})
	}

	files["rules/p.yaml"] = strings.Replace(incPromise, ">= 4", ">= 1", 1)
	r := l.Load(snapshot(files))
	if len(r.Stale) != 0 || len(r.Diags) != 0 {
		t.Errorf("fixed: Stale %v, diagnostics %v", r.Stale, r.Diags)
	}
	if got := evaluate(r); !strings.Contains(got[0], "kontroller met") {
		t.Errorf("fixed file not used: %v", got)
	}
}

// TestLoaderFirstVersionBroken: with no good version to fall back on, a
// broken promise is used as Load uses it.
func TestLoaderFirstVersionBroken(t *testing.T) {
	files := baseFiles()
	files["rules/p.yaml"] = strings.Replace(incPromise, "count(trafikkontroll)", "count(trafikkontrol)", 1)
	got := evaluate(repository.NewLoader().Load(snapshot(files)))
	want := evaluate(repository.Load(snapshot(files)))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-Load +Loader):\n%s", diff)
	}
}

// TestLoaderDropsBytes: as Load, the Loader keeps the bytes of record
// files only where they have a problem.
func TestLoaderDropsBytes(t *testing.T) {
	files := baseFiles()
	files["data/b.csv"] += "2022-05-02,trafikkontroll,polisen,okänd\n"
	l := repository.NewLoader()
	for range 2 {
		snap := snapshot(files)
		l.Load(snap)
		for _, f := range snap.Files {
			keep := !strings.HasPrefix(f.Path, "data/") || f.Path == "data/b.csv"
			if (f.Data != nil) != keep {
				t.Errorf("%s: bytes kept %v, want %v", f.Path, f.Data != nil, keep)
			}
		}
	}
}

// BenchmarkLoaderOneFile is the watcher's work after one record file of a
// repository of 100,000 records changed: read the working tree, load it
// with a Loader that has read it before, and evaluate with it (only the
// commitments that read the changed type). BenchmarkLoadFull does the same
// with a fresh Load and Evaluate, for comparison.
func BenchmarkLoaderOneFile(b *testing.B) { benchmarkReload(b, true) }

// BenchmarkLoadFull: see BenchmarkLoaderOneFile.
func BenchmarkLoadFull(b *testing.B) { benchmarkReload(b, false) }

func benchmarkReload(b *testing.B, incremental bool) {
	if !testrepo.HaveGit() {
		b.Skip("git is not installed")
	}
	if testing.Short() {
		b.Skip("large repository in short mode")
	}
	records := 100_000
	if os.Getenv("LOFTE_BENCH_MILLION") != "" {
		records = 1_000_000
	}
	dir := b.TempDir()
	if err := testrepo.Write(dir, testrepo.Options{Records: records, Seed: 1, Git: true}); err != nil {
		b.Fatal(err)
	}
	repo, err := source.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(dir, "data", "2022", "08", "trafikkontroll.csv")
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	l := repository.NewLoader()
	load := func() *eval.Report {
		snap, err := repo.WorkTree()
		if err != nil {
			b.Fatal(err)
		}
		if incremental {
			return l.Evaluate(l.Load(snap), benchPeriod, benchAsOf)
		}
		return repository.Load(snap).Evaluate(benchPeriod, benchAsOf)
	}
	load()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		data := orig
		if i%2 == 1 {
			data = orig[:len(orig)-len(orig)/4] // a quarter of the month's controls gone
			data = data[:strings.LastIndexByte(string(data), '\n')+1]
		}
		if err := os.WriteFile(file, data, 0o644); err != nil {
			b.Fatal(err)
		}
		if rep := load(); len(rep.Evaluations) != 1 || rep.Diags.Errors() > 0 {
			b.Fatalf("%d evaluations, diagnostics %v", len(rep.Evaluations), rep.Diags)
		}
	}
}

// TestLoaderKeepsLastGoodRecords: a record file that cannot be read at all
// counts as it was last read without errors; one with a bad record leaves
// out that record only.
func TestLoaderKeepsLastGoodRecords(t *testing.T) {
	files := baseFiles()
	l := repository.NewLoader()
	good := evaluate(l.Load(snapshot(files)))

	files["data/a.yaml"] = incRecords + "- {date: 2022-04-0" // half written
	r := l.Load(snapshot(files))
	if !slices.Equal(r.Stale, []string{"data/a.yaml"}) {
		t.Errorf("Stale = %v, want data/a.yaml", r.Stale)
	}
	got := evaluate(r)
	if diff := cmp.Diff(good, got[:len(got)-len(r.Diags)]); diff != "" {
		t.Errorf("statuses differ from the last good records:\n%s", diff)
	}
	if msgs := strings.Join(got[len(got)-len(r.Diags):], "\n"); !strings.Contains(msgs, "de 3 som lästes senast") {
		t.Errorf("no warning about the last good records:\n%s", msgs)
	}

	files["data/a.yaml"] = incRecords + "- {date: 2022-04-01, type: trafikkontroll, by: okänd}\n"
	r = l.Load(snapshot(files))
	if len(r.Stale) != 0 || r.Records.Len() != 4 || r.Diags.Errors() != 1 {
		t.Errorf("one bad record: Stale %v, %d records, diagnostics %v", r.Stale, r.Records.Len(), r.Diags)
	}
}

// TestLoaderEvaluateMatches makes random changes, one after another, and
// checks that the Loader's evaluation, which keeps the results of
// commitments whose inputs did not change, reports what a fresh Load and
// Evaluate report.
func TestLoaderEvaluateMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	files := baseFiles()
	files["rules/p.yaml"] += `  - id: bedomd
    area: droger
    owner: polisen
    assess: manual
  - id: alla
    area: trafik
    owner: polisen
    rule: all(trafikkontroll, .form != nil) || count(hundsok) per kvartal >= 1
`
	asOf := incAsOf
	l := repository.NewLoader()
	edits := []func(){
		func() { // a record of some type in some file
			typ := []string{"trafikkontroll", "hundsok"}[rng.IntN(2)]
			extra := ""
			if typ == "hundsok" {
				extra = ", plats: gymnasium"
			}
			name := fmt.Sprintf("data/%d.yaml", rng.IntN(4))
			files[name] += fmt.Sprintf("- {date: 2022-%02d-%02d, type: %s, by: polisen%s}\n", 1+rng.IntN(12), 1+rng.IntN(28), typ, extra)
		},
		func() { delete(files, fmt.Sprintf("data/%d.yaml", rng.IntN(4))) },
		func() {
			files["data/as.jsonl"] += fmt.Sprintf(`{"date": "2022-0%d-01", "type": "assessment", "by": "polisen", "commitment": "bedomd", "status": "%s"}`+"\n",
				1+rng.IntN(9), []string{"met", "behind", "on_track"}[rng.IntN(3)])
		},
		func() {
			files["rules/p.yaml"] = strings.Replace(files["rules/p.yaml"], "count(trafikkontroll) >=", fmt.Sprintf("count(trafikkontroll) + %d >=", rng.IntN(3)), 1)
		},
		func() {
			files["rules/calendar.yaml"] = fmt.Sprintf("terms:\n  2022-HT: 2022-08-%02d..2022-12-20\n", 1+rng.IntN(28))
		},
		func() { asOf = calendar.NewDate(2022, time.Month(1+rng.IntN(12)), 1+rng.IntN(28)) },
		func() { files["rules/activities.yaml"] += "  x" + strconv.Itoa(rng.IntN(100)) + ": {}\n" },
	}
	period := calendar.Period{First: 2022, Last: 2022}
	for i := range 300 {
		edits[rng.IntN(len(edits))]()
		r := l.Load(snapshot(files))
		got := outcome(l.Evaluate(r, period, asOf))
		want := outcome(repository.Load(snapshot(files)).Evaluate(period, asOf))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("change %d: Loader.Evaluate differs from Load and Evaluate (-want +got):\n%s", i, diff)
		}
	}
}

// TestLoaderEvaluateReuses: after a change to the records of one type,
// a commitment that reads only another type keeps its result.
func TestLoaderEvaluateReuses(t *testing.T) {
	files := baseFiles()
	l := repository.NewLoader()
	period := calendar.Period{First: 2022, Last: 2022}
	rep1 := l.Evaluate(l.Load(snapshot(files)), period, incAsOf)
	files["data/c.yaml"] = "- {date: 2022-06-01, type: hundsok, by: polisen, plats: gymnasium}\n"
	rep2 := l.Evaluate(l.Load(snapshot(files)), period, incAsOf)
	kontroller1, kontroller2 := rep1.Evaluations[0].Results[0], rep2.Evaluations[0].Results[0]
	if &kontroller1.Windows[0] != &kontroller2.Windows[0] {
		t.Error("trafik.kontroller evaluated again after a change to hundsok records only")
	}
	if &rep1.Evaluations[0].Results[1].Windows[0] == &rep2.Evaluations[0].Results[1].Windows[0] {
		t.Error("hundsok kept its result after a change to its records")
	}
}

// TestLoaderParsed: Parsed counts the record files a Load parsed: all of
// them without a cache, or at the first read into an empty one; none
// when a new Loader finds them all in the cache, or when nothing changed.
func TestLoaderParsed(t *testing.T) {
	cache := repository.NewParseCache(t.TempDir())
	files := baseFiles()
	plain := repository.NewLoader()
	plain.Load(snapshot(files))
	cold := repository.NewLoader()
	cold.UseCache(cache)
	cold.Load(snapshot(files))
	warm := repository.NewLoader()
	warm.UseCache(cache)
	warm.Load(snapshot(files))
	if plain.Parsed() != 2 || cold.Parsed() != 2 || warm.Parsed() != 0 {
		t.Errorf("parsed without cache %d, into an empty cache %d, from a full one %d; want 2, 2, 0",
			plain.Parsed(), cold.Parsed(), warm.Parsed())
	}
	files["data/b.csv"] += "2022-05-01,trafikkontroll,polisen,uniformerad\n"
	plain.Load(snapshot(files))
	if plain.Parsed() != 1 {
		t.Errorf("one file changed: %d parsed", plain.Parsed())
	}
	plain.Load(snapshot(files))
	if plain.Parsed() != 0 {
		t.Errorf("nothing changed: %d parsed", plain.Parsed())
	}
}
