package serve

import (
	"bytes"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"

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
func (s *Server) failed(w http.ResponseWriter, ev *evaluation) bool {
	if ev.err == nil {
		return false
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprintf(w, "lofte: förrådet kunde inte läsas: %s\n", folderOnly(ev.err.Error(), s.cfg.Dir))
	return true
}

// folderOnly replaces, in msg, the path of the folder served (dir) and of
// the folders above it (the git repository may be one of them) by their
// last element: an answer over HTTP names the repository by its folder
// only, as /api/status does (docs/reference.md §10).
func folderOnly(msg, dir string) string {
	abs, err := filepath.Abs(dir)
	if dir == "" || err != nil {
		return msg
	}
	for p := abs; strings.Count(p, string(filepath.Separator)) >= 2; p = filepath.Dir(p) {
		var b strings.Builder
		for {
			i := strings.Index(msg, p)
			if i < 0 {
				break
			}
			end := i + len(p)
			b.WriteString(msg[:i])
			if end < len(msg) && !strings.ContainsRune("/\\ :;,.)'\"\n\t", rune(msg[end])) {
				b.WriteString(msg[i:end]) // a longer name: /srv/lofte-old is not /srv/lofte
			} else {
				b.WriteString(filepath.Base(p))
			}
			msg = msg[end:]
		}
		msg = b.String() + msg
	}
	return msg
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	ev := s.live.current()
	if s.failed(w, ev) {
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
	if s.failed(w, ev) {
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
	if s.failed(w, ev) {
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
	if s.failed(w, ev) {
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if ev.health != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "lofte: %s\n", folderOnly(ev.health.Error(), s.cfg.Dir))
		return
	}
	fmt.Fprintln(w, "ok")
}
