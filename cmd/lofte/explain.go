package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/explain"
)

type explainCmd struct {
	g      *globals
	snap   snapshotFlags
	period string
	asOf   string
	format string
}

func newExplain(g *globals) *cobra.Command {
	e := &explainCmd{g: g}
	cmd := &cobra.Command{
		Use:   "explain ID --period P [--as-of D] [--promise ID] [--format text|json]",
		Short: "Förklara ett åtagandes status: varje fönster och varje post som räknades eller inte",
		Long: `explain visar för varje fönster av ett åtagande statusen och varför, värdet, målet
och det förväntade, vad som återstår och i vilken takt, varje post som räknades
(fil, rad, datum, part och commiten som lade till posten) och de poster av
samma typ som inte räknades, med skälet.`,
		Example: `  lofte explain trafik.kontroller --period 2022 --as-of 2022-08-31
  lofte explain droger.hundsok --period 2021..2022
  lofte explain trafik.riktade --period 2022 --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error { return e.run(args[0]) },
	}
	f := cmd.Flags()
	f.StringVar(&e.period, "period", "", "år eller intervall av år: 2022 eller 2021..2022 (standard: utvärderingsdatumets år)")
	f.StringVar(&e.asOf, "as-of", "", "utvärderingsdatum: ÅÅÅÅ-MM-DD eller ett fönster som 2022-T2 (standard: i dag)")
	f.StringVar(&e.snap.rev, "rev", "", "läs regler och poster som de är incheckade i en revision")
	f.StringVar(&e.snap.knownAt, "known-at", "", "läs regler och poster som de var incheckade ett visst datum")
	f.StringVar(&e.format, "format", "text", "utdataformat: text eller json")
	addPromiseFlag(cmd, &e.snap.promises)
	mustComplete(cmd, "format", []string{"text", "json"})
	return cmd
}

func (e *explainCmd) run(id string) error {
	if err := textOrJSON(e.format); err != nil {
		return err
	}
	eng, err := e.g.open(e.snap, engine.HistoryOn, true)
	if err != nil {
		return err
	}
	asOf, period, err := dates(eng, e.asOf, e.period)
	if err != nil {
		return err
	}
	x, err := eng.Explain(id, period, asOf)
	if err != nil {
		return usageErr("%v", err)
	}
	if e.format == "json" {
		err = explain.JSON(e.g.stdout, x.Commitments, x.Provenance, asOf)
	} else {
		printDiags(e.g.stderr, x.Diags, eng.Repository().Snapshot.File, e.g.lang)
		err = explain.TextIn(e.g.stdout, x.Commitments, x.Provenance, e.g.lang)
	}
	switch {
	case err != nil:
		return &exitError{code: exitUsage, err: fmt.Errorf("kunde inte skriva förklaringen: %w", err)}
	case x.Diags.Errors() > 0:
		return &exitError{code: exitUsage}
	}
	return nil
}
