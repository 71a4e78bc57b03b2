package web

import (
	"html/template"
	"time"
)

var stockholm = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return loc
	}
	return time.UTC
}()

var funcs = template.FuncMap{
	"hasErrors": func(fs []fieldView) bool {
		for _, f := range fs {
			if f.Error != "" {
				return true
			}
		}
		return false
	},
	// anchor is where an error in the summary leads: the field, or the
	// first choice of a group.
	"anchor": func(f fieldView) string {
		if f.Control == "radio" || f.Control == "checkboxes" {
			return f.ID + "-0"
		}
		return f.ID
	},
	"short": func(h string) string { return h[:min(7, len(h))] },
	"when":  func(t time.Time) string { return t.In(stockholm).Format("2006-01-02 15:04") },
}
