// Package serve is lofte serve: the public follow-up page, its JSON and
// metrics from one live evaluation of the repository (docs/reference.md
// §9, §10), and, with a way to sign in, the signed-in side of package web
// writing each record as a commit by its author, shared through the
// branch's upstream with Push (docs/reference.md §12).
package serve

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/lofte/lofte/engine"
	"github.com/lofte/lofte/engine/calendar"
	"github.com/lofte/lofte/engine/source"
	"github.com/lofte/lofte/engine/write"
	"github.com/lofte/lofte/internal/auth"
	"github.com/lofte/lofte/internal/web"
)

// Config is what New needs.
type Config struct {
	// Open opens the repository through the engine (the working tree,
	// read again at each evaluation).
	Open func() (*engine.Engine, error)
	// Period is a year or a range ("2022", "2021..2022"); "" is the year of
	// the evaluation date. AsOf fixes the evaluation date; "" is today.
	Period, AsOf string
	// AllowHosts are the host names answered besides loopback ones.
	AllowHosts []string
	// Auth signs people in; nil serves the public side alone, read-only.
	Auth auth.Method
	// Push shares every commit through the branch's upstream, and follows
	// the commits that arrive there every FetchEvery.
	Push       bool
	FetchEvery time.Duration
	// GitToken (with GitUser) signs in to an https:// upstream; GitSSHKey
	// is a private key file for an SSH upstream (else the SSH agent).
	GitToken, GitUser, GitSSHKey string
	// Secret keys the MAC of an upload between its preview and its
	// confirmation (nil: random for the life of the process).
	Secret []byte
	// Dir is the folder served, as given: answers over HTTP name it by its
	// last element only, never by its path on the server.
	Dir string
	// Now is the clock (time.Now).
	Now func() time.Time
	// Log gets one line per thing worth telling the operator.
	Log io.Writer
}

// Timeouts and intervals of the server: a slow or stuck client cannot
// hold it.
const (
	CacheFor     = 2 * time.Second // re-evaluate at most this often
	readHeader   = 5 * time.Second
	readBody     = 30 * time.Second
	writeAnswer  = 60 * time.Second
	idle         = 120 * time.Second
	shutdownWait = 5 * time.Second
	pagePoll     = 20 * time.Second // how often the page asks whether the status changed
	pushWait     = 20 * time.Second // how long a submission waits for its push
	// DefaultFetchEvery is how often the upstream is fetched with Push.
	DefaultFetchEvery = 30 * time.Second
)

// Server is lofte serve.
type Server struct {
	cfg    Config
	live   *live
	syncer *write.Syncer // with Push
}

// New opens the repository and evaluates it once: its error says whether
// it can be read at all.
func New(cfg Config) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.FetchEvery <= 0 {
		cfg.FetchEvery = DefaultFetchEvery
	}
	if cfg.Period != "" {
		if _, err := calendar.ParsePeriod(cfg.Period); err != nil {
			return nil, fmt.Errorf("--period: %v", err)
		}
	}
	s := &Server{cfg: cfg, live: &live{open: cfg.Open, period: cfg.Period, asOf: cfg.AsOf, now: cfg.Now, ttl: CacheFor}}
	if ev := s.live.current(); ev.err != nil {
		return nil, ev.err
	}
	if cfg.Push {
		src := s.live.engine().Source()
		if _, err := src.Upstream(); err != nil {
			return nil, fmt.Errorf("--push: %v", err)
		}
		src.SetRemoteAuth(source.RemoteAuth{Token: cfg.GitToken, User: cfg.GitUser, SSHKey: cfg.GitSSHKey})
		s.syncer = write.NewSyncer(src)
	}
	return s, nil
}

// Handler is the whole of the server: the public side at /, and with
// Auth the signed-in side (package web), behind the host check, common
// headers and compression.
func (s *Server) Handler() http.Handler {
	var h http.Handler = s.public()
	if s.cfg.Auth != nil {
		h = web.New(web.Config{Backend: s.backend(), Auth: s.cfg.Auth, Public: h, Secret: s.cfg.Secret})
	}
	return checkHost(headers(gzipped(h)), s.cfg.AllowHosts)
}

// Serve answers on ln until ctx ends, then shuts down, letting requests
// in progress finish. With Push it follows the upstream meanwhile.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: readHeader,
		ReadTimeout:       readBody,
		WriteTimeout:      writeAnswer,
		IdleTimeout:       idle,
		MaxHeaderBytes:    64 << 10,
	}
	if s.syncer != nil {
		go s.follow(ctx)
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), shutdownWait)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		return fmt.Errorf("servern kunde inte avslutas: %w", err)
	}
	return nil
}

// follow fetches the upstream every FetchEvery: commits that arrived are
// taken in (so that two servers writing to one remote both stay current)
// and commits waiting to be pushed are pushed.
func (s *Server) follow(ctx context.Context) {
	t := time.NewTicker(s.cfg.FetchEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.sync(ctx)
		}
	}
}

// sync is one round of follow.
func (s *Server) sync(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.FetchEvery)
	defer cancel()
	before := s.syncer.Err()
	err := s.syncer.Sync(ctx, s.cfg.Now())
	if err != nil && (before == nil || before.Error() != err.Error()) {
		fmt.Fprintf(s.cfg.Log, "lofte: %v (%d commits väntar på att skickas)\n", err, s.syncer.Pending())
	}
	s.live.stale()
}
