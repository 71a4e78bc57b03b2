// Command lofte follows up commitments-as-code: which commitments of a
// promise are met, on track, behind or missed, from rule files and activity
// records kept in a git repository.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/privacy"
)

// Exit statuses (docs/reference.md §9).
const (
	exitOK    = 0 // nothing behind or missed
	exitBad   = 1 // something behind or missed
	exitUsage = 2 // bad usage or bad input
)

// exitError carries an exit status through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

// usageErr marks an error as bad usage or bad input (exit 2).
func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

func main() {
	stop := startProfile()
	code := run(os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	lang := "sv"
	if f := root.PersistentFlags().Lookup("lang"); f != nil && f.Value.String() == "en" || langArg(args) == "en" {
		lang = "en"
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			// The engine's errors are Swedish; in English they are put
			// into English through the catalog of its messages.
			fmt.Fprintf(stderr, "lofte: %s\n", privacy.Redact(diag.Translate(lang, ee.err.Error())))
		}
		return ee.code
	}
	// An error of cobra's own: an unknown command, a wrong number of
	// arguments.
	see := "Se 'lofte --help'."
	if lang == "en" {
		see = "See 'lofte --help'."
	}
	fmt.Fprintf(stderr, "lofte: %s\n%s\n", privacy.Redact(cobraMessage(err.Error(), lang)), see)
	return exitUsage
}

// langArg is the value of --lang among args, for an error found before
// the flags are read (an unknown command); "" when there is none.
func langArg(args []string) string {
	for i, a := range args {
		switch {
		case a == "--":
			return ""
		case a == "--lang" && i+1 < len(args):
			return args[i+1]
		case strings.HasPrefix(a, "--lang="):
			return strings.TrimPrefix(a, "--lang=")
		}
	}
	return ""
}
