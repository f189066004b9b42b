package emulator

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Rate limiting (Options.RateLimit; docs/api-notes.md#rate-limits).
//
// Requests are counted against what was authenticated, never against a name
// the request merely claims: otherwise anyone could spend
// a real client's allowance by sending its client_id. The buckets are:
//
//   - "client:<id>": requests whose bearer token resolved to that client's
//     token, and token requests whose client_id and client_secret checked
//     out;
//   - "failed:<remote address>": failed authentication (a missing, unknown,
//     evicted or expired token; wrong client credentials), counted apart so
//     that guessing cannot lock out a client, and a client cannot hide
//     guessing inside its own allowance;
//   - "addr:<remote address>": everything else that needs no
//     authentication (the consent page, uploads, unknown paths).
//
// The control plane is never limited. Handlers that authenticate apply
// their own bucket (requireAuth, handleToken) and are marked with
// selfLimiting so the router does not count them by address as well.

// rateLimiter is a fixed-window counter per key, driven by the server clock.
//
// Its memory is bounded, because the keys come from the traffic: every new
// remote address or failed attempt adds one [E]. A window that has ended
// counts nothing, so it is dropped: all ended windows are swept at most
// once per window length, and whenever the map reaches maxKeys. If the map
// is still full after a sweep (more than maxKeys keys active within one
// window), the window that started first is dropped to make room. Its key
// starts afresh, which under such a flood is the lesser harm next to
// unbounded memory or refusing every newcomer.
type rateLimiter struct {
	limit  int
	window time.Duration
	// maxKeys caps the number of windows kept (defaultRateLimitKeys).
	maxKeys int

	mu      sync.Mutex
	windows map[string]*rateWindow
	// nextSweep is when ended windows are next swept, if not sooner.
	nextSweep time.Time
}

type rateWindow struct {
	start time.Time
	count int
}

// defaultRateLimitKeys caps the limiter's map: enough for every client and
// address a test or a demo can bring, small enough (about a megabyte) that
// a flood of distinct keys cannot grow the emulator.
const defaultRateLimitKeys = 10_000

func newRateLimiter(limit int, window time.Duration) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, maxKeys: defaultRateLimitKeys, windows: map[string]*rateWindow{}}
}

func (l *rateLimiter) enabled() bool { return l.limit > 0 && l.window > 0 }

// allow counts a request for key at now. If the key is over its limit it
// returns false and how long until its window ends.
func (l *rateLimiter) allow(key string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[key]
	if w == nil || !l.current(w, now) {
		if w == nil {
			l.makeRoomLocked(now)
		}
		w = &rateWindow{start: now}
		l.windows[key] = w
	}
	if w.count >= l.limit {
		return w.start.Add(l.window).Sub(now), false
	}
	w.count++
	return 0, true
}

// current reports whether w is the window in force at now. A window that
// starts after now (the clock was set back) is not.
func (l *rateLimiter) current(w *rateWindow, now time.Time) bool {
	return now.Before(w.start.Add(l.window)) && !now.Before(w.start)
}

// makeRoomLocked sweeps ended windows when one is due or the map is full,
// then, if it is still full, drops the window that started first. Call
// with l.mu held, before adding a key.
func (l *rateLimiter) makeRoomLocked(now time.Time) {
	full := len(l.windows) >= l.maxKeys
	if !full && now.Before(l.nextSweep) && !now.Before(l.nextSweep.Add(-l.window)) {
		return
	}
	l.nextSweep = now.Add(l.window)
	var oldestKey string
	var oldest time.Time
	for k, w := range l.windows {
		if !l.current(w, now) {
			delete(l.windows, k)
			continue
		}
		if oldestKey == "" || w.start.Before(oldest) {
			oldestKey, oldest = k, w.start
		}
	}
	if len(l.windows) >= l.maxKeys {
		delete(l.windows, oldestKey)
	}
}

// size is the number of windows kept.
func (l *rateLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.windows)
}

func (l *rateLimiter) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.windows)
}

// Bucket names.
func clientBucket(clientID string) string { return "client:" + clientID }
func failedBucket(r *http.Request) string { return "failed:" + remoteHost(r) }
func addrBucket(r *http.Request) string   { return "addr:" + remoteHost(r) }

func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// overLimit counts a request in bucket key and, if the bucket is over its
// limit, answers 429 rate_limited with Retry-After and returns true.
func (s *Server) overLimit(w http.ResponseWriter, key string) bool {
	if !s.limiter.enabled() {
		return false
	}
	retry, ok := s.limiter.allow(key, s.clock.Now())
	if ok {
		return false
	}
	secs := int((retry + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", fmt.Sprint(max(secs, 1)))
	writeError(w, http.StatusTooManyRequests, "rate_limited",
		"Too many requests: slow down and retry after the Retry-After delay", nil)
	return true
}

// limitByAddress is the router's hook for routes that do not authenticate
// (and for unknown paths): it counts them by remote address. The control
// plane is never limited.
func (s *Server) limitByAddress(w http.ResponseWriter, r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		return false
	}
	return s.overLimit(w, addrBucket(r))
}

// selfLimiting marks a handler that applies its own rate-limit bucket once
// it knows who is calling; the router does not count it by address.
type selfLimiting struct{ http.Handler }

// tokenBucket picks the bucket of a POST /oauth2/token: the client's, if
// its client_id and client_secret check out, otherwise the failed bucket.
func (s *Server) tokenBucket(r *http.Request, clientID, secret string) string {
	if s.bank.clientSecretMatches(clientID, secret) {
		return clientBucket(clientID)
	}
	return failedBucket(r)
}
