package diag

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// A use of a format: where, and the format.
type use struct {
	at     string
	format string
	lists  []int // the verbs whose values are lists made by diag.And
}

// sink is a function that makes a message from a format and its hint:
// the indexes of those parameters (-1: none).
type sink struct{ hint, format int }

// scan finds, in the Go files (not tests) under the folders dirs, every
// format string that becomes a message: the formats and hints of
// diag.List.Add and Warn and of the functions that pass their format on
// to them (by package and name, to any depth), and the formats of
// fmt.Errorf and errors.New and of functions that pass theirs on to
// fmt.Errorf. Arguments that are not literal text are returned in other.
func scan(t *testing.T, dirs ...string) (uses []use, other []use) {
	t.Helper()
	fset := token.NewFileSet()
	type file struct {
		dir string
		f   *ast.File
	}
	var files []file
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, p, nil, 0)
			if err != nil {
				return err
			}
			files = append(files, file{filepath.Dir(p), f})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The sinks: by package folder and name, found to a fixed point.
	sinks := map[string]sink{}
	inWrapper := false
	sinkOf := func(dir string, c *ast.CallExpr) (sink, bool) {
		switch fn := c.Fun.(type) {
		case *ast.SelectorExpr:
			if x, ok := fn.X.(*ast.Ident); ok {
				switch {
				case x.Name == "fmt" && fn.Sel.Name == "Errorf":
					return sink{-1, 0}, true
				case x.Name == "errors" && fn.Sel.Name == "New":
					return sink{-1, 0}, true
				case x.Name == "fmt" && fn.Sel.Name == "Sprintf" && inWrapper:
					// A wrapper that formats its message first.
					return sink{-1, 0}, true
				}
			}
			if (fn.Sel.Name == "Add" || fn.Sel.Name == "Warn") && len(c.Args) >= 3 {
				return sink{1, 2}, true
			}
			s, ok := sinks[dir+"."+fn.Sel.Name]
			return s, ok
		case *ast.Ident:
			s, ok := sinks[dir+"."+fn.Name]
			return s, ok
		}
		return sink{}, false
	}
	for changed := true; changed; {
		changed = false
		for _, f := range files {
			for _, decl := range f.f.Decls {
				fd, ok := decl.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				key := f.dir + "." + fd.Name.Name
				if _, ok := sinks[key]; ok {
					continue
				}
				params := map[string]int{}
				i := 0
				for _, p := range fd.Type.Params.List {
					for _, n := range p.Names {
						params[n.Name] = i
						i++
					}
					if len(p.Names) == 0 {
						i++
					}
				}
				fi, ok := params["format"]
				if !ok {
					continue
				}
				s := sink{hint: -1, format: -1}
				inWrapper = true
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					c, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					k, ok := sinkOf(f.dir, c)
					if !ok {
						return true
					}
					if arg(c, k.format) == "format" {
						s.format = fi
						if hi, ok := params["hint"]; ok && arg(c, k.hint) == "hint" {
							s.hint = hi
						}
					}
					return true
				})
				inWrapper = false
				if s.format >= 0 {
					sinks[key] = s
					changed = true
				}
			}
		}
	}
	for _, f := range files {
		ast.Inspect(f.f, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			k, ok := sinkOf(f.dir, c)
			if !ok {
				return true
			}
			at := fset.Position(c.Pos()).String()
			for _, i := range []int{k.format, k.hint} {
				if i < 0 || i >= len(c.Args) {
					continue
				}
				a := c.Args[i]
				if s, ok := literal(a); ok {
					if s != "" {
						u := use{at: at, format: s}
						if i == k.format {
							u.lists = listArgs(c.Args[i+1:])
						}
						uses = append(uses, u)
					}
					continue
				}
				// A hint made with fmt.Sprintf from a literal format.
				if cl, ok := a.(*ast.CallExpr); ok {
					if sel, ok := cl.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(cl.Args) > 0 {
						if s, ok := literal(cl.Args[0]); ok {
							uses = append(uses, use{at: at, format: s, lists: listArgs(cl.Args[1:])})
							continue
						}
					}
				}
				if id, ok := a.(*ast.Ident); ok && (id.Name == "format" || id.Name == "hint") {
					continue // passed on: checked where the function is called
				}
				other = append(other, use{at: at, format: types(fset, a)})
			}
			return true
		})
	}
	return uses, other
}

// listArgs are the indexes of the arguments that are lists made by
// diag.And.
func listArgs(args []ast.Expr) []int {
	var out []int
	for i, a := range args {
		c, ok := a.(*ast.CallExpr)
		if !ok {
			continue
		}
		switch fn := c.Fun.(type) {
		case *ast.SelectorExpr:
			if fn.Sel.Name == "And" {
				out = append(out, i)
			}
		case *ast.Ident:
			if fn.Name == "And" {
				out = append(out, i)
			}
		}
	}
	return out
}

func arg(c *ast.CallExpr, i int) string {
	if i < 0 || i >= len(c.Args) {
		return ""
	}
	if id, ok := c.Args[i].(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// literal is the text of a string literal, or of literals joined with +.
func literal(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		a, ok1 := literal(x.X)
		b, ok2 := literal(x.Y)
		return a + b, ok1 && ok2 && x.Op == token.ADD
	case *ast.ParenExpr:
		return literal(x.X)
	}
	return "", false
}

func types(fset *token.FileSet, e ast.Expr) string {
	var b strings.Builder
	_ = printExpr(&b, e)
	return b.String()
}

func printExpr(b *strings.Builder, e ast.Expr) error {
	switch x := e.(type) {
	case *ast.Ident:
		b.WriteString(x.Name)
	case *ast.SelectorExpr:
		_ = printExpr(b, x.X)
		b.WriteString("." + x.Sel.Name)
	case *ast.CallExpr:
		_ = printExpr(b, x.Fun)
		b.WriteString("(…)")
	case *ast.BasicLit:
		b.WriteString(x.Value)
	case *ast.BinaryExpr:
		_ = printExpr(b, x.X)
		b.WriteString(" + ")
		_ = printExpr(b, x.Y)
	default:
		fmt.Fprintf(b, "%T", e)
	}
	return nil
}

// notMessages are formats that never reach a person as they are: errors
// of the program itself, in English, and the formats that only join
// messages (which need no entry: their text is the values').
var notMessages = map[string]bool{
	"pack file damaged":                                  true,
	"object not in a pack":                               true,
	"record: row left to encoding/csv":                   true,
	"no window shape":                                    true,
	"%w: zlib stream longer than its object, or damaged": true,
	"trasig kodning":                                     true, // the parse cache's: never shown, the file is read again
	"trasig kodning: %v":                                 true,
	"version %d":                                         true,
	"outcome cache does not fit":                         true, // history's cache: read as none and written again
}

// The formats of the engine, the command line and the web app, every one
// of them with an entry in the catalog whose English has the same verbs
// in the same order: a new message without its English fails here.
func TestCatalogCoversEveryFormat(t *testing.T) {
	uses, other := scan(t, "..", "../../cmd/lofte", "../../internal/docread")
	entries := map[string]string{}
	for _, p := range english {
		if _, dup := entries[p[0]]; dup {
			t.Errorf("catalog: %q twice", p[0])
		}
		entries[p[0]] = p[1]
		if _, ok := parseEntry(p[0], p[1]); !ok {
			t.Errorf("catalog: %q and %q do not have the same verbs in the same order", p[0], p[1])
		}
	}
	missing := map[string][]string{}
	n := map[string]bool{}
	for _, u := range uses {
		if notMessages[u.format] || !hasLetter(u.format) {
			continue
		}
		n[u.format] = true
		if _, ok := entries[u.format]; !ok {
			missing[u.format] = append(missing[u.format], u.at)
		}
	}
	keys := make([]string, 0, len(missing))
	for k := range missing {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Errorf("no English for %q (%s)", k, missing[k][0])
	}
	t.Logf("%d formats used, %d without English; %d entries in the catalog", len(n), len(missing), len(english))
	for _, o := range other {
		t.Logf("not literal: %s: %s", o.at, o.format)
	}
}

// Every list made by And that is put into a message has its verb in
// lists, so that the English joins it with "and" rather than "och".
func TestCatalogLists(t *testing.T) {
	uses, _ := scan(t, "..", "../../cmd/lofte")
	for _, u := range uses {
		for _, i := range u.lists {
			if !slices.Contains(lists[u.format], i) {
				t.Errorf("%s: the value of verb %d of %q is a list: add it to lists", u.at, i, u.format)
			}
		}
	}
	for f := range lists {
		found := false
		for _, p := range english {
			found = found || p[0] == f
		}
		if !found {
			t.Errorf("lists: %q is not in the catalog", f)
		}
	}
}

// hasLetter reports whether a format has text besides its verbs.
func hasLetter(format string) bool {
	lits, _ := splitFormat(format)
	for _, l := range lits {
		for _, r := range l {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 {
				return true
			}
		}
	}
	return false
}

// Every entry puts its own Swedish into its English: the values are found
// again in the message and put where the English has its verbs.
func TestCatalogRoundTrip(t *testing.T) {
	for _, p := range english {
		_, verbs := splitFormat(p[0])
		args := make([]any, len(verbs))
		for i, v := range verbs {
			switch v[len(v)-1] {
			case 'd', 'c':
				args[i] = 7 + i
			case 'T':
				args[i] = 1.5
			default:
				args[i] = fmt.Sprintf("x%d", i)
			}
		}
		sv, want := fmt.Sprintf(p[0], args...), fmt.Sprintf(p[1], args...)
		if len(verbs) == 0 { // a hint is not a format: "10 %" stays
			sv, want = p[0], p[1]
		}
		if got := English(sv); got != want {
			t.Errorf("English(%q) = %q, want %q", sv, got, want)
		}
	}
}

func TestEnglish(t *testing.T) {
	tests := []struct{ sv, en string }{
		// A value that is itself a message is put into English too.
		{`form: "cvil" är inget tillåtet värde`, `form: "cvil" is not an allowed value`},
		{`åtagandet trafik.kontroller: okänd aktivitetstyp "trafikkontrol"`,
			`commitment trafik.kontroller: unknown activity type "trafikkontrol"`},
		{`--as-of: ogiltigt datum "2022-13-01": månaden skrivs 01–12`,
			`--as-of: invalid date "2022-13-01": the month is written 01–12`},
		// The user's names stay as written.
		{"okänd part \"polis\": parterna är polisen och kommunen",
			"unknown party \"polis\": the parties are polisen och kommunen"},
		{"menade du `trafikkontroll`?", "did you mean `trafikkontroll`?"},
		// A list made by And is joined with "and", and its items that
		// are messages are put into English.
		{"droger.hundsok räknar per termin, men 2026-VT och 2026-HT står inte i rules/calendar.yaml: standarddatumen används (VT 1 januari–30 juni, HT 1 juli–31 december)",
			"droger.hundsok counts per term, but no dates are given for 2026-VT and 2026-HT in rules/calendar.yaml: the default dates are used (spring term 1 January–30 June, autumn term 1 July–31 December)"},
		{"åtagandet a.b har ingen bedömning under 2021, 2022 och 2023", "the commitment a.b has no assessment during 2021, 2022 and 2023"},
		{"åtagandet a.b har ingen bedömning under 2022", "the commitment a.b has no assessment during 2022"},
		// Values that are Swedish phrases of their own.
		{"posten räknas inte för löftet demo (trust: strict): commit 279019e (Bo <bo@example.org>, 2022-03-05): författaren hör inte till polisen (authors: *@polisen.se)",
			"the record is not counted for the promise demo (trust: strict): commit 279019e (Bo <bo@example.org>, 2022-03-05): the author does not belong to polisen (authors: *@polisen.se)"},
		{"en commit som revisionen \"x\" behöver saknas i git-förrådet i /r: förrådet kan vara skadat, kontrollera det med `git fsck`",
			"a commit that the revision \"x\" needs is missing in the git repository in /r: the repository may be damaged, check it with `git fsck`"},
		// What a key belongs to.
		{"okänd nyckel \"rulle\" i åtagandet", "unknown key \"rulle\" in the commitment"},
		{"parten polisen ska vara en samling nyckel: värde", "the party polisen should be a mapping key: value"},
		// Not a message of the catalog: as it is.
		{"något helt annat", "något helt annat"},
		// Lines are put into English one by one.
		{"filen är tom\nfilen är kodad som UTF-16", "the file is empty\nthe file is encoded as UTF-16"},
	}
	for _, tt := range tests {
		if got := English(tt.sv); got != tt.en {
			t.Errorf("English(%q) = %q, want %q", tt.sv, got, tt.en)
		}
	}
	d := &Diagnostic{Pos: Pos{File: "a", Line: 1}, Severity: Warning, Message: "filen är tom", Hint: "skriv posten för hand"}
	if got, want := d.ErrorIn("en"), "a:1: warning: the file is empty (write the record by hand)"; got != want {
		t.Errorf("ErrorIn(en) = %q, want %q", got, want)
	}
	if got, want := d.ErrorIn("sv"), "a:1: varning: filen är tom (skriv posten för hand)"; got != want {
		t.Errorf("ErrorIn(sv) = %q, want %q", got, want)
	}
}
