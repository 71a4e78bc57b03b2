package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/report"
	"github.com/lofte/lofte/engine/repository"
)

type serveCmd struct {
	g         *globals
	addr      string
	period    string
	asOf      string
	promises  []string
	listening func(net.Addr) // tests: called once the server listens
}

func newServe(g *globals) *cobra.Command {
	s := &serveCmd{g: g}
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080] [--period P] [--as-of D] [--promise ID]",
		Short: "Visa uppföljningen som en webbsida som håller sig aktuell, med JSON och mätvärden",
		Long: `serve startar en liten webbserver som läser förrådet på nytt vid varje fråga
(högst en gång på ` + serveCacheFor.String() + `) och visar

  /             webbsidan, som laddar om sig själv när statusen ändras
  /api/status   JSON som evaluate --format json
  /metrics      mätvärden för Prometheus
  /healthz      ok när förrådet går att läsa

Servern lyssnar bara på den här datorn (127.0.0.1) om inte --addr säger något
annat, och avslutas med Ctrl-C (eller SIGTERM).`,
		Example: `  lofte serve
  lofte serve --period 2022 --addr 127.0.0.1:9090
  lofte serve --addr :8080        # nås från andra datorer: tänk på vem som kan se sidan`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return s.run(cmd.Context()) },
	}
	f := cmd.Flags()
	f.StringVar(&s.addr, "addr", "127.0.0.1:8080", "adress och port att lyssna på")
	f.StringVar(&s.period, "period", "", "år eller intervall av år (standard: året för dagens datum)")
	f.StringVar(&s.asOf, "as-of", "", "ett fast utvärderingsdatum (standard: dagens datum vid varje fråga)")
	addPromiseFlag(cmd, &s.promises)
	return cmd
}

// Timeouts of the server: a slow or stuck client cannot hold it.
const (
	serveCacheFor     = 2 * time.Second // re-evaluate at most this often
	serveReadHeader   = 5 * time.Second
	serveRead         = 10 * time.Second
	serveWrite        = 60 * time.Second
	serveIdle         = 120 * time.Second
	serveShutdownWait = 5 * time.Second
	servePoll         = 20 * time.Second // how often the page asks whether the status changed
)

func (s *serveCmd) run(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	srv, err := s.server()
	if err != nil {
		return err
	}
	// The first evaluation tells at once whether the repository can be
	// read at all, and warms the cache.
	if st := srv.current(); st.err != nil {
		return st.err
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return usageErr("--addr: %v", err)
	}
	hs := &http.Server{
		Handler:           srv.handler(),
		ReadHeaderTimeout: serveReadHeader,
		ReadTimeout:       serveRead,
		WriteTimeout:      serveWrite,
		IdleTimeout:       serveIdle,
		MaxHeaderBytes:    64 << 10,
	}
	if !loopback(ln.Addr()) {
		fmt.Fprintf(s.g.stderr, "lofte: obs: %s nås från andra datorer än den här\n", ln.Addr())
	}
	fmt.Fprintf(s.g.stderr, "lofte: uppföljningen visas på http://%s/ (Ctrl-C avslutar)\n", ln.Addr())
	if s.listening != nil {
		s.listening(ln.Addr())
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return &exitError{code: exitUsage, err: err}
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), serveShutdownWait)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("servern kunde inte avslutas: %w", err)}
	}
	fmt.Fprintln(s.g.stderr, "lofte: servern är avslutad")
	return nil
}

// loopback reports whether addr is only reachable from this machine.
func loopback(addr net.Addr) bool {
	ta, ok := addr.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// server builds the HTTP side of serve from the flags.
func (s *serveCmd) server() (*server, error) {
	srv := &server{
		load: func() (*repository.Repository, error) { return s.g.load(snapshotFlags{promises: s.promises}) },
		now:  time.Now,
		ttl:  serveCacheFor,
	}
	if s.period != "" {
		p, err := calendar.ParsePeriod(s.period)
		if err != nil {
			return nil, usageErr("--period: %v", err)
		}
		srv.period = &p
	}
	srv.asOf = s.asOf
	return srv, nil
}

// server answers the requests of serve. It evaluates the repository anew
// when a request comes and the last evaluation is older than ttl; requests
// in between share it.
type server struct {
	load   func() (*repository.Repository, error)
	period *calendar.Period // nil: the year of the evaluation date
	asOf   string           // "": today, at each evaluation
	now    func() time.Time
	ttl    time.Duration

	mu  sync.Mutex
	cur *evaluation
}

// evaluation is one evaluation and its renderings shared by the endpoints.
type evaluation struct {
	at   time.Time
	repo *repository.Repository
	rep  *eval.Report
	json []byte
	etag string
	err  error

	// The page is drawn once per evaluation, when first asked for: its
	// charts measure the records day by day.
	pageOnce sync.Once
	page     []byte
	pageErr  error
}

func (ev *evaluation) html() ([]byte, error) {
	ev.pageOnce.Do(func() {
		var b bytes.Buffer
		live := &report.Live{ETag: ev.etag, StatusURL: "api/status", Poll: servePoll}
		ev.pageErr = report.HTML(&b, ev.rep, report.PageOptions{Cumulative: ev.repo.Cumulative, Live: live})
		ev.page = b.Bytes()
	})
	return ev.page, ev.pageErr
}

// current returns the latest evaluation, evaluating anew when it is older
// than ttl.
func (s *server) current() *evaluation {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.cur != nil && now.Sub(s.cur.at) < s.ttl && now.Sub(s.cur.at) >= 0 {
		return s.cur
	}
	s.cur = s.evaluate(now)
	return s.cur
}

func (s *server) evaluate(now time.Time) *evaluation {
	ev := &evaluation{at: now}
	r, err := s.load()
	if err != nil {
		ev.err = err
		return ev
	}
	asOf := calendar.Today(now)
	if s.asOf != "" {
		if asOf, err = r.Calendar.ParseAsOf(s.asOf); err != nil {
			ev.err = usageErr("--as-of: %v", err)
			return ev
		}
	}
	period := calendar.Period{First: asOf.Year(), Last: asOf.Year()}
	if s.period != nil {
		period = *s.period
	}
	ev.repo, ev.rep = r, r.Evaluate(period, asOf)
	var b bytes.Buffer
	if err := report.JSON(&b, ev.rep); err != nil {
		ev.err = err
		return ev
	}
	sum := sha256.Sum256(b.Bytes())
	ev.json, ev.etag = b.Bytes(), `"`+hex.EncodeToString(sum[:12])+`"`
	return ev
}

func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page)
	mux.HandleFunc("GET /api/status", s.status)
	mux.HandleFunc("GET /metrics", s.metrics)
	mux.HandleFunc("GET /healthz", s.healthz)
	return headers(mux)
}

// headers sets what every answer carries: no sniffing, no caching of a
// status that changes, no referrer.
func headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}

// failed answers 503 when the repository could not be read at all.
func (s *server) failed(w http.ResponseWriter, ev *evaluation) bool {
	if ev.err == nil {
		return false
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprintf(w, "lofte: förrådet kunde inte läsas: %s\n", errText(ev.err))
	return true
}

func errText(err error) string {
	var ee *exitError
	if errors.As(err, &ee) && ee.err != nil {
		return ee.err.Error()
	}
	return err.Error()
}

func (s *server) page(w http.ResponseWriter, r *http.Request) {
	ev := s.current()
	if s.failed(w, ev) {
		return
	}
	page, err := ev.html()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'")
	w.Header().Set("ETag", ev.etag)
	w.Write(page)
}

func (s *server) status(w http.ResponseWriter, r *http.Request) {
	ev := s.current()
	if s.failed(w, ev) {
		return
	}
	w.Header().Set("ETag", ev.etag)
	if r.Header.Get("If-None-Match") == ev.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(ev.json)
}

func (s *server) metrics(w http.ResponseWriter, r *http.Request) {
	ev := s.current()
	if s.failed(w, ev) {
		return
	}
	var b bytes.Buffer
	if err := report.Metrics(&b, ev.rep); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", report.MetricsContentType)
	w.Write(b.Bytes())
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	ev := s.current()
	if s.failed(w, ev) {
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}
