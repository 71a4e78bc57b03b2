// Package check finds every problem of a commitments repository at once:
// those found while loading it (YAML, the vocabulary, the calendar, the
// promises, every record, every rule) and those only a review finds:
// school terms that overlap, default terms in use, records dated in the
// future, activity types no rule uses, commitments with no record at all
// in a year the promise is in force (one line for the promise when none
// of its commitments has any), manual commitments of an ended year whose
// latest assessment is an interim one, and rule test files that cannot be
// read. Each problem has its place; the list is sorted by it.
package check

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/rule"
)

// Input is what a check reads.
type Input struct {
	Repo *repository.Repository
	// Files holds the bytes of the files read, by path: Load drops those of
	// record files, and the calendar's lines are needed for places.
	Files map[string][]byte
	// Today is the date in Sweden: records after it are in the future, and
	// years after its year are not expected to have records yet.
	Today calendar.Date
	// Extra problems to list with the others (rule test files, say).
	Extra diag.List
}

// Check returns every problem, sorted by place: errors before warnings at
// the same place.
func Check(in Input) diag.List {
	c := &checker{Input: in, r: in.Repo}
	c.diags = append(c.diags, c.r.Diags...)
	c.diags = append(c.diags, in.Extra...)
	c.terms()
	c.defaultTerms()
	c.future()
	c.unused()
	c.noRecords()
	c.interim()
	c.uncounted()
	c.diags.Sort()
	return c.diags
}

// uncounted warns, once per file, about records that no promise counts:
// every promise names its folders with data:, and none holds the file.
func (c *checker) uncounted() {
	if len(c.r.Promises) == 0 {
		return
	}
	seen := map[string]bool{}
	for _, typ := range c.r.Records.Types() {
		for _, rec := range c.r.Records.Of(typ) {
			f := rec.Pos.File
			if seen[f] {
				continue
			}
			seen[f] = true
			counted := false
			for _, p := range c.r.Promises {
				if p.Counts(f) {
					counted = true
					break
				}
			}
			if !counted {
				c.diags.Warn(diag.Pos{File: f}, "lägg mappen under data: i löftet som ska räkna posterna",
					"inget löfte räknar posterna i filen: den ligger utanför mapparna i varje löftes data:")
			}
		}
	}
}

type checker struct {
	Input
	r     *repository.Repository
	diags diag.List
}

var termKey = regexp.MustCompile(`^\s*["']?(\d{4}-(?:VT|HT|vt|ht))["']?\s*:`)

// termPlaces finds the line of each term in calendar.yaml.
func (c *checker) termPlaces() map[string]diag.Pos {
	out := map[string]diag.Pos{}
	for i, line := range strings.Split(string(c.Files[promise.CalendarFile]), "\n") {
		if m := termKey.FindStringSubmatchIndex(line); m != nil {
			name := strings.ToUpper(line[m[2]:m[3]])
			out[name] = diag.Pos{File: promise.CalendarFile, Line: i + 1, Col: len([]rune(line[:m[2]])) + 1}
		}
	}
	return out
}

var termName = regexp.MustCompile(`\d{4}-(?:VT|HT)`)

// terms reports school terms that overlap, at the later term.
func (c *checker) terms() {
	places := c.termPlaces()
	for _, msg := range c.r.Calendar.Overlaps() {
		pos := diag.Pos{File: promise.CalendarFile}
		for _, name := range termName.FindAllString(msg, -1) {
			if p, ok := places[name]; ok && (pos.Line == 0 || p.Line > pos.Line) {
				pos = p
			}
		}
		c.diags.Add(pos, "en termin ska sluta innan nästa börjar", "%s", msg)
	}
}

// termWord finds `per termin` (or `per term`) in a rule's text.
var termWord = regexp.MustCompile(`\bper\s+(termin|term)\b`)

// defaultTerms warns, once per promise, when a rule counts per term in a
// year whose terms calendar.yaml does not give.
func (c *checker) defaultTerms() {
	for _, p := range c.r.Promises {
		var users []string
		var at diag.Pos
		for _, cm := range p.Commitments {
			if !usesTerms(c.r.Rules[cm]) {
				continue
			}
			if len(users) == 0 {
				at = cm.Rule.Pos(0)
				if loc := termWord.FindStringSubmatchIndex(cm.Rule.Value); loc != nil {
					at = cm.Rule.Pos(len([]rune(cm.Rule.Value[:loc[2]])))
				}
			}
			users = append(users, cm.ID)
		}
		if len(users) == 0 {
			continue
		}
		var missing []string
		for _, y := range p.Valid.Years() {
			missing = append(missing, c.r.Calendar.DefaultTerms(y)...)
		}
		if len(missing) == 0 {
			continue
		}
		c.diags.Warn(at, "lägg till läsårstiderna i "+promise.CalendarFile+", t.ex. "+termExample(missing[0]),
			"%s räknar per termin, men %s står inte i %s: standarddatumen används (VT 1 januari–30 juni, HT 1 juli–31 december)",
			strings.Join(users, ", "), diag.And(missing), promise.CalendarFile)
	}
}

func usesTerms(r *rule.Rule) bool {
	found := false
	walk(r, func(n rule.Node) {
		if cmp, ok := n.(*rule.Compare); ok && cmp.HasWindow && cmp.Window == calendar.Term {
			found = true
		}
	})
	return found
}

// walk calls f for every comparison and expression of a compiled rule.
func walk(r *rule.Rule, f func(rule.Node)) {
	if r == nil {
		return
	}
	for n := range rule.Leaves(r.Root) {
		f(n)
	}
}

// future warns about records dated after today.
func (c *checker) future() {
	for _, typ := range c.r.Records.Types() {
		recs := c.r.Records.Of(typ)
		i, _ := slices.BinarySearchFunc(recs, c.Today+1, func(r record.Record, d calendar.Date) int { return int(r.Date - d) })
		for _, rec := range recs[i:] {
			c.diags.Warn(rec.Pos, "kontrollera datumet: en aktivitet registreras när den är gjord",
				"posten är daterad %s, efter i dag (%s): den räknas inte förrän den dagen", rec.Date, c.Today)
		}
	}
}

// unused warns about activity types that no rule counts.
func (c *checker) unused() {
	used := map[string]bool{promise.Assessment: true}
	ident := regexp.MustCompile(`[\p{L}_][\p{L}\p{N}_]*`)
	for _, p := range c.r.Promises {
		for _, cm := range p.Commitments {
			if ru := c.r.Rules[cm]; ru != nil {
				for _, t := range types(ru) {
					used[t] = true
				}
				continue
			}
			// A rule that does not compile: any name in it may be meant,
			// and so may the type closest to a misspelt one.
			for _, name := range ident.FindAllString(cm.Rule.Value, -1) {
				used[name] = true
				used[diag.Closest(name, c.r.Vocab.IDs())] = true
			}
		}
	}
	// A commitment with an error in its keys is left out of its promise:
	// any name in a promise file with errors may be meant.
	bad := map[string]bool{}
	for _, d := range c.r.Diags {
		if d.Severity == diag.Error && strings.HasPrefix(d.File, "rules/") {
			bad[d.File] = true
		}
	}
	for f := range bad {
		if f != promise.ActivitiesFile && f != promise.CalendarFile {
			for _, name := range ident.FindAllString(string(c.Files[f]), -1) {
				used[name] = true
			}
		}
	}
	for _, a := range c.r.Vocab.Activities {
		if !used[a.ID] && a.Pos.File != "" {
			c.diags.Warn(a.Pos, "ta bort typen, eller skriv ett åtagande som räknar den",
				"aktivitetstypen %s används inte i någon regel", a.ID)
		}
	}
}

// types lists the activity types a compiled rule reads.
func types(r *rule.Rule) []string {
	var out []string
	walk(r, func(n rule.Node) {
		switch x := n.(type) {
		case *rule.Compare:
			out = append(out, x.Types...)
		case *rule.Expr:
			out = append(out, x.Types...)
		}
	})
	return out
}

// noRecords warns about a commitment that has no record of a type it
// counts (for a manual one: no assessment) in a year its promise is in
// force, up to this year. A year in which no commitment of a promise has
// any record at all (one not begun, say) gets one warning for the
// promise instead of one per commitment.
func (c *checker) noRecords() {
	for _, p := range c.r.Promises {
		type gap struct {
			cm    *promise.Commitment
			typ   string
			years []int
		}
		var gaps []gap
		lacking := map[int]int{} // year → commitments with no record at all
		for _, cm := range p.Commitments {
			var ts []string
			if cm.Manual {
				ts = []string{promise.Assessment}
			} else {
				ts = types(c.r.Rules[cm])
			}
			none := map[int]int{}
			for _, t := range uniq(ts) {
				ys := c.missingYears(p, cm, t)
				gaps = append(gaps, gap{cm, t, ys})
				for _, y := range ys {
					none[y]++
				}
			}
			for y, n := range none {
				if n == len(uniq(ts)) {
					lacking[y]++
				}
			}
		}
		empty := map[int]bool{}
		var emptyYears []string
		for _, y := range p.Valid.Years() {
			if len(p.Commitments) > 1 && lacking[y] == len(p.Commitments) {
				empty[y] = true
				emptyYears = append(emptyYears, fmt.Sprint(y))
			}
		}
		if len(emptyYears) > 0 {
			c.diags.Warn(p.Pos, "har året nyss börjat är det väntat; annars: ligger posterna i en mapp som löftet räknar (data:)?",
				"löftet %s har inga poster alls under %s: inget av dess %d åtaganden har något att räkna än", p.ID, diag.And(emptyYears), len(p.Commitments))
		}
		for _, g := range gaps {
			var years []string
			for _, y := range g.years {
				if !empty[y] {
					years = append(years, fmt.Sprint(y))
				}
			}
			if len(years) > 0 {
				c.noRecordsOf(g.cm, g.typ, years)
			}
		}
	}
}

// missingYears are the years, up to this one, in which p is in force and
// cm has no record of typ (of assessments: none of its own).
func (c *checker) missingYears(p *promise.Promise, cm *promise.Commitment, typ string) []int {
	var years []int
	for _, y := range p.Valid.Years() {
		if y > c.Today.Year() {
			break
		}
		w := c.r.Calendar.YearWindow(y)
		recs := c.r.Records.Between(typ, w.Start, w.End)
		if typ == promise.Assessment {
			recs = assessmentsOf(c.r, recs, cm.ID)
		}
		if len(recs) == 0 {
			years = append(years, y)
		}
	}
	return years
}

func (c *checker) noRecordsOf(cm *promise.Commitment, typ string, years []string) {
	if typ == promise.Assessment {
		c.diags.Warn(cm.Pos, "lägg till en bedömning (type: assessment) i data/",
			"åtagandet %s har ingen bedömning under %s", cm.ID, diag.And(years))
		return
	}
	at := cm.Rule.Pos(0)
	if loc := regexp.MustCompile(`\b` + regexp.QuoteMeta(typ) + `\b`).FindStringIndex(cm.Rule.Value); loc != nil {
		at = cm.Rule.Pos(len([]rune(cm.Rule.Value[:loc[0]])))
	}
	c.diags.Warn(at, "stavfel i data/, en fil som saknas, eller har inget gjorts?",
		"åtagandet %s: inga poster av typen %s under %s", cm.ID, typ, diag.And(years))
}

// interimStatuses are the assessments that cannot close a year
// (docs/reference.md §7, closed period).
var interimStatuses = map[string]bool{"on_track": true, "behind": true, "pending": true}

// interim warns about each manual commitment of a year that has ended
// whose latest assessment of that year is an interim one: the
// commitment is unassessed for that year until a final one is added.
func (c *checker) interim() {
	act := c.r.Vocab.Activity(promise.Assessment)
	if act == nil {
		return
	}
	si := act.FieldIndex("status")
	for _, p := range c.r.Promises {
		for _, cm := range p.Commitments {
			if !cm.Manual {
				continue
			}
			for _, y := range p.Valid.Years() {
				w := c.r.Calendar.YearWindow(y)
				if w.End >= c.Today {
					break
				}
				recs := assessmentsOf(c.r, c.r.Records.Between(promise.Assessment, w.Start, w.End), cm.ID)
				if len(recs) == 0 {
					continue
				}
				last := recs[len(recs)-1]
				if st, _ := last.Values[si].(string); interimStatuses[st] {
					c.diags.Warn(cm.Pos, fmt.Sprintf("lägg till en slutbedömning (met, missed eller unassessed) daterad senast %s", w.End),
						"åtagandet %s: %d är slut, men den senaste bedömningen (%s, %s) är en delbedömning: slutbedömning saknas, och åtagandet är ej bedömt för %d",
						cm.ID, y, last.Date, st, y)
				}
			}
		}
	}
}

func uniq(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// assessmentsOf keeps the assessments of the commitment id.
func assessmentsOf(r *repository.Repository, recs []record.Record, id string) []record.Record {
	ci := r.Vocab.Activity(promise.Assessment).FieldIndex("commitment")
	var out []record.Record
	for _, rec := range recs {
		if v, _ := rec.Values[ci].(string); v == id {
			out = append(out, rec)
		}
	}
	return out
}

// termExample is a line of calendar.yaml for the term name, "2023-VT".
func termExample(name string) string {
	y := name[:4]
	if strings.HasSuffix(name, "HT") {
		return name + ": " + y + "-08-21.." + y + "-12-20"
	}
	return name + ": " + y + "-01-10.." + y + "-06-16"
}
