package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/scaffold"
)

func newInit(g *globals) *cobra.Command {
	ci := slices.Clone(scaffold.CIServices)
	cmd := &cobra.Command{
		Use:   "init [MAPP]",
		Short: "Skapa ett nytt förråd för medborgarlöften med ett litet exempel",
		Long: `init skapar ett git-förråd (eller använder det som finns i mappen) med
rules/activities.yaml, rules/calendar.yaml, ett litet exempellöfte med
regeltester, data/, en README för dem som ska sköta förrådet och filer för
automatisk kontroll (CI) i GitHub Actions och GitLab CI, och gör en första
commit. init skriver aldrig över något som finns.

CI-filerna installerar samma version av lofte som kör init, granskar med
lofte check och lofte test (röd körning vid fel), följer upp med lofte
evaluate utan att bli röda för att något är efter, visar JUnit-rapporten
som testrapport och sparar webbsidan (och publicerar den med Pages).`,
		Example: `  lofte init medborgarloften
  cd medborgarloften && lofte check && lofte evaluate
  lofte init --ci gitlab medborgarloften     # bara GitLab CI
  lofte init --ci none medborgarloften       # ingen CI-fil`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			dir := g.repo
			if len(args) == 1 {
				dir = args[0]
			}
			if slices.Equal(ci, []string{"none"}) {
				ci = nil
			}
			return runInit(g, dir, ci)
		},
	}
	cmd.Flags().StringSliceVar(&ci, "ci", ci, "CI-tjänster att skriva filer för: github, gitlab (båda är standard) eller none")
	mustComplete(cmd, "ci", append(slices.Clone(scaffold.CIServices), "none"))
	return cmd
}

func runInit(g *globals, dir string, ci []string) error {
	for _, c := range ci {
		if !slices.Contains(scaffold.CIServices, c) {
			return usageErr("--ci tar github, gitlab eller none, inte %q", c)
		}
	}
	o := scaffold.Options{Year: today().Year(), Version: releaseVersion(), CI: ci}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return usageErr("kan inte tolka sökvägen %q: %v", dir, err)
	}
	hash, files, err := engine.Init(abs, o, time.Now())
	if err != nil {
		return usageErr("%v", err)
	}
	fmt.Fprintf(g.stdout, g.say("Skapade ett förråd för medborgarlöften i %s (commit %s):\n",
		"Made a repository for citizen promises in %s (commit %s):\n"), abs, hash[:7])
	for _, f := range files {
		fmt.Fprintf(g.stdout, "  %s\n", f)
	}
	fmt.Fprintf(g.stdout, g.say("\nNästa steg:", "\nNext steps:")+"\n  cd %s\n  lofte check\n  lofte record trafikkontroll form=civil --by polisen\n  lofte evaluate --period %d\n", dir, o.Year)
	return nil
}
