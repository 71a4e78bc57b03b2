package main

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"lofte": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI scripts in testdata/script: each builds a small
// repository, commits with git and asserts output and exit codes.
//
// Besides the standard commands the scripts have
//
//	exitcode N PROGRAM [ARGS...]
//
// which runs PROGRAM like exec and fails unless it exits with status N.
// Its standard output and error are kept for stdout, stderr and cmp, as
// after exec. (`! exec` accepts any non-zero status; lofte's 1 and 2 mean
// different things.)
func TestScripts(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			env.Setenv("GIT_AUTHOR_NAME", "Exempel")
			env.Setenv("GIT_AUTHOR_EMAIL", "exempel@example.org")
			env.Setenv("GIT_COMMITTER_NAME", "Exempel")
			env.Setenv("GIT_COMMITTER_EMAIL", "exempel@example.org")
			// Scripts set their own dates before each commit; these
			// defaults keep commit hashes fixed when one does not.
			env.Setenv("GIT_AUTHOR_DATE", "2022-09-01T12:00:00+02:00")
			env.Setenv("GIT_COMMITTER_DATE", "2022-09-01T12:00:00+02:00")
			env.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			return nil
		},
		Cmds:                map[string]func(ts *testscript.TestScript, neg bool, args []string){"exitcode": cmdExitcode, "ci": cmdCI},
		RequireExplicitExec: true,
	})
}

// cmdExitcode implements `exitcode N PROGRAM [ARGS...]`.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exitcode (name the expected status instead)")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exitcode N PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil || want < 0 {
		ts.Fatalf("exitcode: bad status %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}
