package emulator

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func authQuery(c OAuthClient, redirectURI, responseType, state string) string {
	return "/?" + url.Values{"client_id": {c.ID}, "redirect_uri": {redirectURI},
		"response_type": {responseType}, "state": {state}}.Encode()
}

func TestConsentPageRendersWithoutJavaScript(t *testing.T) {
	e := setup(t)
	resp := e.get(authQuery(e.client, e.client.RedirectURI, "code", "xyz"), "")
	wantStatus(t, resp, http.StatusOK)
	if ct := resp.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q", ct)
	}
	page := string(resp.body)
	for _, want := range []string{
		e.client.Name, `<form method="post" action="oauth2/authorize">`, `name="decision" value="allow"`,
		`name="decision" value="deny"`, `type="radio" name="user_id" value="` + e.primary().ID + `" checked`,
		`value="` + e.partner().ID + `"`, `name="state" value="xyz"`, e.primary().Name,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("consent page lacks %q", want)
		}
	}
	if strings.Contains(strings.ToLower(page), "<script") {
		t.Error("consent page uses JavaScript")
	}
}

func TestConsentPageEscapesHTML(t *testing.T) {
	e := setup(t)
	c := e.s.MustRegisterClient(ClientOptions{Name: `<script>alert("x")</script>`, Confidential: true})
	resp := e.get(authQuery(c, c.RedirectURI, "code", `"><img src=x>`), "")
	wantStatus(t, resp, http.StatusOK)
	if strings.Contains(string(resp.body), "<script>alert") || strings.Contains(string(resp.body), "<img src=x>") {
		t.Fatalf("unescaped input in page:\n%s", resp.body)
	}
	if !strings.Contains(string(resp.body), "&lt;script&gt;") {
		t.Error("client name not shown escaped")
	}
}

func TestAllowRedirectsWithCodeAndState(t *testing.T) {
	e := setup(t)
	c := e.s.MustRegisterClient(ClientOptions{Name: "cb", RedirectURI: "http://127.0.0.1:8080/callback?app=1", Confidential: true})
	state := "a b&c=d/é+%"
	resp := e.consentPost(c, state, url.Values{"user_id": {e.partner().ID}, "decision": {"allow"}})
	wantStatus(t, resp, http.StatusFound)
	loc, err := url.Parse(resp.header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if loc.Scheme+"://"+loc.Host+loc.Path != "http://127.0.0.1:8080/callback" {
		t.Errorf("redirected to %s", loc)
	}
	q := loc.Query()
	if q.Get("state") != state {
		t.Errorf("state = %q, want %q", q.Get("state"), state)
	}
	if q.Get("app") != "1" {
		t.Errorf("existing query lost: %s", loc)
	}
	if !strings.HasPrefix(q.Get("code"), "authzcode_") {
		t.Errorf("code = %q", q.Get("code"))
	}
	tok := e.mustTokens(e.exchange(c, q.Get("code")))
	if tok.UserID != e.partner().ID {
		t.Errorf("signed in as %s, want the picked user %s", tok.UserID, e.partner().ID)
	}
}

func TestDenyRedirectsWithAccessDenied(t *testing.T) {
	e := setup(t)
	resp := e.consentPost(e.client, "s1", url.Values{"user_id": {e.primary().ID}, "decision": {"deny"}})
	wantStatus(t, resp, http.StatusFound)
	loc, _ := url.Parse(resp.header.Get("Location"))
	if q := loc.Query(); q.Get("error") != "access_denied" || q.Get("state") != "s1" || q.Has("code") {
		t.Errorf("deny redirected to %s", loc)
	}
}

func TestBadAuthorizationRequestsShowErrorPageNotRedirect(t *testing.T) {
	e := setup(t)
	unknown := OAuthClient{ID: "oauth2client_0000nope", RedirectURI: e.client.RedirectURI}
	cases := map[string]string{
		"unknown client":           authQuery(unknown, e.client.RedirectURI, "code", "s"),
		"missing client":           "/?redirect_uri=" + url.QueryEscape(e.client.RedirectURI) + "&response_type=code",
		"localhost vs 127.0.0.1":   authQuery(e.client, "http://localhost/monzo", "code", "s"),
		"trailing slash":           authQuery(e.client, e.client.RedirectURI+"/", "code", "s"),
		"missing redirect_uri":     "/?client_id=" + e.client.ID + "&response_type=code",
		"response_type token":      authQuery(e.client, e.client.RedirectURI, "token", "s"),
		"response_type missing":    "/?client_id=" + e.client.ID + "&redirect_uri=" + url.QueryEscape(e.client.RedirectURI),
		"other client's redirect":  authQuery(e.client, "http://evil.example/steal", "code", "s"),
		"no parameters whatsoever": "/",
		"a second redirect_uri":    authQuery(e.client, e.client.RedirectURI, "code", "s") + "&redirect_uri=" + url.QueryEscape("http://evil.example/steal"),
		"a second state":           authQuery(e.client, e.client.RedirectURI, "code", "s") + "&state=t",
	}
	for name, path := range cases {
		t.Run(name, func(t *testing.T) {
			resp := e.get(path, "")
			wantStatus(t, resp, http.StatusBadRequest)
			if resp.header.Get("Location") != "" {
				t.Errorf("redirected to %s", resp.header.Get("Location"))
			}
			if ct := resp.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type = %q, want an HTML page", ct)
			}
			// The form target must refuse the same requests.
			u, _ := url.Parse(path)
			form := u.Query()
			form.Set("decision", "allow")
			form.Set("user_id", e.primary().ID)
			post := e.do(http.MethodPost, "/oauth2/authorize", "", form)
			wantStatus(t, post, http.StatusBadRequest)
			if post.header.Get("Location") != "" {
				t.Errorf("POST redirected to %s", post.header.Get("Location"))
			}
		})
	}
}

func TestTokenResponseShape(t *testing.T) {
	e := setup(t)
	resp := e.exchange(e.client, e.authorize(e.client, e.primary().ID, "s"))
	wantStatus(t, resp, http.StatusOK)
	m := resp.json(t)
	if m["expires_in"] != float64(107999) || m["token_type"] != "Bearer" || m["client_id"] != e.client.ID ||
		m["user_id"] != e.primary().ID || m["scope"] != "third_party_developer_app.pre_verification" {
		t.Errorf("token response: %s", resp.body)
	}
	for _, k := range []string{"access_token", "refresh_token"} {
		if s, _ := m[k].(string); s == "" {
			t.Errorf("%s missing: %s", k, resp.body)
		}
	}
	if !strings.HasPrefix(m["access_token"].(string), "acctok_") || !strings.HasPrefix(m["refresh_token"].(string), "reftok_") {
		t.Errorf("token prefixes: %s", resp.body)
	}
}

func TestAccessTokenTTLOption(t *testing.T) {
	e := setup(t, func(o *Options) { o.AccessTokenTTL = time.Hour })
	m := e.exchange(e.client, e.authorize(e.client, e.primary().ID, "s")).json(t)
	if m["expires_in"] != float64(3600) {
		t.Errorf("expires_in = %v", m["expires_in"])
	}
}

func TestAccessTokenTTLAtLeastOneSecond(t *testing.T) {
	_, err := New(Options{AccessTokenTTL: 500 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "at least 1s") {
		t.Fatalf("New with a 500ms TTL: err = %v, want one saying it must be at least 1s", err)
	}
	e := setup(t, func(o *Options) { o.AccessTokenTTL = time.Second })
	m := e.exchange(e.client, e.authorize(e.client, e.primary().ID, "s")).json(t)
	if m["expires_in"] != float64(1) {
		t.Errorf("expires_in = %v, want 1", m["expires_in"])
	}
}

func TestCodeIsSingleUse(t *testing.T) {
	e := setup(t)
	code := e.authorize(e.client, e.primary().ID, "s")
	e.mustTokens(e.exchange(e.client, code))
	m := wantError(t, e.exchange(e.client, code), http.StatusBadRequest, "bad_request.bad_authorization_code.used")
	if m["error"] != "invalid_grant" {
		t.Errorf("error = %v", m["error"])
	}
}

func TestCodeExpiresAfterTenMinutes(t *testing.T) {
	e := setup(t)
	code := e.authorize(e.client, e.primary().ID, "s")
	e.clock.Advance(10*time.Minute - time.Millisecond)
	e.mustTokens(e.exchange(e.client, code))

	code = e.authorize(e.client, e.primary().ID, "s")
	e.clock.Advance(10 * time.Minute)
	m := wantError(t, e.exchange(e.client, code), http.StatusBadRequest, "bad_request.bad_authorization_code.expired")
	if m["error"] != "invalid_grant" {
		t.Errorf("error = %v", m["error"])
	}
}

func TestExchangeRejectsMismatchedRedirectURI(t *testing.T) {
	e := setup(t)
	code := e.authorize(e.client, e.primary().ID, "s")
	resp := e.do(http.MethodPost, "/oauth2/token", "", url.Values{
		"grant_type": {"authorization_code"}, "client_id": {e.client.ID}, "client_secret": {e.client.Secret},
		"redirect_uri": {"http://127.0.0.1/other"}, "code": {code},
	})
	m := wantError(t, resp, http.StatusBadRequest, "bad_request.bad_param.redirect_uri")
	if m["error"] != "invalid_grant" {
		t.Errorf("error = %v", m["error"])
	}
}

func TestExchangeRejectsWrongSecretAndOtherClientsCode(t *testing.T) {
	e := setup(t)
	code := e.authorize(e.client, e.primary().ID, "s")
	bad := e.client
	bad.Secret += "x"
	m := wantError(t, e.exchange(bad, code), http.StatusUnauthorized, "unauthorized.bad_client_credentials")
	if m["error"] != "invalid_client" {
		t.Errorf("error = %v", m["error"])
	}
	other := e.s.MustRegisterClient(ClientOptions{Name: "other", RedirectURI: e.client.RedirectURI, Confidential: true})
	wantError(t, e.exchange(other, code), http.StatusBadRequest, "bad_request.bad_authorization_code")
	// Neither failure consumed the code.
	e.mustTokens(e.exchange(e.client, code))
}

func TestTokenEndpointValidation(t *testing.T) {
	e := setup(t)
	full := url.Values{"grant_type": {"authorization_code"}, "client_id": {e.client.ID},
		"client_secret": {e.client.Secret}, "redirect_uri": {e.client.RedirectURI}, "code": {"authzcode_x"}}
	for _, field := range []string{"grant_type", "client_id", "client_secret", "redirect_uri", "code"} {
		form := url.Values{}
		for k, v := range full {
			if k != field {
				form[k] = v
			}
		}
		m := wantError(t, e.do(http.MethodPost, "/oauth2/token", "", form), http.StatusBadRequest, "bad_request.missing_param."+field)
		if m["message"] != "The field '"+field+"' is required" {
			t.Errorf("message = %v", m["message"])
		}
	}
	// Arguments in the query string are not read for POST.
	resp := e.do(http.MethodPost, "/oauth2/token?"+full.Encode(), "", url.Values{})
	wantError(t, resp, http.StatusBadRequest, "bad_request.missing_param.grant_type")

	form := url.Values{"grant_type": {"password"}, "username": {"u"}, "password": {"p"}}
	m := wantError(t, e.do(http.MethodPost, "/oauth2/token", "", form), http.StatusBadRequest, "bad_request.bad_param.grant_type")
	if m["error"] != "unsupported_grant_type" {
		t.Errorf("error = %v", m["error"])
	}
}

func TestRefreshRotatesTokens(t *testing.T) {
	e := setup(t)
	first := e.approvedLogin(e.client, e.primary().ID)
	second := e.mustTokens(e.refresh(e.client, first.Refresh))
	if second.Access == first.Access || second.Refresh == first.Refresh || second.Refresh == "" {
		t.Fatalf("refresh did not rotate: %+v → %+v", first, second)
	}
	// The old access token is evicted; the new one works at once, still
	// approved (refreshing keeps the grant).
	wantError(t, e.get("/ping/whoami", first.Access), http.StatusUnauthorized, "unauthorized.bad_access_token.evicted")
	wantStatus(t, e.get("/accounts", second.Access), http.StatusOK)
	if second.Scope != "third_party_developer_app.verified.ext" {
		t.Errorf("scope after approval = %q", second.Scope)
	}

	// Reusing a spent refresh token fails with Monzo's exact body…
	resp := e.refresh(e.client, first.Refresh)
	wantStatus(t, resp, http.StatusUnauthorized)
	m := resp.json(t)
	if m["code"] != "unauthorized.bad_refresh_token" || m["message"] != "Bad refresh token" {
		t.Errorf("reuse body: %s", resp.body)
	}
	// …and kills the chain: the newest refresh token is revoked too.
	wantError(t, e.refresh(e.client, second.Refresh), http.StatusUnauthorized, "unauthorized.bad_refresh_token")
	// The whole family goes (issue 6 item 12): the access token issued
	// last stops working at once, not at its expiry.
	wantError(t, e.get("/accounts", second.Access), http.StatusUnauthorized, "unauthorized.bad_access_token")
	if g := e.s.Grants(); len(g) != 1 || g[0].State != GrantRevoked {
		t.Errorf("grant after refresh-token reuse: %+v, want revoked", g)
	}
}

// Replaying a used authorization code revokes what its first exchange
// issued (RFC 6749 §4.1.2; issue 6 item 12): whoever replays it may have
// stolen it.
func TestCodeReplayRevokesItsTokens(t *testing.T) {
	e := setup(t)
	code := e.authorize(e.client, e.primary().ID, "st")
	first := e.mustTokens(e.exchange(e.client, code))
	e.s.Approve(e.client.ID, e.primary().ID)
	wantStatus(t, e.get("/accounts", first.Access), http.StatusOK)
	// An unrelated login of another user must survive the replay.
	other := e.approvedLogin(e.client, e.partner().ID)

	wantError(t, e.exchange(e.client, code), http.StatusBadRequest, "bad_request.bad_authorization_code.used")

	wantError(t, e.get("/accounts", first.Access), http.StatusUnauthorized, "unauthorized.bad_access_token")
	wantError(t, e.refresh(e.client, first.Refresh), http.StatusUnauthorized, "unauthorized.bad_refresh_token")
	wantStatus(t, e.get("/accounts", other.Access), http.StatusOK)
	wantStatus(t, e.refresh(e.client, other.Refresh), http.StatusOK)
}

func TestRefreshKeepsApprovalTime(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	before := e.s.Grants()
	e.clock.Advance(time.Hour)
	e.mustTokens(e.refresh(e.client, tok.Refresh))
	after := e.s.Grants()
	if len(after) != 1 || after[0].SCAAt != before[0].SCAAt || after[0].State != GrantApproved {
		t.Errorf("grants before %+v, after %+v", before, after)
	}
}

func TestRefreshErrors(t *testing.T) {
	e := setup(t)
	tok := e.login(e.client, e.primary().ID)
	wantError(t, e.refresh(e.client, "reftok_unknown"), http.StatusUnauthorized, "unauthorized.bad_refresh_token")
	bad := e.client
	bad.Secret = "mnzconf.wrong"
	wantError(t, e.refresh(bad, tok.Refresh), http.StatusUnauthorized, "unauthorized.bad_client_credentials")
	other := e.s.MustRegisterClient(ClientOptions{Confidential: true})
	wantError(t, e.refresh(other, tok.Refresh), http.StatusUnauthorized, "unauthorized.bad_refresh_token")
	resp := e.do(http.MethodPost, "/oauth2/token", "", url.Values{"grant_type": {"refresh_token"},
		"client_id": {e.client.ID}, "client_secret": {e.client.Secret}})
	wantError(t, resp, http.StatusBadRequest, "bad_request.missing_param.refresh_token")
	// None of that consumed the real token.
	e.mustTokens(e.refresh(e.client, tok.Refresh))
}

func TestNonConfidentialClientGetsNoRefreshToken(t *testing.T) {
	e := setup(t)
	pub := e.s.MustRegisterClient(ClientOptions{Name: "public app", Confidential: false})
	if !strings.HasPrefix(pub.Secret, "mnzpub.") || !strings.HasPrefix(pub.ID, "oauth2client_") {
		t.Errorf("public client credentials: %+v", pub)
	}
	if !strings.HasPrefix(e.client.Secret, "mnzconf.") {
		t.Errorf("default client secret %q", e.client.Secret)
	}
	resp := e.exchange(pub, e.authorize(pub, e.primary().ID, "s"))
	wantStatus(t, resp, http.StatusOK)
	if _, ok := resp.json(t)["refresh_token"]; ok {
		t.Errorf("non-confidential client got a refresh token: %s", resp.body)
	}
	m := wantError(t, e.refresh(pub, "reftok_anything"), http.StatusBadRequest, "bad_request.unauthorized_client")
	if m["error"] != "unauthorized_client" {
		t.Errorf("error = %v", m["error"])
	}
}

func TestNewLoginEvictsOldTokens(t *testing.T) {
	e := setup(t)
	first := e.approvedLogin(e.client, e.primary().ID)
	second := e.login(e.client, e.primary().ID)
	m := wantError(t, e.get("/ping/whoami", first.Access), http.StatusUnauthorized, "unauthorized.bad_access_token.evicted")
	if m["error"] != "invalid_token" {
		t.Errorf("error = %v", m["error"])
	}
	wantError(t, e.refresh(e.client, first.Refresh), http.StatusUnauthorized, "unauthorized.bad_refresh_token.evicted")
	wantStatus(t, e.get("/ping/whoami", second.Access), http.StatusOK)
	// A new login needs a new approval.
	wantError(t, e.get("/accounts", second.Access), http.StatusForbidden, "forbidden.insufficient_permissions")

	// Tokens are per (client, user): other users and clients are untouched.
	partner := e.login(e.client, e.partner().ID)
	other := e.s.MustRegisterClient(ClientOptions{Confidential: true})
	third := e.login(other, e.primary().ID)
	for _, tok := range []string{second.Access, partner.Access, third.Access} {
		wantStatus(t, e.get("/ping/whoami", tok), http.StatusOK)
	}
}

func TestExpiredAccessTokenBody(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	e.clock.Advance(DefaultAccessTokenTTL - time.Millisecond)
	wantStatus(t, e.get("/accounts", tok.Access), http.StatusOK)
	e.clock.Advance(time.Millisecond)
	resp := e.get("/accounts", tok.Access)
	wantStatus(t, resp, http.StatusUnauthorized)
	want := `{"code":"unauthorized.bad_access_token.expired","error":"invalid_token","error_description":"Access token has expired","message":"Access token has expired"}`
	if got := strings.TrimSpace(string(resp.body)); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	// The refresh token still works after the access token expired.
	fresh := e.mustTokens(e.refresh(e.client, tok.Refresh))
	wantStatus(t, e.get("/accounts", fresh.Access), http.StatusOK)
}

func TestBadBearerTokens(t *testing.T) {
	e := setup(t)
	tok := e.login(e.client, e.primary().ID)
	cases := map[string]string{
		"missing":   "",
		"unknown":   "Bearer acctok_nope",
		"malformed": "Bearer",
		"basic":     "Basic " + tok.Access,
	}
	for name, header := range cases {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/ping/whoami", nil)
			if header != "" {
				req.Header.Set("Authorization", header)
			}
			m := wantError(t, e.send(req), http.StatusUnauthorized, "unauthorized.bad_access_token")
			if m["error"] != "invalid_token" {
				t.Errorf("error = %v", m["error"])
			}
		})
	}
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/ping/whoami", nil)
	req.Header.Set("Authorization", "bearer "+tok.Access) // the scheme is case-insensitive
	wantStatus(t, e.send(req), http.StatusOK)
}

func TestLogoutRevokesTokens(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	resp := e.do(http.MethodPost, "/oauth2/logout", tok.Access, nil)
	wantStatus(t, resp, http.StatusOK)
	if strings.TrimSpace(string(resp.body)) != "{}" {
		t.Errorf("logout body %s", resp.body)
	}
	wantError(t, e.get("/ping/whoami", tok.Access), http.StatusUnauthorized, "unauthorized.bad_access_token")
	wantError(t, e.refresh(e.client, tok.Refresh), http.StatusUnauthorized, "unauthorized.bad_refresh_token")
	wantError(t, e.do(http.MethodPost, "/oauth2/logout", "", nil), http.StatusUnauthorized, "unauthorized.bad_access_token")
	if g := e.s.Grants(); g[0].State != GrantRevoked {
		t.Errorf("grant state %s", g[0].State)
	}
}

func TestWhoAmI(t *testing.T) {
	e := setup(t)
	tok := e.login(e.client, e.partner().ID)
	resp := e.get("/ping/whoami", tok.Access)
	wantStatus(t, resp, http.StatusOK)
	want := `{"authenticated":true,"client_id":"` + e.client.ID + `","user_id":"` + e.partner().ID + `"}`
	if got := strings.TrimSpace(string(resp.body)); got != want {
		t.Errorf("whoami = %s, want %s", got, want)
	}
}

// TestSubmitConsentMatchesConsentPage guards the coupling between the
// consent page's markup and SubmitConsent (consent_agent.go), which parses it.
func TestSubmitConsentMatchesConsentPage(t *testing.T) {
	e := setup(t)
	loc, err := SubmitConsent(t.Context(), nil, e.ts.URL+authQuery(e.client, e.client.RedirectURI, "code", "st8"),
		Consent{UserID: e.partner().ID})
	if err != nil {
		t.Fatal(err)
	}
	if loc.Query().Get("state") != "st8" || loc.Query().Get("code") == "" {
		t.Fatalf("redirected to %s", loc)
	}
	if tok := e.mustTokens(e.exchange(e.client, loc.Query().Get("code"))); tok.UserID != e.partner().ID {
		t.Errorf("signed in as %s", tok.UserID)
	}
	if _, err := SubmitConsent(t.Context(), nil, e.ts.URL+authQuery(e.client, "http://evil.example/", "code", "s"), Consent{}); err == nil ||
		!strings.Contains(err.Error(), "does not exactly match") {
		t.Errorf("error page not reported: %v", err)
	}
}

// The consent page tells the user everything a grant allows, writes
// included, and cannot be framed (issue 6 item 16).
func TestConsentPageNamesEveryPermissionAndCannotBeFramed(t *testing.T) {
	e := setup(t)
	resp := e.get(authQuery(e.client, e.client.RedirectURI, "code", "xyz"), "")
	wantStatus(t, resp, http.StatusOK)
	page := strings.ToLower(string(resp.body))
	for _, want := range []string{"accounts", "balances", "pots", "transactions", "move money", "feed",
		"notes", "attach", "receipts", "webhooks"} {
		if !strings.Contains(page, want) {
			t.Errorf("consent page does not mention %q", want)
		}
	}
	if !strings.Contains(page, `name="csrf_token" value="`) {
		t.Error("consent form carries no CSRF token")
	}
	if got := resp.header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("X-Frame-Options = %q, want DENY", got)
	}
	if csp := resp.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("Content-Security-Policy = %q, want frame-ancestors 'none'", csp)
	}
}

// A form posted from anywhere but the consent page in the same browser is
// refused (issue 6 item 16): no token, a token from another browser's
// page, or a token for another state.
func TestConsentFormRefusesCrossSiteRequests(t *testing.T) {
	e := setup(t)
	allow := url.Values{"client_id": {e.client.ID}, "redirect_uri": {e.client.RedirectURI}, "response_type": {"code"},
		"state": {"s"}, "user_id": {e.primary().ID}, "decision": {"allow"}}

	// No token, no cookie: a plain cross-site form post.
	r := e.do(http.MethodPost, "/oauth2/authorize", "", allow)
	wantStatus(t, r, http.StatusForbidden)
	if r.header.Get("Location") != "" || !strings.Contains(string(r.body), "bad_csrf_token") {
		t.Errorf("cross-site post: Location %q, body %s", r.header.Get("Location"), r.body)
	}

	// The attacker loads the page in their own browser and replays its
	// token: without the matching cookie it is refused.
	page := e.get(authQuery(e.client, e.client.RedirectURI, "code", "s"), "")
	m := regexp.MustCompile(`name="csrf_token" value="([0-9a-f]+)"`).FindStringSubmatch(string(page.body))
	if m == nil {
		t.Fatal("no csrf_token on the page")
	}
	stolen := url.Values{}
	for k, v := range allow {
		stolen[k] = v
	}
	stolen.Set("csrf_token", m[1])
	wantStatus(t, e.do(http.MethodPost, "/oauth2/authorize", "", stolen), http.StatusForbidden)

	// With the page's own cookie, a token for another state is refused too.
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/oauth2/authorize", strings.NewReader(func() string {
		v := url.Values{}
		for k, vals := range stolen {
			v[k] = vals
		}
		v.Set("state", "other")
		return v.Encode()
	}()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range (&http.Response{Header: page.header}).Cookies() {
		req.AddCookie(c)
	}
	wantStatus(t, e.send(req), http.StatusForbidden)

	// The page's own form, with its cookie, goes through.
	wantStatus(t, e.consentPost(e.client, "s", url.Values{"user_id": {e.primary().ID}, "decision": {"allow"}}), http.StatusFound)
}

// Browsers on the auth host get pages, not JSON (issue 6 item 16).
func TestBrowserRequestsGetHTML(t *testing.T) {
	e := setup(t)
	browse := func(method, path string) response {
		t.Helper()
		req, _ := http.NewRequest(method, e.ts.URL+path, nil)
		req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
		return e.send(req)
	}
	// The form's target, opened in a browser, leads to the consent page.
	q := authQuery(e.client, e.client.RedirectURI, "code", "s")[1:]
	r := browse(http.MethodGet, "/oauth2/authorize"+q)
	wantStatus(t, r, http.StatusFound)
	if loc := r.header.Get("Location"); loc != "/"+q {
		t.Errorf("GET /oauth2/authorize redirects to %q, want %q", loc, "/"+q)
	}
	// The icon every browser asks for.
	r = browse(http.MethodGet, "/favicon.ico")
	if r.status != http.StatusNoContent || strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("favicon: %d %q", r.status, r.header.Get("Content-Type"))
	}
	// Unknown paths and wrong methods.
	for _, c := range []struct {
		method, path string
		status       int
	}{{http.MethodGet, "/no/such/page", 404}, {http.MethodGet, "/oauth2/token", 405}} {
		r = browse(c.method, c.path)
		wantStatus(t, r, c.status)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || r.header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s %s: Content-Type %q, X-Frame-Options %q; want an unframeable HTML page",
				c.method, c.path, ct, r.header.Get("X-Frame-Options"))
		}
	}
	// API clients still get JSON.
	wantError(t, e.get("/no/such/page", ""), http.StatusNotFound, "not_found.endpoint")
}
