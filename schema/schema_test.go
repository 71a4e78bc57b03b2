package schema_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/report"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/ruletest"
	"github.com/lofte/lofte/engine/scaffold"
	"github.com/lofte/lofte/engine/source"
	"github.com/lofte/lofte/schema"
)

// compile compiles every schema, each at its address, so that one may
// refer to another (ruletest.json uses promise.json's commitment).
func compile(t testing.TB) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, name := range schema.Names {
		data, err := schema.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if id, _ := doc.(map[string]any)["$id"].(string); id != schema.Base+name {
			t.Errorf("%s: $id %q, want %q", name, id, schema.Base+name)
		}
		if err := c.AddResource(schema.Base+name, doc); err != nil {
			t.Fatal(err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, name := range schema.Names {
		s, err := c.Compile(schema.Base + name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = s
	}
	return out
}

// fromYAML is a YAML document as an editor's YAML language server sees it
// against a JSON Schema: scalars by their resolved tag (an unquoted date
// is a string, as the YAML 1.2 core schema has it), aliases resolved.
func fromYAML(src []byte) (any, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(src, &n); err != nil {
		return nil, err
	}
	if len(n.Content) == 0 {
		return nil, nil
	}
	return nodeValue(n.Content[0])
}

func nodeValue(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return nodeValue(n.Alias)
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := nodeValue(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			v, err := nodeValue(c)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	}
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		return n.Value == "true" || n.Value == "True" || n.Value == "TRUE", nil
	case "!!int", "!!float":
		if f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); err == nil {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
		}
	}
	return n.Value, nil
}

// fixture is a set of files of a commitments repository: the root's
// rules/ and data/, a folder of test data, or a CLI script's archive.
type fixture struct {
	name  string
	files map[string][]byte
}

// fixtures are the bundled example and every repository among the test
// data: folders holding rules/, and the files of the CLI scripts' archives
// under rules/ and data/ (grouped by the folder above them).
func fixtures(t *testing.T) []fixture {
	t.Helper()
	sets := map[string]map[string][]byte{}
	add := func(set, p string, data []byte) {
		if sets[set] == nil {
			sets[set] = map[string][]byte{}
		}
		sets[set][p] = data
	}
	split := func(p string) (string, string, bool) {
		for _, top := range []string{"rules/", "data/"} {
			if i := strings.Index(p, top); i >= 0 && (i == 0 || p[i-1] == '/') {
				return p[:i], p[i:], true
			}
		}
		return "", "", false
	}
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, "../"))
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && p != ".." || rel == "engine/repository/testdata/hostile" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(rel, ".txtar"):
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, f := range txtar.Parse(data).Files {
				if prefix, q, ok := split(f.Name); ok {
					add(rel+":"+prefix, q, f.Data)
				}
			}
		case !strings.Contains(rel, "/testdata/") && !strings.HasPrefix(rel, "rules/") && !strings.HasPrefix(rel, "data/"):
		default:
			if prefix, q, ok := split(rel); ok {
				data, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				add(prefix, q, data)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []fixture
	for name, files := range sets {
		if name == "" {
			name = "the bundled example"
		}
		out = append(out, fixture{name, files})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// load reads a fixture as lofte does; errs are the files with an error.
func load(fx fixture) (*repository.Repository, map[string]bool) {
	snap := &source.Snapshot{Root: "/" + strings.NewReplacer(":", "/").Replace(fx.name)}
	var paths []string
	for p := range fx.files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		snap.Files = append(snap.Files, source.File{Path: p, Data: fx.files[p]})
	}
	r := repository.Load(snap)
	_, testErrs := ruletest.Parse(fx.files, r)
	bad := map[string]bool{}
	for _, d := range append(r.Diags, testErrs...) {
		if d.Severity == 0 { // diag.Error
			bad[d.File] = true
		}
	}
	return r, bad
}

// TestFixtures: every file of rules/ that lofte reads without an error,
// in the bundled example and in every test fixture, is valid against its
// schema. Of the files lofte rejects, the share the schema rejects too is
// logged: a schema says what can be said of a file's shape, check the rest.
func TestFixtures(t *testing.T) {
	schemas := compile(t)
	var valid, invalid, caught int
	for _, fx := range fixtures(t) {
		_, bad := load(fx)
		for p, data := range fx.files {
			name := schema.For(p)
			if name == "" {
				continue
			}
			doc, err := fromYAML(data)
			if err != nil {
				if !bad[p] {
					t.Errorf("%s: %s: lofte reads it, YAML does not: %v", fx.name, p, err)
				}
				continue
			}
			err = schemas[name].Validate(doc)
			switch {
			case !bad[p] && err != nil:
				t.Errorf("%s: %s: valid for lofte, not for %s:\n%v", fx.name, p, name, err)
			case !bad[p]:
				valid++
			case err != nil:
				invalid++
				caught++
			default:
				invalid++
			}
		}
	}
	if valid < 50 {
		t.Errorf("only %d valid files validated", valid)
	}
	t.Logf("%d valid files pass their schema; the schemas reject %d of the %d files lofte rejects", valid, caught, invalid)
}

// TestScaffold: the files lofte init writes name their schema, the copy
// init writes in the repository, and are valid against it.
func TestScaffold(t *testing.T) {
	schemas := compile(t)
	dir := t.TempDir()
	paths, err := scaffold.Write(dir, scaffold.Options{Year: 2024, Version: "1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range paths {
		name := schema.For(p)
		if name == "" {
			continue
		}
		n++
		data, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		want := "# yaml-language-server: $schema=../.lofte/schema/" + name + "\n"
		if !strings.HasPrefix(string(data), want) {
			t.Errorf("%s does not begin with %q", p, want)
		}
		doc, err := fromYAML(data)
		if err != nil {
			t.Fatal(err)
		}
		if err := schemas[name].Validate(doc); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if n != 4 {
		t.Errorf("%d files with a schema, want 4", n)
	}
}

// TestRejects: the mistakes an editor should underline as they are typed.
func TestRejects(t *testing.T) {
	schemas := compile(t)
	tests := []struct{ schema, doc string }{
		{"promise.json", "promise: a\nvalid: 2022\ncommitments:\n  - id: x\n    rule: count(a) >= 1\n    assess: manual\n"},
		{"promise.json", "promise: a\nvalid: 2022\ncommitments:\n  - id: x\n"},
		{"promise.json", "promise: a\ncommitments: []\n"},
		{"promise.json", "promise: a\nvalid: 2022\ntitel: A\ncommitments: []\n"},
		{"promise.json", "promise: a\nvalid: 2022\ncommitments:\n  - id: x\n    rule: count(a) >= 1\n    tolerance: 1.5\n"},
		{"promise.json", "promise: a\nvalid: 2022\ntrust: sträng\ncommitments: []\n"},
		{"promise.json", "promise: a\nvalid: 2022\nparties:\n  k: {name: K, authors: [kommunen]}\ncommitments: []\n"},
		{"activities.json", "activities:\n  a:\n    fields:\n      f: text\n"},
		{"activities.json", "activities:\n  a:\n    fields:\n      date: date\n"},
		{"activities.json", "activities:\n  assessment: {}\n"},
		{"activities.json", "activities:\n  a:\n    fields:\n      f: {list: {list: string}}\n"},
		{"calendar.json", "terms:\n  2022-VT: 2022-01-10\n"},
		{"calendar.json", "terms:\n  2022-VÅR: 2022-01-10..2022-06-10\n"},
		{"ruletest.json", "tests:\n  - name: a\n    period: 2022\n    expect: {x: klar}\n    promise: p\n"},
		{"ruletest.json", "tests:\n  - name: a\n    period: 2022\n    expect: {x: met}\n"},
	}
	for _, tt := range tests {
		doc, err := fromYAML([]byte(tt.doc))
		if err != nil {
			t.Fatal(err)
		}
		if err := schemas[tt.schema].Validate(doc); err == nil {
			t.Errorf("%s accepts\n%s", tt.schema, tt.doc)
		}
	}
}

// TestReport: real output of evaluate --format json is valid against
// report.json: the bundled example on several days, with --provenance,
// and every fixture (errors, broken rules, manual and provisional
// commitments among them).
func TestReport(t *testing.T) {
	s := compile(t)["report.json"]
	validate := func(name string, b []byte) {
		t.Helper()
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := s.Validate(doc); err != nil {
			t.Errorf("%s: %v\n%s", name, err, b)
		}
	}
	eng, err := engine.Open("..", engine.Options{History: engine.HistoryOn, Today: func() calendar.Date { return calendar.NewDate(2022, 8, 31) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, asOf := range []calendar.Date{calendar.NewDate(2021, 3, 1), calendar.NewDate(2022, 8, 31), calendar.NewDate(2023, 1, 15)} {
		rep := eng.Evaluate(calendar.Period{First: 2021, Last: 2022}, asOf)
		var b bytes.Buffer
		if err := report.JSON(&b, rep); err != nil {
			t.Fatal(err)
		}
		validate("the bundled example at "+asOf.String(), b.Bytes())
		prov, err := eng.Provenance()
		if err != nil || prov == nil {
			t.Fatalf("provenance: %v", err)
		}
		b.Reset()
		if err := report.JSONWith(&b, rep, report.JSONOptions{Provenance: prov, Records: eng.Repository().Records}); err != nil {
			t.Fatal(err)
		}
		validate("the bundled example with provenance at "+asOf.String(), b.Bytes())
	}
	n := 0
	for _, fx := range fixtures(t) {
		r, _ := load(fx)
		years := calendar.Period{First: 2999, Last: 1900}
		for _, p := range r.Promises {
			years.First, years.Last = min(years.First, p.Valid.First), max(years.Last, p.Valid.Last)
		}
		if len(r.Promises) == 0 || years.Last-years.First > 3 {
			continue
		}
		for _, asOf := range []calendar.Date{calendar.NewDate(years.Last, 8, 31), calendar.NewDate(years.Last+1, 1, 15)} {
			var b bytes.Buffer
			if err := report.JSON(&b, r.Evaluate(years, asOf)); err != nil {
				t.Fatal(err)
			}
			validate(fmt.Sprintf("%s at %s", fx.name, asOf), b.Bytes())
			n++
		}
	}
	t.Logf("%d reports of fixtures validated", n)
}
