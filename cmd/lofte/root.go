package main

import (
	"io"

	"github.com/spf13/cobra"
)

// globals are the flags every command takes (SPEC 9).
type globals struct {
	repo   string
	lang   string
	stdout io.Writer
	stderr io.Writer
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
	mustComplete(root, "lang", []string{"sv", "en"})
	root.SetUsageTemplate(usageTemplate)
	root.PersistentFlags().BoolP("help", "h", false, "visa hjälp")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageErr("%v", err)
	})
	root.AddCommand(newEvaluate(g), newVersion(g))
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Short = "Visa hjälp för ett kommando"
		case "completion":
			c.Short = "Skriv ett skript för kommandokomplettering i bash, zsh, fish eller PowerShell"
		}
	}
	return root
}

// mustComplete registers the fixed values of a flag for shell completion.
// It fails only for a flag that does not exist: a programming error.
func mustComplete(cmd *cobra.Command, flag string, values []string) {
	if err := cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)); err != nil {
		panic(err)
	}
}
