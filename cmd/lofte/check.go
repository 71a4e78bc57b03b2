package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/check"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/ruletest"
	"github.com/lofte/lofte/engine/scaffold"
)

type checkCmd struct {
	g      *globals
	snap   snapshotFlags
	format string
	trust  bool // --trust
}

func newCheck(g *globals) *cobra.Command {
	c := &checkCmd{g: g}
	cmd := &cobra.Command{
		Use:   "check [--format text|json] [--trust]",
		Short: "Granska regler, aktivitetstyper, kalender och poster och visa alla fel på en gång",
		Long: `check kompilerar varje regel och läser aktivitetstyperna, kalendern, varje löfte,
varje post och varje regeltest, och visar alla problem på en gång, sorterade efter
fil och rad: platsen, raden med en markering under och ett tips.

Fel: okänd aktivitetstyp, fält, fönster eller part, en regel som inte ger sant
eller falskt, två åtaganden med samma id, ett löfte utan valid, två löften med
samma id som gäller samma år, terminer som överlappar eller går baklänges, en
post som inte stämmer med aktivitetstyperna.
Varningar: standardterminer används, poster daterade i framtiden, en
aktivitetstyp som ingen regel använder, ett åtagande utan poster ett år då
löftet gäller.
Med --trust: varje post i hela historien som en commit lade till utan att
vara gjord (och, med signers, signerad) av en part som posten nämner, i ett
löfte med trust: strict, också poster som tagits bort sedan.

Slutstatus: 2 om något fel finns, annars 0 (varningar skrivs ut ändå).`,
		Example: `  lofte check
  lofte check --format json
  lofte check --trust`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return c.run() },
	}
	f := cmd.Flags()
	f.StringVar(&c.format, "format", "text", "utdataformat: text eller json")
	f.StringVar(&c.snap.rev, "rev", "", "granska reglerna och posterna som de är incheckade i en revision")
	f.BoolVar(&c.trust, "trust", false, "granska hela historien: varje post som en commit lade till i strid med ett löftes trust: strict")
	mustComplete(cmd, "format", []string{"text", "json"})
	return cmd
}

func (c *checkCmd) run() error {
	if err := textOrJSON(c.format); err != nil {
		return err
	}
	hist := engine.HistoryAuto
	if c.trust {
		hist = engine.HistoryOn
	}
	eng, err := c.g.open(c.snap, hist, true)
	if err != nil {
		return err
	}
	r, files := eng.Repository(), eng.Files()
	_, testErrs := ruletest.Parse(files, r)
	if c.trust {
		testErrs = append(testErrs, r.TrustViolations()...)
	}
	if c.snap.rev == "" {
		for _, p := range scaffold.StaleSchemas(eng.Root()) {
			testErrs.Warn(diag.Pos{File: p}, "kör lofte init --schemas för att skriva om schemana med den här versionen",
				"schemat är från en annan version av lofte: redigeraren kan godta det som lofte check underkänner, eller tvärtom")
		}
	}
	diags := check.Check(check.Input{Repo: r, Files: files, Today: today(), Extra: testErrs})
	if c.format == "json" {
		err = check.JSON(c.g.stdout, diags)
	} else {
		err = check.TextIn(c.g.stdout, diags, files, c.g.lang)
	}
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("kunde inte skriva resultatet: %w", err)}
	}
	if diags.Errors() > 0 {
		return &exitError{code: exitUsage}
	}
	return nil
}
