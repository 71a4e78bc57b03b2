package schema_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lofte/lofte/engine/scaffold"
	"github.com/lofte/lofte/schema"
)

// TestEditor: in the editor, as it is typed. The YAML language server that
// VS Code's YAML extension runs (yaml-language-server, from the npm
// registry, in LOFTE_NODE_MODULES: .ci/run installs it) is given the files
// of a repository that lofte init wrote, as an editor opens them: it finds
// each file's schema from its first line, in the repository, with no
// network; it underlines nothing in the files as written, underlines a
// misspelled key and an unknown status where they are, and shows the
// schema's description of a key on hover.
func TestEditor(t *testing.T) {
	server := filepath.Join(os.Getenv("LOFTE_NODE_MODULES"), "yaml-language-server", "bin", "yaml-language-server")
	if _, err := os.Stat(server); os.Getenv("LOFTE_NODE_MODULES") == "" || err != nil {
		if os.Getenv("LOFTE_EDITOR_TEST") == "1" {
			t.Fatalf("LOFTE_EDITOR_TEST=1 but there is no %s", server)
		}
		t.Skip("yaml-language-server is not installed in LOFTE_NODE_MODULES")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	dir := t.TempDir()
	paths, err := scaffold.Write(dir, scaffold.Options{Year: 2024, Version: "1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	ls := startLS(t, server, dir)

	for _, p := range paths {
		if schema.For(p) == "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		if d := ls.open(t, filepath.Join(dir, p), string(data)); len(d) > 0 {
			t.Errorf("%s as lofte init writes it: the editor underlines %v", p, d)
		}
	}

	// Mistakes, each on its line: a misspelled key in a promise, a status
	// that is none in a rule test.
	example, _ := os.ReadFile(filepath.Join(dir, "rules/exempel.yaml"))
	broken := strings.Replace(string(example), "    owner: polisen\n", "    ägare: polisen\n", 1)
	line := strings.Count(broken[:strings.Index(broken, "ägare")], "\n")
	d := ls.open(t, filepath.Join(dir, "rules/trasig.yaml"), broken)
	if !hasLine(d, line) {
		t.Errorf("a misspelled key on line %d: the editor underlines %v", line+1, d)
	}
	tests, _ := os.ReadFile(filepath.Join(dir, "rules/exempel_test.yaml"))
	status := strings.Index(string(tests), ": met")
	if status < 0 {
		t.Fatal("rules/exempel_test.yaml expects no status met")
	}
	brokenTests := string(tests[:status]) + ": klar" + string(tests[status+len(": met"):])
	line = strings.Count(brokenTests[:status], "\n")
	d = ls.open(t, filepath.Join(dir, "rules/trasig_test.yaml"), brokenTests)
	if !hasLine(d, line) {
		t.Errorf("an unknown status on line %d: the editor underlines %v", line+1, d)
	}

	// The description of a key, on hover.
	key := strings.Index(string(example), "\npromise:") + 1
	hover := ls.hover(t, filepath.Join(dir, "rules/exempel.yaml"), strings.Count(string(example[:key]), "\n"), 2)
	if !strings.Contains(hover, "Löftets id") {
		t.Errorf("hover over promise: %q, want the schema's description", hover)
	}
	ls.close(t)
}

type lsDiagnostic struct {
	Range struct {
		Start struct{ Line, Character int }
	}
	Message  string
	Severity int
}

func (d lsDiagnostic) String() string {
	return fmt.Sprintf("%d:%d %s", d.Range.Start.Line+1, d.Range.Start.Character+1, d.Message)
}

func hasLine(ds []lsDiagnostic, line int) bool {
	for _, d := range ds {
		if d.Range.Start.Line == line {
			return true
		}
	}
	return false
}

// languageServer is a client of a language server over its standard input
// and output (JSON-RPC with Content-Length headers), as an editor is.
type languageServer struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *bufio.Reader
	id    int
	diags map[string][]lsDiagnostic // the last published, by document URI
	root  string
}

func startLS(t *testing.T, server, root string) *languageServer {
	t.Helper()
	cmd := exec.Command("node", server, "--stdio")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ls := &languageServer{cmd: cmd, in: in, out: bufio.NewReader(out), diags: map[string][]lsDiagnostic{}, root: root}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	rootURI := fileURI(root)
	ls.call(t, "initialize", map[string]any{
		"processId": os.Getpid(), "rootUri": rootURI,
		"workspaceFolders": []any{map[string]any{"uri": rootURI, "name": "kommun"}},
		"capabilities": map[string]any{
			"textDocument": map[string]any{"hover": map[string]any{"contentFormat": []string{"plaintext", "markdown"}}},
			"workspace":    map[string]any{"configuration": true},
		},
	})
	ls.notify(t, "initialized", map[string]any{})
	ls.notify(t, "workspace/didChangeConfiguration", map[string]any{"settings": ls.settings()})
	return ls
}

// settings are an editor's settings: validation and hover on, the
// catalogue of schemas on the internet off.
func (ls *languageServer) settings() map[string]any {
	return map[string]any{"yaml": map[string]any{
		"validate": true, "hover": true, "completion": true,
		"schemaStore": map[string]any{"enable": false},
	}}
}

func fileURI(p string) string { return (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String() }

func (ls *languageServer) write(t *testing.T, msg map[string]any) {
	t.Helper()
	msg["jsonrpc"] = "2.0"
	body, err := json.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Fprintf(ls.in, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		t.Fatal(err)
	}
}

type lsMessage struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// read reads the next message, answering the server's own requests and
// keeping the diagnostics it publishes.
func (ls *languageServer) read(t *testing.T) lsMessage {
	t.Helper()
	for {
		length := -1
		for {
			line, err := ls.out.ReadString('\n')
			if err != nil {
				t.Fatalf("the language server stopped: %v", err)
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				length, _ = strconv.Atoi(v)
			}
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(ls.out, body); err != nil {
			t.Fatal(err)
		}
		var m lsMessage
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		switch {
		case m.Method == "textDocument/publishDiagnostics":
			var p struct {
				URI         string         `json:"uri"`
				Diagnostics []lsDiagnostic `json:"diagnostics"`
			}
			json.Unmarshal(m.Params, &p)
			ls.diags[p.URI] = p.Diagnostics
		case m.Method != "" && m.ID != nil: // a request of the server's
			var result any
			if m.Method == "workspace/configuration" {
				var p struct{ Items []struct{ Section string } }
				json.Unmarshal(m.Params, &p)
				items := make([]any, len(p.Items))
				for i, it := range p.Items {
					items[i] = ls.settings()[it.Section]
				}
				result = items
			}
			ls.write(t, map[string]any{"id": m.ID, "result": result})
		}
		return m
	}
}

func (ls *languageServer) notify(t *testing.T, method string, params any) {
	t.Helper()
	ls.write(t, map[string]any{"method": method, "params": params})
}

func (ls *languageServer) call(t *testing.T, method string, params any) json.RawMessage {
	t.Helper()
	ls.id++
	id := ls.id
	ls.write(t, map[string]any{"id": id, "method": method, "params": params})
	for {
		m := ls.read(t)
		if m.Method == "" && string(m.ID) == strconv.Itoa(id) {
			if m.Error != nil {
				t.Fatalf("%s: %s", method, m.Error.Message)
			}
			return m.Result
		}
	}
}

// open opens a document, as an editor does, and returns what the server
// underlines in it: its diagnostics once they are published after the
// document's schema is known (a request that needs the schema, a hover,
// is answered only after it is loaded and the document validated).
func (ls *languageServer) open(t *testing.T, file, text string) []lsDiagnostic {
	t.Helper()
	uri := fileURI(file)
	delete(ls.diags, uri)
	ls.notify(t, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
	ls.hover(t, file, 0, 0)
	for {
		if d, ok := ls.diags[uri]; ok {
			return d
		}
		ls.read(t)
	}
}

// hover is the text the server shows on hover at line and character.
func (ls *languageServer) hover(t *testing.T, file string, line, char int) string {
	t.Helper()
	res := ls.call(t, "textDocument/hover", map[string]any{
		"textDocument": map[string]any{"uri": fileURI(file)},
		"position":     map[string]any{"line": line, "character": char}})
	var h struct {
		Contents json.RawMessage `json:"contents"`
	}
	json.Unmarshal(res, &h)
	return string(h.Contents)
}

func (ls *languageServer) close(t *testing.T) {
	t.Helper()
	ls.call(t, "shutdown", nil)
	ls.notify(t, "exit", nil)
	ls.in.Close()
	ls.cmd.Wait()
}
