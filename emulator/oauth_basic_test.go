package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// tokenRequest posts form to /oauth2/token with an Authorization header.
func (e *env) tokenRequest(form url.Values, authorization string) response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.ts.URL+"/oauth2/token", strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return e.send(req)
}

func basicAuth(id, secret string) string {
	r, _ := http.NewRequest(http.MethodPost, "/", nil)
	r.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	return r.Header.Get("Authorization")
}

// OAuth libraries (requests-oauthlib, which the monzo-python client pins,
// and golang.org/x/oauth2's auto-detection) send the client's credentials
// in a Basic Authorization header, which RFC 6749 §2.3.1 obliges every
// token endpoint to accept. Both grants work that way; a wrong secret is
// still refused without consuming the code, and credentials sent twice or
// a mangled header get a clear 400.
func TestTokenEndpointAcceptsBasicClientAuthentication(t *testing.T) {
	e := setup(t)
	code := e.authorize(e.client, e.primary().ID, "s")
	exchange := url.Values{"grant_type": {"authorization_code"}, "redirect_uri": {e.client.RedirectURI}, "code": {code}}

	m := wantError(t, e.tokenRequest(exchange, basicAuth(e.client.ID, e.client.Secret+"x")),
		http.StatusUnauthorized, "unauthorized.bad_client_credentials")
	if m["error"] != "invalid_client" {
		t.Errorf("error = %v", m["error"])
	}
	twice := url.Values{"client_id": {e.client.ID}, "client_secret": {e.client.Secret}}
	for k, v := range exchange {
		twice[k] = v
	}
	m = wantError(t, e.tokenRequest(twice, basicAuth(e.client.ID, e.client.Secret)),
		http.StatusBadRequest, "bad_request.bad_param.authorization")
	if msg, _ := m["message"].(string); !strings.Contains(msg, "not both") {
		t.Errorf("message = %q", msg)
	}
	m = wantError(t, e.tokenRequest(exchange, "Basic !!!not-base64"), http.StatusBadRequest, "bad_request.bad_param.authorization")
	if msg, _ := m["message"].(string); strings.Contains(msg, e.client.Secret) || !strings.Contains(msg, "client_secret") {
		t.Errorf("message = %q", msg)
	}

	first := e.mustTokens(e.tokenRequest(exchange, basicAuth(e.client.ID, e.client.Secret)))
	if first.UserID != e.primary().ID || first.Refresh == "" {
		t.Fatalf("exchange with Basic: %+v", first)
	}
	// The client id may be repeated in the form when it matches.
	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.Refresh}, "client_id": {e.client.ID}}
	second := e.mustTokens(e.tokenRequest(refresh, basicAuth(e.client.ID, e.client.Secret)))
	if second.Access == first.Access {
		t.Error("refresh with Basic did not rotate the token")
	}
	// A Basic header naming another client than the form is refused.
	other := e.s.MustRegisterClient(ClientOptions{Confidential: true})
	refresh.Set("refresh_token", second.Refresh)
	wantError(t, e.tokenRequest(refresh, basicAuth(other.ID, other.Secret)), http.StatusBadRequest, "bad_request.bad_param.authorization")
	e.mustTokens(e.tokenRequest(refresh, basicAuth(e.client.ID, e.client.Secret)))
}
