package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine/calendar"
)

// The languages of the command line (docs/reference.md §9): with --lang en
// every text a person reads is English, apart from what the repository's
// own files say (titles, names, texts of the promise) and the keywords of
// the rule language; without it every text is Swedish, cobra's and
// pflag's own included. The commands run are found by walking the command
// tree, so a new command is covered by these tests as it is added: its
// help, an unknown flag and wrong arguments; the fixtures of the scripts
// in testdata/script give check, evaluate, explain, test and diff every
// kind of problem the scripts have.

// output is what one command line wrote.
type output struct {
	args []string
	text string
}

// langRuns runs lofte with lang ("en" or "sv") over the command tree,
// common mistakes, a fresh repository from lofte init and every fixture,
// and returns what each command line wrote, with the user's own phrases
// of the repositories read.
func langRuns(t *testing.T, lang string) (outs []output, user []string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	for k, v := range map[string]string{
		"GIT_AUTHOR_NAME": "Exempel", "GIT_AUTHOR_EMAIL": "exempel@example.org",
		"GIT_COMMITTER_NAME": "Exempel", "GIT_COMMITTER_EMAIL": "exempel@example.org",
		"GIT_AUTHOR_DATE": "2026-01-15T12:00:00+01:00", "GIT_COMMITTER_DATE": "2026-01-15T12:00:00+01:00",
		"GIT_CONFIG_GLOBAL": os.DevNull, "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1",
	} {
		t.Setenv(k, v)
	}
	var flags []string
	if lang == "en" {
		flags = []string{"--lang", "en"}
	}
	lofte := func(args ...string) {
		var out bytes.Buffer
		all := append(append([]string(nil), flags...), args...)
		code := run(all, &out, &out)
		outs = append(outs, output{all, fmt.Sprintf("%s(exit %d)\n", out.String(), code)})
	}

	// A fresh repository, as lofte init makes it.
	fresh := filepath.Join(t.TempDir(), "repo")
	lofte("init", fresh)
	user = append(user, phrases(t, fresh)...)

	// Every command: its help, an unknown flag, wrong arguments.
	for _, path := range commandPaths() {
		lofte(append(path, "--help")...)
		lofte(append([]string{"help"}, path...)...)
		lofte(append(append([]string{"--repo", fresh}, path...), "--no-such-flag")...)
		for _, args := range [][]string{nil, {"a", "b", "c", "d", "e", "f"}} {
			if c, _, err := newRoot(io.Discard, io.Discard).Find(path); err == nil && c.Args != nil && c.Args(c, args) != nil {
				lofte(append(append([]string{"--repo", fresh}, path...), args...)...)
			}
		}
	}
	lofte()
	lofte("evalute")
	lofte("help", "no-such-topic")
	lofte("--lang", "de", "evaluate")
	lofte("--repo", filepath.Join(fresh, "no-such-folder"), "evaluate")
	lofte("--repo", t.TempDir(), "evaluate", "--period", "2026")
	lofte("man", filepath.Join(t.TempDir(), "man"))
	lofte("draft", filepath.Join(fresh, "no-such-file.docx"))
	lofte("draft", filepath.Join(fresh, "rules"))
	lofte("init", fresh)
	lofte("init", "--ci", "none,nope", t.TempDir())
	for _, args := range [][]string{
		{"check"}, {"check", "--trust"}, {"check", "--format", "xml"},
		{"evaluate", "--period", "2026", "--as-of", "2026-06-30"},
		{"evaluate", "--period", "2026", "--as-of", "2026-06-30", "--format", "markdown"},
		{"evaluate", "--period", "2026", "--as-of", "2026-06-30", "--summary"},
		{"evaluate", "--period", "20x6"}, {"evaluate", "--period", "2026..2025"},
		{"evaluate", "--as-of", "2026-13-01"}, {"evaluate", "--as-of", "igår"},
		{"evaluate", "--period", "2030", "--as-of", "2030-06-30"},
		{"evaluate", "--rev", "no-such-rev"}, {"evaluate", "--known-at", "x"},
		{"evaluate", "--promise", "nope"}, {"evaluate", "--format", "xml"},
		{"evaluate", "--max-file-size", "x"}, {"evaluate", "--period"},
		{"report", "--period", "2026", "--as-of", "2026-06-30", "-o", filepath.Join(t.TempDir(), "u.html")},
		{"explain", "trafik", "--period", "2026"}, {"explain", "trafik.kontrol", "--period", "2026"},
		{"diff", "2026"}, {"diff", "2025", "2026"}, {"diff", "HEAD"}, {"diff", "no-such-rev"},
		{"test"}, {"test", "--run", "("},
		{"record", "trafikkontroll", "--no-commit", "form=civil"},
		{"record", "trafikkontroll", "--by", "polisen", "--no-commit", "form=cvil"},
		{"record", "trafikkontroll", "--by", "polis", "--no-commit", "form=civil"},
		{"record", "trafikkontrol", "--by", "polisen", "--no-commit", "form=civil"},
		{"record", "trafikkontroll", "--by", "polisen", "--date", "2026-02-30", "--no-commit", "form=civil"},
		{"record", "trafikkontroll", "--by", "polisen", "--no-commit", "form"},
		{"record", "trafikkontroll", "--by", "polisen", "--no-commit", "form=civil", "plats=19811218-9876"},
		{"watch", "--format", "xml"}, {"serve", "--auth", "nope"},
	} {
		lofte(append([]string{"--repo", fresh}, args...)...)
	}
	for _, id := range completions(fresh, "explain", "") {
		lofte("--repo", fresh, "explain", id, "--period", "2026", "--as-of", "2026-06-30")
	}

	// The fixtures of the scripts: every repository in them; and check's
	// repository with a problem of every kind.
	files, err := filepath.Glob("testdata/script/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	many := filepath.Join(t.TempDir(), "many")
	if err := os.CopyFS(many, os.DirFS("../../engine/check/testdata/many")); err != nil {
		t.Fatal(err)
	}
	repos := []string{many}
	// The bad files of the promise package's tests, each in a copy of the
	// fresh repository.
	bad, _ := filepath.Glob("../../engine/promise/testdata/*.bad.yaml")
	for _, f := range bad {
		repo := filepath.Join(t.TempDir(), "bad")
		if err := os.CopyFS(repo, os.DirFS(fresh)); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".bad.yaml") + ".yaml"
		if name != "activities.yaml" && name != "calendar.yaml" {
			name = "bad-" + name
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, "rules", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		repos = append(repos, repo)
	}
	for _, f := range files {
		repos = append(repos, extract(t, f)...)
	}
	for _, repo := range repos {
		user = append(user, phrases(t, repo)...)
		lofte("--repo", repo, "check")
		lofte("--repo", repo, "evaluate", "--period", "2022", "--as-of", "2022-08-31")
		lofte("--repo", repo, "evaluate", "--period", "2022", "--as-of", "2022-08-31", "--format", "markdown")
		lofte("--repo", repo, "test")
		lofte("--repo", repo, "diff", "2022", "2023")
		lofte("--repo", repo, "explain", "no.such", "--period", "2022")
		for i, id := range completions(repo, "explain", "") {
			if i < 3 {
				lofte("--repo", repo, "explain", id, "--period", "2022", "--as-of", "2022-08-31")
			}
		}
	}
	return outs, user
}

// commandPaths are the paths of every command of the tree, without the
// root ("evaluate", "completion bash", …), the hidden ones left out.
func commandPaths() [][]string {
	var paths [][]string
	walk(newRoot(io.Discard, io.Discard), func(c *cobra.Command) {
		if c.Hidden || !c.HasParent() {
			return
		}
		paths = append(paths, strings.Fields(strings.TrimPrefix(c.CommandPath(), "lofte ")))
	})
	return paths
}

// completions are lofte's completions of the arguments args in repo.
func completions(repo string, args ...string) []string {
	var out bytes.Buffer
	run(append([]string{"--repo", repo, "__complete"}, args...), &out, io.Discard)
	var ids []string
	for _, l := range strings.Split(out.String(), "\n") {
		if id, _, _ := strings.Cut(l, "\t"); id != "" && !strings.HasPrefix(id, ":") {
			ids = append(ids, id)
		}
	}
	return ids
}

// extract writes the files of the script f into a folder and returns the
// repositories in it: each folder with a rules/ folder.
func extract(t *testing.T, f string) []string {
	t.Helper()
	a, err := txtar.ParseFile(f)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), strings.TrimSuffix(filepath.Base(f), ".txtar"))
	repos := map[string]bool{}
	for _, file := range a.Files {
		name := filepath.FromSlash(file.Name)
		if !filepath.IsLocal(name) {
			continue
		}
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, file.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(filepath.ToSlash(name), "/")
		for i, part := range parts[:len(parts)-1] {
			if part == "rules" {
				repos[filepath.Join(dir, filepath.Join(parts[:i]...))] = true
			}
		}
	}
	var out []string
	for r := range repos {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// phrases are the texts written in the files of rules/ and data/ under
// repo: the user's titles, names and texts, which stay as written in
// either language.
func phrases(t *testing.T, repo string) []string {
	t.Helper()
	var out []string
	for _, sub := range []string{"rules", "data"} {
		err := filepath.WalkDir(filepath.Join(repo, sub), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			for _, m := range userID.FindAllStringSubmatch(string(b), -1) {
				ids[m[1]] = true
			}
			for _, l := range strings.Split(string(b), "\n") {
				for _, s := range userSplit.Split(l, -1) {
					// Only what would read as Swedish: a phrase of several
					// words, or a name with å, ä or ö.
					s = strings.Trim(s, " \t.-")
					if swedishIn(s) != "" && (strings.Contains(s, " ") || strings.ContainsAny(s, "åäöÅÄÖ")) {
						out = append(out, s)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// userID is an id the user gave a promise, a party or an activity type.
var userID = regexp.MustCompile(`(?m)^\s*(?:-\s*)?(?:id|promise|by|type|owner):\s*([\p{L}\p{N}_-]+)\s*$`)

// ids are the ids of the repositories read (filled as they are read),
// which stay as written.
var ids = map[string]bool{}

var userSplit = regexp.MustCompile(`[:,;|"'{}\[\]()=#\t]|  +`)

var (
	// quoted are values given in quotes: the user's, as they wrote them.
	quoted = regexp.MustCompile("\"(?:[^\"\\\\\\n]|\\\\.)*\"|`[^`\\n]*`|“[^”\\n]*”|«[^»\\n]*»|(?:^|\\s)'[^'\\n]*'")
	// caret is the line under a line of a file, marking a place in it.
	caret = regexp.MustCompile(`^\s*\^+\s*$`)
	// swedish are common words of Swedish that are not English, the
	// words of lofte's Swedish messages and help among them; words with
	// å, ä or ö are Swedish as well.
	swedish = wordSet(`och eller inte ingen inga inget för är har saknas saknar fel felen felet varning varningar
		regel regeln regler posten poster posterna åtagande åtagandet åtaganden löfte löftet löften kan ska som av
		med den det ett finns måste går gäller sedan utan skriv skrivs kör rätta mapp mappen filen filer filerna
		värde värdet värden fält fältet vara kunde ange efter inom bort redan aldrig heltal igen mer kolumnen kolumn
		skapa ogiltig ogiltigt spara texten pekar samma tomt flera annat annan typen avsluta gjordes grenen
		dokumentet siffror uppgifter personer historien listan parten parterna checka hittades samling blir alla
		senast tecken fler kopiera flytta dagar mellan storlek kommando kommandon flagga flaggor flaggan sträng
		användning exempel hjälp hjälpen okänd okänt okända kräver menade utdataformat bara också här där
		vilka vad varje någon något några sin sitt sina skulle dess deras hur vid mot till från`)
	// names are the words that name something rather than say it: paths,
	// ids with dots, field=value, e-mail addresses.
	names = regexp.MustCompile(`[\p{L}\p{N}_*~<-]*[\p{L}\p{N}_*>][./=+@][^\s,;:()]*`)
	// english is what cobra and pflag write in English.
	english = regexp.MustCompile(`unknown flag|Unknown help topic|Unknown flag|unknown shorthand|unknown command|flag needs an argument|invalid argument|bad flag syntax|\baccepts (\d+|at most|between)|requires at least|required flag|Usage:|\bFlags:|Global Flags|Available Commands|Additional help topics|Examples:|Aliases:|Use "|Did you mean|See '|\(default |\[command\]|--[\w-]+ (string|stringArray|strings|duration|int|size)\b|^\.SH (NAME|DESCRIPTION|OPTIONS|EXAMPLE|SEE ALSO)`)
)

// leftover is text with what the user wrote taken out: the lines of files
// shown with a mark under them, quoted values, the commands of examples,
// the user's phrases and the rule language's keywords.
func leftover(text string, user []string) string {
	lines := strings.Split(text, "\n")
	var keep []string
	example := false
	for i, l := range lines {
		switch {
		case i+1 < len(lines) && caret.MatchString(lines[i+1]):
			continue
		case l == "Examples:" || l == ".EX":
			example = true
		case l == "" || l == ".EE":
			example = false
		case example:
			// An example's command line: only its comment is text.
			_, l, _ = strings.Cut(l, "#")
		}
		keep = append(keep, l)
	}
	s := quoted.ReplaceAllString(strings.Join(keep, "\n"), "")
	for _, u := range user {
		s = strings.ReplaceAll(s, u, "")
	}
	return s
}

// keywords are the words that stay Swedish in English: the rule
// language's names of windows, the Swedish name of the promises, and the
// data of the examples.
var keywords = func() map[string]bool {
	m := map[string]bool{"medborgarlöften": true, "hundsök": true}
	for _, w := range calendar.KindNames() {
		m[w] = true
	}
	return m
}()

var word = regexp.MustCompile(`[\p{L}]+`)

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// swedishIn returns the Swedish words of line, "" when it has none.
func swedishIn(line string) string {
	var found []string
	for _, w := range word.FindAllString(names.ReplaceAllString(line, " "), -1) {
		if !keywords[w] && !ids[w] && (swedish[strings.ToLower(w)] || strings.ContainsAny(w, "åäöÅÄÖ")) {
			found = append(found, w)
		}
	}
	return strings.Join(found, " ")
}

func TestEnglishEverywhere(t *testing.T) {
	outs, user := langRuns(t, "en")
	sort.Slice(user, func(i, j int) bool { return len(user[i]) > len(user[j]) })
	leaks := map[string][]string{}
	for _, o := range outs {
		for _, l := range strings.Split(leftover(o.text, user), "\n") {
			if swedishIn(l) != "" {
				leaks[strings.TrimSpace(l)] = append(leaks[strings.TrimSpace(l)], strings.Join(o.args, " "))
			}
		}
	}
	reportLeaks(t, "Swedish in English output", leaks)
	t.Logf("%d command lines", len(outs))
	if len(outs) < 200 {
		t.Errorf("only %d command lines were run", len(outs))
	}
}

func TestSwedishEverywhere(t *testing.T) {
	outs, _ := langRuns(t, "sv")
	leaks := map[string][]string{}
	for _, o := range outs {
		for _, l := range strings.Split(o.text, "\n") {
			if english.MatchString(l) {
				leaks[strings.TrimSpace(l)] = append(leaks[strings.TrimSpace(l)], strings.Join(o.args, " "))
			}
		}
	}
	reportLeaks(t, "English of cobra or pflag in Swedish output", leaks)
}

// The manual pages are in the language of --lang.
func TestManLang(t *testing.T) {
	for _, lang := range []string{"sv", "en"} {
		dir := t.TempDir()
		var out bytes.Buffer
		if code := run([]string{"--lang", lang, "man", dir}, &out, &out); code != 0 {
			t.Fatalf("lofte --lang %s man: exit %d: %s", lang, code, out.String())
		}
		pages, _ := filepath.Glob(filepath.Join(dir, "*.1"))
		if len(pages) != len(commandPaths()) { // every command and the root, not help
			t.Errorf("--lang %s: %d pages for %d commands", lang, len(pages), len(commandPaths()))
		}
		leaks := map[string][]string{}
		for _, p := range pages {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			if lang == "en" {
				text = leftover(strings.NewReplacer(`\fB`, "", `\fP`, "", `\\`, "").Replace(text), nil)
			}
			for _, l := range strings.Split(text, "\n") {
				bad := lang == "en" && swedishIn(l) != "" ||
					lang == "sv" && english.MatchString(l)
				if bad {
					leaks[strings.TrimSpace(l)] = append(leaks[strings.TrimSpace(l)], filepath.Base(p))
				}
			}
		}
		reportLeaks(t, "--lang "+lang+" man", leaks)
	}
}

func reportLeaks(t *testing.T, what string, leaks map[string][]string) {
	t.Helper()
	keys := make([]string, 0, len(leaks))
	for k := range leaks {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Errorf("%s: %q (lofte %s)", what, k, leaks[k][0])
	}
}
