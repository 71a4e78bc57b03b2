package check

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/wire"
)

// Text writes the problems for people: each as file:line:col: message, the
// line of the file with a caret under the place, and the hint; then a
// summary line.
func Text(w io.Writer, diags diag.List, files map[string][]byte) error {
	return TextIn(w, diags, files, "sv")
}

// TextIn is Text in lang (sv or en): in English the messages, the hints
// and the summary are English (diag.Diagnostic.In).
func TextIn(w io.Writer, diags diag.List, files map[string][]byte, lang string) error {
	warning := "varning: "
	if lang == "en" {
		warning = "warning: "
	}
	var b strings.Builder
	for _, d := range diags {
		d = d.In(lang)
		if d.File != "" {
			b.WriteString(d.Pos.String())
			b.WriteString(": ")
		}
		if d.Severity == diag.Warning {
			b.WriteString(warning)
		}
		b.WriteString(d.Message)
		b.WriteString("\n")
		if src, ok := files[d.File]; ok {
			if s := diag.Snippet(src, d.Pos); s != "" {
				b.WriteString(s)
				b.WriteString("\n")
			}
		}
		if d.Hint != "" {
			b.WriteString("    ")
			b.WriteString(d.Hint)
			b.WriteString("\n")
		}
	}
	if lang == "en" {
		b.WriteString(summaryEn(diags))
	} else {
		b.WriteString(Summary(diags))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary is one line: "2 fel och 3 varningar", or that there is nothing.
func Summary(diags diag.List) string {
	errs := diags.Errors()
	warns := len(diags) - errs
	switch {
	case errs == 0 && warns == 0:
		return "Inga fel och inga varningar."
	case warns == 0:
		return fmt.Sprintf("%d fel.", errs)
	case errs == 0:
		return fmt.Sprintf("Inga fel, %s.", plural(warns, "varning", "varningar"))
	}
	return fmt.Sprintf("%d fel och %s.", errs, plural(warns, "varning", "varningar"))
}

// summaryEn is Summary in English.
func summaryEn(diags diag.List) string {
	errs := diags.Errors()
	warns := len(diags) - errs
	switch {
	case errs == 0 && warns == 0:
		return "No errors and no warnings."
	case warns == 0:
		return plural(errs, "error.", "errors.")
	case errs == 0:
		return fmt.Sprintf("No errors, %s.", plural(warns, "warning", "warnings"))
	}
	return fmt.Sprintf("%s and %s.", plural(errs, "error", "errors"), plural(warns, "warning", "warnings"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// JSON writes the problems as {"errors": [...], "warnings": [...]}, each
// with file, line, column, message and hint, as evaluate's JSON does.
func JSON(w io.Writer, diags diag.List) error {
	var out struct {
		Errors   []wire.Problem `json:"errors"`
		Warnings []wire.Problem `json:"warnings"`
	}
	out.Errors, out.Warnings = wire.Problems(diags)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
