package main

import (
	"strings"

	"github.com/spf13/cobra"
)

func init() {
	// pflag writes "(default …)" after a flag's usage: "(standard …)" in
	// the Swedish help, and the names of the flags' types in Swedish.
	cobra.AddTemplateFunc("standard", func(s string) string {
		return retype(strings.ReplaceAll(s, " (default ", " (standard "), typeNamesSv)
	})
}

// typeNamesSv are the names pflag gives the flags' types, in Swedish.
var typeNamesSv = map[string]string{
	"string":      "text",
	"stringArray": "text",
	"strings":     "lista",
	"duration":    "tid",
	"int":         "tal",
	"size":        "storlek",
}

// retype renames the flags' types in pflag's list of flags (as
// FlagUsages writes it: "  -o, --output string   usage") by names, and
// aligns the usages again. A list not written so is returned as it is.
func retype(list string, names map[string]string) string {
	lines := strings.Split(list, "\n")
	lefts := map[int]string{}
	oldCol, newCol := -1, 0
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		if !strings.HasPrefix(t, "-") {
			continue
		}
		end := strings.Index(t, "  ")
		if end < 0 {
			return list
		}
		left := l[:len(l)-len(t)+end]
		col := len(l) - len(strings.TrimLeft(t[end:], " "))
		if oldCol >= 0 && col != oldCol {
			return list
		}
		oldCol = col
		if at := strings.LastIndexByte(left, ' '); at > 0 {
			flag := left[strings.LastIndexByte(left[:at], ' ')+1 : at]
			if n, ok := names[left[at+1:]]; ok && strings.HasPrefix(flag, "--") {
				left = left[:at+1] + n
			}
		}
		lefts[i] = left
		newCol = max(newCol, len(left)+3)
	}
	if oldCol < 0 {
		return list
	}
	for i, l := range lines {
		if left, ok := lefts[i]; ok {
			lines[i] = left + strings.Repeat(" ", newCol-len(left)) + l[oldCol:]
		} else if len(l) > oldCol && strings.TrimLeft(l[:oldCol], " ") == "" {
			lines[i] = strings.Repeat(" ", newCol) + l[oldCol:] // a usage's next line
		}
	}
	return strings.Join(lines, "\n")
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
