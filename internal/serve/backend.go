package serve

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/promise"
	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/source"
	"github.com/lofte/lofte/engine/write"
	"github.com/lofte/lofte/internal/auth"
	"github.com/lofte/lofte/internal/web"
)

// backend is what the signed-in pages read and write through: the live
// evaluation, and the engine's writer (engine/write), the same code as
// lofte record, so that a record made in the browser is a commit by its
// author like one made by hand.
type backend struct{ s *Server }

var _ web.Backend = backend{}

func (s *Server) backend() backend { return backend{s} }

func (b backend) Live() web.Live {
	ev := b.s.live.current()
	// The default date of a record is today when it is made, not the day
	// of the evaluation shared by the requests of the last CacheFor, nor
	// of the last good one kept while the repository cannot be read.
	today := calendar.Today(b.s.cfg.Now())
	if ev.rep == nil {
		return web.Live{Today: today}
	}
	return web.Live{Report: ev.rep, Repository: ev.repo, Vocab: ev.repo.Vocab, Promises: ev.repo.Promises,
		Today: today, Repo: filepath.Base(ev.rep.Source.Root)}
}

// writer is the engine's writer, with the syncer that pushes each commit.
func (b backend) writer() (*write.Writer, error) {
	e := b.s.live.engine()
	if e == nil || e.Source() == nil {
		return nil, errNotOpen
	}
	return e.Writer(), nil
}

// written takes note of a commit made: the page shows it at once, and with
// Push it is pushed, waiting at most pushWait (the request's context may
// end it sooner); a commit not pushed waits for the next round of follow.
func (b backend) written(ctx context.Context) {
	b.s.live.stale()
	if b.s.syncer == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, pushWait)
	defer cancel()
	_ = b.s.syncer.Push(ctx, b.s.cfg.Now())
}

// identity is who a commit is by: the signed-in person, now.
func (b backend) identity(who auth.Person) source.Identity {
	return source.Identity{Name: who.Name, Email: who.Email, When: b.s.cfg.Now()}
}

func (b backend) Record(ctx context.Context, who auth.Person, entries []record.Entry) (web.Written, error) {
	w, err := b.writer()
	if err != nil {
		return web.Written{}, err
	}
	res, err := w.Record(entries, b.identity(who), "")
	if err != nil {
		return web.Written{}, invalid(err)
	}
	b.written(ctx)
	return web.Written{Commit: res.Commit, File: res.Paths[0], Line: res.Lines[0]}, nil
}

func (b backend) Import(ctx context.Context, who auth.Person, name string, data []byte) (web.Written, error) {
	w, err := b.writer()
	if err != nil {
		return web.Written{}, err
	}
	res, err := w.Import(name, data, b.identity(who), "")
	if err != nil {
		return web.Written{}, invalid(err)
	}
	b.written(ctx)
	return web.Written{Commit: res.Commit, File: res.Paths[0], Line: res.Lines[0]}, nil
}

func (b backend) Undo(ctx context.Context, who auth.Person, commit string) (string, error) {
	w, err := b.writer()
	if err != nil {
		return "", err
	}
	hash, err := w.Undo(commit, b.identity(who))
	if err == nil {
		b.written(ctx)
	}
	return hash, err
}

// recentDays is how far back "Mina åtaganden" lists a person's records.
const recentDays = 30

func (b backend) Recent(who auth.Person) []web.Commit {
	w, err := b.writer()
	if err != nil {
		return nil
	}
	now := b.s.cfg.Now()
	cs, _ := w.Recent(who.Email, now.AddDate(0, 0, -recentDays), 20)
	undone := map[string]bool{}
	for _, c := range cs {
		if _, rest, ok := strings.Cut(c.Message, "Tar bort posterna som commit "); ok {
			undone[strings.TrimSuffix(strings.TrimSpace(rest), " lade till.")] = true
		}
	}
	out := make([]web.Commit, 0, len(cs))
	for _, c := range cs {
		subject, _, _ := strings.Cut(c.Message, "\n")
		out = append(out, web.Commit{Hash: c.Hash, When: c.When, Summary: subject, Undone: undone[c.Hash],
			Undoable: now.Sub(c.When) < write.UndoWindow && !undone[c.Hash] && !strings.HasPrefix(subject, "Ångra: ")})
	}
	return out
}

func (b backend) Pending() int {
	if b.s.syncer == nil {
		return 0
	}
	return b.s.syncer.Pending()
}

func (b backend) Preview(name string, data []byte) (web.Preview, error) {
	w, err := b.writer()
	if err != nil {
		return web.Preview{}, err
	}
	p, err := w.Preview(name, data)
	if err != nil {
		return web.Preview{}, err
	}
	header, rows, lines := record.CSVRows(data)
	out := web.Preview{Columns: header}
	at := map[int]int{} // line → index in out.Rows
	for i, row := range rows {
		pr := web.PreviewRow{Line: lines[i]}
		for _, v := range row {
			pr.Cells = append(pr.Cells, web.PreviewCell{Value: v})
		}
		at[lines[i]] = len(out.Rows)
		out.Rows = append(out.Rows, pr)
	}
	if header == nil { // not CSV: the records as read
		out.Columns = []string{promise.FieldDate, promise.FieldType, promise.FieldBy}
		for _, r := range p.Rows {
			at[r.Line] = len(out.Rows)
			out.Rows = append(out.Rows, web.PreviewRow{Line: r.Line, Cells: []web.PreviewCell{
				{Value: r.Entry.Date.String()}, {Value: r.Entry.Type}, {Value: strings.Join(r.Entry.By, "+")}}})
		}
	}
	for _, pr := range p.Problems {
		msg := message(pr)
		i, ok := at[pr.Row]
		switch {
		case !ok:
			out.Errors = append(out.Errors, msg)
		case pr.Column > 0 && pr.Column <= len(out.Rows[i].Cells) && out.Rows[i].Cells[pr.Column-1].Error == "":
			out.Rows[i].Cells[pr.Column-1].Error = msg
		default:
			out.Rows[i].Errors = append(out.Rows[i].Errors, msg)
		}
	}
	return out, nil
}

// message is a problem as a person reads it: the message, and its hint.
func message(p write.Problem) string {
	if p.Hint != "" {
		return p.Message + " (" + p.Hint + ")"
	}
	return p.Message
}

// invalid turns the engine's "does not fit" into the web's, each problem
// at its field; other errors pass as they are.
func invalid(err error) error {
	if u := (*source.UncommittedError)(nil); errors.As(err, &u) {
		return &web.Conflict{Message: fmt.Sprintf("%s har ändringar på servern som inte är incheckade, så posten skrevs inte: "+
			"den som sköter servern behöver checka in eller återställa dem", u.Path)}
	}
	var inv *write.InvalidError
	if !errors.As(err, &inv) {
		return err
	}
	return &web.Invalid{Errors: web.FieldErrors(inv.List())}
}
