package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine/draft"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/source"
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
	root, err := c.root()
	if err != nil {
		return err
	}
	actsPath := filepath.Join(root, filepath.FromSlash(promise.ActivitiesFile))
	acts, err := os.ReadFile(actsPath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return usageErr("kan inte läsa %s: %v", promise.ActivitiesFile, err)
	}
	var voc *promise.Vocabulary
	if len(strings.TrimSpace(string(acts))) > 0 {
		v, errs := promise.ParseVocabulary(promise.ActivitiesFile, acts)
		if errs.Errors() > 0 {
			printDiags(c.g.stderr, errs, func(string) []byte { return acts })
			return usageErr("%s har fel: rätta dem först, så att utkastet kan använda aktivitetstyperna", promise.ActivitiesFile)
		}
		voc = v
	}
	year := c.year
	if year == 0 {
		year = today().Year()
	}
	d := draft.Read(text, draft.Options{ID: c.id, Year: year, Source: filepath.Base(args[0]), Vocabulary: voc})
	taken := promiseIDs(root)
	if err := c.chooseID(d, root, taken); err != nil {
		return err
	}
	file := "rules/" + d.ID + ".yaml"
	out := d.YAML()
	merged, added, err := d.MergeActivities(acts)
	if err != nil {
		return usageErr("%v", err)
	}
	if errs := draft.Verify(file, out, merged); errs.Errors() > 0 {
		printDiags(c.g.stderr, errs, func(f string) []byte {
			if f == file {
				return out
			}
			return merged
		})
		return &exitError{code: exitUsage, err: errors.New("utkastet gick inte igenom granskningen: det är ett fel i lofte draft, skicka gärna dokumentet till utvecklarna")}
	}
	if c.dryRun {
		fmt.Fprintf(c.g.stdout, "# ==> %s\n%s", file, out)
		if len(added) > 0 {
			fmt.Fprintf(c.g.stdout, "\n# ==> %s (läggs till)\n%s", promise.ActivitiesFile, addedBlock(d, added))
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Join(root, "rules"), 0o755); err != nil {
		return usageErr("kan inte skapa mappen rules: %v", err)
	}
	if err := writeNew(filepath.Join(root, filepath.FromSlash(file)), out); err != nil {
		return err
	}
	if len(added) > 0 {
		if err := os.WriteFile(actsPath, merged, 0o644); err != nil {
			return usageErr("kan inte skriva %s: %v", promise.ActivitiesFile, err)
		}
	}
	c.summary(d, file, added)
	return nil
}

// root is the commitments root, the folder rules/ goes in.
func (c *draftCmd) root() (string, error) {
	src, err := source.Open(c.g.repo)
	if err != nil {
		return "", usageErr("%v", err)
	}
	return src.Root(), nil
}

// chooseID keeps --id when it is free, and gives a drafted id the first
// year when it is taken (mullsjo → mullsjo-2023), so nothing is overwritten.
func (c *draftCmd) chooseID(d *draft.Draft, root string, taken map[string]bool) error {
	free := func(id string) bool {
		_, err := os.Lstat(filepath.Join(root, "rules", id+".yaml"))
		return !taken[id] && errors.Is(err, os.ErrNotExist)
	}
	if free(d.ID) {
		return nil
	}
	if c.id != "" {
		return usageErr("löftet %s finns redan (rules/%s.yaml eller ett löfte med det id:t): välj ett annat --id", d.ID, d.ID)
	}
	base := d.ID + "-" + strconv.Itoa(d.First)
	for i := 0; i < 100; i++ {
		id := base
		if i > 0 {
			id = fmt.Sprintf("%s-%d", base, i+1)
		}
		if free(id) {
			d.ID = id
			return nil
		}
	}
	return usageErr("hittar inget ledigt id för löftet: ange ett med --id")
}

// promiseIDs are the ids of the promises in rules/.
func promiseIDs(root string) map[string]bool {
	out := map[string]bool{}
	for _, p := range promiseFiles(root) {
		out[p.ID] = true
	}
	return out
}

// promiseFiles reads every promise file in rules/ (errors aside: check
// reports them).
func promiseFiles(root string) []*promise.Promise {
	var out []*promise.Promise
	names, _ := filepath.Glob(filepath.Join(root, "rules", "*.yaml"))
	more, _ := filepath.Glob(filepath.Join(root, "rules", "*.yml"))
	for _, n := range append(names, more...) {
		base := filepath.Base(n)
		if base == "activities.yaml" || base == "calendar.yaml" || strings.HasSuffix(strings.TrimSuffix(base, filepath.Ext(base)), "_test") {
			continue
		}
		src, err := os.ReadFile(n)
		if err != nil {
			continue
		}
		if p, _ := promise.ParsePromise("rules/"+base, src); p != nil && p.ID != "" {
			out = append(out, p)
		}
	}
	return out
}

// writeNew writes a file that must not exist yet.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return usageErr("%s finns redan: lofte draft skriver inte över något", path)
	}
	if err != nil {
		return usageErr("kan inte skriva %s: %v", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return usageErr("kan inte skriva %s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		return usageErr("kan inte skriva %s: %v", path, err)
	}
	return nil
}

// addedBlock is the part of activities.yaml the draft adds.
func addedBlock(d *draft.Draft, added []string) string {
	keep := *d
	keep.Activities = nil
	for _, a := range d.Activities {
		for _, id := range added {
			if a.ID == id {
				keep.Activities = append(keep.Activities, a)
			}
		}
	}
	return "activities:\n" + keep.ActivitiesYAML("  ")
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
			unsure = append(unsure, fmt.Sprintf("%s (säkerhet: %s)", cm.ID, cm.Sure))
		}
	}
	w := c.g.stdout
	fmt.Fprintf(w, "Skrev %s: %d åtaganden i %d områden, %d med regel och %d som bedöms för hand.\n",
		file, len(d.Commitments), len(d.Areas), rules, manual)
	if len(added) > 0 {
		fmt.Fprintf(w, "La till aktivitetstyperna %s i %s.\n", strings.Join(added, ", "), promise.ActivitiesFile)
	}
	if len(unsure) > 0 {
		fmt.Fprintf(w, "Granska särskilt: %s.\n", strings.Join(unsure, ", "))
	}
	fmt.Fprintf(w, "\nNästa steg: läs utkastet mot dokumentet, rätta det som behövs och kör\n  lofte check\n")
}

// nextYear copies a promise to a new year (--from-promise).
func (c *draftCmd) nextYear() error {
	if c.year < 2000 || c.year > 2100 {
		return usageErr("ange det nya året med --year, t.ex. lofte draft --from-promise %s --year 2023", c.from)
	}
	root, err := c.root()
	if err != nil {
		return err
	}
	var from *promise.Promise
	var ids []string
	for _, p := range promiseFiles(root) {
		ids = append(ids, p.ID)
		if p.ID == c.from && (from == nil || p.Valid.Last > from.Valid.Last) {
			from = p
		}
	}
	if from == nil {
		return usageErr("inget löfte har id %q i rules/; löftena är: %s", c.from, strings.Join(ids, ", "))
	}
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(from.File)))
	if err != nil {
		return usageErr("kan inte läsa %s: %v", from.File, err)
	}
	out, id, err := draft.NextYear(src, from.File, c.year)
	if err != nil {
		return usageErr("%s: %v", from.File, err)
	}
	file := "rules/" + id + ".yaml"
	if c.dryRun {
		fmt.Fprintf(c.g.stdout, "# ==> %s\n%s", file, out)
		return nil
	}
	if err := writeNew(filepath.Join(root, filepath.FromSlash(file)), out); err != nil {
		return err
	}
	fmt.Fprintf(c.g.stdout, "Skrev %s: löftet %s för %d, kopierat från %s med samma id på åtagandena.\n", file, id, c.year, from.File)
	fmt.Fprintf(c.g.stdout, "\nNästa steg: ändra mål och texter efter det nya löftet och jämför\n  lofte diff %d %d --backtest\n", c.year-1, c.year)
	return nil
}
