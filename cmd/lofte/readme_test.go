package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The user's guide (README.md) and the reference (docs/reference.md) are
// full of command lines and outputs that users copy. These tests hold them
// to the program: every `lofte …` line parses against the real command
// tree, and the outputs shown for the bundled example are what lofte
// prints for it.

// docFile is one Markdown file of the repository, read once.
type docFile struct {
	name  string
	lines []string
}

func readDoc(t *testing.T, name string) docFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return docFile{name: name, lines: strings.Split(string(data), "\n")}
}

// fence is a fenced code block: its info string, the line of its first
// content line (1-based) and its lines, with the block's indentation (as
// in a list item) removed.
type fence struct {
	info  string
	line  int
	lines []string
}

var fenceRE = regexp.MustCompile("^( *)```(.*)$")

func (d docFile) fences() []fence {
	var out []fence
	var cur *fence
	indent := ""
	for i, l := range d.lines {
		if m := fenceRE.FindStringSubmatch(l); m != nil {
			if cur == nil {
				cur = &fence{info: strings.TrimSpace(m[2]), line: i + 2}
				indent = m[1]
				continue
			}
			out = append(out, *cur)
			cur = nil
			continue
		}
		if cur != nil {
			cur.lines = append(cur.lines, strings.TrimPrefix(l, indent))
		}
	}
	return out
}

// exampleLine is one lofte command line found in a document.
type exampleLine struct {
	where string // file:line
	args  []string
}

// commandLines gives the lofte command lines of the fenced blocks: every
// line of a sh block, a line after a "$ " prompt in any block, and the
// ExecStart= of a systemd unit. Backslash continuations are joined;
// `go run ./cmd/lofte` and /usr/local/bin/lofte count as lofte.
func (d docFile) commandLines() []exampleLine {
	var out []exampleLine
	for _, f := range d.fences() {
		for i := 0; i < len(f.lines); i++ {
			start := i
			l := f.lines[i]
			for strings.HasSuffix(l, `\`) && i+1 < len(f.lines) {
				i++
				l = strings.TrimSuffix(l, `\`) + " " + strings.TrimSpace(f.lines[i])
			}
			l = strings.TrimSpace(l)
			switch {
			case strings.HasPrefix(l, "$ "):
				l = l[2:]
			case f.info == "ini" && strings.HasPrefix(l, "ExecStart="):
				l = strings.TrimPrefix(l, "ExecStart=")
			case f.info == "sh":
			default:
				continue
			}
			for _, words := range shellCommands(l) {
				var args []string
				switch {
				case len(words) > 0 && (words[0] == "lofte" || strings.HasSuffix(words[0], "/lofte")):
					args = words[1:]
				case len(words) > 2 && words[0] == "go" && words[1] == "run" && words[2] == "./cmd/lofte":
					args = words[3:]
				default:
					continue
				}
				out = append(out, exampleLine{where: d.name + ":" + strconv.Itoa(f.line+start), args: args})
			}
		}
	}
	return out
}

// shellCommands splits one shell line into its simple commands (at &&,
// ||, |, ; and &) and each into words, with quotes removed; a # that
// begins a word begins a comment.
func shellCommands(line string) [][]string {
	var cmds [][]string
	var words []string
	var w strings.Builder
	inWord := false
	end := func() {
		if inWord {
			words = append(words, w.String())
			w.Reset()
			inWord = false
		}
	}
	endCmd := func() {
		end()
		if len(words) > 0 {
			cmds = append(cmds, words)
		}
		words = nil
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(line[i+1:], c)
			if j < 0 {
				j = len(line) - i - 1
			}
			w.WriteString(line[i+1 : i+1+j])
			inWord = true
			i += j + 1
		case c == ' ' || c == '\t':
			end()
		case c == '#' && !inWord:
			endCmd()
			return cmds
		case c == '&' || c == '|' || c == ';':
			endCmd()
			if i+1 < len(line) && (line[i+1] == '&' || line[i+1] == '|') {
				i++
			}
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	endCmd()
	return cmds
}

// repoFlags complete from the repository; every other flag with a fixed
// completion is an enumeration.
var repoFlags = map[string]bool{"promise": true, "period": true, "rev": true, "by": true, "known-at": true, "as-of": true}

func newTree() *cobra.Command {
	root := newRoot(io.Discard, io.Discard)
	root.InitDefaultCompletionCmd()
	return root
}

// enumValues is the set of values of an enumerated flag of cmd, or nil.
func enumValues(cmd *cobra.Command, name string) []string {
	if repoFlags[name] {
		return nil
	}
	fn, ok := cmd.GetFlagCompletionFunc(name)
	if !ok {
		return nil
	}
	comps, _ := fn(cmd, nil, "")
	var vs []string
	for _, c := range comps {
		v, _, _ := strings.Cut(c, "\t")
		vs = append(vs, v)
	}
	return vs
}

// checkArgs parses one example command line as lofte would, without
// running it: the command exists, every flag exists for it and parses,
// the arguments are as many as the command takes, and an enumerated flag
// has one of its values.
func checkArgs(args []string) []string {
	root := newTree()
	cmd, rest, err := root.Find(args)
	if err != nil {
		return []string{err.Error()}
	}
	if err := cmd.ParseFlags(rest); err != nil {
		return []string{cmd.CommandPath() + ": " + err.Error()}
	}
	var problems []string
	if cmd == root && len(cmd.Flags().Args()) > 0 {
		problems = append(problems, "no command "+cmd.Flags().Arg(0))
	}
	if err := cmd.ValidateArgs(cmd.Flags().Args()); err != nil {
		problems = append(problems, cmd.CommandPath()+": "+err.Error())
	}
	if err := cmd.ValidateFlagGroups(); err != nil {
		problems = append(problems, cmd.CommandPath()+": "+err.Error())
	}
	cmd.Flags().Visit(func(f *pflag.Flag) {
		valid := enumValues(cmd, f.Name)
		if valid == nil {
			return
		}
		vals := []string{f.Value.String()}
		if s, ok := f.Value.(pflag.SliceValue); ok {
			vals = s.GetSlice()
		}
		for _, v := range vals {
			if !slices.Contains(valid, v) {
				problems = append(problems, cmd.CommandPath()+": --"+f.Name+" "+v+": not one of "+strings.Join(valid, ", "))
			}
		}
	})
	return problems
}

// TestREADMECommandLines parses every lofte command line in the fenced
// blocks of README.md and docs/reference.md against the command tree.
func TestREADMECommandLines(t *testing.T) {
	n := 0
	for _, name := range []string{"README.md", "docs/reference.md"} {
		for _, ex := range readDoc(t, name).commandLines() {
			n++
			for _, p := range checkArgs(ex.args) {
				t.Errorf("%s: lofte %s: %s", ex.where, strings.Join(ex.args, " "), p)
			}
		}
	}
	if n < 20 {
		t.Errorf("found %d command lines in the documents, want at least 20: is the extraction broken?", n)
	}
}

var (
	codeSpanRE  = regexp.MustCompile("`([^`]+)`")
	placeholder = regexp.MustCompile(`[A-ZÅÄÖ<…]`)
)

// synopsis is a command written with its flags in brackets, as in
// `evaluate --period P [--format text\|json]`.
type synopsis struct {
	where string
	text  string
	table bool // the first cell of a table row: the command is required
}

// synopses gives the code spans that begin with `lofte ` anywhere in the
// text, and the first cells of table rows that begin with a command name.
func (d docFile) synopses(root *cobra.Command) []synopsis {
	var out []synopsis
	prose := make([]string, len(d.lines)) // the lines outside fenced blocks; blank inside
	inFence := false
	for i, l := range d.lines {
		if fenceRE.MatchString(l) {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		prose[i] = l
		if !strings.HasPrefix(l, "| `") {
			continue
		}
		cell := strings.TrimPrefix(l, "| ")
		m := codeSpanRE.FindStringSubmatch(cell)
		if m == nil {
			continue
		}
		first, _, _ := strings.Cut(m[1], " ")
		if c, _, err := root.Find([]string{first}); err == nil && c != root {
			out = append(out, synopsis{where: d.name + ":" + strconv.Itoa(i+1), text: "lofte " + m[1], table: true})
		}
	}
	text := strings.Join(prose, "\n")
	for _, m := range codeSpanRE.FindAllStringSubmatchIndex(text, -1) {
		span := strings.Join(strings.Fields(text[m[2]:m[3]]), " ")
		if !strings.HasPrefix(span, "lofte ") {
			continue
		}
		line := strings.Count(text[:m[0]], "\n") + 1
		out = append(out, synopsis{where: d.name + ":" + strconv.Itoa(line), text: span})
	}
	return out
}

// checkSynopsis checks a command written as a synopsis: the command path
// exists, every --flag exists for it, and a value written in lower case
// (`text|json`, `github,gitlab|none`) is valid for an enumerated flag or
// for the command's arguments; a placeholder (P, D, FIL, <id>, …) is
// not checked.
func checkSynopsis(root *cobra.Command, s synopsis) []string {
	text := strings.ReplaceAll(s.text, `\|`, "|")
	text = strings.NewReplacer("[", " ", "]", " ", "…", " … ").Replace(text)
	words := strings.Fields(text)[1:]
	cmd := root
	var problems []string
	type flagUse struct{ name, value string }
	var flags []flagUse
	var positional []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if strings.HasPrefix(w, "-") && w != "-" {
			name, value, hasValue := strings.Cut(strings.TrimLeft(w, "-"), "=")
			if !hasValue && i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") {
				f := cmd.Flag(name)
				if f == nil && len(name) == 1 {
					f = cmd.Flags().ShorthandLookup(name)
				}
				if f != nil && f.NoOptDefVal == "" {
					value = words[i+1]
					i++
				}
			}
			flags = append(flags, flagUse{name, value})
			continue
		}
		if sub, _, err := cmd.Find([]string{w}); err == nil && sub != cmd && len(positional) == 0 {
			cmd = sub
			continue
		}
		positional = append(positional, w)
	}
	if cmd == root && (s.table || len(positional) > 0) {
		problems = append(problems, "no such command")
	}
	for _, fu := range flags {
		f := cmd.Flag(fu.name)
		if f == nil && len(fu.name) == 1 {
			f = cmd.Flags().ShorthandLookup(fu.name)
		}
		if f == nil {
			problems = append(problems, cmd.CommandPath()+": no flag --"+fu.name)
			continue
		}
		if fu.value == "" || placeholder.MatchString(fu.value) {
			continue
		}
		valid := enumValues(cmd, f.Name)
		for _, v := range strings.FieldsFunc(fu.value, func(r rune) bool { return r == '|' || r == ',' }) {
			if valid != nil && !slices.Contains(valid, v) {
				problems = append(problems, cmd.CommandPath()+": --"+f.Name+" "+v+": not one of "+strings.Join(valid, ", "))
			}
		}
	}
	for _, p := range positional {
		if !strings.Contains(p, "|") || len(cmd.ValidArgs) == 0 {
			continue
		}
		for _, v := range strings.Split(p, "|") {
			if !slices.Contains(cmd.ValidArgs, v) {
				problems = append(problems, cmd.CommandPath()+": argument "+v+": not one of "+strings.Join(cmd.ValidArgs, ", "))
			}
		}
	}
	return problems
}

// TestREADMESynopses checks the commands written in the text and in the
// tables of commands: `lofte check --trust`, `evaluate --period P
// [--format text\|json\|…]`: the command and each flag exist, and each
// value of an enumeration is valid.
func TestREADMESynopses(t *testing.T) {
	root := newTree()
	n := 0
	for _, name := range []string{"README.md", "docs/reference.md"} {
		for _, s := range readDoc(t, name).synopses(root) {
			n++
			for _, p := range checkSynopsis(root, s) {
				t.Errorf("%s: `%s`: %s", s.where, s.text, p)
			}
		}
	}
	if n < 30 {
		t.Errorf("found %d commands in the text and tables, want at least 30: is the extraction broken?", n)
	}
	// The flags of serve, in the README's table of them.
	d := readDoc(t, "README.md")
	serve, _, _ := root.Find([]string{"serve"})
	in := false
	for i, l := range d.lines {
		if strings.HasPrefix(l, "| flagga | betyder |") {
			in = true
			continue
		}
		if in && !strings.HasPrefix(l, "|") {
			break
		}
		if !in {
			continue
		}
		first, _, _ := strings.Cut(strings.TrimPrefix(l, "| "), " | ")
		for _, m := range codeSpanRE.FindAllStringSubmatch(first, -1) {
			name, _, _ := strings.Cut(strings.TrimPrefix(m[1], "--"), " ")
			if !strings.HasPrefix(m[1], "--") {
				continue
			}
			if serve.Flag(name) == nil {
				t.Errorf("README.md:%d: lofte serve has no flag --%s", i+1, name)
			}
		}
	}
}

var commitRE = regexp.MustCompile(`commit [0-9a-f]{7,40}`)

func normalise(s string) string {
	return commitRE.ReplaceAllString(strings.TrimRight(s, "\n"), "commit HASH")
}

// lofteIn runs lofte in dir and returns its standard output and error.
func lofteIn(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"--repo", dir}, args...), &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

// blockAfter is the first fenced block after the first line that
// contains marker.
func (d docFile) blockAfter(t *testing.T, marker string) fence {
	t.Helper()
	for i, l := range d.lines {
		if !strings.Contains(l, marker) {
			continue
		}
		for _, f := range d.fences() {
			if f.line > i+1 {
				return f
			}
		}
	}
	t.Fatalf("%s: no block after %q", d.name, marker)
	return fence{}
}

func diffText(t *testing.T, where, got, want string) {
	t.Helper()
	if got == want {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Errorf("%s: the document shows another output than lofte prints; first difference at line %d of the block:\ndocument: %q\nlofte:    %q\nwhole output of lofte:\n%s", where, i+1, wl, gl, got)
			return
		}
	}
}

// TestREADMEOutputs compares the outputs the documents show for the
// bundled example with what lofte prints for it, commit hashes aside.
func TestREADMEOutputs(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := exampleRepo(t, t.TempDir())
	readme := readDoc(t, "README.md")

	t.Run("evaluate", func(t *testing.T) {
		f := readme.blockAfter(t, "`go run ./cmd/lofte evaluate --period 2022 --as-of 2022-08-31` på exemplet")
		out, stderr, code := lofteIn(t, dir, "evaluate", "--period", "2022", "--as-of", "2022-08-31")
		if code != exitBad || stderr != "" {
			t.Errorf("exit status %d, stderr %q; want 1 and nothing", code, stderr)
		}
		diffText(t, "README.md:"+strconv.Itoa(f.line), normalise(out), normalise(strings.Join(f.lines, "\n")))
	})

	// Every block that begins with a "$ lofte" prompt, but watch (it
	// prints the time of day), is the output of that command.
	for _, name := range []string{"README.md", "docs/reference.md"} {
		for _, f := range readDoc(t, name).fences() {
			if len(f.lines) == 0 || !strings.HasPrefix(f.lines[0], "$ lofte ") || strings.HasPrefix(f.lines[0], "$ lofte watch") {
				continue
			}
			where := name + ":" + strconv.Itoa(f.line)
			t.Run(where, func(t *testing.T) {
				args := shellCommands(strings.TrimPrefix(f.lines[0], "$ "))[0][1:]
				out, _, _ := lofteIn(t, dir, args...)
				shown := normalise(strings.Join(f.lines[1:], "\n"))
				got := normalise(out)
				if name == "README.md" {
					diffText(t, where, got, shown)
					return
				}
				// The reference shows lines out of the output.
				for _, l := range strings.Split(shown, "\n") {
					if l != "" && !slices.Contains(strings.Split(got, "\n"), l) {
						t.Errorf("%s: the line %q is not in the output of lofte %s:\n%s", where, l, strings.Join(args, " "), got)
					}
				}
			})
		}
	}

	t.Run("rule error", func(t *testing.T) {
		typo := t.TempDir()
		if err := os.CopyFS(typo, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(typo, "rules", "mullsjo.yaml")
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(file, bytes.Replace(data, []byte("count(trafikkontroll) >= 104"), []byte("count(trafikkontrol) >= 104"), 1), 0o644)
		_, evalErr, _ := lofteIn(t, typo, "evaluate", "--period", "2022", "--as-of", "2022-08-31")
		checkOut, _, code := lofteIn(t, typo, "check")
		if code != exitUsage {
			t.Errorf("check: exit status %d, want 2", code)
		}
		for _, c := range []struct{ marker, got string }{
			{"och föreslår närmaste namn:", evalErr},
			{"med en markering under och ett tips.", checkOut},
		} {
			f := readme.blockAfter(t, c.marker)
			shown := strings.Join(f.lines, "\n")
			if !strings.Contains(c.got, shown+"\n") {
				t.Errorf("README.md:%d: the error shown is not in what lofte prints:\n%s\nlofte:\n%s", f.line, shown, c.got)
			}
		}
		// The same error, as watch writes it after its time.
		f := readme.blockAfter(t, "och när det är rättat skrivs `återställd`:")
		_, msg, _ := strings.Cut(f.lines[1], " fel: ")
		if !strings.HasPrefix(evalErr, msg+"\n") {
			t.Errorf("README.md:%d: watch's error %q is not the error lofte prints:\n%s", f.line+1, msg, evalErr)
		}
	})

	t.Run("diff backtest", func(t *testing.T) {
		next := t.TempDir()
		if err := os.CopyFS(next, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		if _, stderr, code := lofteIn(t, next, "draft", "--from-promise", "mullsjo", "--year", "2023"); code != exitOK {
			t.Fatalf("draft --from-promise: exit status %d\n%s", code, stderr)
		}
		// The two changes the README says were made.
		file := filepath.Join(next, "rules", "mullsjo-2023.yaml")
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		edited := strings.NewReplacer(
			"count(trafikkontroll) >= 104", "count(trafikkontroll) >= 120",
			`count(hundsok, .plats == "grundskola") per termin >= 1`, `count(hundsok, .plats == "grundskola") per tertial >= 1`,
		).Replace(string(data))
		if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		out, stderr, code := lofteIn(t, next, "diff", "2022", "2023", "--backtest")
		if code != exitOK {
			t.Errorf("diff: exit status %d\n%s", code, stderr)
		}
		var shown fence
		for _, b := range readme.fences() {
			if len(b.lines) > 0 && b.lines[0] == "Från 2022 till 2023:" {
				shown = b
			}
		}
		if shown.lines == nil {
			t.Fatal("README.md: no output of lofte diff 2022 2023 --backtest")
		}
		diffText(t, "README.md:"+strconv.Itoa(shown.line), strings.TrimRight(out, "\n"), strings.Join(shown.lines, "\n"))
	})
}
