// Package monzotest runs the Monzo emulator in-process for Go tests and hands
// back a ready-wired, approved client.
//
//	func TestSpending(t *testing.T) {
//		srv := monzotest.NewServer(t)
//		accounts, err := srv.Client.Accounts.List(ctx, nil)
//		...
//		srv.Clock.Advance(6 * time.Minute) // cross the full-history window
//	}
//
// The client logs in through the real authorization-code flow (consent
// page, code exchange, in-app approval), so what works against the emulator
// works against Monzo.
//
// Outside tests (Example functions, demos), [Start] does the same and
// returns an error instead of failing a test.
package monzotest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/oauth"
)

// DefaultStart is the emulator's fake "now" unless [WithStart] says otherwise.
var DefaultStart = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// Server is an emulator serving real HTTP on a loopback port for one test.
type Server struct {
	// Emulator is the emulator itself, for Go-level control.
	Emulator *emulator.Server
	// URL is the base URL of the auth pages, the API and the control plane.
	URL string
	// Clock is the emulator's clock; move it to cross token expiry or the
	// 5-minute history window. Tokens sources made here use it too.
	Clock *emulator.FakeClock
	// HTTPClient reaches the server.
	HTTPClient *http.Client

	// Client is logged in as the primary user with the default OAuth
	// client and, unless [WithoutApproval] was given, approved.
	Client *monzo.Client
	// Login is how Client logged in.
	Login *Login
	// User is the primary seeded user: a personal, a joint and a closed
	// account.
	User emulator.UserSummary

	opts options
	// fail reports a failed helper call: t.Fatalf under NewServer, a panic
	// under Start.
	fail   func(format string, args ...any)
	helper func()
	close  func()
}

// Login is one completed login: its OAuth config, token store and source.
type Login struct {
	Config *oauth.Config
	Store  *oauth.MemoryStore
	Tokens *oauth.TokenSource
}

// Token returns the login's current token.
func (l *Login) Token(ctx context.Context) (*oauth.Token, error) { return l.Tokens.Token(ctx) }

type options struct {
	emu          emulator.Options
	start        time.Time
	skipApproval bool
	clientOpts   []monzo.Option
	latency      time.Duration
}

// Option configures [NewServer].
type Option func(*options)

// WithSeed selects the emulator's generated data.
func WithSeed(seed int64) Option { return func(o *options) { o.emu.Seed = seed } }

// WithStart sets the fake clock's starting time.
func WithStart(t time.Time) Option { return func(o *options) { o.start = t } }

// WithLatency delays every API request by d of wall-clock time, as a slow
// network would (the real API's order of magnitude is 100 ms): for
// benchmarks of code that makes many requests. See the emulator's
// "Latency and faults" documentation for jitter, per-route latency and
// faults.
func WithLatency(d time.Duration) Option { return func(o *options) { o.latency = d } }

// WithoutApproval leaves the login pending in-app approval, so data calls
// answer monzo.ErrInsufficientPermissions until Approve is called.
func WithoutApproval() Option { return func(o *options) { o.skipApproval = true } }

// WithEmulatorOptions sets further emulator options (rate limits, token
// lifetime, …). Its Clock and Seed are overridden by the other options.
func WithEmulatorOptions(eo emulator.Options) Option {
	return func(o *options) {
		seed := o.emu.Seed
		o.emu = eo
		if eo.Seed == 0 {
			o.emu.Seed = seed
		}
	}
}

// WithClientOptions adds options to every monzo.Client made by the server.
func WithClientOptions(opts ...monzo.Option) Option {
	return func(o *options) { o.clientOpts = append(o.clientOpts, opts...) }
}

// NewServer starts an emulator for the test and logs its primary user in.
// Everything stops when the test ends. Helper methods fail the test on error.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := start(opts, t.Fatalf, t.Helper)
	if err != nil {
		t.Fatalf("monzotest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start is [NewServer] for code that has no *testing.T, such as Example
// functions: it returns setup errors, and its helper methods panic on
// failure. Call Close when done.
func Start(opts ...Option) (*Server, error) {
	return start(opts, func(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }, func() {})
}

func start(opts []Option, fail func(string, ...any), helper func()) (*Server, error) {
	o := options{start: DefaultStart}
	for _, opt := range opts {
		opt(&o)
	}
	clock := emulator.NewFakeClock(o.start)
	o.emu.Clock = clock
	if o.latency > 0 {
		o.emu.Latency = o.latency
	}
	emu, err := emulator.New(o.emu)
	if err != nil {
		return nil, fmt.Errorf("starting the emulator: %w", err)
	}
	hs := httptest.NewServer(emu.Handler())
	s := &Server{Emulator: emu, URL: hs.URL, Clock: clock, HTTPClient: hs.Client(), opts: o, fail: fail, helper: helper}
	s.close = func() {
		hs.Close()
		emu.Close()
	}
	s.User = emu.Users()[0]
	if s.Login, err = s.logIn(emu.DefaultClient(), ""); err == nil && !o.skipApproval {
		err = s.approve(s.Login)
	}
	if err == nil {
		s.Client, err = s.newClient(s.Login)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close stops the emulator. NewServer's servers close when the test ends.
func (s *Server) Close() { s.close() }

// AccountID returns the id of the primary user's first open account of the
// given type (monzo.AccountTypeRetail, monzo.AccountTypeRetailJoint, …).
func (s *Server) AccountID(typ monzo.AccountType) string {
	s.helper()
	for _, a := range s.User.Accounts {
		if a.Type == string(typ) && !a.Closed {
			return a.ID
		}
	}
	s.fail("monzotest: the primary user has no open %s account", typ)
	return ""
}

// RegisterClient registers another OAuth client (for tests of per-client
// privacy), with the default redirect URI.
func (s *Server) RegisterClient(name string, confidential bool) emulator.OAuthClient {
	return s.Emulator.MustRegisterClient(emulator.ClientOptions{Name: name, Confidential: confidential})
}

// LogIn runs the authorization-code flow for client as userID ("" for the
// primary user): consent page, redirect, code exchange. The grant is left
// pending in-app approval; see [Server.Approve].
func (s *Server) LogIn(client emulator.OAuthClient, userID string) *Login {
	s.helper()
	l, err := s.logIn(client, userID)
	if err != nil {
		s.fail("monzotest: %v", err)
	}
	return l
}

func (s *Server) logIn(client emulator.OAuthClient, userID string) (*Login, error) {
	ctx := context.Background()
	cfg := &oauth.Config{
		ClientID: client.ID, ClientSecret: client.Secret, RedirectURL: client.RedirectURI,
		AuthURL: s.URL, APIBaseURL: s.URL, HTTPClient: s.HTTPClient, Clock: s.Clock.Now,
	}
	state, err := oauth.NewState()
	if err != nil {
		return nil, err
	}
	redirected, err := emulator.SubmitConsent(ctx, s.HTTPClient, cfg.AuthCodeURL(state), emulator.Consent{UserID: userID})
	if err != nil {
		return nil, fmt.Errorf("consent: %w", err)
	}
	tok, err := cfg.ExchangeCallback(ctx, redirected.String(), state)
	if err != nil {
		return nil, fmt.Errorf("exchanging the code: %w", err)
	}
	store := oauth.NewMemoryStore(tok)
	ts, err := oauth.NewTokenSource(cfg, store)
	if err != nil {
		return nil, err
	}
	return &Login{Config: cfg, Store: store, Tokens: ts}, nil
}

// Approve approves the login's grant, as the user would in the Monzo app.
func (s *Server) Approve(l *Login) {
	s.helper()
	if err := s.approve(l); err != nil {
		s.fail("monzotest: %v", err)
	}
}

func (s *Server) approve(l *Login) error {
	tok, err := l.Tokens.Token(context.Background())
	if err != nil {
		return err
	}
	if len(s.Emulator.Approve(tok.ClientID, tok.UserID)) == 0 {
		return fmt.Errorf("no pending grant to approve for %s", tok.UserID)
	}
	return nil
}

// NewClient returns a monzo.Client on the emulator using the login's tokens
// (refreshed as needed), with any extra options.
func (s *Server) NewClient(l *Login, opts ...monzo.Option) *monzo.Client {
	s.helper()
	c, err := s.newClient(l, opts...)
	if err != nil {
		s.fail("monzotest: %v", err)
	}
	return c
}

func (s *Server) newClient(l *Login, opts ...monzo.Option) (*monzo.Client, error) {
	all := append([]monzo.Option{
		monzo.WithBaseURL(s.URL),
		monzo.WithHTTPClient(s.HTTPClient),
		monzo.WithTokenSource(l.Tokens),
		monzo.WithClock(s.Clock.Now),
	}, s.opts.clientOpts...)
	return monzo.NewClient(append(all, opts...)...)
}
