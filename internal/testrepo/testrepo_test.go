package testrepo

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// tree reads every file under dir except .git, by slash path.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func write(t *testing.T, opt Options) string {
	t.Helper()
	dir := t.TempDir()
	if err := Write(dir, opt); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDeterministic(t *testing.T) {
	opt := Options{Records: 3000, Seed: 42}
	a, b := tree(t, write(t, opt)), tree(t, write(t, opt))
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for p, data := range a {
		if !bytes.Equal(data, b[p]) {
			t.Errorf("%s differs between two writes with the same seed", p)
		}
	}
	opt.Seed++
	c := tree(t, write(t, opt))
	same := true
	for p, data := range a {
		same = same && bytes.Equal(data, c[p])
	}
	if same {
		t.Error("another seed wrote the same files")
	}
}

func TestDeterministicCommits(t *testing.T) {
	if !HaveGit() {
		t.Skip("git is not installed")
	}
	opt := Options{Records: 500, Seed: 3, Git: true}
	head := func(dir string) string {
		out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	if a, b := head(write(t, opt)), head(write(t, opt)); a != b {
		t.Errorf("HEAD %s, then %s", a, b)
	}
}

// TestLayout checks the record count, the files' places and shapes.
func TestLayout(t *testing.T) {
	const n = 12_345
	years := []int{2021, 2022}
	files := tree(t, write(t, Options{Records: n, Years: years, Seed: 1}))
	for _, p := range []string{"rules/activities.yaml", "rules/calendar.yaml", PromiseFile,
		"data/2021/bedomningar.jsonl", "data/2022/bedomningar.jsonl"} {
		if files[p] == nil {
			t.Errorf("%s is missing", p)
		}
	}
	if cal := string(files["rules/calendar.yaml"]); !strings.Contains(cal, "2021-HT:") || !strings.Contains(cal, "2022-VT:") {
		t.Errorf("calendar.yaml lacks terms:\n%s", cal)
	}
	if !strings.Contains(string(files[PromiseFile]), "valid: 2021..2022\n") {
		t.Error("the promise is not valid 2021..2022")
	}
	rows, shapes := 0, map[string]bool{}
	for p, data := range files {
		if !strings.HasSuffix(p, ".csv") {
			continue
		}
		parts := strings.Split(p, "/")
		if len(parts) != 4 || len(parts[2]) != 2 {
			t.Errorf("%s: not data/YEAR/MM/TYPE.csv", p)
			continue
		}
		typ := strings.TrimSuffix(parts[3], ".csv")
		text := strings.ReplaceAll(string(data), "\r\n", "\n")
		lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		head := 1
		switch {
		case strings.HasPrefix(text, "\ufeffsep=;\n"):
			shapes["excel"] = true
			head = 2
		case strings.HasPrefix(text, "date;"):
			shapes[";"] = true
		case strings.HasPrefix(text, "date,"):
			shapes[","] = true
		default:
			t.Errorf("%s starts with %q", p, lines[0])
		}
		if !utf8.Valid(data) {
			shapes["cp1252"] = true
		}
		for _, l := range lines[head:] {
			if !strings.HasPrefix(l, parts[1]+"-"+parts[2]+"-") || !strings.Contains(l, typ) {
				t.Errorf("%s: row %q", p, l)
				break
			}
		}
		rows += len(lines) - head
	}
	if rows != n {
		t.Errorf("%d rows, want %d", rows, n)
	}
	for _, s := range []string{"excel", ";", ",", "cp1252"} {
		if !shapes[s] {
			t.Errorf("no file of shape %s", s)
		}
	}
}

// BenchmarkWrite writes 100,000 records without git.
func BenchmarkWrite(b *testing.B) {
	for b.Loop() {
		if err := Write(b.TempDir(), Options{Records: 100_000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(100_000, "records/op")
}
