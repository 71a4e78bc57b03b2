package engine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/draft"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/source"
)

// DraftOptions are what PlanDraft needs besides the document's text.
type DraftOptions struct {
	// ID is the promise's id; "" takes the municipality's name, with the
	// first year added when that id is taken. An ID given that is taken
	// is an error.
	ID string
	// Year is the year the promise governs when the text does not say.
	Year int
	// Source names the document, for the draft's comments.
	Source string
}

// DraftPlan is a promise drafted from a document (package draft) for a
// repository, checked and ready to be written: nothing is written until
// Write.
type DraftPlan struct {
	Draft *draft.Draft
	// File is the promise file ("rules/ID.yaml") and Promise its content.
	File    string
	Promise []byte
	// Activities is rules/activities.yaml with the types the draft needs
	// added (Added); the lines already there are kept as they are.
	Activities []byte
	Added      []string
	root       string
}

// ErrDraftFailed is the error of a draft that does not pass check: a
// fault of package draft, never of the document.
var ErrDraftFailed = errors.New("utkastet gick inte igenom granskningen: det är ett fel i lofte draft, skicka gärna dokumentet till utvecklarna")

// PlanDraft drafts a promise from text for the repository that holds
// dir: it reads the repository's activity types, chooses a free id,
// merges the types the rules need and checks that the draft compiles
// against them (docs/reference.md §9). Problems of activities.yaml, or of
// the draft, come back as diagnostics with the error.
func PlanDraft(dir, text string, o DraftOptions) (*DraftPlan, diag.List, error) {
	root, err := commitmentsRoot(dir)
	if err != nil {
		return nil, nil, err
	}
	acts, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(promise.ActivitiesFile)))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("kan inte läsa %s: %v", promise.ActivitiesFile, err)
	}
	var voc *promise.Vocabulary
	if len(strings.TrimSpace(string(acts))) > 0 {
		v, errs := promise.ParseVocabulary(promise.ActivitiesFile, acts)
		if errs.Errors() > 0 {
			return nil, errs, fmt.Errorf("%s har fel: rätta dem först, så att utkastet kan använda aktivitetstyperna", promise.ActivitiesFile)
		}
		voc = v
	}
	d := draft.Read(text, draft.Options{ID: o.ID, Year: o.Year, Source: o.Source, Vocabulary: voc})
	if err := chooseID(d, root, o.ID != ""); err != nil {
		return nil, nil, err
	}
	p := &DraftPlan{Draft: d, File: "rules/" + d.ID + ".yaml", Promise: d.YAML(), root: root}
	if p.Activities, p.Added, err = d.MergeActivities(acts); err != nil {
		return nil, nil, err
	}
	if errs := draft.Verify(p.File, p.Promise, p.Activities); errs.Errors() > 0 {
		return nil, errs, ErrDraftFailed
	}
	return p, nil, nil
}

// Write writes the promise file, which must not exist, and the activity
// types added.
func (p *DraftPlan) Write() error {
	if err := os.MkdirAll(filepath.Join(p.root, "rules"), 0o755); err != nil {
		return fmt.Errorf("kan inte skapa mappen rules: %v", err)
	}
	if err := writeNew(filepath.Join(p.root, filepath.FromSlash(p.File)), p.Promise); err != nil {
		return err
	}
	if len(p.Added) == 0 {
		return nil
	}
	if err := os.WriteFile(filepath.Join(p.root, filepath.FromSlash(promise.ActivitiesFile)), p.Activities, 0o644); err != nil {
		return fmt.Errorf("kan inte skriva %s: %v", promise.ActivitiesFile, err)
	}
	return nil
}

// AddedActivities is the part of activities.yaml the draft adds.
func (p *DraftPlan) AddedActivities() string {
	keep := *p.Draft
	keep.Activities = nil
	for _, a := range p.Draft.Activities {
		for _, id := range p.Added {
			if a.ID == id {
				keep.Activities = append(keep.Activities, a)
			}
		}
	}
	return "activities:\n" + keep.ActivitiesYAML("  ")
}

// YearPlan is a promise copied to a new year, ready to be written.
type YearPlan struct {
	From, File, ID string // the file copied, the new one, the new promise's id
	Data           []byte
	root           string
}

// PlanNextYear copies the promise from (its file that governs the latest
// year) to year, commitment ids kept, so that diff and a backtest compare
// the two.
func PlanNextYear(dir, from string, year int) (*YearPlan, error) {
	root, err := commitmentsRoot(dir)
	if err != nil {
		return nil, err
	}
	var p *promise.Promise
	var ids []string
	for _, q := range promiseFiles(root) {
		ids = append(ids, q.ID)
		if q.ID == from && (p == nil || q.Valid.Last > p.Valid.Last) {
			p = q
		}
	}
	if p == nil {
		return nil, fmt.Errorf("inget löfte har id %q i rules/; löftena är: %s", from, strings.Join(ids, ", "))
	}
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p.File)))
	if err != nil {
		return nil, fmt.Errorf("kan inte läsa %s: %v", p.File, err)
	}
	out, id, err := draft.NextYear(src, p.File, year)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", p.File, err)
	}
	return &YearPlan{From: p.File, File: "rules/" + id + ".yaml", ID: id, Data: out, root: root}, nil
}

// Write writes the new promise file, which must not exist.
func (p *YearPlan) Write() error {
	return writeNew(filepath.Join(p.root, filepath.FromSlash(p.File)), p.Data)
}

// commitmentsRoot is the folder rules/ goes in, for the repository that
// holds dir.
func commitmentsRoot(dir string) (string, error) {
	src, err := source.Open(dir)
	if err != nil {
		return "", err
	}
	return src.Root(), nil
}

// chooseID keeps an id given when it is free, and gives a drafted id the
// first year when it is taken (mullsjo → mullsjo-2023), so that nothing is
// overwritten.
func chooseID(d *draft.Draft, root string, given bool) error {
	taken := map[string]bool{}
	for _, p := range promiseFiles(root) {
		taken[p.ID] = true
	}
	free := func(id string) bool {
		_, err := os.Lstat(filepath.Join(root, "rules", id+".yaml"))
		return !taken[id] && errors.Is(err, os.ErrNotExist)
	}
	if free(d.ID) {
		return nil
	}
	if given {
		return fmt.Errorf("löftet %s finns redan (rules/%s.yaml eller ett löfte med det id:t): välj ett annat --id", d.ID, d.ID)
	}
	base := d.ID + "-" + strconv.Itoa(d.First)
	for i := 0; i < 100; i++ {
		id := base
		if i > 0 {
			id = fmt.Sprintf("%s-%d", base, i+1)
		}
		if free(id) {
			d.ID = id
			return nil
		}
	}
	return errors.New("hittar inget ledigt id för löftet: ange ett med --id")
}

// promiseFiles reads every promise file in rules/ (their errors aside:
// check reports them).
func promiseFiles(root string) []*promise.Promise {
	var out []*promise.Promise
	names, _ := filepath.Glob(filepath.Join(root, "rules", "*.yaml"))
	more, _ := filepath.Glob(filepath.Join(root, "rules", "*.yml"))
	for _, n := range append(names, more...) {
		rel := "rules/" + filepath.Base(n)
		if rel == promise.ActivitiesFile || rel == promise.CalendarFile || strings.HasSuffix(strings.TrimSuffix(rel, filepath.Ext(rel)), "_test") {
			continue
		}
		src, err := os.ReadFile(n)
		if err != nil {
			continue
		}
		if p, _ := promise.ParsePromise(rel, src); p != nil && p.ID != "" {
			out = append(out, p)
		}
	}
	return out
}

// writeNew writes a file that must not exist yet.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s finns redan: lofte draft skriver inte över något", path)
	}
	if err != nil {
		return fmt.Errorf("kan inte skriva %s: %v", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("kan inte skriva %s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("kan inte skriva %s: %v", path, err)
	}
	return nil
}
