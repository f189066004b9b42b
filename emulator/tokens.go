package emulator

import (
	"crypto/subtle"
	"net/http"
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
	if s.limiter.enabled() && s.overLimit(w, s.tokenBucket(r, form.Get("client_id"), form.Get("client_secret"))) {
		return
	}
	var resp tokenResponse
	switch gt := form.Get("grant_type"); gt {
	case "authorization_code":
		resp, apiErr = s.bank.exchangeCode(form.Get("client_id"), form.Get("client_secret"), form.Get("redirect_uri"), form.Get("code"))
	case "refresh_token":
		resp, apiErr = s.bank.refresh(form.Get("client_id"), form.Get("client_secret"), form.Get("refresh_token"))
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

// authenticateClientLocked checks client credentials.
func (b *bank) authenticateClientLocked(clientID, secret string) (*OAuthClient, *apiError) {
	c := b.clients[clientID]
	if c == nil || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return nil, oauthError(http.StatusUnauthorized, "unauthorized.bad_client_credentials", "invalid_client",
			"Client authentication failed: unknown client_id or wrong client_secret")
	}
	return c, nil
}

// exchangeCode implements the authorization_code grant.
func (b *bank) exchangeCode(clientID, secret, redirectURI, code string) (tokenResponse, *apiError) {
	return b.grantLocked(clientID, secret, []string{"redirect_uri", redirectURI, "code", code},
		func(c *OAuthClient, now time.Time) (tokenResponse, *apiError) {
			return b.exchangeCodeLocked(c, now, redirectURI, code)
		})
}

// grantLocked is what both grants start with: the required parameters
// (client_id, client_secret and then the given name, value pairs) are
// present, and, under the lock, the client authenticates; then op runs,
// still under the lock.
func (b *bank) grantLocked(clientID, secret string, required []string, op func(*OAuthClient, time.Time) (tokenResponse, *apiError)) (tokenResponse, *apiError) {
	if apiErr := requireOAuthParams(append([]string{"client_id", clientID, "client_secret", secret}, required...)...); apiErr != nil {
		return tokenResponse{}, apiErr
	}
	b.mu.Lock()
	defer b.unlock()
	c, apiErr := b.authenticateClientLocked(clientID, secret)
	if apiErr != nil {
		return tokenResponse{}, apiErr
	}
	return op(c, b.now())
}

// exchangeCodeLocked is the authorization_code grant for an authenticated
// client. Call with b.mu held.
func (b *bank) exchangeCodeLocked(c *OAuthClient, now time.Time, redirectURI, code string) (tokenResponse, *apiError) {
	ac := b.codes[code]
	switch {
	case ac == nil || ac.ClientID != c.ID:
		return tokenResponse{}, oauthError(http.StatusBadRequest, "bad_request.bad_authorization_code", "invalid_grant",
			"Authorization code is unknown or was issued to another client")
	case ac.Used:
		// A replayed code may have been stolen: revoke everything the
		// first exchange issued (RFC 6749 §4.1.2).
		b.revokeGrantLocked(ac.GrantID)
		return tokenResponse{}, oauthError(http.StatusBadRequest, "bad_request.bad_authorization_code.used", "invalid_grant",
			"Authorization code has already been used; sign in again")
	case !now.Before(ac.Issued.Add(authCodeTTL)):
		return tokenResponse{}, oauthError(http.StatusBadRequest, "bad_request.bad_authorization_code.expired", "invalid_grant",
			"Authorization code has expired; sign in again")
	case ac.RedirectURI != redirectURI:
		return tokenResponse{}, oauthError(http.StatusBadRequest, "bad_request.bad_param.redirect_uri", "invalid_grant",
			"redirect_uri does not match the one used to get the authorization code")
	}
	ac.Used = true

	// A new login supersedes the previous grant and evicts its tokens.
	key := clientUser{c.ID, ac.UserID}
	for _, id := range b.grantOrder {
		if g := b.grants[id]; g.ClientID == c.ID && g.UserID == ac.UserID && (g.State == GrantPending || g.State == GrantApproved) {
			g.State = GrantSuperseded
		}
	}
	for _, rt := range b.refreshTokens {
		if rt.ClientID == c.ID && rt.UserID == ac.UserID && rt.State == tokenActive {
			rt.State = tokenEvicted
		}
	}
	g := &grant{ID: b.newID("grant", now), ClientID: c.ID, UserID: ac.UserID, Created: now, State: GrantPending}
	b.grants[g.ID] = g
	b.grantOrder = append(b.grantOrder, g.ID)
	ac.GrantID = g.ID
	b.refreshGrantLocked(g, now) // AutoApproveAfter may be tiny
	return b.issueTokensLocked(c, key, g, now), nil
}

// refresh implements the refresh_token grant: single-use, rotating tokens.
func (b *bank) refresh(clientID, secret, token string) (tokenResponse, *apiError) {
	return b.grantLocked(clientID, secret, []string{"refresh_token", token},
		func(c *OAuthClient, now time.Time) (tokenResponse, *apiError) { return b.refreshLocked(c, now, token) })
}

// refreshLocked is the refresh_token grant for an authenticated client.
// Call with b.mu held.
func (b *bank) refreshLocked(c *OAuthClient, now time.Time, token string) (tokenResponse, *apiError) {
	if !c.Confidential {
		return tokenResponse{}, oauthError(http.StatusBadRequest, "bad_request.unauthorized_client", "unauthorized_client",
			"Only confidential clients can refresh access tokens; sign in again")
	}
	bad := oauthError(http.StatusUnauthorized, "unauthorized.bad_refresh_token", "invalid_grant", "Bad refresh token")
	rt := b.refreshTokens[token]
	if rt == nil || rt.ClientID != c.ID {
		return tokenResponse{}, bad
	}
	switch rt.State {
	case tokenEvicted:
		e := *bad
		e.Code = "unauthorized.bad_refresh_token.evicted"
		return tokenResponse{}, &e
	case tokenUsed:
		// Reuse of a spent refresh token means two parties hold the chain
		// (docs/api-notes.md#refreshing): kill the whole family, the newest refresh
		// token and every access token of the grant included.
		b.revokeGrantLocked(rt.GrantID)
		return tokenResponse{}, bad
	case tokenActive:
	default:
		return tokenResponse{}, bad
	}
	g := b.grants[rt.GrantID]
	if g == nil || g.State == GrantRevoked || g.State == GrantSuperseded {
		return tokenResponse{}, bad
	}
	rt.State = tokenUsed
	b.refreshGrantLocked(g, now)
	return b.issueTokensLocked(c, clientUser{c.ID, rt.UserID}, g, now), nil
}

// issueTokensLocked issues a new access token (and, for confidential
// clients, a refresh token) for g, evicting the previous live access token
// of the same client and user.
func (b *bank) issueTokensLocked(c *OAuthClient, key clientUser, g *grant, now time.Time) tokenResponse {
	if old := b.liveAccess[key]; old != nil && old.State == tokenActive {
		old.State = tokenEvicted
	}
	at := &accessToken{
		Token:    "acctok_" + randomString(40),
		ClientID: c.ID, UserID: key.UserID, GrantID: g.ID,
		Issued: now, Expires: now.Add(b.cfg.accessTokenTTL), State: tokenActive,
	}
	b.accessTokens[at.Token] = at
	b.liveAccess[key] = at
	resp := tokenResponse{
		AccessToken: at.Token,
		ClientID:    c.ID,
		ExpiresIn:   int64(b.cfg.accessTokenTTL / time.Second),
		Scope:       g.scope(),
		TokenType:   "Bearer",
		UserID:      key.UserID,
	}
	if c.Confidential {
		rt := &refreshToken{Token: "reftok_" + randomString(40), ClientID: c.ID, UserID: key.UserID,
			GrantID: g.ID, Issued: now, State: tokenActive, AccessToken: at.Token}
		b.refreshTokens[rt.Token] = rt
		at.RefreshToken = rt.Token
		resp.RefreshToken = rt.Token
	}
	return resp
}

// handleLogout serves POST /oauth2/logout: it revokes the caller's access
// token, its refresh token and the grant, and answers {}.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, c caller) {
	s.bank.logout(c.AccessToken)
	writeJSON(w, http.StatusOK, struct{}{})
}

// logout revokes the grant of accessToken and its whole token family.
func (b *bank) logout(accessToken string) {
	b.mu.Lock()
	defer b.unlock()
	if at := b.accessTokens[accessToken]; at != nil {
		b.revokeGrantLocked(at.GrantID)
	}
}

// revokeGrantLocked revokes a grant and its whole token family: every
// access and refresh token issued under it. Call with b.mu held.
func (b *bank) revokeGrantLocked(grantID string) {
	if grantID == "" {
		return
	}
	if g := b.grants[grantID]; g != nil {
		g.State = GrantRevoked
	}
	for _, at := range b.accessTokens {
		if at.GrantID == grantID && at.State != tokenRevoked {
			at.State = tokenRevoked
		}
	}
	for _, rt := range b.refreshTokens {
		if rt.GrantID == grantID && (rt.State == tokenActive || rt.State == tokenEvicted) {
			rt.State = tokenRevoked
		}
	}
}

func quote(s string) string { return "'" + s + "'" }
