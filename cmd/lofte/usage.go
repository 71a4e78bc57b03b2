package main

import (
	"strings"

	"github.com/spf13/cobra"
)

func init() {
	// pflag writes "(default …)" after a flag's usage: "(standard …)" in
	// the Swedish help.
	cobra.AddTemplateFunc("standard", func(s string) string { return strings.ReplaceAll(s, " (default ", " (standard ") })
}

// usageTemplate is cobra's usage text with Swedish headings: the people
// who write and follow up a promise read Swedish.
const usageTemplate = `Användning:{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [kommando]{{end}}{{if gt (len .Aliases) 0}}

Alias:
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Exempel:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Kommandon:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Flaggor:
{{.LocalFlags.FlagUsages | standard | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Flaggor för alla kommandon:
{{.InheritedFlags.FlagUsages | standard | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

Skriv "{{.CommandPath}} [kommando] --help" för mer om ett kommando.{{end}}
`
