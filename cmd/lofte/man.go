package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"

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
			if err := genMan(root, header, args[0], g.lang); err != nil {
				return usageErr("kan inte skriva manualsidorna: %v", err)
			}
			return nil
		},
	}
}

// genMan writes the manual page of c and of each of its commands into
// dir, as doc.GenManTree does, with the headings and the month of the
// date in Swedish unless lang is en.
func genMan(c *cobra.Command, header *doc.GenManHeader, dir, lang string) error {
	for _, sub := range c.Commands() {
		if !sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand() {
			continue
		}
		if err := genMan(sub, header, dir, lang); err != nil {
			return err
		}
	}
	h := *header
	var b bytes.Buffer
	if err := doc.GenMan(c, &h, &b); err != nil {
		return err
	}
	page := b.Bytes()
	if lang != "en" {
		page = manSv(page)
	}
	name := strings.ReplaceAll(c.CommandPath(), " ", "-") + "." + header.Section
	return os.WriteFile(filepath.Join(dir, name), page, 0o644)
}

// manHeadingsSv are the headings cobra writes in a manual page, in Swedish.
var manHeadingsSv = map[string]string{
	"NAME":                                   "NAMN",
	"SYNOPSIS":                               "SYNOPSIS",
	"DESCRIPTION":                            "BESKRIVNING",
	"OPTIONS":                                "FLAGGOR",
	"OPTIONS INHERITED FROM PARENT COMMANDS": "FLAGGOR FÖR ALLA KOMMANDON",
	"EXAMPLE":                                "EXEMPEL",
	"SEE ALSO":                               "SE ÄVEN",
	"HISTORY":                                "HISTORIK",
}

var (
	manHeading = regexp.MustCompile(`(?m)^\.SH (.+)$`)
	manTitle   = regexp.MustCompile(`(?m)^(\.TH "[^"]*" "[^"]*" ")(\w+)( )`)
	monthsSv   = strings.NewReplacer("Jan", "jan", "Feb", "feb", "Mar", "mar", "Apr", "apr", "May", "maj", "Jun", "jun",
		"Jul", "jul", "Aug", "aug", "Sep", "sep", "Oct", "okt", "Nov", "nov", "Dec", "dec")
)

// manSv puts cobra's words in a manual page into Swedish: the headings
// and the month in the title line.
func manSv(page []byte) []byte {
	page = manHeading.ReplaceAllFunc(page, func(m []byte) []byte {
		if sv, ok := manHeadingsSv[string(m[len(".SH "):])]; ok {
			return []byte(".SH " + sv)
		}
		return m
	})
	return manTitle.ReplaceAllFunc(page, func(m []byte) []byte {
		s := manTitle.FindSubmatch(m)
		return []byte(string(s[1]) + monthsSv.Replace(string(s[2])) + string(s[3]))
	})
}
