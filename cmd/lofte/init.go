package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/lofte/lofte/engine"
	"github.com/spf13/cobra"
)

func newInit(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "init [MAPP]",
		Short: "Skapa ett nytt förråd för medborgarlöften med ett litet exempel",
		Long: `init skapar ett git-förråd (eller använder det som finns i mappen) med
rules/activities.yaml, rules/calendar.yaml, ett litet exempellöfte med
regeltester, data/, en README för dem som ska sköta förrådet och ett exempel på
automatisk kontroll (CI) som kör lofte check, test och evaluate, och gör en
första commit. init skriver aldrig över något som finns.`,
		Example: `  lofte init medborgarloften
  cd medborgarloften && lofte check && lofte evaluate`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			dir := g.repo
			if len(args) == 1 {
				dir = args[0]
			}
			return runInit(g, dir)
		},
	}
}

func runInit(g *globals, dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return usageErr("kan inte tolka sökvägen %q: %v", dir, err)
	}
	year := today().Year()
	hash, files, err := engine.Init(abs, year, time.Now())
	if err != nil {
		return usageErr("%v", err)
	}
	fmt.Fprintf(g.stdout, "Skapade ett förråd för medborgarlöften i %s (commit %s):\n", abs, hash[:7])
	for _, f := range files {
		fmt.Fprintf(g.stdout, "  %s\n", f)
	}
	fmt.Fprintf(g.stdout, "\nNästa steg:\n  cd %s\n  lofte check\n  lofte record trafikkontroll form=civil --by polisen\n  lofte evaluate --period %d\n", dir, year)
	return nil
}
