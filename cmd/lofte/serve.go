package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/eval"
	"github.com/lofte/lofte/engine/report"
	"github.com/lofte/lofte/engine/repository"
)

type serveCmd struct {
	g          *globals
	addr       string
	period     string
	asOf       string
	promises   []string
	allowHosts []string
	listening  func(net.Addr) // tests: called once the server listens
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
	f.StringArrayVar(&s.allowHosts, "allow-host", nil, "ett värdnamn som sidan får nås med utöver localhost, t.ex. uppfoljning.mullsjo.se (kan upprepas)")
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
		open: func() (*engine.Engine, error) {
			return s.g.open(snapshotFlags{promises: s.promises}, engine.HistoryAuto, false)
		},
		now:    time.Now,
		ttl:    serveCacheFor,
		asOf:   s.asOf,
		period: s.period,
		hosts:  s.allowHosts,
	}
	if s.period != "" {
		if _, err := calendar.ParsePeriod(s.period); err != nil {
			return nil, usageErr("--period: %v", err)
		}
	}
	return srv, nil
}

// server answers the requests of serve. It holds one engine, read again
// (through its loader, which keeps the last good version of a file that
// broke) when a request comes and the last evaluation is older than ttl;
// requests in between share it.
type server struct {
	open   func() (*engine.Engine, error)
	period string // "": the year of the evaluation date
	asOf   string // "": today, at each evaluation
	now    func() time.Time
	ttl    time.Duration
	hosts  []string // --allow-host: names besides loopback ones

	mu    sync.Mutex
	eng   *engine.Engine // nil until the repository could be opened
	cur   *evaluation
	reads int // how often the repository was read
}

// evaluation is one evaluation and its renderings shared by the endpoints.
type evaluation struct {
	at     time.Time
	repo   *repository.Repository
	rep    *eval.Report
	json   []byte
	etag   string
	err    error // the repository could not be read: no evaluation
	health error // an evaluation not worth serving as news (503 at /healthz)

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

// evaluate reads the repository again and evaluates it. When it cannot be
// read, the last evaluation is kept for the page and the API, and the
// error shows at /healthz.
func (s *server) evaluate(now time.Time) *evaluation {
	ev := &evaluation{at: now}
	var err error
	s.reads++
	if s.eng == nil {
		s.eng, err = s.open()
	} else {
		_, err = s.eng.Reload()
	}
	if err != nil {
		if s.cur != nil && s.cur.rep != nil {
			last := s.cur
			return &evaluation{at: now, repo: last.repo, rep: last.rep, json: last.json, etag: last.etag,
				health: fmt.Errorf("förrådet kunde inte läsas: %s", errText(err))}
		}
		ev.err = err
		return ev
	}
	asOf, period, err := engine.ParseDates(s.eng.Repository().Calendar, s.asOf, s.period, func() calendar.Date { return calendar.Today(now) })
	if err != nil {
		ev.err = usageErr("%v", err)
		return ev
	}
	ev.rep = s.eng.Evaluate(period, asOf)
	ev.repo, ev.health = s.eng.Repository(), s.eng.Health(ev.rep)
	var b bytes.Buffer
	if err := report.JSONWith(&b, ev.rep, report.JSONOptions{Served: true}); err != nil {
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
	return s.checkHost(headers(gzipped(mux)))
}

// checkHost refuses a request whose Host is not a loopback name or one
// of --allow-host: a page on loopback must not be reachable through a
// name an attacker controls (DNS rebinding).
func (s *server) checkHost(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowedHost(r.Host, s.hosts) {
			http.Error(w, "lofte: okänt värdnamn "+strconv.Quote(r.Host)+"; starta servern med --allow-host för det", http.StatusMisdirectedRequest)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// allowedHost reports whether host (with or without a port) is a loopback
// name or address, or one of allowed.
func allowedHost(host string, allowed []string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return true
	}
	for _, a := range allowed {
		if a == "*" || strings.EqualFold(a, host) {
			return true
		}
	}
	return false
}

// gzipped compresses answers for clients that accept gzip.
func gzipped(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if !acceptsGzip(r.Header.Get("Accept-Encoding")) || r.Method == http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w}
		defer gw.close()
		h.ServeHTTP(gw, r)
	})
}

func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}

// gzipWriter compresses a body once its status is known: 304 and other
// bodiless answers go out as they are.
type gzipWriter struct {
	http.ResponseWriter
	gz      *gzip.Writer
	decided bool
}

func (g *gzipWriter) WriteHeader(code int) {
	if !g.decided {
		g.decided = true
		if code == http.StatusOK && g.Header().Get("Content-Encoding") == "" {
			g.Header().Set("Content-Encoding", "gzip")
			g.Header().Del("Content-Length")
			g.gz = gzip.NewWriter(g.ResponseWriter)
		}
	}
	g.ResponseWriter.WriteHeader(code)
}

func (g *gzipWriter) Write(p []byte) (int, error) {
	if !g.decided {
		g.WriteHeader(http.StatusOK)
	}
	if g.gz != nil {
		return g.gz.Write(p)
	}
	return g.ResponseWriter.Write(p)
}

func (g *gzipWriter) close() {
	if g.gz != nil {
		_ = g.gz.Close()
	}
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
	if ev.health != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "lofte: %v\n", ev.health)
		return
	}
	fmt.Fprintln(w, "ok")
}
