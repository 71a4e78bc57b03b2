package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/history"
	"github.com/lofte/lofte/engine/report"
)

type evaluateCmd struct {
	g      *globals
	snap   snapshotFlags
	period string
	asOf   string
	format string
	output string
	prov   bool // --provenance
	sum    bool // --summary
}

func newEvaluate(g *globals) *cobra.Command {
	e := &evaluateCmd{g: g}
	cmd := &cobra.Command{
		Use:   "evaluate --period P [--as-of D] [--promise ID] [--rev R | --known-at D] [--format text|json|markdown|html|junit] [-o FILE]",
		Short: "Utvärdera löftena som gäller för en period",
		Long: `evaluate säger för varje åtagande i de löften som gäller för perioden om det är
uppfyllt, i fas, efter, ej uppfyllt, pågår eller ej bedömt. Utan --promise
utvärderas alla löften som gäller; --promise ID (kan upprepas, mönster som
mullsjo* går bra) väljer ut några av dem.

Slutstatus: 0 när inget är efter eller ej uppfyllt, 1 när något är det,
2 vid fel i kommandot eller i filerna (rapporten skrivs ändå för det som gick att läsa).`,
		Example: `  lofte evaluate --period 2022
  lofte evaluate --period 2022 --as-of 2022-08-31
  lofte evaluate --period 2022 --as-of 2022-T2          # sista dagen i andra tertialen
  lofte evaluate --period 2021..2022 --format json -o uppfoljning.json
  lofte evaluate --period 2022 --format html -o uppfoljning.html   # webbsidan för allmänheten
  lofte evaluate --period 2022 --promise mullsjo          # bara ett av förrådets löften
  lofte evaluate --period 2022 --rev HEAD~3              # som det var incheckat tre commits sedan
  lofte evaluate --period 2022 --known-at 2022-09-15     # det som var känt den dagen
  lofte evaluate --period 2022 --format json --provenance # med commiten som lade till varje post
  lofte evaluate --period 2022 --summary                # dagordningen för nästa uppföljningsmöte`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return e.run() },
	}
	e.addFlags(cmd, "text", "")
	return cmd
}

// addFlags registers the flags of evaluate (and report, with other
// defaults for the format and the output file).
func (e *evaluateCmd) addFlags(cmd *cobra.Command, format, output string) {
	f := cmd.Flags()
	f.StringVar(&e.period, "period", "", "år eller intervall av år: 2022 eller 2021..2022 (standard: utvärderingsdatumets år)")
	f.StringVar(&e.asOf, "as-of", "", "utvärderingsdatum: ÅÅÅÅ-MM-DD eller ett fönster som 2022-T2 (standard: i dag)")
	f.StringVar(&e.snap.rev, "rev", "", "läs regler och poster som de är incheckade i en revision (gren, tagg, commit, HEAD~3)")
	f.StringVar(&e.snap.knownAt, "known-at", "", "läs regler och poster som de var incheckade ett visst datum")
	f.StringVar(&e.format, "format", format, "utdataformat: text, json, markdown, html (webbsidan) eller junit")
	f.StringVarP(&e.output, "output", "o", output, "skriv till FILE i stället för standard ut (- är standard ut)")
	addPromiseFlag(cmd, &e.snap.promises)
	f.BoolVar(&e.prov, "provenance", false, "med --format json: varje posts commit (den som lade till den) och registreringstiderna")
	f.BoolVar(&e.sum, "summary", false, "med --format text: bara dagordningen för nästa uppföljning, per part: det som är efter och vad som krävs, och det som ska vara klart inom 30 dagar")
	mustComplete(cmd, "format", reportFormats)
}

func (e *evaluateCmd) run() error {
	if err := checkFormat(e.format); err != nil {
		return err
	}
	if e.prov && e.format != "json" {
		return usageErr("--provenance gäller --format json")
	}
	if e.sum && e.format != "text" {
		return usageErr("--summary gäller --format text (webbsidan har dagordningen överst)")
	}
	prog := startProgress(e.g.stderr, e.format != "json")
	defer prog.end()
	prog.set("%s", e.g.say("läser förrådet", "reading the repository"))
	hist := engine.HistoryAuto
	if e.prov {
		hist = engine.HistoryOn
	}
	eng, err := e.g.open(e.snap, hist, false)
	if err != nil {
		return err
	}
	asOf, period, err := dates(eng, e.asOf, e.period)
	if err != nil {
		return err
	}
	prog.set(e.g.say("utvärderar %s", "evaluating %s"), period)
	rep := eng.Evaluate(period, asOf)
	r := eng.Repository()
	prog.set("skriver rapporten")

	out, closeOut, err := e.open()
	if err != nil {
		return err
	}
	if len(rep.Diags) > 0 || out == e.g.stdout {
		prog.end() // so that no output shares its line
	}
	if e.format != "json" {
		printDiags(e.g.stderr, rep.Diags, rep.Source.File, e.g.lang)
	}
	if e.sum {
		err = report.Summary(out, rep, report.TextOptions{Lang: e.g.lang})
	} else if prov := provenanceIf(e.prov, eng); prov != nil {
		err = report.JSONWith(out, rep, report.JSONOptions{Provenance: prov, Records: r.Records})
	} else {
		err = e.g.writeReport(out, e.format, r, rep, out == e.g.stdout && isTerminal(e.g.stdout))
	}
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return &exitError{code: exitUsage, err: fmt.Errorf("kunde inte skriva rapporten: %w", err)}
	case rep.Diags.Errors() > 0:
		return &exitError{code: exitUsage}
	case rep.Bad():
		return &exitError{code: exitBad}
	}
	return nil
}

// open returns where the report goes: -o FILE or standard output.
func (e *evaluateCmd) open() (io.Writer, func() error, error) {
	if e.output == "" || e.output == "-" {
		return e.g.stdout, func() error { return nil }, nil
	}
	f, err := os.Create(e.output)
	if err != nil {
		return nil, nil, usageErr("kan inte skapa %s: %v", e.output, err)
	}
	w := bufio.NewWriter(f)
	return w, func() error {
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}, nil
}

// provenanceIf is the engine's provenance when asked for (--provenance):
// it reads the whole history, which an evaluation alone does not need.
func provenanceIf(asked bool, eng *engine.Engine) *history.Provenance {
	if !asked {
		return nil
	}
	prov, _ := eng.Provenance()
	return prov
}
