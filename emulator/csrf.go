package emulator

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
)

// CSRF protection of the consent form.
//
// The consent page needs no login, so anyone can load it; a token that
// only proves "this form came from the page" would be no defence, as an
// attacker could load the page too. Instead the page sets a random,
// HttpOnly, SameSite=Strict cookie and embeds a token that is an HMAC of
// that cookie and the request it approves (client, redirect URI, state).
// POST /oauth2/authorize accepts the form only if the token matches the
// cookie the browser sends: a page on another site can neither read the
// victim's cookie nor compute the token.

const (
	csrfCookie = "monzo_emulator_consent"
	csrfField  = "csrf_token"
)

// newCSRFKey returns the server's random HMAC key.
func newCSRFKey() []byte {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic("emulator: no randomness for the CSRF key: " + err.Error())
	}
	return key
}

// consentCSRF returns the form token for the consent page answering r,
// bound to the browser's consent cookie (a fresh one, set on w, if it has
// none) and to req.
func (s *Server) consentCSRF(w http.ResponseWriter, r *http.Request, req authRequest) string {
	cookie := ""
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 64 {
		cookie = c.Value
	} else {
		cookie = randomString(64)
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: cookie, Path: "/",
			HttpOnly: true, SameSite: http.SameSiteStrictMode})
	}
	return s.csrfToken(cookie, req)
}

func (s *Server) csrfToken(cookie string, req authRequest) string {
	mac := hmac.New(sha256.New, s.csrfKey)
	mac.Write([]byte(url.Values{"c": {cookie}, "client_id": {req.client.ID},
		"redirect_uri": {req.redirectURI}, "state": {req.state}}.Encode()))
	return hex.EncodeToString(mac.Sum(nil))
}

// checkConsentCSRF refuses a consent form whose token does not match its
// cookie and the request it approves.
func (s *Server) checkConsentCSRF(r *http.Request, form url.Values, req authRequest) *apiError {
	c, err := r.Cookie(csrfCookie)
	got := form.Get(csrfField)
	if err != nil || got == "" || !hmac.Equal([]byte(got), []byte(s.csrfToken(c.Value, req))) {
		return newAPIError(http.StatusForbidden, "forbidden.bad_csrf_token",
			"This consent form did not come from the consent page in this browser (its security token is missing or wrong). Open the sign-in link again and choose Allow or Deny there.", nil)
	}
	return nil
}
