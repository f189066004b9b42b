package emulator

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// testNow is the fixed start time of test clocks.
var testNow = time.Date(2026, 3, 14, 15, 9, 26, 535_000_000, time.UTC)

// env is an emulator served over real HTTP with a fake clock.
type env struct {
	t      *testing.T
	s      *Server
	ts     *httptest.Server
	clock  *FakeClock
	client OAuthClient // the default client
	http   *http.Client
}

func setup(t *testing.T, opts ...func(*Options)) *env {
	t.Helper()
	clock := NewFakeClock(testNow)
	o := Options{Clock: clock}
	for _, f := range opts {
		f(&o)
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); _ = s.Close() })
	return &env{t: t, s: s, ts: ts, clock: clock, client: s.DefaultClient(),
		http: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// response is a decoded HTTP response.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("status %d: body is not a JSON object: %v\n%s", r.status, err, r.body)
	}
	return m
}

// code returns the Monzo error code of a JSON error body.
func (r response) code(t *testing.T) string {
	t.Helper()
	c, _ := r.json(t)["code"].(string)
	return c
}

func (e *env) do(method, path, token string, form url.Values) response {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.send(req)
}

func (e *env) send(req *http.Request) response {
	e.t.Helper()
	resp, err := e.http.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func (e *env) get(path, token string) response { return e.do(http.MethodGet, path, token, nil) }

// controlJSON posts a JSON body to the control plane.
func (e *env) controlJSON(method, path, body string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return e.send(req)
}

// consentPost loads the consent page for c (as a browser would: keeping
// its cookie and CSRF token), then posts its form with the given decision
// fields (user_id, decision) added.
func (e *env) consentPost(c OAuthClient, state string, fields url.Values) response {
	e.t.Helper()
	page, err := http.NewRequest(http.MethodGet, e.ts.URL+authQuery(c, c.RedirectURI, "code", state), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	resp, err := e.http.Do(page)
	if err != nil {
		e.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("consent page: status %d: %s", resp.StatusCode, body)
	}
	form := url.Values{}
	for _, m := range consentHiddenInput.FindAllStringSubmatch(string(body), -1) {
		form.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	for k, v := range fields {
		form[k] = v
	}
	req, err := http.NewRequest(http.MethodPost, e.ts.URL+"/oauth2/authorize", strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, ck := range resp.Cookies() {
		req.AddCookie(ck)
	}
	return e.send(req)
}

// authorize runs the consent form for c as userID and returns the code.
func (e *env) authorize(c OAuthClient, userID, state string) string {
	e.t.Helper()
	resp := e.consentPost(c, state, url.Values{"user_id": {userID}, "decision": {"allow"}})
	if resp.status != http.StatusFound {
		e.t.Fatalf("authorize: status %d: %s", resp.status, resp.body)
	}
	loc, err := url.Parse(resp.header.Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	code := loc.Query().Get("code")
	if code == "" {
		e.t.Fatalf("authorize: no code in %s", loc)
	}
	return code
}

// exchange swaps a code for tokens and returns the decoded response.
func (e *env) exchange(c OAuthClient, code string) response {
	e.t.Helper()
	return e.do(http.MethodPost, "/oauth2/token", "", url.Values{
		"grant_type": {"authorization_code"}, "client_id": {c.ID}, "client_secret": {c.Secret},
		"redirect_uri": {c.RedirectURI}, "code": {code},
	})
}

func (e *env) refresh(c OAuthClient, refreshToken string) response {
	e.t.Helper()
	return e.do(http.MethodPost, "/oauth2/token", "", url.Values{
		"grant_type": {"refresh_token"}, "client_id": {c.ID}, "client_secret": {c.Secret},
		"refresh_token": {refreshToken},
	})
}

// tokens is a decoded token response.
type tokens struct {
	Access, Refresh, UserID, Scope string
}

func (e *env) mustTokens(resp response) tokens {
	e.t.Helper()
	if resp.status != http.StatusOK {
		e.t.Fatalf("token endpoint: status %d: %s", resp.status, resp.body)
	}
	m := resp.json(e.t)
	str := func(k string) string { s, _ := m[k].(string); return s }
	return tokens{Access: str("access_token"), Refresh: str("refresh_token"), UserID: str("user_id"), Scope: str("scope")}
}

// login signs userID in with c (default: primary user, default client)
// and returns its tokens, not yet approved.
func (e *env) login(c OAuthClient, userID string) tokens {
	e.t.Helper()
	return e.mustTokens(e.exchange(c, e.authorize(c, userID, "st")))
}

// approvedLogin is login plus in-app approval.
func (e *env) approvedLogin(c OAuthClient, userID string) tokens {
	e.t.Helper()
	tok := e.login(c, userID)
	e.s.Approve(c.ID, userID)
	return tok
}

func (e *env) primary() UserSummary { return e.s.Users()[0] }
func (e *env) partner() UserSummary { return e.s.Users()[1] }

// accountOf returns the first account of u with the given type.
func accountOf(t *testing.T, u UserSummary, typ string) AccountSummary {
	t.Helper()
	for _, a := range u.Accounts {
		if a.Type == typ {
			return a
		}
	}
	t.Fatalf("user %s has no %s account", u.ID, typ)
	return AccountSummary{}
}

func wantStatus(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body: %s", r.status, status, r.body)
	}
}

func wantError(t *testing.T, r response, status int, code string) map[string]any {
	t.Helper()
	wantStatus(t, r, status)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	m := r.json(t)
	if m["code"] != code {
		t.Fatalf("code = %v, want %s; body: %s", m["code"], code, r.body)
	}
	if _, ok := m["message"].(string); !ok {
		t.Errorf("error body has no message: %s", r.body)
	}
	return m
}

func httptestServer(t *testing.T, s *Server) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}
