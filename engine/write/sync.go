package write

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/lofte/lofte/engine/record"
	"github.com/lofte/lofte/engine/source"
)

// Syncer shares the commits of a repository through its branch's
// upstream (git's branch.NAME.remote and .merge): after each commit it
// pushes; when the remote has moved it fetches, makes the local commits
// again on top (source.Repo.Integrate) and pushes again, a few times at
// most; when the remote cannot be reached the commits stay local and go
// out at the next Sync. It is safe for concurrent use; one push or sync
// runs at a time.
type Syncer struct {
	repo *source.Repo
	// Retries bounds the fetch, re-apply and push rounds after a push is
	// refused because the remote moved.
	Retries int
	// Check, when set, is asked about each file merged when local
	// commits are made again on top of the remote (see CheckMerged).
	Check func(path string, data []byte) error

	run     sync.Mutex // one push or sync at a time
	mu      sync.Mutex // guards what follows
	pending int
	err     error
}

// NewSyncer returns a Syncer for repo with 5 retries.
func NewSyncer(repo *source.Repo) *Syncer {
	s := &Syncer{repo: repo, Retries: 5}
	if ahead, _, err := repo.AheadBehind(); err == nil {
		s.pending = ahead
	}
	return s
}

// Pending is the number of local commits not yet on the remote, as last
// counted.
func (s *Syncer) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending
}

// Err is the error of the last push or sync; nil after one succeeded.
func (s *Syncer) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Push pushes the branch; when the remote refuses (it moved), it fetches,
// re-applies the local commits on top (committed at now) and tries again,
// at most Retries times. When the remote cannot be reached, the error
// comes back and the commits wait for Sync.
func (s *Syncer) Push(ctx context.Context, now time.Time) error {
	s.run.Lock()
	defer s.run.Unlock()
	return s.done(s.push(ctx, now))
}

// Sync fetches, brings the branch up to the remote (fast-forward, or
// the local commits again on top) and pushes what is local. Call it on an
// interval: Run does, on the ticks of a channel.
func (s *Syncer) Sync(ctx context.Context, now time.Time) error {
	s.run.Lock()
	defer s.run.Unlock()
	if err := s.repo.Fetch(ctx); err != nil {
		return s.done(err)
	}
	in, err := s.repo.Integrate(now, s.Check)
	if err != nil {
		return s.done(err)
	}
	if in.Ahead == 0 {
		return s.done(nil)
	}
	return s.done(s.push(ctx, now))
}

// Run calls Sync at each tick until ctx ends or ticks is closed; the
// caller owns the ticker (time.NewTicker(time.Minute).C).
func (s *Syncer) Run(ctx context.Context, ticks <-chan time.Time) {
	for {
		select {
		case <-ctx.Done():
			return
		case now, ok := <-ticks:
			if !ok {
				return
			}
			_ = s.Sync(ctx, now)
		}
	}
}

func (s *Syncer) push(ctx context.Context, now time.Time) error {
	for try := 0; ; try++ {
		_, err := s.repo.Push(ctx)
		var re *source.RemoteError
		if err == nil || !errors.As(err, &re) || !re.Rejected || try >= s.Retries {
			return err
		}
		if err := s.repo.Fetch(ctx); err != nil {
			return err
		}
		if _, err := s.repo.Integrate(now, s.Check); err != nil {
			return err
		}
	}
}

// done records the outcome and counts what is still local.
func (s *Syncer) done(err error) error {
	ahead, _, cerr := s.repo.AheadBehind()
	s.mu.Lock()
	defer s.mu.Unlock()
	if cerr == nil {
		s.pending = ahead
	}
	s.err = err
	return err
}

// CheckMerged returns a check for Syncer.Check: a record file merged
// from local and remote records must read without errors under the
// current rules.
func (w *Writer) CheckMerged() func(path string, data []byte) error {
	return func(p string, data []byte) error {
		if !record.IsRecordFile(p) {
			return nil
		}
		r, err := w.rules()
		if err != nil {
			return err
		}
		if _, errs := record.Parse(p, data, r.Vocab, r.Parties()); errs.Errors() > 0 {
			return errs.Err()
		}
		return nil
	}
}
