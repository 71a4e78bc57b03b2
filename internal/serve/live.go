package serve

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/report"
	"github.com/lofte/lofte/engine/repository"
)

// live is the evaluation every route reads. It holds one engine, read
// again (through its loader, which keeps the last good version of a file
// that broke) when a request comes and the last evaluation is older than
// ttl, or a write made it stale; requests in between share it.
type live struct {
	open   func() (*engine.Engine, error)
	period string // "": the year of the evaluation date
	asOf   string // "": today, at each evaluation
	now    func() time.Time
	ttl    time.Duration

	mu    sync.Mutex
	eng   *engine.Engine // nil until the repository could be opened
	cur   *evaluation
	reads int // how often the repository was read
}

// evaluation is one evaluation and its renderings shared by the routes.
type evaluation struct {
	at     time.Time
	today  calendar.Date
	repo   *repository.Repository
	rep    *eval.Report
	json   []byte
	etag   string
	err    error // the repository could not be read: no evaluation
	health error // an evaluation not worth serving as news (503 at /healthz)
	took   time.Duration

	// The page is drawn once per evaluation, when first asked for: its
	// charts measure the records day by day.
	pageOnce sync.Once
	page     []byte
	pageErr  error
}

// html is the page, with links added to its navigation (the same on
// every call of a server).
func (ev *evaluation) html(links []report.Link) ([]byte, error) {
	ev.pageOnce.Do(func() {
		var b bytes.Buffer
		l := &report.Live{ETag: ev.etag, StatusURL: "api/status", Poll: pagePoll}
		ev.pageErr = report.HTML(&b, ev.rep, report.PageOptions{Cumulative: ev.repo.Cumulative, Live: l, Links: links})
		ev.page = b.Bytes()
	})
	return ev.page, ev.pageErr
}

// current returns the latest evaluation, evaluating anew when it is older
// than ttl or stale.
func (l *live) current() *evaluation {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if l.cur != nil && now.Sub(l.cur.at) < l.ttl && now.Sub(l.cur.at) >= 0 {
		return l.cur
	}
	l.cur = l.evaluate(now)
	return l.cur
}

// stale makes the next request read the repository again: after a write,
// the page shows what was written.
func (l *live) stale() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur != nil {
		l.cur.at = time.Time{}
	}
}

// engine returns the engine, nil before the repository could be opened.
func (l *live) engine() *engine.Engine {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.eng
}

// evaluate reads the repository again and evaluates it. When it cannot be
// read, the last evaluation is kept for the page and the API, and the
// error shows at /healthz.
func (l *live) evaluate(now time.Time) *evaluation {
	var err error
	l.reads++
	if l.eng == nil {
		l.eng, err = l.open()
	} else {
		_, err = l.eng.Reload()
	}
	if err != nil {
		if last := l.cur; last != nil && last.rep != nil {
			return &evaluation{at: now, today: last.today, repo: last.repo, rep: last.rep, json: last.json, etag: last.etag,
				health: fmt.Errorf("förrådet kunde inte läsas: %v", err)}
		}
		return &evaluation{at: now, err: err}
	}
	today := calendar.Today(now)
	asOf, period, err := engine.ParseDates(l.eng.Repository().Calendar, l.asOf, l.period, func() calendar.Date { return today })
	if err != nil {
		return &evaluation{at: now, err: err}
	}
	ev := &evaluation{at: now, today: today}
	start := time.Now()
	ev.rep = l.eng.Evaluate(period, asOf)
	ev.took = time.Since(start)
	ev.repo, ev.health = l.eng.Repository(), l.eng.Health(ev.rep)
	if last := l.cur; ev.health != nil && last != nil && last.rep != nil && last.health == nil {
		// Nothing to evaluate, or no records to count (data/ gone): the
		// zeros are not news. The last good evaluation stays on the page
		// and in the API, and /healthz says what is wrong.
		return &evaluation{at: now, today: last.today, repo: last.repo, rep: last.rep, json: last.json, etag: last.etag, health: ev.health}
	}
	var b bytes.Buffer
	if err := report.JSONWith(&b, ev.rep, report.JSONOptions{Served: true}); err != nil {
		return &evaluation{at: now, err: err}
	}
	sum := sha256.Sum256(b.Bytes())
	// A weak tag: the same for the plain and the gzipped body, which a
	// strong tag may not be (RFC 9110 §8.8.1).
	ev.json, ev.etag = b.Bytes(), `W/"`+hex.EncodeToString(sum[:12])+`"`
	return ev
}

// errNotOpen is the error of a write before the repository could be read.
var errNotOpen = errors.New("förrådet kunde inte läsas, så ingenting kan skrivas just nu")
