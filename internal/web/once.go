package web

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"
)

// onceTTL is how long a form's one-time key is remembered after it was
// used to record.
const onceTTL = 24 * time.Hour

// onceMax bounds the keys remembered.
const onceMax = 10000

// sendings remembers the one-time keys of the forms that recorded, so that
// a form sent twice (a double click, or sent again after its answer was
// lost) is recorded once (docs/reference.md §12: one commit per
// submission). Keys are per person.
type sendings struct {
	mu sync.Mutex
	m  map[string]*sending
}

type sending struct {
	done chan struct{} // closed when the first sending is answered
	loc  string        // where it led: its confirmation; "" when nothing was written
	at   time.Time
}

// newKey is a fresh one-time key for a form.
func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// begin claims key for a sending: ok when this one is the first (it must
// then call end); otherwise where the first one led, once it is answered
// ("" when it wrote nothing, and this one may go on as first).
func (s *sendings) begin(key string) (loc string, ok bool) {
	for {
		s.mu.Lock()
		if s.m == nil {
			s.m = map[string]*sending{}
		}
		prev := s.m[key]
		if prev == nil {
			s.prune()
			s.m[key] = &sending{done: make(chan struct{}), at: time.Now()}
			s.mu.Unlock()
			return "", true
		}
		s.mu.Unlock()
		<-prev.done
		if prev.loc != "" {
			return prev.loc, false
		}
		// The first wrote nothing and let go of the key: claim it again.
	}
}

// end answers the sending that claimed key: loc is its confirmation, ""
// when nothing was written (the key may be used again).
func (s *sendings) end(key, loc string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.m[key]
	if c == nil {
		return
	}
	c.loc = loc
	if loc == "" {
		delete(s.m, key)
	}
	close(c.done)
}

// prune forgets keys older than onceTTL, and the oldest ones beyond
// onceMax; s.mu is held.
func (s *sendings) prune() {
	now := time.Now()
	var oldest string
	for k, c := range s.m {
		if c.loc != "" && now.Sub(c.at) > onceTTL {
			delete(s.m, k)
		}
	}
	for len(s.m) >= onceMax {
		oldest = ""
		for k, c := range s.m {
			if c.loc != "" && (oldest == "" || c.at.Before(s.m[oldest].at)) {
				oldest = k
			}
		}
		if oldest == "" {
			return
		}
		delete(s.m, oldest)
	}
}
