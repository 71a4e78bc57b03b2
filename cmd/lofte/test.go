package main

import (
	"fmt"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/ruletest"
)

type testCmd struct {
	g      *globals
	run    string
	format string
}

func newTest(g *globals) *cobra.Command {
	t := &testCmd{g: g}
	cmd := &cobra.Command{
		Use:   "test [--run REGEX] [--format text|json]",
		Short: "Kör regeltesterna i rules/**/*_test.yaml",
		Long: `test kör regeltesterna: filer rules/**/*_test.yaml där varje test anger ett löfte
(eller egna åtaganden), en period, ett utvärderingsdatum, poster och vilken
status (och gärna vilket värde) varje åtagande ska få. För ett test som inte
går igenom visas vad som väntades, vad som kom och vilka poster som räknades.

Slutstatus: 0 när alla tester går igenom, 1 när något inte gör det, 2 när en
testfil har fel.`,
		Example: `  lofte test
  lofte test --run hundsök
  lofte test --format json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return t.exec() },
	}
	f := cmd.Flags()
	f.StringVar(&t.run, "run", "", "kör bara de tester vars namn matchar det reguljära uttrycket")
	f.StringVar(&t.format, "format", "text", "utdataformat: text eller json")
	mustComplete(cmd, "format", []string{"text", "json"})
	return cmd
}

func (t *testCmd) exec() error {
	if err := textOrJSON(t.format); err != nil {
		return err
	}
	var filter *regexp.Regexp
	if t.run != "" {
		var err error
		if filter, err = regexp.Compile(t.run); err != nil {
			return usageErr("--run: ogiltigt reguljärt uttryck: %v", err)
		}
	}
	eng, err := t.g.open(snapshotFlags{}, engine.HistoryOff, true)
	if err != nil {
		return err
	}
	r := eng.Repository()
	tests, errs := ruletest.Parse(eng.Files(), r)
	if filter != nil {
		kept := tests[:0]
		for _, tc := range tests {
			if filter.MatchString(tc.Name) {
				kept = append(kept, tc)
			}
		}
		tests = kept
	}
	results := ruletest.Run(r, tests)
	if t.format == "json" {
		err = ruletest.JSON(t.g.stdout, results, errs)
	} else {
		printDiags(t.g.stderr, errs, fileOf(eng.Files()), t.g.lang)
		err = ruletest.Text(t.g.stdout, results, t.g.lang)
	}
	_, failed := ruletest.Summary(results)
	switch {
	case err != nil:
		return &exitError{code: exitUsage, err: fmt.Errorf("kunde inte skriva resultatet: %w", err)}
	case errs.Errors() > 0:
		return &exitError{code: exitUsage}
	case failed > 0:
		return &exitError{code: exitBad}
	}
	return nil
}
