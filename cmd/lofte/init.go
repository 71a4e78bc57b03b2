package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/scaffold"
	"github.com/lofte/lofte/internal/version"
)

func newInit(g *globals) *cobra.Command {
	ci := slices.Clone(scaffold.CIServices)
	var schemas bool
	cmd := &cobra.Command{
		Use:   "init [MAPP] [--ci github,gitlab|none] [--schemas]",
		Short: "Skapa ett nytt förråd för medborgarlöften med ett litet exempel",
		Long: `init skapar ett git-förråd (eller använder det som finns i mappen) med
rules/activities.yaml, rules/calendar.yaml, ett litet exempellöfte med
regeltester, data/, en README för dem som ska sköta förrådet och filer för
automatisk kontroll (CI) i GitHub Actions och GitLab CI, och gör en första
commit. init skriver aldrig över något som finns.

CI-filerna installerar samma version av lofte som kör init, granskar med
lofte check och lofte test (röd körning vid fel), följer upp med lofte
evaluate utan att bli röda för att något är efter, visar JUnit-rapporten
som testrapport och sparar webbsidan (och publicerar den med Pages).

Överst i varje fil i rules/ säger en rad vilket JSON-schema filen följer, så
att VS Code (med tillägget YAML) kontrollerar den medan man skriver. Schemana
ligger i .lofte/schema/ i förrådet. Med --schemas skriver init bara om dem,
i ett förråd som finns, med den här versionen av lofte (efter en
uppgradering, när lofte check säger att de är från en annan version).`,
		Example: `  lofte init medborgarloften
  cd medborgarloften && lofte check && lofte evaluate
  lofte init --ci gitlab medborgarloften     # bara GitLab CI
  lofte init --ci none medborgarloften       # ingen CI-fil
  lofte init --schemas                       # skriv om schemana efter en uppgradering`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			dir := g.repo
			if len(args) == 1 {
				dir = args[0]
			}
			if schemas {
				return runSchemas(g, dir)
			}
			if slices.Equal(ci, []string{"none"}) {
				ci = nil
			}
			return runInit(g, dir, ci)
		},
	}
	cmd.Flags().BoolVar(&schemas, "schemas", false, "skriv bara om JSON-schemana i .lofte/schema/ i ett förråd som finns")
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

// runSchemas writes this lofte's JSON Schemas into the repository that
// holds dir.
func runSchemas(g *globals, dir string) error {
	root, paths, err := engine.WriteSchemas(dir)
	if err != nil {
		return usageErr("%v", err)
	}
	fmt.Fprintf(g.stdout, g.say("Skrev schemana för lofte %s i %s:\n", "Wrote the schemas of lofte %s in %s:\n"), version.Short(), root)
	for _, p := range paths {
		fmt.Fprintf(g.stdout, "  %s\n", p)
	}
	return nil
}
