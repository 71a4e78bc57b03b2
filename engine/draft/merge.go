package draft

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lofte/lofte/engine/promise"
)

// activitiesHeader opens an activities.yaml that lofte draft creates.
const activitiesHeader = `# Aktivitetstyper – ordlistan för medborgarlöftets uppföljning
#
# Vilka slags aktiviteter som kan registreras i data/ och vilka fält
# (kolumner) varje aktivitet får ha (se README: Aktivitetstyper). Alla
# registreringar har dessutom date, type och by.

activities:
`

// MergeActivities adds the draft's proposed activity types to an
// activities.yaml (nil or empty: a new file), leaving every line already
// there as it is: a type the file has is never touched. It returns the
// new file and the ids added.
func (d *Draft) MergeActivities(existing []byte) ([]byte, []string, error) {
	var have *promise.Vocabulary
	if len(strings.TrimSpace(string(existing))) > 0 {
		v, errs := promise.ParseVocabulary(promise.ActivitiesFile, existing)
		if errs.Errors() > 0 {
			return nil, nil, fmt.Errorf("%s har fel, rätta dem först (lofte check visar dem): %v", promise.ActivitiesFile, errs[0].Error())
		}
		have = v
	}
	keep := &Draft{ID: d.ID, Commitments: d.Commitments}
	var added []string
	for _, a := range d.Activities {
		if have != nil && have.Activity(a.ID) != nil {
			continue
		}
		keep.Activities = append(keep.Activities, a)
		added = append(added, a.ID)
	}
	if have == nil {
		if len(added) == 0 {
			return []byte(strings.TrimSuffix(activitiesHeader, "\n") + " {}\n"), nil, nil
		}
		return []byte(activitiesHeader + keep.ActivitiesYAML("  ")), added, nil
	}
	if len(added) == 0 {
		return existing, nil, nil
	}
	at, indent, err := insertionPoint(existing)
	if err != nil {
		return nil, nil, err
	}
	lines := strings.SplitAfter(string(existing), "\n")
	if last := len(lines) - 1; last >= 0 && lines[last] == "" {
		lines = lines[:last]
	}
	if n := len(lines); n > 0 && !strings.HasSuffix(lines[n-1], "\n") {
		lines[n-1] += "\n"
	}
	at = min(at, len(lines))
	block := "\n" + strings.TrimRight(keep.ActivitiesYAML(indent), "\n") + "\n"
	if at < len(lines) {
		block += "\n"
	}
	out := strings.Join(lines[:at], "") + block + strings.Join(lines[at:], "")
	if _, errs := promise.ParseVocabulary(promise.ActivitiesFile, []byte(out)); errs.Errors() > 0 {
		return nil, nil, fmt.Errorf("kunde inte lägga till aktivitetstyperna i %s utan att ändra det som står där: %v", promise.ActivitiesFile, errs[0].Error())
	}
	return []byte(out), added, nil
}

// insertionPoint finds the line (0-based) before which new activity types
// go: after the last one, before the next top-level key; and their indent.
func insertionPoint(src []byte) (int, string, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil || len(root.Content) == 0 {
		return 0, "", errors.New("activities.yaml går inte att läsa som YAML")
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return 0, "", errors.New("activities.yaml ska börja med activities:")
	}
	lines := strings.Count(string(src), "\n") + 1
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != "activities" {
			continue
		}
		v := top.Content[i+1]
		if v.Kind != yaml.MappingNode || v.Style&yaml.FlowStyle != 0 || len(v.Content) == 0 {
			return 0, "", errors.New("activities: i activities.yaml är tom eller skriven på en rad ({...}): skriv varje aktivitetstyp på egen rad och kör lofte draft igen")
		}
		indent := strings.Repeat(" ", max(v.Content[0].Column-1, 0))
		if i+2 < len(top.Content) {
			next := top.Content[i+2]
			return next.Line - 1, indent, nil
		}
		return lines, indent, nil
	}
	return 0, "", errors.New("activities.yaml saknar nyckeln activities")
}
