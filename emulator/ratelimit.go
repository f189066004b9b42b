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
type rateLimiter struct {
	limit  int
	window time.Duration

	mu      sync.Mutex
	windows map[string]*rateWindow
}

type rateWindow struct {
	start time.Time
	count int
}

func newRateLimiter(limit int, window time.Duration) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, windows: map[string]*rateWindow{}}
}

func (l *rateLimiter) enabled() bool { return l.limit > 0 && l.window > 0 }

// allow counts a request for key at now. If the key is over its limit it
// returns false and how long until its window ends.
func (l *rateLimiter) allow(key string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[key]
	if w == nil || !now.Before(w.start.Add(l.window)) || now.Before(w.start) {
		w = &rateWindow{start: now}
		l.windows[key] = w
	}
	if w.count >= l.limit {
		return w.start.Add(l.window).Sub(now), false
	}
	w.count++
	return 0, true
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
