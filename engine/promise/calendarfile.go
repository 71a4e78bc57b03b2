package promise

import (
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
)

// ParseCalendar decodes rules/calendar.yaml (docs/reference.md §5): school terms by
// name, each a range of dates. A missing file means the defaults; pass
// src nil for that.
func ParseCalendar(file string, src []byte) (*calendar.Calendar, diag.List) {
	cal := calendar.New()
	var errs diag.List
	if src == nil {
		return cal, nil
	}
	d := parseYAML(file, src, &errs)
	if d == nil || d.root == nil {
		return cal, errs
	}
	for _, top := range d.mapping(d.root, file, []string{"terms"}, &errs) {
		for _, f := range d.mapping(top.value, "terms", nil, &errs) {
			s, ok := d.scalar(f.value, "terminen "+f.key, &errs)
			if !ok {
				continue
			}
			start, end, err := parseRange(s)
			if err == nil {
				err = cal.SetTerm(f.key, start, end)
			}
			if err != nil {
				errs.Add(d.pos(f.value), "skriv t.ex. 2022-VT: 2022-01-11..2022-06-17", "%v", err)
			}
		}
	}
	return cal, errs
}

func parseRange(s string) (start, end calendar.Date, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "..")
	if !ok {
		return 0, 0, errorf("%q är inget datumintervall på formen ÅÅÅÅ-MM-DD..ÅÅÅÅ-MM-DD", s)
	}
	if start, err = calendar.ParseDate(strings.TrimSpace(a)); err != nil {
		return 0, 0, err
	}
	if end, err = calendar.ParseDate(strings.TrimSpace(b)); err != nil {
		return 0, 0, err
	}
	return start, end, nil
}
