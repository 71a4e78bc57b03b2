package serve

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/lofte/lofte/engine/report"
	"github.com/lofte/lofte/internal/version"
)

// public serves what anyone may read: the page, /api/status, /metrics
// and /healthz (docs/reference.md §9, §10).
func (s *Server) public() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page)
	mux.HandleFunc("GET /api/status", s.status)
	mux.HandleFunc("GET /metrics", s.metrics)
	mux.HandleFunc("GET /healthz", s.healthz)
	return mux
}

// failed answers 503 when the repository could not be read at all.
func failed(w http.ResponseWriter, ev *evaluation) bool {
	if ev.err == nil {
		return false
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprintf(w, "lofte: förrådet kunde inte läsas: %v\n", ev.err)
	return true
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	ev := s.live.current()
	if failed(w, ev) {
		return
	}
	// The page is drawn from the evaluation alone: it has the status's tag.
	w.Header().Set("ETag", ev.etag)
	if notModified(r, ev.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	var links []report.Link
	if s.cfg.Auth != nil {
		links = []report.Link{{Label: "Logga in för att registrera", Href: "/registrera"}}
	}
	page, err := ev.html(links)
	if err != nil {
		w.Header().Del("ETag")
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	csp := "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'"
	if s.cfg.Auth != nil {
		csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'self'"
	}
	w.Header().Set("Content-Security-Policy", csp)
	w.Write(page)
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	ev := s.live.current()
	if failed(w, ev) {
		return
	}
	w.Header().Set("ETag", ev.etag)
	if notModified(r, ev.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(ev.json)
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	ev := s.live.current()
	if failed(w, ev) {
		return
	}
	var b bytes.Buffer
	o := report.MetricsOptions{Version: version.Short(), Evaluated: ev.at, Duration: ev.took}
	if err := report.MetricsWith(&b, ev.rep, o); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", report.MetricsContentType)
	w.Write(b.Bytes())
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ev := s.live.current()
	if failed(w, ev) {
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
