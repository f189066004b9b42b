package emulator

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestMethodNotAllowedIsJSON(t *testing.T) {
	e := setup(t)
	for path, allow := range map[string]string{
		"/accounts":        "GET",
		"/oauth2/token":    "POST",
		"/ping/whoami":     "GET",
		"/_emulator/clock": "GET, POST",
	} {
		resp := e.do(http.MethodDelete, path, "", nil)
		wantError(t, resp, http.StatusMethodNotAllowed, "method_not_allowed")
		if got := resp.header.Get("Allow"); got != allow {
			t.Errorf("%s: Allow = %q, want %q", path, got, allow)
		}
	}
}

func TestUnknownPathIsJSON404(t *testing.T) {
	e := setup(t)
	for _, path := range []string{"/nope", "/accounts/x", "/pots/listV1", "/_emulator/nope", "/_emulator/health/"} {
		m := wantError(t, e.get(path, ""), http.StatusNotFound, "not_found.endpoint")
		if !strings.Contains(m["message"].(string), path) {
			t.Errorf("message %v does not name the path", m["message"])
		}
	}
}

func TestHeadFollowsGet(t *testing.T) {
	e := setup(t)
	wantStatus(t, e.do(http.MethodHead, "/_emulator/health", "", nil), http.StatusOK)
}

func TestRouterRejectsDuplicateRoutes(t *testing.T) {
	r := newRouter()
	r.HandleFunc("GET /x", func(http.ResponseWriter, *http.Request) {})
	defer func() {
		if recover() == nil {
			t.Error("duplicate registration did not panic")
		}
	}()
	r.HandleFunc("GET /x", func(http.ResponseWriter, *http.Request) {})
}

func TestRateLimit(t *testing.T) {
	e := setup(t, func(o *Options) { o.RateLimit = 4; o.RateLimitWindow = time.Minute })
	tok := e.login(e.client, e.primary().ID) // the exchange is 1 of this client's 4 requests
	for range 3 {
		wantStatus(t, e.get("/ping/whoami", tok.Access), http.StatusOK)
	}
	resp := e.get("/ping/whoami", tok.Access)
	wantError(t, resp, http.StatusTooManyRequests, "rate_limited")
	if resp.header.Get("Retry-After") != "60" {
		t.Errorf("Retry-After = %q", resp.header.Get("Retry-After"))
	}
	// The control plane is never limited.
	wantStatus(t, e.get("/_emulator/health", ""), http.StatusOK)
	e.clock.Advance(time.Minute)
	wantStatus(t, e.get("/ping/whoami", tok.Access), http.StatusOK)
}

func TestPanicsBecomeJSON500(t *testing.T) {
	e := setup(t)
	h := e.s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "internal_service.request_failed") {
		t.Errorf("got %d %s", rec.Code, rec.Body.String())
	}
}

// The limiter counts what was authenticated (issue 6 item 11): requests
// that merely name a client cannot use up its allowance, and failed
// attempts have a bucket of their own.
func TestRateLimitCannotBeAimedAtAnotherClient(t *testing.T) {
	e := setup(t, func(o *Options) { o.RateLimit = 5; o.RateLimitWindow = time.Hour })
	code := e.authorize(e.client, e.primary().ID, "st") // 2 of this address's 5 page loads

	// An attacker names the real client with wrong secrets and bad codes.
	for i := range 10 {
		resp := e.do(http.MethodPost, "/oauth2/token", "", url.Values{
			"grant_type": {"authorization_code"}, "client_id": {e.client.ID}, "client_secret": {"guess"},
			"redirect_uri": {e.client.RedirectURI}, "code": {"guess"},
		})
		if want := http.StatusUnauthorized; i >= 5 {
			wantError(t, resp, http.StatusTooManyRequests, "rate_limited") // failed attempts are limited
		} else {
			wantStatus(t, resp, want)
		}
	}
	// And guesses bearer tokens.
	wantError(t, e.get("/ping/whoami", "acctok_guess"), http.StatusTooManyRequests, "rate_limited")

	// The real client is untouched: its exchange and calls use its own bucket.
	tok := e.mustTokens(e.exchange(e.client, code))
	for range 4 {
		wantStatus(t, e.get("/ping/whoami", tok.Access), http.StatusOK)
	}
	wantError(t, e.get("/ping/whoami", tok.Access), http.StatusTooManyRequests, "rate_limited")

	// A second client has its own allowance.
	other := e.s.MustRegisterClient(ClientOptions{Name: "other", RedirectURI: "http://127.0.0.1/other", Confidential: true})
	otherTok := e.login(other, e.primary().ID)
	wantStatus(t, e.get("/ping/whoami", otherTok.Access), http.StatusOK)
}

// Every API route answers with one trailing slash exactly as without it
// (issue 11 item 1): clients written against the real API send
// "GET /transactions/" and "PUT /pots/{id}/deposit/". The emulator's own
// routes (control plane, storage, consent page) keep their exact paths.
// The test walks the whole routing table, so a new route is covered the
// day it is added.
func TestEveryAPIRouteAcceptsOneTrailingSlash(t *testing.T) {
	e := setup(t)
	table := newRouter()
	e.s.registerRoutes(table)
	wildcard := regexp.MustCompile(`\{[^}]+\}`)
	var api, own int
	for pattern, byMethod := range table.methods {
		path := wildcard.ReplaceAllString(strings.TrimSuffix(pattern, "{$}"), "x")
		for method := range byMethod {
			// A fresh, approved token each time: some routes (logout)
			// revoke the one they are called with.
			tok := e.approvedLogin(e.client, e.primary().ID).Access
			plain := e.do(method, path, tok, url.Values{})
			tok = e.approvedLogin(e.client, e.primary().ID).Access
			slashed := e.do(method, path+"/", tok, url.Values{})
			if !acceptsTrailingSlash(pattern) {
				own++
				if pattern != "/{$}" && (slashed.status != http.StatusNotFound || slashed.code(t) != "not_found.endpoint") {
					t.Errorf("%s %s/: status %d, want 404 not_found.endpoint (the emulator's own paths are exact)", method, path, slashed.status)
				}
				continue
			}
			api++
			if slashed.status != plain.status || errorCode(slashed) != errorCode(plain) {
				t.Errorf("%s %s/ answered %d %s; without the slash %d %s", method, path,
					slashed.status, errorCode(slashed), plain.status, errorCode(plain))
			}
		}
	}
	if api < 20 || own < 10 {
		t.Errorf("walked %d API routes and %d of the emulator's own: the table looks incomplete", api, own)
	}
}

// errorCode is the Monzo error code of a JSON error body, or "".
func errorCode(r response) string {
	var m struct{ Code string }
	_ = json.Unmarshal(r.body, &m)
	return m.Code
}

// lockCheckingWriter fails the test if a handler writes while the server's
// lock is held.
type lockCheckingWriter struct {
	http.ResponseWriter
	t     *testing.T
	s     *Server
	route string
}

func (w *lockCheckingWriter) check() {
	w.t.Helper()
	if !w.s.bank.mu.TryLock() {
		w.t.Errorf("%s writes its answer while holding the lock", w.route)
		return
	}
	w.s.bank.mu.Unlock()
}

func (w *lockCheckingWriter) WriteHeader(code int) { w.check(); w.ResponseWriter.WriteHeader(code) }
func (w *lockCheckingWriter) Write(b []byte) (int, error) {
	w.check()
	return w.ResponseWriter.Write(b)
}

// No handler writes while it holds the lock (issue 7): every route of the
// table, called with a valid token, answers with the lock released.
func TestNoHandlerWritesUnderTheLock(t *testing.T) {
	e := setup(t)
	table := newRouter()
	e.s.registerRoutes(table)
	wildcard := regexp.MustCompile(`\{[^}]+\}`)
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	for pattern, byMethod := range table.methods {
		path := wildcard.ReplaceAllString(strings.TrimSuffix(pattern, "{$}"), "x")
		for method := range byMethod {
			tok := e.approvedLogin(e.client, e.primary().ID).Access
			req := httptest.NewRequest(method, path+"?account_id="+acc+"&current_account_id="+acc, strings.NewReader(url.Values{"account_id": {acc}}.Encode()))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := &lockCheckingWriter{ResponseWriter: httptest.NewRecorder(), t: t, s: e.s, route: method + " " + pattern}
			e.s.Handler().ServeHTTP(w, req)
		}
	}
}

// A path that is not in its canonical form (a doubled slash, "." or ".."
// segments) is an unknown path, on every route, for every method: 404
// not_found.endpoint, never the redirect http.ServeMux would answer, which
// a client could follow by re-sending a PUT elsewhere or a POST as a GET.
// The handler does not run: a pot move sent that way moves nothing.
func TestNonCanonicalPathsAreNotFoundNotRedirected(t *testing.T) {
	e := setup(t)
	table := newRouter()
	e.s.registerRoutes(table)
	wildcard := regexp.MustCompile(`\{[^}]+\}`)
	tok := e.approvedLogin(e.client, e.primary().ID).Access
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	potBalances := func() map[string]int64 {
		pots, apiErr := e.s.bank.listPots(e.primary().ID, acc)
		if apiErr != nil {
			t.Fatal(apiErr)
		}
		out := map[string]int64{}
		for _, p := range pots {
			out[p.ID] = p.Balance
		}
		return out
	}
	before := potBalances()
	var pot string
	for id, balance := range before {
		if balance > 0 && pot == "" {
			pot = id
		}
	}
	routes := 0
	for pattern, byMethod := range table.methods {
		p := wildcard.ReplaceAllString(strings.TrimSuffix(pattern, "{$}"), "x")
		if strings.HasPrefix(pattern, "/pots/") {
			p = strings.Replace(p, "/x/", "/"+pot+"/", 1)
		}
		first, rest, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
		variants := []string{"/" + p, "/./" + p[1:], "/nope/../" + p[1:], p + "/.", p + "//", p + "/.."}
		if rest != "" {
			variants = append(variants, "/"+first+"//"+rest, "/"+first+"/./"+rest)
		}
		for method := range byMethod {
			routes++
			for _, v := range variants {
				form := url.Values{"source_account_id": {acc}, "destination_account_id": {acc}, "amount": {"1"}, "dedupe_id": {v}}
				resp := e.do(method, v, tok, form)
				if method == http.MethodHead {
					wantStatus(t, resp, http.StatusNotFound)
					continue
				}
				m := wantError(t, resp, http.StatusNotFound, "not_found.endpoint")
				if loc := resp.header.Get("Location"); loc != "" {
					t.Errorf("%s %s: Location %q: a redirect", method, v, loc)
				}
				if msg, _ := m["message"].(string); !strings.Contains(msg, "did you mean") {
					t.Errorf("%s %s: message %q does not name the path meant", method, v, msg)
				}
			}
			// A browser gets a page, not a redirect either.
			req, _ := http.NewRequest(method, e.ts.URL+variants[0], nil)
			req.Header.Set("Accept", "text/html")
			if resp := e.send(req); resp.status != http.StatusNotFound || resp.header.Get("Location") != "" {
				t.Errorf("browser %s %s: status %d, Location %q", method, variants[0], resp.status, resp.header.Get("Location"))
			}
		}
	}
	if routes < 30 {
		t.Errorf("walked %d routes: the table looks incomplete", routes)
	}
	if after := potBalances(); !maps.Equal(after, before) {
		t.Errorf("pot balances went from %v to %v through non-canonical paths", before, after)
	}
}
