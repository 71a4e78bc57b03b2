package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/diag"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/repository"
	"github.com/lofte/lofte/engine/source"
	"github.com/lofte/lofte/internal/auth"
)

// The test repository: two parties with authors, a third without, the
// field kinds of the vocabulary, count rules and a manual commitment.
const testActivities = `activities:
  trafikkontroll:
    title: Trafikkontroll
    fields:
      riktad_mot: {enum: [bilburen_ungdom, allman], required: true}
      bilinspektor: bool
      form: {enum: [civil, uniformerad], required: true}
      plats: string
      antal_kontrollerade: int
  hundsok:
    title: Hundsök
    fields:
      plats: {enum: [grundskola, gymnasium, annan], required: true}
      skola: string
  samverkansmote:
    title: Samverkansmöte
    fields:
      med: {list: {enum: [skola, socialtjanst, fritidsgard]}}
      amnen: {list: string}
  trygghetsvandring:
    title: Trygghetsvandring
    fields:
      timmar: number
      uppfoljning: date
      omrade: {enum: [centrum, norr, soder, oster, vaster, stationen], required: true}
`

const testPromise = `promise: mullsjo
title: Medborgarlöfte Mullsjö 2022
parties:
  polisen: {name: Polisen, authors: ["*@polisen.example"]}
  kommunen: {name: Mullsjö kommun, authors: ["*@mullsjo.example"]}
valid: 2022
commitments:
  - id: trafik.kontroller
    area: trafik
    owner: polisen
    text: Polisen ska utföra minst 104 trafikkontroller under året.
    rule: count(trafikkontroll) >= 104
  - id: droger.hundsok
    area: droger
    owner: polisen
    text: Polisen ska utföra ett hundsök per termin i grundskolan.
    rule: count(hundsok, .plats == "grundskola") per termin >= 1
  - id: trygghet.vandringar
    area: trygghet
    owner: kommunen
    text: Kommunen ska ordna minst 12 trygghetsvandringar under året.
    rule: count(trygghetsvandring) >= 12
  - id: droger.samverkan
    area: droger
    owner: kommunen
    text: Kommunen ska samverka med polisen kring drogförebyggande arbete.
    assess: manual
  - id: polis.utbildning
    area: droger
    owner: polisen
    text: Polisen ska utbilda skolpersonal.
    assess: manual
`

const testCalendar = `terms:
  2022-VT: 2022-01-11..2022-06-17
  2022-HT: 2022-08-22..2022-12-21
`

var testToday = mustDate("2022-08-31")

func mustDate(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// gitBackend is a Backend over a real git repository, written as lofte
// record writes: record.CheckEntry, record.AppendYAML and
// source.Repo.UpdateFile; history from the git command.
type gitBackend struct {
	t       testing.TB
	dir     string
	repo    *source.Repo
	mu      sync.Mutex
	pending int
}

var _ Backend = (*gitBackend)(nil)

func newGitBackend(t testing.TB) *gitBackend {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := filepath.Join(t.TempDir(), "mullsjo")
	files := map[string]string{
		"rules/activities.yaml": testActivities,
		"rules/mullsjo.yaml":    testPromise,
		"rules/calendar.yaml":   testCalendar,
		"data/2022/trafikkontroll.yaml": `- {date: 2022-02-01, type: trafikkontroll, by: polisen, riktad_mot: allman, form: civil}
- {date: 2022-03-01, type: trafikkontroll, by: polisen, riktad_mot: allman, form: uniformerad}
`,
	}
	var names []string
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	who := source.Identity{Name: "Förvaltare", Email: "forvaltare@mullsjo.example", When: time.Now()}
	if _, err := source.Init(dir, names, "Förrådet", who, who); err != nil {
		t.Fatal(err)
	}
	repo, err := source.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &gitBackend{t: t, dir: dir, repo: repo}
}

func (b *gitBackend) Live() Live {
	b.mu.Lock()
	defer b.mu.Unlock()
	snap, err := b.repo.WorkTree()
	if err != nil {
		b.t.Errorf("work tree: %v", err)
		return Live{}
	}
	r := repository.Load(snap)
	rep := r.Evaluate(calendar.Period{First: testToday.Year(), Last: testToday.Year()}, testToday)
	return Live{Report: rep, Repository: r, Vocab: r.Vocab, Promises: r.Promises, Today: testToday, Repo: filepath.Base(b.dir)}
}

func (b *gitBackend) Pending() int { return b.pending }

func (b *gitBackend) Record(ctx context.Context, who auth.Person, entries []record.Entry) (Written, error) {
	l := b.Live()
	if len(entries) != 1 {
		return Written{}, errors.New("en post i taget")
	}
	e := entries[0]
	parties := partiesOf(l.Promises)
	act, errs := record.CheckEntry(e, l.Vocab, parties)
	if len(errs) > 0 {
		return Written{}, &Invalid{FieldErrors(errs)}
	}
	e.Type = act.ID
	if act.ID == promise.Assessment {
		if fe := manualOnly(l, e); fe != nil {
			return Written{}, &Invalid{[]FieldError{*fe}}
		}
	}
	file := path.Join("data", strconv.Itoa(e.Date.Year()), act.ID+".yaml")
	var problems diag.List
	line := 0
	b.mu.Lock()
	defer b.mu.Unlock()
	hash, err := b.repo.UpdateFile(source.Update{
		Path: file, Commit: true, Message: "Ny post: " + e.String(),
		Author: source.Identity{Name: who.Name, Email: who.Email, When: time.Now()},
		Edit: func(old []byte) ([]byte, error) {
			data, errs := record.AppendYAML(file, old, e, l.Vocab, parties)
			if len(errs) > 0 {
				problems = errs
				return nil, errBad
			}
			line = bytes.Count(old, []byte("\n")) + 1
			if len(old) > 0 && old[len(old)-1] != '\n' {
				line++
			}
			return data, nil
		},
	})
	if err == errBad {
		return Written{}, &Invalid{FieldErrors(problems)}
	}
	if err != nil {
		return Written{}, err
	}
	b.pending++
	return Written{Commit: hash, File: file, Line: line}, nil
}

var errBad = errors.New("posten passar inte")

func partiesOf(ps []*promise.Promise) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range ps {
		for _, id := range p.PartyIDs() {
			if !seen[id] {
				seen[id], out = true, append(out, id)
			}
		}
	}
	return out
}

// manualOnly refuses an assessment of a commitment not assessed by hand,
// as lofte record does.
func manualOnly(l Live, e record.Entry) *FieldError {
	id := fieldValue(e, "commitment")
	for _, c := range commitments(l.Promises, id) {
		if c.Manual {
			return nil
		}
	}
	return &FieldError{"commitment", fmt.Sprintf("commitment: %q är inget åtagande som bedöms för hand (assess: manual)", id)}
}

func (b *gitBackend) Preview(name string, data []byte) (Preview, error) {
	l := b.Live()
	file := "data/uppladdat/" + name
	_, errs := record.Parse(file, data, l.Vocab, partiesOf(l.Promises))
	text := strings.TrimPrefix(string(data), "\ufeff")
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	sep := ','
	if strings.Count(lines[0], ";") > strings.Count(lines[0], ",") {
		sep = ';'
	}
	rd := csv.NewReader(strings.NewReader(text))
	rd.Comma, rd.FieldsPerRecord = sep, -1
	rows, err := rd.ReadAll()
	if err != nil {
		return Preview{}, err
	}
	var p Preview
	if len(rows) > 0 {
		p.Columns = rows[0]
	}
	for i, row := range rows[1:] {
		pr := PreviewRow{Line: i + 2}
		for _, v := range row {
			pr.Cells = append(pr.Cells, PreviewCell{Value: v})
		}
		p.Rows = append(p.Rows, pr)
	}
	for _, d := range errs {
		msg := d.Message
		if d.Hint != "" {
			msg += " (" + d.Hint + ")"
		}
		ri := d.Line - 2
		if ri < 0 || ri >= len(p.Rows) {
			p.Errors = append(p.Errors, msg)
			continue
		}
		row := &p.Rows[ri]
		ci := cellAt(lines[d.Line-1], sep, d.Col)
		if ci < 0 || ci >= len(row.Cells) || row.Cells[ci].Error != "" {
			row.Errors = append(row.Errors, msg)
			continue
		}
		row.Cells[ci].Error = msg
	}
	return p, nil
}

// cellAt is the index of the cell a column (in runes, from 1) of a line is
// in; -1 when col is 0.
func cellAt(line string, sep rune, col int) int {
	if col <= 0 {
		return -1
	}
	cell, n := 0, 1
	for _, r := range line {
		if n >= col {
			break
		}
		if r == sep {
			cell++
		}
		n++
	}
	_ = utf8.RuneLen
	return cell
}

func (b *gitBackend) Import(ctx context.Context, who auth.Person, name string, data []byte) (Written, error) {
	p, err := b.Preview(name, data)
	if err != nil {
		return Written{}, err
	}
	if p.Bad() {
		return Written{}, &Invalid{[]FieldError{{"", "filen har fel"}}}
	}
	file := "data/uppladdat/" + name
	b.mu.Lock()
	defer b.mu.Unlock()
	hash, err := b.repo.UpdateFile(source.Update{
		Path: file, Commit: true, Message: fmt.Sprintf("Uppladdat: %s (%d poster)", name, len(p.Rows)),
		Author: source.Identity{Name: who.Name, Email: who.Email, When: time.Now()},
		Edit: func(old []byte) ([]byte, error) {
			if old != nil {
				return nil, fmt.Errorf("%s finns redan", file)
			}
			return data, nil
		},
	})
	if err != nil {
		return Written{}, err
	}
	b.pending++
	return Written{Commit: hash, File: file, Line: 2}, nil
}

func (b *gitBackend) git(env []string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", b.dir}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func (b *gitBackend) Undo(ctx context.Context, who auth.Person, commit string) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	env := []string{"GIT_AUTHOR_NAME=" + who.Name, "GIT_AUTHOR_EMAIL=" + who.Email,
		"GIT_COMMITTER_NAME=" + who.Name, "GIT_COMMITTER_EMAIL=" + who.Email}
	if out, err := b.git(env, "revert", "--no-edit", commit); err != nil {
		return "", fmt.Errorf("git revert: %v: %s", err, out)
	}
	b.pending++
	return b.git(nil, "rev-parse", "HEAD")
}

func (b *gitBackend) Recent(who auth.Person) []Commit {
	out, err := b.git(nil, "log", "-n", "20", "--format=%H%x1f%at%x1f%ae%x1f%s%x1f%b%x1e", "--", "data")
	if err != nil {
		b.t.Errorf("git log: %v: %s", err, out)
		return nil
	}
	var cs []Commit
	reverted := map[string]bool{}
	for _, rec := range strings.Split(out, "\x1e") {
		f := strings.Split(strings.TrimSpace(rec), "\x1f")
		if len(f) < 5 {
			continue
		}
		if _, h, ok := strings.Cut(f[4], "This reverts commit "); ok {
			reverted[strings.TrimSuffix(strings.TrimSpace(h), ".")] = true
		}
		if !strings.EqualFold(f[2], who.Email) {
			continue
		}
		sec, _ := strconv.ParseInt(f[1], 10, 64)
		when := time.Unix(sec, 0)
		cs = append(cs, Commit{Hash: f[0], When: when, Summary: f[3], Undone: reverted[f[0]],
			Undoable: time.Since(when) < 24*time.Hour && !reverted[f[0]] && !strings.HasPrefix(f[3], "Revert ")})
	}
	for i := range cs {
		if reverted[cs[i].Hash] {
			cs[i].Undoable = false
		}
	}
	return cs
}

// headerAuth signs in whoever the X-Test-User header names: an e-mail,
// optionally "Name <email>".
type headerAuth struct{}

var _ auth.Method = headerAuth{}

func (headerAuth) Identify(r *http.Request) (auth.Person, bool) {
	h := r.Header.Get("X-Test-User")
	if h == "" {
		return auth.Person{}, false
	}
	name, email := h, h
	if n, e, ok := strings.Cut(h, " <"); ok {
		name, email = n, strings.TrimSuffix(e, ">")
	}
	return auth.Person{Email: strings.ToLower(email), Name: name, Key: "test:" + email}, true
}

func (headerAuth) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /auth/login", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "logga in, sedan %s\n", r.URL.Query().Get("next"))
	})
	mux.HandleFunc("POST /auth/logout", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	return mux
}

// log lists the subjects of the commits of the repository, newest first.
func (b *gitBackend) log() []string {
	out, err := b.git(nil, "log", "--format=%s")
	if err != nil {
		b.t.Fatalf("git log: %v: %s", err, out)
	}
	return strings.Split(out, "\n")
}
