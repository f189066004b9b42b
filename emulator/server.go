package emulator

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Defaults for [Options].
const (
	// DefaultSeed is the seed used when Options.Seed is 0.
	DefaultSeed = 1
	// DefaultAccessTokenTTL is the lifetime of real Monzo access tokens
	// (expires_in: 107999).
	DefaultAccessTokenTTL = 107999 * time.Second
	// DefaultRedirectURI is the default client's redirect URI [E]: a
	// loopback URL on a fixed port above 1024, so that a login tool run
	// by an ordinary user can listen there for the redirect (port 80,
	// which a URL without a port means, needs root). It is the URL `monzo
	// login` suggests registering, so the standalone emulator's export
	// lines work with it and with the examples as printed.
	DefaultRedirectURI = "http://127.0.0.1:8789/callback"
	// DefaultRateLimitWindow is the window of Options.RateLimit when
	// Options.RateLimitWindow is 0.
	DefaultRateLimitWindow = time.Minute
)

// Options configure a [Server]. The zero value is a usable configuration.
type Options struct {
	// Seed selects the generated data and ids; 0 means DefaultSeed. The same
	// seed, history options and clock time give identical data and ids.
	Seed int64
	// HistoryDays and Transactions shape the seeded history; see SeedData.
	HistoryDays  int
	Transactions int
	// Clock is the source of "now"; nil means the wall clock. Pass a
	// *FakeClock to control time from tests or the control plane.
	Clock Clock
	// AccessTokenTTL is the access token lifetime; 0 means
	// DefaultAccessTokenTTL. Otherwise it must be at least one second,
	// because the token response's expires_in counts whole seconds.
	AccessTokenTTL time.Duration
	// AutoApproveAfter, when positive, approves a pending grant (the in-app
	// SCA step) once this much clock time has passed since its code
	// exchange. 0 means grants wait for Approve or POST /_emulator/approve.
	AutoApproveAfter time.Duration
	// RedirectURI is the default client's redirect URI; "" means
	// DefaultRedirectURI.
	RedirectURI string
	// RateLimit, when positive, allows that many API requests per client
	// (or per remote address, before authentication) per RateLimitWindow;
	// further requests get 429 rate_limited with Retry-After. The control
	// plane is never limited.
	RateLimit int
	// RateLimitWindow is the rate limit window; 0 means DefaultRateLimitWindow.
	RateLimitWindow time.Duration
	// BaseURL is the server's own public URL (for URLs it hands out, such
	// as attachment uploads). "" means deriving it from each request's Host.
	BaseURL string
	// Logger, if set, logs one line per request.
	Logger *slog.Logger
	// Latency, when positive, delays every API request by that much plus
	// a uniformly random extra of up to LatencyJitter: the real API's
	// order of magnitude is 100 ms. It is a global latency-only Fault;
	// Faults adds per-route ones.
	Latency       time.Duration
	LatencyJitter time.Duration
	// LatencyClock is the clock latency waits on; nil means the wall
	// clock, even when Clock is a FakeClock, so benchmarks see real delays.
	// Tests that must not wait pass their FakeClock and advance it.
	LatencyClock Clock
	// FaultSeed seeds the fault lab's random choices (which requests a
	// probabilistic fault hits, jitter, garbled bytes); 0 means Seed.
	FaultSeed int64
	// Faults are injected at start, as by InjectFault.
	Faults []Fault
}

// Server is the emulator. Create it with [New]; serve [Server.Handler].
//
// Server is the HTTP side: routes, middleware (authentication, rate limit,
// faults) and handlers. The state lives apart, in a bank that owns its lock
// (see the package documentation's Architecture section).
type Server struct {
	opts Options
	// clock is the bank's clock too, shared, never replaced.
	clock Clock
	bank  *bank

	// lifeMu guards onClose and closed.
	lifeMu sync.Mutex
	// onClose funcs run once on Close (stop background workers here).
	onClose []func()
	closed  bool
	limiter *rateLimiter
	faults  faultList
	// csrfKey signs the consent form's CSRF tokens (csrf.go).
	csrfKey []byte

	handler http.Handler
}

// New returns a seeded Server.
func New(opts Options) (*Server, error) {
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	if opts.AccessTokenTTL == 0 {
		opts.AccessTokenTTL = DefaultAccessTokenTTL
	}
	if opts.AccessTokenTTL < time.Second {
		// expires_in is whole seconds; a shorter lifetime would read as 0.
		return nil, fmt.Errorf("emulator: AccessTokenTTL is %v; it must be at least 1s (expires_in counts whole seconds), or 0 for the default", opts.AccessTokenTTL)
	}
	if opts.AutoApproveAfter < 0 {
		return nil, errors.New("emulator: AutoApproveAfter must not be negative")
	}
	if opts.RedirectURI == "" {
		opts.RedirectURI = DefaultRedirectURI
	}
	if err := validateRedirectURI(opts.RedirectURI); err != nil {
		return nil, fmt.Errorf("emulator: RedirectURI: %w", err)
	}
	if opts.RateLimitWindow == 0 {
		opts.RateLimitWindow = DefaultRateLimitWindow
	}
	if opts.RateLimit < 0 || opts.RateLimitWindow < 0 {
		return nil, errors.New("emulator: RateLimit and RateLimitWindow must not be negative")
	}
	if opts.BaseURL != "" {
		if u, err := url.Parse(opts.BaseURL); err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("emulator: BaseURL %q is not an absolute URL", opts.BaseURL)
		}
	}
	data := SeedData{Seed: opts.Seed, HistoryDays: opts.HistoryDays, Transactions: opts.Transactions}
	if err := data.validate(); err != nil {
		return nil, fmt.Errorf("emulator: Options: %w", err)
	}
	cfg := bankConfig{accessTokenTTL: opts.AccessTokenTTL, autoApproveAfter: opts.AutoApproveAfter, redirectURI: opts.RedirectURI}
	s := &Server{opts: opts, clock: opts.Clock, bank: newBank(opts.Clock, cfg, data), csrfKey: newCSRFKey()}
	s.limiter = newRateLimiter(opts.RateLimit, opts.RateLimitWindow)
	s.faults.seed = cmp.Or(opts.FaultSeed, opts.Seed)
	s.faults.rewindLocked()
	if opts.Latency < 0 || opts.LatencyJitter < 0 {
		return nil, errors.New("emulator: Latency and LatencyJitter must not be negative")
	}
	if opts.Latency > 0 || opts.LatencyJitter > 0 {
		if err := s.InjectFault(Fault{Latency: max(opts.Latency, time.Nanosecond), Jitter: opts.LatencyJitter}); err != nil {
			return nil, err
		}
	}
	for i, f := range opts.Faults {
		if err := s.InjectFault(f); err != nil {
			return nil, fmt.Errorf("emulator: Faults[%d]: %w", i, errors.Unwrap(err))
		}
	}
	s.handler = s.middleware(s.routes())
	// Background workers start here, not in route registration, and stop
	// in Close.
	s.startWebhookDelivery()
	return s, nil
}

// Handler returns the http.Handler serving the auth pages, the API and the
// control plane.
func (s *Server) Handler() http.Handler { return s.handler }

// Clock returns the server's clock (a *FakeClock if one was configured).
func (s *Server) Clock() Clock { return s.clock }

// Close stops anything the server runs in the background. It is safe to
// call more than once.
func (s *Server) Close() error {
	s.lifeMu.Lock()
	if s.closed {
		s.lifeMu.Unlock()
		return nil
	}
	s.closed = true
	funcs := s.onClose
	s.onClose = nil
	s.lifeMu.Unlock()
	for _, f := range funcs {
		f()
	}
	return nil
}

// Reset returns the server to the state New left it in, with the current
// data options (Options, or the last Reseed): bank data is regenerated,
// ending at the clock's now.
//
// It drops everything else too: every registered client but the default
// one, every code, token and grant, and the registered webhooks (with
// their delivery log), receipts, feed items and uploads, and the rate
// limiter's counts. It keeps the clock, the OnTransactionCreated hooks and
// the injected faults.
func (s *Server) Reset() {
	s.bank.reset(SeedData{})
	s.limiter.reset()
}

// Reseed regenerates the bank data (users, accounts, pots, merchants,
// transactions) from d, ending at the clock's now. Zero fields of d keep
// the current values, so Reseed(SeedData{}) regenerates the same data.
//
// Registered webhooks (and their delivery log), receipts, feed items and
// uploads count as bank data, so Reseed drops them, even with the same
// seed. It keeps the registered clients, and the codes, tokens and grants
// of users that still exist: user ids depend on the seed only, so with the
// same seed logged-in clients stay logged in.
func (s *Server) Reseed(d SeedData) error {
	if err := d.validate(); err != nil {
		return fmt.Errorf("emulator: Reseed: %w", err)
	}
	s.bank.reseed(d)
	return nil
}

// resetTo is POST /_emulator/reset with data options: a fresh server (as
// New would make it) with d, zero fields keeping the current values.
func (s *Server) resetTo(d SeedData) error {
	if err := d.validate(); err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	s.bank.reset(d)
	s.limiter.reset()
	return nil
}

// Seed returns the seed of the current data.
func (s *Server) Seed() int64 { return s.bank.Seed() }

// SeedData returns the options the current bank data was generated with,
// defaults filled in.
func (s *Server) SeedData() SeedData { return s.bank.SeedData() }

// Users summarises the seeded users and their accounts, primary user first.
func (s *Server) Users() []UserSummary { return s.bank.Users() }

// baseURL is the server's own URL as seen by the client making r:
// Options.BaseURL if set, otherwise derived from the request's Host.
func (s *Server) baseURL(r *http.Request) string {
	if s.opts.BaseURL != "" {
		return s.opts.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
