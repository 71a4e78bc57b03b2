// Package promise decodes the files of rules/: promise files, the activity
// vocabulary and the calendar, keeping the place of every value so that
// each problem can be reported as file:line:column.
package promise

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
)

// Party is one signing party of a promise.
type Party struct {
	ID   string
	Name string
	// Authors are who may record for the party when the promise has
	// trust: strict: e-mail addresses or patterns (*@polisen.se), matched
	// against the author of the commit that added a record.
	Authors []string
	// Signers is a key file under rules/ (an armored OpenPGP key ring or
	// an SSH allowed-signers file): with trust: strict, the commit that
	// added a record must be signed with one of its keys.
	Signers string
	Pos     diag.Pos
}

// Promise is one promise file: a title, its parties, the years it governs
// and its commitments.
type Promise struct {
	ID          string
	Title       string
	Parties     []Party
	Areas       map[string]string // area id → title, e.g. skadegorelse → Skadegörelse
	Valid       calendar.Period
	Commitments []*Commitment
	// Strict is trust: strict: a record of a party counts only if the
	// commit that added it was made by that party (see Party).
	Strict bool
	// Data are the folders whose records the promise counts, each
	// "data" or below it, cleaned and without a trailing slash; empty
	// means the whole of data/ (docs/reference.md §2, data:).
	Data []string
	File string
	Pos  diag.Pos
}

// CountsRecords reports whether a commitment of the promise has a rule,
// which counts records (rather than being assessed by hand).
func (p *Promise) CountsRecords() bool {
	return slices.ContainsFunc(p.Commitments, func(c *Commitment) bool { return !c.Manual })
}

// Counts reports whether the promise counts the records of file, a path
// relative to the repository root: every file when Data is empty, else
// the files in one of its folders.
func (p *Promise) Counts(file string) bool {
	if len(p.Data) == 0 {
		return true
	}
	for _, d := range p.Data {
		if strings.HasPrefix(file, d) && len(file) > len(d) && file[len(d)] == '/' {
			return true
		}
	}
	return false
}

// Governs reports whether the promise is in force for year.
func (p *Promise) Governs(year int) bool { return year >= p.Valid.First && year <= p.Valid.Last }

// PartyIDs lists the ids of the parties.
func (p *Promise) PartyIDs() []string {
	ids := make([]string, len(p.Parties))
	for i, pt := range p.Parties {
		ids[i] = pt.ID
	}
	return ids
}

// AreaTitle is the title of an area: from areas:, else the id with a
// capital first letter.
func (p *Promise) AreaTitle(area string) string {
	if t := p.Areas[area]; t != "" {
		return t
	}
	if area == "" {
		return "–"
	}
	r, n := utf8.DecodeRuneInString(area)
	return string(unicode.ToUpper(r)) + area[n:]
}

// PaceKind says how the expected figure grows through a window.
type PaceKind int

const (
	PaceLinear  PaceKind = iota // evenly over the days of the window
	PaceNone                    // no expected figure: behind only near the end
	PaceMonthly                 // by twelve monthly weights
)

// Pace is a commitment's expected pace.
type Pace struct {
	Kind    PaceKind
	Weights [12]float64 // for PaceMonthly, January first
}

// DefaultWarnWithin is the number of days before a window's end from
// which an unmet count target is behind (docs/reference.md §2).
const DefaultWarnWithin = 30

// Commitment is one commitment of a promise.
type Commitment struct {
	ID         string
	Area       string
	Owner      []string
	Text       string
	Rule       Text // empty for manual commitments
	Manual     bool
	Pace       Pace
	Tolerance  float64
	WarnWithin int
	Pos        diag.Pos
	Promise    *Promise
}

var (
	commitmentIDRe = regexp.MustCompile(`^[\p{L}\p{N}._-]+$`)
	promiseKeys    = []string{"promise", "title", "parties", "areas", "valid", "data", "commitments", "trust"}
	commitmentKeys = []string{"id", "area", "owner", "text", "rule", "assess", "pace", "tolerance", "warn_within"}
)

// ParsePromise decodes one promise file (docs/reference.md §2). It returns the promise
// even when parts of it are wrong, with every problem in the list; a
// commitment with an error in its own keys is left out.
func ParsePromise(file string, src []byte) (*Promise, diag.List) {
	var errs diag.List
	d := parseYAML(file, src, &errs)
	if d == nil {
		return nil, errs
	}
	if d.root == nil {
		errs.Add(diag.Pos{File: file, Line: 1, Col: 1}, "ett löfte börjar med promise:, title:, parties:, valid: och commitments:", "filen är tom")
		return nil, errs
	}
	p := &Promise{File: file, Pos: d.pos(d.root)}
	seen := map[string]bool{}
	for _, f := range d.mapping(d.root, file, promiseKeys, &errs) {
		seen[f.key] = true
		switch f.key {
		case "promise":
			if s, ok := d.scalar(f.value, "promise", &errs); ok {
				if !commitmentIDRe.MatchString(s) {
					errs.Add(d.pos(f.value), "använd bokstäver, siffror och . _ -", "ogiltigt id %q för löftet", s)
				}
				p.ID = s
			}
		case "title":
			p.Title, _ = d.scalar(f.value, "title", &errs)
		case "parties":
			for _, g := range d.mapping(f.value, "parties", nil, &errs) {
				p.Parties = append(p.Parties, d.party(g, &errs))
			}
		case "trust":
			p.Strict = d.trust(f.value, &errs)
		case "areas":
			p.Areas = map[string]string{}
			for _, g := range d.mapping(f.value, "areas", nil, &errs) {
				p.Areas[g.key], _ = d.scalar(g.value, "området "+g.key, &errs)
			}
		case "valid":
			if s, ok := d.scalar(f.value, "valid", &errs); ok {
				per, err := calendar.ParsePeriod(s)
				if err != nil {
					errs.Add(d.pos(f.value), "skriv t.ex. valid: 2022 eller valid: 2021..2022", "valid: %v", err)
				}
				p.Valid = per
			}
		case "data":
			p.Data = d.dataFolders(f.value, &errs)
		case "commitments":
			p.Commitments = d.commitments(p, f.value, &errs)
		}
	}
	for _, k := range []string{"promise", "valid", "commitments"} {
		if !seen[k] {
			errs.Add(p.Pos, "se README: Att skriva ett åtagande", "löftet saknar nyckeln %s", k)
		}
	}
	if seen["promise"] && !seen["valid"] {
		p.Valid = calendar.Period{First: 1, Last: 0} // governs no year
	}
	return p, errs
}

// dataFolders decodes data:, one folder or a list of folders under data/.
func (d *doc) dataFolders(n *yaml.Node, errs *diag.List) []string {
	var out []string
	before := len(*errs)
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	for _, c := range items {
		c = resolve(c)
		s, ok := d.scalar(c, "data", errs)
		if !ok {
			continue
		}
		f, err := dataFolder(s)
		if err != nil {
			errs.Add(d.pos(c), "skriv t.ex. data: data/mullsjo/ eller en lista av mappar under data/", "data: %v", err)
			continue
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 && len(*errs) == before {
		errs.Add(d.pos(n), "utelämna data: för att räkna alla poster i data/", "data: ingen mapp angiven")
	}
	return out
}

// dataFolder cleans a folder of data: and checks that it is data/ or a
// folder below it.
func dataFolder(s string) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\\", "/"))
	if s == "" {
		return "", errorf("tom mapp")
	}
	if path.IsAbs(s) || slices.Contains(strings.Split(s, "/"), "..") {
		return "", errorf("%q ligger utanför data/", s)
	}
	c := path.Clean(s)
	if c != "data" && !strings.HasPrefix(c, "data/") {
		return "", errorf("%q ligger utanför data/", s)
	}
	return c, nil
}

func (d *doc) commitments(p *Promise, n *yaml.Node, errs *diag.List) []*Commitment {
	if n.Kind != yaml.SequenceNode {
		errs.Add(d.pos(n), "varje åtagande börjar med - id: …", "commitments ska vara en lista")
		return nil
	}
	var out []*Commitment
	ids := map[string]diag.Pos{}
	for _, cn := range n.Content {
		c := d.commitment(p, resolve(cn), errs)
		if c == nil {
			continue
		}
		if prev, dup := ids[c.ID]; dup {
			errs.Add(c.Pos, "", "åtagandet %q finns redan på rad %d", c.ID, prev.Line)
			continue
		}
		ids[c.ID] = c.Pos
		out = append(out, c)
	}
	return out
}

func (d *doc) commitment(p *Promise, n *yaml.Node, errs *diag.List) *Commitment {
	c := &Commitment{Promise: p, Pos: d.pos(n), WarnWithin: DefaultWarnWithin}
	before := len(*errs)
	var assess *field
	for _, f := range d.mapping(n, "åtagandet", commitmentKeys, errs) {
		switch f.key {
		case "id":
			c.ID, _ = d.scalar(f.value, "id", errs)
			if !commitmentIDRe.MatchString(c.ID) {
				errs.Add(d.pos(f.value), "använd bokstäver, siffror och . _ -, t.ex. trafik.kontroller", "ogiltigt id %q", c.ID)
			}
		case "area":
			c.Area, _ = d.scalar(f.value, "area", errs)
		case "owner":
			c.Owner = d.strings(f.value, "owner", errs)
			for _, o := range c.Owner {
				if len(p.Parties) > 0 && !slices.Contains(p.PartyIDs(), o) {
					errs.Add(d.pos(f.value), diag.DidYouMean(o, p.PartyIDs()), "okänd part %q: parterna är %s", o, strings.Join(p.PartyIDs(), ", "))
				}
			}
		case "text":
			c.Text, _ = d.scalar(f.value, "text", errs)
			c.Text = strings.TrimSpace(c.Text)
		case "rule":
			if _, ok := d.scalar(f.value, "rule", errs); ok {
				c.Rule = d.text(f.value)
			}
		case "assess":
			f := f
			assess = &f
		case "pace":
			c.Pace = d.pace(f.value, errs)
		case "tolerance":
			v, err := strconv.ParseFloat(f.value.Value, 64)
			if err != nil || v < 0 || v >= 1 {
				errs.Add(d.pos(f.value), "skriv t.ex. tolerance: 0.1 för 10 %", "tolerance ska vara ett tal från 0 till under 1")
			}
			c.Tolerance = v
		case "warn_within":
			v, err := strconv.Atoi(f.value.Value)
			if err != nil || v < 0 {
				errs.Add(d.pos(f.value), "skriv t.ex. warn_within: 30", "warn_within ska vara ett antal dagar (heltal, 0 eller mer)")
			}
			c.WarnWithin = v
		}
	}
	if assess != nil {
		if assess.value.Value != "manual" {
			errs.Add(d.pos(assess.value), "skriv assess: manual", "assess kan bara vara manual")
		}
		c.Manual = true
	}
	switch {
	case c.ID == "":
		errs.Add(c.Pos, "skriv t.ex. id: trafik.kontroller", "åtagandet saknar id")
	case c.Manual && c.Rule.Value != "":
		errs.Add(c.Pos, "ta bort rule eller assess", "åtagandet %s har både rule och assess: manual", c.ID)
	case !c.Manual && strings.TrimSpace(c.Rule.Value) == "":
		errs.Add(c.Pos, "skriv en regel, t.ex. rule: count(trafikkontroll) >= 104, eller assess: manual", "åtagandet %s saknar rule", c.ID)
	}
	if len(*errs) > before || d.holdsMasked(n) { // reported where the file was read
		return nil
	}
	return c
}

func (d *doc) pace(n *yaml.Node, errs *diag.List) Pace {
	if n.Kind == yaml.ScalarNode {
		switch n.Value {
		case "linear":
			return Pace{Kind: PaceLinear}
		case "none":
			return Pace{Kind: PaceNone}
		}
	}
	if n.Kind == yaml.SequenceNode && len(n.Content) == 12 {
		p := Pace{Kind: PaceMonthly}
		sum := 0.0
		for i, c := range n.Content {
			v, err := strconv.ParseFloat(c.Value, 64)
			if err != nil || v < 0 {
				errs.Add(d.pos(c), "", "vikten %q ska vara ett tal, 0 eller mer", c.Value)
				return Pace{}
			}
			p.Weights[i], sum = v, sum+v
		}
		if sum == 0 {
			errs.Add(d.pos(n), "", "minst en månadsvikt ska vara större än 0")
			return Pace{}
		}
		return p
	}
	hint := "skriv pace: linear, pace: none eller tolv månadsvikter, t.ex. [1,1,1,1,1,1,0,0,1,1,1,1]"
	if n.Kind == yaml.SequenceNode {
		errs.Add(d.pos(n), hint, "takten har %d månadsvikter, men ska ha tolv: en för varje månad", len(n.Content))
		return Pace{}
	}
	errs.Add(d.pos(n), hint, "okänd takt %s", kindOf(n))
	return Pace{}
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
