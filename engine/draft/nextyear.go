package draft

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var (
	yearsInTitle = regexp.MustCompile(`20\d\d(?:\s*(?:[-–—]|\.\.)\s*20\d\d)?`)
	yearSuffix   = regexp.MustCompile(`-20\d\d$`)
)

// NextYear copies a promise file to a new year (docs/reference.md §9,
// lofte draft --from-promise): promise: gets the year after its id
// (mullsjo → mullsjo-2023), the title the new year, valid: the year;
// every other line, commitment ids included, stays, so that lofte diff
// and --backtest compare the two. It returns the new file and the new id.
func NextYear(src []byte, from string, year int) ([]byte, string, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, "", errors.New("löftesfilen går inte att läsa: rätta den först (lofte check visar felen)")
	}
	top := root.Content[0]
	lines := strings.Split(string(src), "\n")
	newID := ""
	set := func(key, value string) error {
		for i := 0; i+1 < len(top.Content); i += 2 {
			k, v := top.Content[i], top.Content[i+1]
			if k.Value != key {
				continue
			}
			if v.Kind != yaml.ScalarNode || v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || v.Line < 1 || v.Line > len(lines) {
				return fmt.Errorf("%s: står inte på en rad: ändra det för hand", key)
			}
			line := lines[v.Line-1]
			comment := ""
			if v.LineComment != "" {
				comment = " " + v.LineComment
			}
			col := min(len([]rune(line)), v.Column-1)
			lines[v.Line-1] = string([]rune(line)[:col]) + scalar(value) + comment
			return nil
		}
		return fmt.Errorf("löftet saknar %s:", key)
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "promise":
			newID = yearSuffix.ReplaceAllString(v.Value, "") + "-" + strconv.Itoa(year)
		case "title":
			t := v.Value
			if yearsInTitle.MatchString(t) {
				t = yearsInTitle.ReplaceAllString(t, strconv.Itoa(year))
			} else {
				t += " " + strconv.Itoa(year)
			}
			if err := set("title", t); err != nil {
				return nil, "", err
			}
		}
	}
	if newID == "" {
		return nil, "", errors.New("löftet saknar promise:")
	}
	if err := set("promise", newID); err != nil {
		return nil, "", err
	}
	if err := set("valid", strconv.Itoa(year)); err != nil {
		return nil, "", err
	}
	head := fmt.Sprintf("# Kopierat från %s av lofte draft --from-promise för %d: åtagandenas id är\n"+
		"# desamma, så att lofte diff %d %d och --backtest jämför dem. Ändra mål och\n"+
		"# texter efter det nya löftet.\n", from, year, year-1, year)
	return []byte(head + strings.Join(lines, "\n")), newID, nil
}
