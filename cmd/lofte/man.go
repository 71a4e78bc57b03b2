package main

import (
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newMan is `lofte man DIR`: the manual pages of every command, generated
// from the commands themselves, in the language of --lang.
func newMan(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "man MAPP",
		Short: "Skriv manualsidor för lofte och varje kommando i en mapp",
		Long: `man skriver en manualsida (avsnitt 1) för lofte och för vart och ett av dess
kommandon i MAPP, på det språk --lang säger. Läs dem med man -l MAPP/lofte.1,
eller lägg dem i /usr/local/share/man/man1.`,
		Example: `  lofte man /usr/local/share/man/man1
  lofte --lang en man man/`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			localize(root, g.lang)
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return usageErr("kan inte skapa mappen %s: %v", args[0], err)
			}
			header := &doc.GenManHeader{Title: "LOFTE", Section: "1", Source: "lofte " + versionShort(), Manual: "lofte"}
			root.DisableAutoGenTag = true
			if err := doc.GenManTree(root, header, args[0]); err != nil {
				return usageErr("kan inte skriva manualsidorna: %v", err)
			}
			return nil
		},
	}
}
