package emulator

import (
	"net/http"
	"net/url"
)

// validateAuthRequestLocked checks client_id, redirect_uri (exact match) and
// response_type. Failures must be shown as an HTML page, never redirected:
// the redirect URI is not trusted until it matches.
func (b *bank) validateAuthRequestLocked(v url.Values) (authRequest, *apiError) {
	clientID, redirectURI := v.Get("client_id"), v.Get("redirect_uri")
	if clientID == "" {
		return authRequest{}, missingParam("client_id")
	}
	c := b.clients[clientID]
	if c == nil {
		return authRequest{}, newAPIError(http.StatusBadRequest, "bad_request.bad_param.client_id",
			"There is no OAuth client "+quote(clientID)+". Check the client_id.", nil)
	}
	if redirectURI == "" {
		return authRequest{}, missingParam("redirect_uri")
	}
	if redirectURI != c.RedirectURI {
		return authRequest{}, newAPIError(http.StatusBadRequest, "bad_request.bad_param.redirect_uri",
			"The redirect_uri "+quote(redirectURI)+" does not exactly match the one registered for "+c.Name+" ("+quote(c.RedirectURI)+").", nil)
	}
	if rt := v.Get("response_type"); rt != "code" {
		return authRequest{}, newAPIError(http.StatusBadRequest, "bad_request.bad_param.response_type",
			"response_type must be 'code' (got "+quote(rt)+").", nil)
	}
	return authRequest{client: *c, redirectURI: redirectURI, state: v.Get("state")}, nil
}

// consentRequest validates the authorization request v for the consent
// page and snapshots the users to choose from.
func (b *bank) consentRequest(v url.Values) (authRequest, []*user, *apiError) {
	b.mu.Lock()
	defer b.unlock()
	var users []*user
	for _, id := range b.userOrder {
		u := *b.users[id]
		users = append(users, &u)
	}
	req, apiErr := b.validateAuthRequestLocked(v)
	return req, users, apiErr
}

// checkAuthRequest validates the authorization request v.
func (b *bank) checkAuthRequest(v url.Values) (authRequest, *apiError) {
	return locked(b, func() (authRequest, *apiError) { return b.validateAuthRequestLocked(v) })
}

// authorize carries out the consent form's decision: "allow" issues a code
// for the chosen user, "deny" refuses. It returns the URL to redirect to.
func (b *bank) authorize(form url.Values) (string, *apiError) {
	return locked(b, func() (string, *apiError) {
		req, apiErr := b.validateAuthRequestLocked(form)
		if apiErr != nil {
			return "", apiErr
		}
		switch form.Get("decision") {
		case "allow":
			userID := form.Get("user_id")
			if b.users[userID] == nil {
				return "", newAPIError(http.StatusBadRequest, "bad_request.bad_param.user_id", "Pick a user to sign in as.", nil)
			}
			ac := &authCode{Code: "authzcode_" + randomString(40), ClientID: req.client.ID, UserID: userID,
				RedirectURI: req.redirectURI, Issued: b.now()}
			b.codes[ac.Code] = ac
			return addQuery(req.redirectURI, "code", ac.Code, req.state), nil
		case "deny":
			return addQuery(req.redirectURI, "error", "access_denied", req.state), nil
		}
		return "", newAPIError(http.StatusBadRequest, "bad_request.bad_param.decision", "Choose Allow or Deny.", nil)
	})
}
