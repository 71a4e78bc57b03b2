package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine/scaffold"
	"github.com/lofte/lofte/engine/source"
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
	if c := scaffold.Conflicts(abs); len(c) > 0 {
		return usageErr("%s har redan %s: lofte init skriver inte över något; välj en ny eller tom mapp", abs, strings.Join(c, ", "))
	}
	now := time.Now()
	author, committer, err := identities(abs, now)
	if err != nil {
		return usageErr("%v", err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return usageErr("kan inte skapa mappen %s: %v", abs, err)
	}
	year := today().Year()
	files, err := scaffold.Write(abs, year)
	if err != nil {
		return usageErr("%v", err)
	}
	hash, err := source.Init(abs, files, "Nytt förråd för medborgarlöften", author, committer)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("filerna skrevs, men ingen commit gjordes: %w", err)}
	}
	fmt.Fprintf(g.stdout, "Skapade ett förråd för medborgarlöften i %s (commit %s):\n", abs, hash[:7])
	for _, f := range files {
		fmt.Fprintf(g.stdout, "  %s\n", f)
	}
	fmt.Fprintf(g.stdout, "\nNästa steg:\n  cd %s\n  lofte check\n  lofte record trafikkontroll form=civil --by polisen\n  lofte evaluate --period %d\n", dir, year)
	return nil
}

// identities is who the first commit is by: the git user of the folder's
// repository when it has one, else the user's.
func identities(abs string, now time.Time) (source.Identity, source.Identity, error) {
	if _, err := os.Lstat(filepath.Join(abs, ".git")); err == nil {
		if src, err := source.Open(abs); err == nil {
			return src.Identities(now)
		}
	}
	return source.GlobalIdentities(now)
}
