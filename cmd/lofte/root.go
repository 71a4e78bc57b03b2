package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// globals are the flags every command takes (docs/reference.md §9).
type globals struct {
	repo        string
	lang        string
	maxFileSize byteSize
	stdout      io.Writer
	stderr      io.Writer
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	g := &globals{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "lofte [--repo DIR] [--lang sv|en] KOMMANDO",
		Short: "Följ upp medborgarlöften som regler och poster i ett git-förråd",
		Long: `lofte följer upp medborgarlöften: varje åtagande är en regel i rules/,
varje genomförd aktivitet en post i data/, och lofte säger vilka åtaganden
som är uppfyllda, i fas, efter eller ej uppfyllda.`,
		Example: `  lofte evaluate --period 2022
  lofte evaluate --period 2022 --as-of 2022-08-31
  lofte evaluate --period 2021..2022 --format json -o uppfoljning.json
  lofte --repo ~/medborgarloften evaluate --period 2022 --rev v2022-T2`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: false},
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if g.lang != "sv" && g.lang != "en" {
				return usageErr("--lang tar sv eller en, inte %q", g.lang)
			}
			return nil
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringVar(&g.repo, "repo", ".", "förrådets mapp (git-förrådet söks uppåt)")
	root.PersistentFlags().StringVar(&g.lang, "lang", "sv", "språk för textutskrift: sv eller en")
	root.PersistentFlags().Var(&g.maxFileSize, "max-file-size", "största fil som läses, t.ex. 50MiB (standard) eller 200MiB")
	mustComplete(root, "lang", []string{"sv", "en"})
	root.SetUsageTemplate(usageTemplate)
	root.Version = versionString("sv")
	root.SetVersionTemplate(versionTemplate(versionString("en")))
	root.Flags().Bool("version", false, "visa programmets version (som lofte version)")
	root.PersistentFlags().BoolP("help", "h", false, "visa hjälp")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageErr("%s", cobraMessage(err.Error(), g.lang))
	})
	root.AddCommand(newEvaluate(g), newReport(g), newServe(g), newWatch(g), newVersion(g))
	root.AddCommand(newCheck(g), newExplain(g), newDiff(g), newTest(g), newInit(g), newRecord(g), newMan(g))
	root.AddCommand(newDraft(g))
	root.InitDefaultHelpCmd()
	localizeHelpCmd(root, g)
	root.InitDefaultCompletionCmd()
	addRepoCompletion(root, g)
	addBashShim(root)
	for _, c := range root.Commands() {
		c.DisableFlagsInUseLine = true // the use lines name their flags
	}
	localize(root, "sv") // cobra's own commands
	defaultHelp := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		if g.lang == "en" {
			localize(root, "en")
		}
		defaultHelp(c, args)
	})
	return root
}

// localizeHelpCmd makes cobra's help command say that a topic is unknown
// in the language of --lang, and show the usage in that language.
func localizeHelpCmd(root *cobra.Command, g *globals) {
	for _, c := range root.Commands() {
		if c.Name() != "help" || c.Run == nil {
			continue
		}
		show := c.Run
		c.Run = func(c *cobra.Command, args []string) {
			if g.lang == "en" {
				localize(root, "en")
			}
			if cmd, _, err := root.Find(args); cmd == nil || err != nil {
				c.Printf(g.say("Okänt ämne för hjälpen: %s\n", "Unknown help topic: %s\n"), strings.Join(args, " "))
				if err := root.Usage(); err != nil {
					c.PrintErrln(err)
				}
				return
			}
			show(c, args)
		}
	}
}

// mustComplete registers the fixed values of a flag for shell completion.
// It fails only for a flag that does not exist: a programming error.
func mustComplete(cmd *cobra.Command, flag string, values []string) {
	if err := cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)); err != nil {
		panic(err)
	}
}

// byteSize is a size flag: a number of bytes with an optional KiB, MiB or
// GiB (or KB, MB, GB, read the same way).
type byteSize int64

func (b *byteSize) String() string {
	if *b == 0 {
		return ""
	}
	return strconv.FormatInt(int64(*b), 10)
}

// Type is the size's name in the help: "size", "storlek" in Swedish (see
// typeNamesSv).
func (b *byteSize) Type() string { return "size" }

func (b *byteSize) Set(s string) error {
	t := strings.TrimSpace(strings.ToUpper(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.n
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return fmt.Errorf("%q är ingen storlek: skriv t.ex. 50MiB", s)
	}
	*b = byteSize(n * mult)
	return nil
}
