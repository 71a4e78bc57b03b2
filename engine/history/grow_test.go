package history

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/source"
	"github.com/lofte/lofte/internal/testrepo"
)

const growActivities = `activities:
  trafikkontroll:
    fields:
      form: {enum: [civil, uniformerad], required: true}
      plats: string
      antal: int
`

// importRepo makes a repository at dir from commits, each a set of
// files written whole (nil: removed), with git fast-import.
func importRepo(tb testing.TB, dir string, commits []map[string][]byte) {
	tb.Helper()
	if !testrepo.HaveGit() {
		tb.Skip("git saknas")
	}
	run := func(stdin []byte, args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Stdin = bytes.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run(nil, "init", "-q", "-b", "main")
	var s bytes.Buffer
	blob := func(data []byte) {
		fmt.Fprintf(&s, "data %d\n", len(data))
		s.Write(data)
		s.WriteByte('\n')
	}
	for i, files := range commits {
		fmt.Fprintf(&s, "commit refs/heads/main\nmark :%d\ncommitter T <t@example.se> %d +0100\n", i+1, 1640995200+3600*i)
		blob(fmt.Appendf(nil, "c%d", i))
		if i > 0 {
			fmt.Fprintf(&s, "from :%d\n", i)
		}
		for _, name := range slices.Sorted(maps.Keys(files)) {
			if files[name] == nil {
				fmt.Fprintf(&s, "D %s\n", name)
				continue
			}
			fmt.Fprintf(&s, "M 100644 inline %s\n", name)
			blob(files[name])
		}
	}
	run(s.Bytes(), "fast-import", "--quiet")
	run(nil, "reset", "-q", "--hard", "main")
}

// provenanceOf walks dir's history as Read does, with Grow or without.
func provenanceOf(tb testing.TB, dir string, grow bool, grew *int) *source.History {
	tb.Helper()
	voc, diags := promise.ParseVocabulary(promise.ActivitiesFile, []byte(growActivities))
	if diags.Errors() > 0 {
		tb.Fatal(diags)
	}
	src, err := source.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	opt := source.ProvenanceOptions{
		Keys:    func(p string, data []byte) ([]source.RecordRef, bool) { return recordRefs(p, data, voc) },
		NoCache: true,
	}
	if grow {
		opt.Grow = func(p string, data []byte, n int, prev []source.RecordRef, state any) ([]source.RecordRef, any, bool) {
			refs, next, ok := growRefs(p, data, n, prev, state, voc)
			if ok && grew != nil {
				*grew++
			}
			return refs, next, ok
		}
	}
	h, err := src.Provenance("", opt)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// csvRow is a random data row, now and then one that is left out or
// that quotes, spans lines, is not UTF-8 or is cut short.
func csvRow(rng *rand.Rand, sep string) string {
	plats := []string{"Torget", "Mullsjö", `"Torget` + sep + ` norra"`, `"Han sa ""hej"""`, "Centrum"}[rng.IntN(5)]
	antal := fmt.Sprint(rng.IntN(3))
	date := fmt.Sprintf("2022-%02d-%02d", 1+rng.IntN(3), 1+rng.IntN(4))
	switch rng.IntN(40) {
	case 0:
		antal = "många" // an error: the row is left out
	case 1:
		plats = "\"två\nrader\""
	case 2:
		plats = "\"aldrig stängd" // takes the rest of the file
	case 3:
		plats = "Mull\xf6" // Windows-1252
	case 4:
		plats = "a\"b" // a bare quote
	case 5:
		return ""
	}
	return strings.Join([]string{date, "trafikkontroll", "polisen", []string{"civil", "uniformerad"}[rng.IntN(2)], plats, antal}, sep) + "\n"
}

func csvHeader(rng *rand.Rand) (string, string) {
	switch rng.IntN(4) {
	case 0:
		return "sep=,\ndate,type,by,form,plats,antal\n", ","
	case 1:
		return "\xef\xbb\xbfdate;type;by;form;plats;antal\n", ";"
	case 2:
		return "date,type,by,form,plats,antal\r\n", ","
	}
	return "date;type;by;form;plats;antal\n", ";"
}

func yamlRecord(rng *rand.Rand) string {
	return fmt.Sprintf("- date: 2022-%02d-%02d\n  type: trafikkontroll\n  by: polisen\n  form: civil\n  antal: %d\n", 1+rng.IntN(3), 1+rng.IntN(4), rng.IntN(3))
}

// randomHistory is a history of CSV and YAML files that mostly grow by
// appended lines, and are now and then edited, rewritten, removed, cut
// short of their last newline, or made unreadable.
func randomHistory(rng *rand.Rand, n int) []map[string][]byte {
	files := map[string]string{}
	seps := map[string]string{}
	var commits []map[string][]byte
	names := []string{"data/a.csv", "data/2022/b.csv", "data/c.csv", "data/d.yaml"}
	for range n {
		change := map[string][]byte{}
		for _, name := range names {
			if rng.IntN(3) > 0 && len(change) > 0 {
				continue
			}
			old, ok := files[name]
			yaml := strings.HasSuffix(name, ".yaml")
			var now string
			switch op := rng.IntN(20); {
			case !ok || op == 0: // written afresh
				if yaml {
					now = yamlRecord(rng)
				} else {
					var head string
					head, seps[name] = csvHeader(rng)
					now = head + csvRow(rng, seps[name])
				}
			case op == 1: // removed
				delete(files, name)
				change[name] = nil
				continue
			case op == 2: // a line edited
				lines := strings.SplitAfter(old, "\n")
				i := rng.IntN(len(lines))
				lines[i] = strings.Replace(lines[i], "2022-0", "2022-1", 1)
				now = strings.Join(lines, "")
			case op == 3: // the last newline cut
				now = strings.TrimSuffix(old, "\n")
			case op == 4: // unreadable
				now = old + "\x00"
			default: // lines appended
				now = old
				for range 1 + rng.IntN(3) {
					if yaml {
						now += yamlRecord(rng)
					} else {
						now += csvRow(rng, seps[name])
					}
				}
			}
			files[name] = now
			change[name] = []byte(now)
		}
		commits = append(commits, change)
	}
	return commits
}

// TestGrowSameAsWhole compares the provenance of random histories read
// with Grow, appended lines only, with the one read version by version.
func TestGrowSameAsWhole(t *testing.T) {
	grew := 0
	for seed := range uint64(12) {
		rng := rand.New(rand.NewPCG(seed, 7))
		dir := t.TempDir()
		importRepo(t, dir, randomHistory(rng, 60))
		whole := provenanceOf(t, dir, false, nil)
		fast := provenanceOf(t, dir, true, &grew)
		if len(whole.Added) == 0 {
			t.Fatalf("seed %d: no records added", seed)
		}
		if !reflect.DeepEqual(whole.Added, fast.Added) || !reflect.DeepEqual(whole.Commits, fast.Commits) {
			for i := range max(len(whole.Added), len(fast.Added)) {
				var a, b source.Addition
				if i < len(whole.Added) {
					a = whole.Added[i]
				}
				if i < len(fast.Added) {
					b = fast.Added[i]
				}
				if !reflect.DeepEqual(a, b) {
					t.Fatalf("seed %d: addition %d of %d/%d:\nwhole %+v\ngrown %+v", seed, i, len(whole.Added), len(fast.Added), a, b)
				}
			}
			t.Fatalf("seed %d: the commits differ", seed)
		}
	}
	t.Logf("grew %d", grew)
	if grew < 100 {
		t.Errorf("Grow read %d versions, want the most of them", grew)
	}
}

// growingCSV is a history of one CSV file that gains a line a commit.
func growingCSV(n int) []map[string][]byte {
	commits := make([]map[string][]byte, n)
	text := []byte("date;type;by;form;plats;antal\n")
	for i := range commits {
		text = fmt.Appendf(text, "2022-%02d-%02d;trafikkontroll;polisen;civil;Torget %d;%d\n", 1+i%12, 1+i%28, i, i%5)
		commits[i] = map[string][]byte{"data/k.csv": bytes.Clone(text)}
	}
	return commits
}

// BenchmarkProvenanceGrowing walks 2,000 commits of one CSV file that
// gains a line a commit, with Grow and reading every version whole.
func BenchmarkProvenanceGrowing(b *testing.B) {
	dir := b.TempDir()
	importRepo(b, dir, growingCSV(2000))
	if err := os.MkdirAll(filepath.Join(dir, "rules"), 0o755); err != nil {
		b.Fatal(err)
	}
	for _, grow := range []bool{false, true} {
		b.Run(map[bool]string{false: "whole", true: "grow"}[grow], func(b *testing.B) {
			for b.Loop() {
				if h := provenanceOf(b, dir, grow, nil); len(h.Added) != 2000 {
					b.Fatalf("%d additions", len(h.Added))
				}
			}
		})
	}
}
