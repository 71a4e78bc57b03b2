package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/draft"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/internal/docread"
)

type draftCmd struct {
	g      *globals
	id     string
	year   int
	from   string // --from-promise
	dryRun bool
}

func newDraft(g *globals) *cobra.Command {
	c := &draftCmd{g: g}
	cmd := &cobra.Command{
		Use:   "draft FIL [--id ID] [--year ÅR] [--dry-run] | draft --from-promise ID --year ÅR",
		Short: "Gör ett utkast till löfte ur det undertecknade dokumentet (.docx, .pdf, .txt, .md)",
		Long: `draft läser medborgarlöftet som det undertecknats (Word, PDF, text eller
Markdown) och skriver ett utkast till löftesfil i rules/ och de aktivitetstyper
som dess regler behöver i rules/activities.yaml, för någon att granska.

Utkastet har titel, parter, år, områden (rubrikerna) och varje åtagande med
texten ordagrant och dess ansvariga. Regler föreslås ur svenskan: antal med
siffror eller ord ("nio", "4 ggr"), hur ofta ("per år", "varje tertial", "per
termin", "i månaden"), gränser ("minst", "högst"), "både civilt och
uniformerat" (per form) och "av båda parter". Där inget antal går att läsa
("vid behov", "fortsätta sin samverkan") blir åtagandet assess: manual. Varje
förslag har en kommentar om vad det lästes ur och hur säker läsningen är.

Aktivitetstyper som redan finns i rules/activities.yaml används som de är;
nya läggs till sist utan att något annat i filen ändras. Utkastet går alltid
igenom lofte check. Inget skrivs över: finns löftets id redan får utkastet
årtalet efter id:t.

PDF läses med programmet pdftotext (Debian/Ubuntu: apt-get install
poppler-utils). Ingen nätverkstrafik, ingen språkmodell: reglerna för svenskan
är tabeller i engine/draft.

Med --from-promise kopieras ett löfte i förrådet till ett nytt år, med samma
id på åtagandena, så att lofte diff och --backtest kan jämföra dem.`,
		Example: `  lofte draft medborgarlofte-2022.docx
  lofte draft medborgarlofte.pdf --dry-run
  lofte draft lofte.txt --id solby --year 2024
  lofte draft --from-promise mullsjo --year 2023`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error { return c.run(args) },
	}
	f := cmd.Flags()
	f.StringVar(&c.id, "id", "", "löftets id (standard: kommunens namn, t.ex. mullsjo)")
	f.IntVar(&c.year, "year", 0, "året löftet gäller när dokumentet inte säger det; med --from-promise det nya året")
	f.StringVar(&c.from, "from-promise", "", "kopiera löftet med detta id till året i --year")
	f.BoolVar(&c.dryRun, "dry-run", false, "skriv utkastet på skärmen i stället för i rules/")
	return cmd
}

func (c *draftCmd) run(args []string) error {
	switch {
	case c.from != "" && len(args) == 1:
		return usageErr("ange antingen ett dokument eller --from-promise, inte båda")
	case c.from != "":
		return c.nextYear()
	case len(args) == 0:
		return usageErr("ange dokumentet att läsa, t.ex. lofte draft medborgarlofte.docx, eller --from-promise ID --year ÅR")
	}
	if c.year != 0 && (c.year < 2000 || c.year > 2100) {
		return usageErr("--year ska vara ett årtal, t.ex. 2024, inte %d", c.year)
	}
	text, err := docread.Read(args[0])
	if err != nil {
		return usageErr("%v", err)
	}
	year := c.year
	if year == 0 {
		year = today().Year()
	}
	p, diags, err := engine.PlanDraft(c.g.repo, text, engine.DraftOptions{ID: c.id, Year: year, Source: filepath.Base(args[0])})
	if err != nil {
		printDiags(c.g.stderr, diags, func(string) []byte { return nil }, c.g.lang)
		if errors.Is(err, engine.ErrDraftFailed) {
			return &exitError{code: exitUsage, err: err}
		}
		return usageErr("%v", err)
	}
	if c.dryRun {
		fmt.Fprintf(c.g.stdout, "# ==> %s\n%s", p.File, p.Promise)
		if len(p.Added) > 0 {
			fmt.Fprintf(c.g.stdout, c.g.say("\n# ==> %s (läggs till)\n%s", "\n# ==> %s (to be added)\n%s"), promise.ActivitiesFile, p.AddedActivities())
		}
		return nil
	}
	if err := p.Write(); err != nil {
		return usageErr("%v", err)
	}
	c.summary(p.Draft, p.File, p.Added)
	return nil
}

// summary says what was written and what to review first.
func (c *draftCmd) summary(d *draft.Draft, file string, added []string) {
	rules, manual := 0, 0
	var unsure []string
	for _, cm := range d.Commitments {
		if cm.Manual {
			manual++
			continue
		}
		rules++
		if cm.Sure < draft.High {
			unsure = append(unsure, fmt.Sprintf(c.g.say("%s (säkerhet: %s)", "%s (certainty: %s)"), cm.ID, sureness(cm.Sure, c.g.lang)))
		}
	}
	w := c.g.stdout
	fmt.Fprintf(w, c.g.say("Skrev %s: %d åtaganden i %d områden, %d med regel och %d som bedöms för hand.\n",
		"Wrote %s: %d commitments in %d areas, %d with a rule and %d assessed by hand.\n"),
		file, len(d.Commitments), len(d.Areas), rules, manual)
	if len(added) > 0 {
		fmt.Fprintf(w, c.g.say("La till aktivitetstyperna %s i %s.\n", "Added the activity types %s to %s.\n"), strings.Join(added, ", "), promise.ActivitiesFile)
	}
	if len(unsure) > 0 {
		fmt.Fprintf(w, c.g.say("Granska särskilt: %s.\n", "Review in particular: %s.\n"), strings.Join(unsure, ", "))
	}
	fmt.Fprint(w, c.g.say("\nNästa steg: läs utkastet mot dokumentet, rätta det som behövs och kör\n  lofte check\n",
		"\nNext: read the draft against the document, correct what needs it and run\n  lofte check\n"))
}

// sureness is how sure a drafted rule is, in lang.
func sureness(s draft.Sureness, lang string) string {
	if lang == "en" {
		return [...]string{"low", "medium", "high"}[s]
	}
	return s.String()
}

// nextYear copies a promise to a new year (--from-promise).
func (c *draftCmd) nextYear() error {
	if c.year < 2000 || c.year > 2100 {
		return usageErr("ange det nya året med --year, t.ex. lofte draft --from-promise %s --year 2023", c.from)
	}
	p, err := engine.PlanNextYear(c.g.repo, c.from, c.year)
	if err != nil {
		return usageErr("%v", err)
	}
	if c.dryRun {
		fmt.Fprintf(c.g.stdout, "# ==> %s\n%s", p.File, p.Data)
		return nil
	}
	if err := p.Write(); err != nil {
		return usageErr("%v", err)
	}
	fmt.Fprintf(c.g.stdout, c.g.say("Skrev %s: löftet %s för %d, kopierat från %s med samma id på åtagandena.\n",
		"Wrote %s: the promise %s for %d, copied from %s with the same ids for the commitments.\n"), p.File, p.ID, c.year, p.From)
	fmt.Fprintf(c.g.stdout, c.g.say("\nNästa steg: ändra mål och texter efter det nya löftet och jämför\n  lofte diff %d %d --backtest\n",
		"\nNext: change targets and texts to the new promise and compare\n  lofte diff %d %d --backtest\n"), c.year-1, c.year)
	return nil
}
