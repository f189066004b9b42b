package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// authCodeTTL is how long an authorization code can be exchanged.
const authCodeTTL = 10 * time.Minute

// authCode is an authorization code handed out by the consent page.
type authCode struct {
	Code        string
	ClientID    string
	UserID      string
	RedirectURI string
	Issued      time.Time
	Used        bool
	// GrantID is the grant the code's exchange created: replaying the
	// code revokes it and every token it issued.
	GrantID string
}

// Token states.
const (
	tokenActive  = "active"
	tokenEvicted = "evicted" // replaced by a newer login or refresh
	tokenRevoked = "revoked" // logged out, or its refresh chain was killed
	tokenUsed    = "used"    // refresh tokens only: already exchanged
)

// accessToken is an issued bearer token.
type accessToken struct {
	Token        string
	ClientID     string
	UserID       string
	GrantID      string
	Issued       time.Time
	Expires      time.Time
	State        string
	RefreshToken string // "" for non-confidential clients
}

// refreshToken is a single-use refresh token.
type refreshToken struct {
	Token       string
	ClientID    string
	UserID      string
	GrantID     string
	Issued      time.Time
	State       string
	AccessToken string // the access token issued alongside it
}

// tokenResponse is the body of a successful POST /oauth2/token.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	ClientID     string `json:"client_id"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope"`
	TokenType    string `json:"token_type"`
	UserID       string `json:"user_id"`
}

// handleToken serves POST /oauth2/token: the authorization_code and
// refresh_token grants. Arguments come from the form body only.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	form, apiErr := requestParams(r)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	clientID, secret, apiErr := clientCredentials(r, form)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	if s.limiter.enabled() && s.overLimit(w, s.tokenBucket(r, clientID, secret)) {
		return
	}
	var resp tokenResponse
	switch gt := form.Get("grant_type"); gt {
	case "authorization_code":
		resp, apiErr = s.bank.exchangeCode(clientID, secret, form.Get("redirect_uri"), form.Get("code"))
	case "refresh_token":
		resp, apiErr = s.bank.refresh(clientID, secret, form.Get("refresh_token"))
	case "":
		apiErr = oauthMissing("grant_type")
	default:
		apiErr = oauthError(http.StatusBadRequest, "bad_request.bad_param.grant_type", "unsupported_grant_type",
			"Unsupported grant_type "+quote(gt)+": use authorization_code or refresh_token")
	}
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, resp)
}

// clientCredentials returns the client id and secret of a token request:
// from the form body (client_id, client_secret), as Monzo documents, or
// from an HTTP Basic Authorization header, which RFC 6749 §2.3.1 says
// every authorization server must accept and which OAuth libraries send
// by default (see docs/api-notes.md, "Emulator"). Both at once is
// refused, as the RFC forbids more than one way in one request. Missing
// values are left for the grant's own checks to name.
func clientCredentials(r *http.Request, form url.Values) (id, secret string, apiErr *apiError) {
	id, secret = form.Get("client_id"), form.Get("client_secret")
	user, pass, ok := r.BasicAuth()
	if !ok {
		if h := r.Header.Get("Authorization"); len(h) >= 6 && strings.EqualFold(h[:6], "basic ") {
			return "", "", oauthError(http.StatusBadRequest, "bad_request.bad_param.authorization", "invalid_request",
				"The Authorization header is not valid Basic credentials: send base64(client_id:client_secret), or send client_id and client_secret in the form body")
		}
		return id, secret, nil
	}
	// The RFC form-encodes both halves before base64 (§2.3.1).
	if u, err := url.QueryUnescape(user); err == nil {
		user = u
	}
	if p, err := url.QueryUnescape(pass); err == nil {
		pass = p
	}
	if secret != "" || (id != "" && id != user) {
		return "", "", oauthError(http.StatusBadRequest, "bad_request.bad_param.authorization", "invalid_request",
			"The client authenticated twice: send its credentials either in the Authorization header or as client_id and client_secret in the form body, not both")
	}
	return user, pass, nil
}

// oauthMissing is missingParam in the OAuth-flavoured shape.
func oauthMissing(name string) *apiError {
	e := missingParam(name)
	e.OAuthError, e.ErrorDescription = "invalid_request", e.Message
	return e
}

// requireOAuthParams checks name, value pairs in order and answers the
// first missing one in the OAuth-flavoured shape.
func requireOAuthParams(nameValues ...string) *apiError {
	for i := 0; i+1 < len(nameValues); i += 2 {
		if nameValues[i+1] == "" {
			return oauthMissing(nameValues[i])
		}
	}
	return nil
}

// handleLogout serves POST /oauth2/logout: it revokes the caller's access
// token, its refresh token and the grant, and answers {}.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, c caller) {
	s.bank.logout(c.AccessToken)
	writeJSON(w, http.StatusOK, struct{}{})
}

func quote(s string) string { return "'" + s + "'" }
