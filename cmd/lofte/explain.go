package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine/explain"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/source"
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
	l, err := e.g.loadKeep(e.snap)
	if err != nil {
		return err
	}
	asOf, period, err := asOfPeriod(l.repo.Calendar, e.asOf, e.period)
	if err != nil {
		return err
	}
	added, done, err := e.g.useProvenance(l.repo, e.snap)
	if err != nil {
		return err
	}
	defer done()
	xs, errs, err := explain.Explain(l.repo, id, period, asOf)
	if err != nil {
		return usageErr("%v", err)
	}
	prov, err := e.provenance(l, xs)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if added != nil {
		prov.Origin = added.Origin
	}
	diags := append(l.repo.Diags, errs...)
	seen := map[*promise.Promise]bool{}
	for _, x := range xs {
		if p := x.Commitment.Promise; p != nil && !seen[p] {
			seen[p] = true
			diags = append(diags, l.repo.Untrusted(p)...)
		}
	}
	if e.format == "json" {
		err = explain.JSON(e.g.stdout, xs, prov, asOf)
	} else {
		printDiags(e.g.stderr, diags, l.snap)
		err = explain.Text(e.g.stdout, xs, prov)
	}
	switch {
	case err != nil:
		return &exitError{code: exitUsage, err: fmt.Errorf("kunde inte skriva förklaringen: %w", err)}
	case diags.Errors() > 0:
		return &exitError{code: exitUsage}
	}
	return nil
}

// provenance finds the commit that last changed each record file named,
// in one walk over history, and which files on disk differ from it.
func (e *explainCmd) provenance(l *loaded, xs []explain.Explanation) (*explain.Provenance, error) {
	prov := &explain.Provenance{Commit: l.snap.Commit, Dirty: l.snap.Dirty, Uncommitted: map[string]bool{}}
	if l.snap.Commit == "" {
		return prov, nil
	}
	files := explain.Files(xs)
	changes, err := l.src.LastChanges(l.snap.Commit, files)
	if err != nil {
		return nil, err
	}
	prov.Changes = changes
	if e.snap.rev == "" && e.snap.knownAt == "" {
		for _, f := range files {
			if c, ok := changes[f]; !ok || source.BlobHash(l.files[f]) != c.Blob {
				prov.Uncommitted[f] = true
			}
		}
	}
	return prov, nil
}
