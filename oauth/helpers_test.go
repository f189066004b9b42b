package oauth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/oauth"
)

// start is the emulator's fake "now" in every test.
var start = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// testEnv is an emulator served over real HTTP, with its fake clock and
// counters of token-endpoint requests by grant type.
type testEnv struct {
	t      *testing.T
	emu    *emulator.Server
	clock  *emulator.FakeClock
	srv    *httptest.Server
	client emulator.OAuthClient // the default, confidential client

	// transport counts what our code sends (a RoundTripper around the real
	// transport); server counts what the emulator receives (a wrapper on
	// its handler, which also sees other processes).
	transport *grantCounter
	server    *grantCounter

	// rewrite, if set, may edit token responses before they leave the
	// server (fault injection).
	mu      sync.Mutex
	rewrite func(grant string, body map[string]any)
	// onGrant, if set, runs before the emulator sees a token request.
	onGrant func(grant string)
	// bareExpired makes the API answer an expired token as the real API
	// was recorded doing: 401 with the bare code
	// "unauthorized.bad_access_token" and a "token is expired by …"
	// message, instead of the emulator's ".expired" code.
	bareExpired bool
}

func newEnv(t *testing.T) *testEnv {
	t.Helper()
	clock := emulator.NewFakeClock(start)
	emu, err := emulator.New(emulator.Options{Seed: 42, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, emu: emu, clock: clock, transport: &grantCounter{}, server: &grantCounter{}}
	e.srv = httptest.NewServer(e.instrument(emu.Handler()))
	t.Cleanup(func() {
		e.srv.Close()
		emu.Close()
	})
	e.client = emu.DefaultClient()
	return e
}

// config returns an oauth.Config for c pointed at the emulator, using the
// emulator's clock and a counting transport.
func (e *testEnv) config(c emulator.OAuthClient) *oauth.Config {
	return &oauth.Config{
		ClientID:     c.ID,
		ClientSecret: c.Secret,
		RedirectURL:  c.RedirectURI,
		AuthURL:      e.srv.URL,
		APIBaseURL:   e.srv.URL,
		HTTPClient:   &http.Client{Transport: countingTransport{e.transport, e.srv.Client().Transport}},
		Clock:        e.clock.Now,
	}
}

// apiClient returns a monzo.Client on the emulator authenticated by ts.
func (e *testEnv) apiClient(ts monzo.TokenSource) *monzo.Client {
	e.t.Helper()
	c, err := monzo.NewClient(monzo.WithTokenSource(ts), monzo.WithBaseURL(e.srv.URL), monzo.WithHTTPClient(e.srv.Client()), monzo.WithRetryPolicy(monzo.NoRetries()))
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// login runs the whole browser flow for cfg and exchanges the code.
func (e *testEnv) login(cfg *oauth.Config) *oauth.Token {
	e.t.Helper()
	state, err := oauth.NewState()
	if err != nil {
		e.t.Fatal(err)
	}
	redirected := e.consent(cfg.AuthCodeURL(state), "allow")
	tok, err := cfg.ExchangeCallback(context.Background(), redirected, state)
	if err != nil {
		e.t.Fatalf("exchange: %v", err)
	}
	return tok
}

// consent drives the emulator's consent page like a browser and returns the
// redirect's Location.
func (e *testEnv) consent(authURL, decision string) string {
	e.t.Helper()
	loc, err := submitConsent(e.srv.Client().Transport, authURL, decision)
	if err != nil {
		e.t.Fatal(err)
	}
	return loc
}

// submitConsent submits the consent page at authURL with decision ("allow"
// or "deny") for the preselected user, without following the redirect, and
// returns the redirect's Location.
func submitConsent(rt http.RoundTripper, authURL, decision string) (string, error) {
	loc, err := emulator.SubmitConsent(context.Background(), &http.Client{Transport: rt}, authURL, emulator.Consent{Deny: decision == "deny"})
	if err != nil {
		return "", err
	}
	return loc.String(), nil
}

// grantCounter counts token-endpoint requests by grant_type.
type grantCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (g *grantCounter) add(grant string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n == nil {
		g.n = map[string]int{}
	}
	g.n[grant]++
}

func (g *grantCounter) get(grant string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n[grant]
}

// grantOf reads the grant_type of a token request, leaving the body intact.
func grantOf(r *http.Request) string {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/oauth2/token") || r.Body == nil {
		return ""
	}
	data, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(data))
	v, _ := url.ParseQuery(string(data))
	return v.Get("grant_type")
}

// countingTransport counts token requests and passes every request to the
// real transport.
type countingTransport struct {
	counter *grantCounter
	next    http.RoundTripper
}

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if g := grantOf(r); g != "" {
		c.counter.add(g)
	}
	return c.next.RoundTrip(r)
}

// instrument wraps the emulator's handler to count token requests and,
// when e.rewrite is set, edit successful token responses.
func (e *testEnv) instrument(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		grant := grantOf(r)
		if grant == "" {
			e.mu.Lock()
			bare := e.bareExpired
			e.mu.Unlock()
			if !bare {
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			var m map[string]any
			if rec.Code == http.StatusUnauthorized && json.Unmarshal(rec.Body.Bytes(), &m) == nil && m["code"] == "unauthorized.bad_access_token.expired" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				w.Write([]byte(`{"code":"unauthorized.bad_access_token","message":"token is expired by 4h51m44s"}`))
				return
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
			return
		}
		e.server.add(grant)
		e.mu.Lock()
		rewrite, onGrant := e.rewrite, e.onGrant
		e.mu.Unlock()
		if onGrant != nil {
			onGrant(grant)
		}
		if rewrite == nil {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if rec.Code == http.StatusOK {
			var m map[string]any
			if json.Unmarshal(body, &m) == nil {
				rewrite(grant, m)
				body, _ = json.Marshal(m)
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
}

func (e *testEnv) setOnGrant(f func(grant string)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.onGrant = f
}

func (e *testEnv) setRewrite(f func(grant string, body map[string]any)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.rewrite = f
}

// whoami asks the emulator who a bare access token belongs to.
func (e *testEnv) whoami(accessToken string) (*monzo.WhoAmI, error) {
	return e.apiClient(monzo.StaticToken(accessToken)).WhoAmI(context.Background())
}

// ttl is the emulator's default access-token lifetime.
const ttl = emulator.DefaultAccessTokenTTL
