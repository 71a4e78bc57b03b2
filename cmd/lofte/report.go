package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/report"
	"github.com/lofte/lofte/engine/repository"
)

// reportFormats are the formats of evaluate and report.
var reportFormats = []string{"text", "json", "markdown", "html", "junit"}

// checkFormat reports a format that does not exist as bad usage.
func checkFormat(format string) error {
	if !slices.Contains(reportFormats, format) {
		return usageErr("okänt format %q: välj text, json, markdown, html eller junit", format)
	}
	return nil
}

// writeReport renders rep in format. r gives the burn-up charts of the
// HTML page; color is for text on a terminal.
func (g *globals) writeReport(out io.Writer, format string, r *repository.Repository, rep *eval.Report, color bool) error {
	switch format {
	case "json":
		return report.JSON(out, rep)
	case "markdown":
		return report.MarkdownIn(out, rep, g.lang)
	case "html":
		return report.HTML(out, rep, report.PageOptions{Cumulative: r.Cumulative})
	case "junit":
		return report.JUnit(out, rep, g.lang)
	}
	return report.Text(out, rep, report.TextOptions{Lang: g.lang, Color: color})
}

// defaultReportFile is where `lofte report` writes the page unless told.
const defaultReportFile = "uppfoljning.html"

// newReport is `lofte report`: evaluate with the public page as the
// default format, written to uppfoljning.html.
func newReport(g *globals) *cobra.Command {
	e := &evaluateCmd{g: g}
	cmd := &cobra.Command{
		Use:   "report --period P [--as-of D] [--promise ID] [--rev R | --known-at D] [--format html|markdown|junit|text|json] [-o FILE]",
		Short: "Skriv uppföljningen som en webbsida för allmänheten (uppfoljning.html)",
		Long: `report är evaluate med webbsidan som standard: en fristående HTML-fil på svenska
med löftet, en sammanfattning och varje åtagande med status, siffror och
diagram, som går att läsa i mobilen, skriva ut på A4 och publicera som den är.
Utan -o skrivs den till ` + defaultReportFile + ` (-o - skriver till standard ut);
var den skrevs står på standard fel.

Slutstatus som för evaluate: 0 när inget är efter eller ej uppfyllt, 1 när
något är det, 2 vid fel i kommandot eller i filerna.`,
		Example: `  lofte report --period 2022
  lofte report --period 2021..2022 -o uppfoljning-2021-2022.html
  lofte report --period 2022 --format markdown -o uppfoljning.md`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			err := e.run()
			// A report was written when the error carries only the exit
			// status (something behind, or problems in the files).
			var ee *exitError
			if written := err == nil || errors.As(err, &ee) && ee.err == nil; written && e.output != "" && e.output != "-" {
				where := e.output
				if abs, aerr := filepath.Abs(where); aerr == nil {
					where = abs
				}
				fmt.Fprintf(g.stderr, g.say("Uppföljningen finns i %s\n", "The follow-up is in %s\n"), where)
			}
			return err
		},
	}
	e.addFlags(cmd, "html", defaultReportFile)
	return cmd
}
