package emulator

import (
	"crypto/subtle"
	"net/http"
	"time"
)

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

// authenticate resolves an access token to its caller and, if
// needApproval, checks that its grant passed the in-app approval. A 403
// comes back with the caller filled in.
func (b *bank) authenticate(token string, needApproval bool) (caller, *apiError) {
	b.mu.Lock()
	defer b.unlock()
	now := b.now()
	at := b.accessTokens[token]
	if at == nil || at.State == tokenRevoked {
		return caller{}, tokenError("unauthorized.bad_access_token", "Access token is malformed or unknown")
	}
	if at.State == tokenEvicted {
		return caller{}, tokenError("unauthorized.bad_access_token.evicted",
			"Access token has been evicted by a newer token for the same client and user")
	}
	if !now.Before(at.Expires) {
		return caller{}, tokenError("unauthorized.bad_access_token.expired", "Access token has expired")
	}
	c := caller{ClientID: at.ClientID, UserID: at.UserID, GrantID: at.GrantID, AccessToken: at.Token}
	if needApproval {
		g := b.grants[c.GrantID]
		if g != nil {
			b.refreshGrantLocked(g, now)
		}
		if g == nil || g.State != GrantApproved {
			return c, errInsufficientPermissions(map[string]string{"client_id": c.ClientID, "user_id": c.UserID})
		}
	}
	return c, nil
}

// grantOfLocked returns the caller's grant (for the 5-minute / 90-day
// rule). Call with b.mu held.
func (b *bank) grantOfLocked(c caller) *grant { return b.grants[c.GrantID] }
