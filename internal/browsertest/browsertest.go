// Package browsertest finds what the browser tests need: Chromium,
// Node.js, and playwright-core and axe-core from the npm registry.
//
// Chromium is Debian's chromium (or LOFTE_CHROMIUM); the node modules are
// in LOFTE_NODE_MODULES (default: $TMPDIR/lofte-browser/node_modules);
// .ci/run installs them. Without them a test is skipped, saying why,
// unless LOFTE_BROWSER_TEST=1 (as .ci/run sets once it has installed
// them), which makes anything missing a failure. Screenshots go under
// LOFTE_SCREENSHOTS (default: $TMPDIR/lofte-screenshots).
package browsertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Tools are the programs a browser test runs.
type Tools struct {
	Chromium string // the browser
	Node     string // Node.js, which runs the test's script
	Modules  string // the node_modules folder with playwright-core and axe-core
}

// Find returns the tools, or skips (or fails) t when one is missing, and
// skips with -short.
func Find(t testing.TB) Tools {
	t.Helper()
	if testing.Short() {
		t.Skip("a browser test: not with -short")
	}
	missing := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("LOFTE_BROWSER_TEST") == "1" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format, args...)
	}
	var tools Tools
	tools.Chromium = os.Getenv("LOFTE_CHROMIUM")
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if tools.Chromium == "" {
			tools.Chromium, _ = exec.LookPath(name)
		}
	}
	if tools.Chromium == "" {
		missing("no Chromium: install Debian's chromium (apt-get install chromium) or set LOFTE_CHROMIUM; bash .ci/run does it")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("no Node.js to drive Chromium: install nodejs, or run bash .ci/run")
	}
	tools.Node = node
	tools.Modules = os.Getenv("LOFTE_NODE_MODULES")
	if tools.Modules == "" {
		tools.Modules = filepath.Join(os.TempDir(), "lofte-browser", "node_modules")
	}
	for _, m := range []string{"playwright-core", "axe-core"} {
		if _, err := os.Stat(filepath.Join(tools.Modules, m, "package.json")); err != nil {
			missing("%s is not in %s: npm install --prefix %s playwright-core axe-core (bash .ci/run does it)", m, tools.Modules, filepath.Dir(tools.Modules))
		}
	}
	return tools
}

// Screenshots returns the folder for a test's screenshots, made.
func Screenshots(t testing.TB, name string) string {
	t.Helper()
	dir := os.Getenv("LOFTE_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "lofte-screenshots")
	}
	dir = filepath.Join(dir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
