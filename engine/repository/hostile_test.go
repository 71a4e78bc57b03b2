package repository

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/source"
)

const hostileVocab = `activities:
  hundsok:
    fields:
      plats: {enum: [grundskola, gymnasium, annan], required: true}
      skola: string
`

const hostilePromise = `promise: p
valid: 2022
parties: {polisen: Polisen}
commitments:
  - id: hundsok
    owner: polisen
    rule: count(hundsok) >= 1
`

const goodRecord = "- date: 2022-02-01\n  type: hundsok\n  by: polisen\n  plats: grundskola\n"

// hostileRepo writes a small repository with one good record.
func hostileRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"rules/activities.yaml": hostileVocab,
		"rules/p.yaml":          hostilePromise,
		"data/ok.yaml":          goodRecord,
	} {
		write(t, filepath.Join(dir, name), []byte(body))
	}
	return dir
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHostileInput puts each hostile input into a repository and checks
// that it is refused with its message, and that the good record still
// counts: nothing crashes, hangs or takes the others down.
func TestHostileInput(t *testing.T) {
	corpus := func(name string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			data, err := os.ReadFile(filepath.Join("testdata", "hostile", name))
			if err != nil {
				t.Fatal(err)
			}
			folder := "data"
			if strings.HasSuffix(name, ".rules.yaml") {
				folder = "rules"
			}
			write(t, filepath.Join(dir, folder, name), data)
		}
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		max   int64 // file size limit, 0 for the default
		want  string
	}{
		{"alias bomb in records", corpus("alias_bomb.yaml"), 0, "alias"},
		{"alias bomb in a promise", corpus("alias_bomb.rules.yaml"), 0, "alias"},
		{"deeply nested YAML", corpus("deep.yaml"), 0, "djup"},
		{"rule nested too deep", corpus("deep_rule.rules.yaml"), 0, "nästlad i fler än 32 nivåer"},
		{"NUL byte", corpus("nul.yaml"), 0, "NUL"},
		{"a rule that runs too long", func(t *testing.T, dir string) {
			corpus("slow_rule.rules.yaml")(t, dir)
			write(t, filepath.Join(dir, "data", "many.yaml"), []byte(strings.Repeat(goodRecord, 400)))
			RuleLimit = 50 * time.Millisecond // restored after the case
		}, 0, "avbröts"},
		{"a rule that builds gigabytes of text", corpus("text_bomb_rule.rules.yaml"), 0, "mer än 16 MiB text"},
		{"a target that overflows an integer", corpus("overflow_rule.rules.yaml"), 0, "heltalet blir för stort"},
		{"a target that is not finite", corpus("infinite_rule.rules.yaml"), 0, "inte är ett ändligt tal"},
		{"invalid UTF-8", corpus("invalid_utf8.json"), 0, "UTF-8"},
		{"file over the size limit", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "data", "stor.yaml"), []byte(strings.Repeat(goodRecord, 100)))
		}, 2048, "mer än gränsen"},
		{"line over 1 MiB", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "data", "lang.csv"), []byte("date,type,by,plats,skola\n2022-03-01,hundsok,polisen,annan,"+strings.Repeat("x", 1<<20+10)+"\n"))
		}, 0, "längre än 1 MiB"},
		{"control character in a file name", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "data", "a\x1bb.yaml"), []byte(goodRecord))
		}, 0, "styrtecken"},
		{"symbolic link out of the repository", func(t *testing.T, dir string) {
			outside := filepath.Join(t.TempDir(), "x.yaml")
			write(t, outside, []byte(goodRecord))
			if err := os.Symlink(outside, filepath.Join(dir, "data", "x.yaml")); err != nil {
				t.Skip(err)
			}
		}, 0, "utanför"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func(l time.Duration) { RuleLimit = l }(RuleLimit)
			dir := hostileRepo(t)
			tt.setup(t, dir)
			rep := evaluateDir(t, dir, tt.max, "")
			if !containsDiag(rep, tt.want) {
				t.Errorf("no message with %q; got:\n%v", tt.want, rep.Diags)
			}
			if !strings.HasSuffix(tt.name, "in a promise") && !strings.HasPrefix(tt.name, "rule") {
				checkGoodRecordCounted(t, rep)
			}
		})
	}
}

// TestCorruptGitObject: a damaged object gives a clear error, not a panic.
func TestCorruptGitObject(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := hostileRepo(t)
	git := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=x", "GIT_AUTHOR_EMAIL=x@example.org", "GIT_COMMITTER_NAME=x", "GIT_COMMITTER_EMAIL=x@example.org")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q", "-b", "main")
	git("add", "-A")
	git("commit", "-q", "-m", "init")
	blob := git("rev-parse", "HEAD:data/ok.yaml")
	obj := filepath.Join(dir, ".git", "objects", blob[:2], blob[2:])
	if err := os.Chmod(obj, 0o644); err != nil {
		t.Fatal(err)
	}
	write(t, obj, []byte("this is not a zlib stream"))
	repo, err := source.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = repo.Revision("HEAD")
	if err == nil || !strings.Contains(err.Error(), "data/ok.yaml") {
		t.Errorf("Revision on a corrupt object: %v; want an error naming data/ok.yaml", err)
	}
}

func evaluateDir(t *testing.T, dir string, max int64, rev string) *eval.Report {
	t.Helper()
	repo, err := source.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	repo.SetMaxFileSize(max)
	snap, err := repo.WorkTree()
	if err != nil {
		t.Fatal(err)
	}
	asOf, _ := calendar.ParseDate("2022-08-31")
	return Load(snap).Evaluate(calendar.Period{First: 2022, Last: 2022}, asOf)
}

func containsDiag(rep *eval.Report, want string) bool {
	for _, d := range rep.Diags {
		if strings.Contains(d.Error(), want) {
			return true
		}
	}
	return false
}

func checkGoodRecordCounted(t *testing.T, rep *eval.Report) {
	t.Helper()
	for _, ev := range rep.Evaluations {
		for _, res := range ev.Results {
			if res.Commitment.ID == "hundsok" && len(res.Windows) == 1 && res.Windows[0].Value != nil && *res.Windows[0].Value >= 1 {
				return
			}
		}
	}
	t.Errorf("the good record did not count")
}
