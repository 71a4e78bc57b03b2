package draft

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/rule"
)

// YAML writes the drafted promise file (docs/reference.md §2), with a
// header saying how it was read and a comment on every suggestion.
func (d *Draft) YAML() []byte {
	var b strings.Builder
	src := d.source
	if src == "" {
		src = "dokumentet"
	}
	fmt.Fprintf(&b, "# Utkast till medborgarlöfte, läst ur %s av lofte draft.\n", src)
	b.WriteString("#\n# Granska varje åtagande mot dokumentet innan löftet används: texten är\n" +
		"# ordagrann, men id, ansvariga, regler och aktivitetstyper är förslag.\n" +
		"# Kommentaren vid varje åtagande säger vad förslaget lästes ur och hur säker\n" +
		"# läsningen är (hög, medel, låg). Ett åtagande utan antal att räkna har\n" +
		"# assess: manual och bedöms för hand med en assessment-post.\n#\n")
	for _, n := range d.Notes {
		fmt.Fprintf(&b, "# %s\n", n)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "promise: %s\n", scalar(d.ID))
	fmt.Fprintf(&b, "title: %s\n", scalar(d.Title))
	b.WriteString("parties:\n")
	fmt.Fprintf(&b, "  %s: %s\n", Police, scalar(d.PoliceName))
	muni := d.MunicipalityParty
	if muni == "" {
		muni = "Kommunen (fyll i namnet)"
	}
	fmt.Fprintf(&b, "  %s: %s\n", Municipality, scalar(muni))
	if d.First == d.Last {
		fmt.Fprintf(&b, "valid: %d\n", d.First)
	} else {
		fmt.Fprintf(&b, "valid: %d..%d\n", d.First, d.Last)
	}
	if len(d.Areas) == 0 {
		b.WriteString("areas: {}\n")
	} else {
		b.WriteString("areas:\n")
	}
	for _, a := range d.Areas {
		fmt.Fprintf(&b, "  %s: %s\n", a.ID, scalar(a.Title))
	}
	if len(d.Commitments) == 0 {
		b.WriteString("\n# Inga åtaganden hittades i dokumentet: skriv in dem här.\ncommitments: []\n")
		return []byte(b.String())
	}
	b.WriteString("\ncommitments:\n")
	area := ""
	for _, c := range d.Commitments {
		if c.Area != area {
			area = c.Area
			fmt.Fprintf(&b, "  # %s\n", strings.Repeat("-", max(1, 60-len([]rune(d.areaTitle(area)))))+" "+d.areaTitle(area))
		}
		c.write(&b)
		b.WriteString("\n")
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n")
}

func (d *Draft) areaTitle(id string) string {
	for _, a := range d.Areas {
		if a.ID == id {
			return a.Title
		}
	}
	return id
}

func (c *Commitment) write(b *strings.Builder) {
	fmt.Fprintf(b, "  - id: %s\n", c.ID)
	fmt.Fprintf(b, "    area: %s\n", c.Area)
	if len(c.Owner) == 1 {
		fmt.Fprintf(b, "    owner: %s\n", c.Owner[0])
	} else {
		fmt.Fprintf(b, "    owner: [%s]\n", strings.Join(c.Owner, ", "))
	}
	b.WriteString("    text: " + folded(c.Text, "      ") + "\n")
	for _, n := range c.Notes {
		fmt.Fprintf(b, "    # %s\n", n)
	}
	if c.Manual {
		b.WriteString("    assess: manual\n")
		return
	}
	fmt.Fprintf(b, "    # säkerhet: %s\n", c.Sure)
	if strings.Contains(c.Rule, "\n") {
		b.WriteString("    rule: |\n")
		for _, l := range strings.Split(c.Rule, "\n") {
			b.WriteString("      " + l + "\n")
		}
		return
	}
	fmt.Fprintf(b, "    rule: %s\n", scalar(c.Rule))
}

var plainSafe = regexp.MustCompile(`^[\p{L}\p{N}(][^#\n]*$`)

// scalar writes a one-line YAML scalar: plain when that reads back the
// same, else double-quoted (JSON's quoting is YAML's).
func scalar(s string) string {
	if plainSafe.MatchString(s) && !strings.Contains(s, ": ") && !strings.HasSuffix(s, ":") &&
		strings.TrimSpace(s) == s && !reserved[strings.ToLower(s)] {
		return s
	}
	q, _ := json.Marshal(s)
	return string(q)
}

var reserved = map[string]bool{"true": true, "false": true, "yes": true, "no": true, "on": true, "off": true, "null": true, "~": true, "y": true, "n": true}

// folded writes text as a folded block (>-) of lines under 78 columns,
// or double-quoted when a block would not read back the same.
func folded(text, indent string) string {
	words := strings.Fields(text)
	if len(words) == 0 || text != strings.Join(words, " ") {
		q, _ := json.Marshal(text)
		return string(q)
	}
	var lines []string
	line := ""
	for _, w := range words {
		if line != "" && len([]rune(indent+line+" "+w)) > 78 {
			lines = append(lines, line)
			line = w
			continue
		}
		if line == "" {
			line = w
		} else {
			line += " " + w
		}
	}
	lines = append(lines, line)
	if len(lines) == 1 && len([]rune(indent))+len([]rune(text)) < 72 && scalar(text) == text {
		return text
	}
	return ">-\n" + indent + strings.Join(lines, "\n"+indent)
}

// ActivitiesYAML writes the proposed activity types as entries of
// activities: (indented by indent), with a comment naming the
// commitments that use each.
func (d *Draft) ActivitiesYAML(indent string) string {
	var b strings.Builder
	for _, a := range d.Activities {
		var users []string
		for _, c := range d.Commitments {
			if c.act != nil && c.act.act.id == a.ID {
				users = append(users, c.ID)
			}
		}
		fmt.Fprintf(&b, "%s# Föreslagen av lofte draft för %s (promise: %s).\n", indent, strings.Join(users, ", "), d.ID)
		fmt.Fprintf(&b, "%s%s:\n", indent, a.ID)
		fmt.Fprintf(&b, "%s  title: %s\n", indent, scalar(a.Title))
		if len(a.Fields) == 0 {
			b.WriteString("\n")
			continue
		}
		fmt.Fprintf(&b, "%s  fields:\n", indent)
		for _, f := range a.Fields {
			if f.Kind == "bool" {
				fmt.Fprintf(&b, "%s    %s: bool\n", indent, f.Name)
			} else {
				fmt.Fprintf(&b, "%s    %s: {enum: [%s]}\n", indent, f.Name, strings.Join(f.Values, ", "))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Verify compiles a drafted promise against the activity vocabulary it
// will be checked with, as lofte check does (docs/reference.md §6): the
// draft's promise of Read always passes; a test holds it to that.
func Verify(file string, src, activities []byte) diag.List {
	voc, errs := promise.ParseVocabulary(promise.ActivitiesFile, activities)
	p, perrs := promise.ParsePromise(file, src)
	errs = append(errs, perrs...)
	if p == nil {
		return errs
	}
	env := rule.NewEnv(voc)
	for _, c := range p.Commitments {
		if c.Manual {
			continue
		}
		_, cerrs := env.Compile(c.Rule)
		errs = append(errs, cerrs...)
	}
	return errs
}
