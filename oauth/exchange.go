package oauth

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/apihttp"
)

// maxTokenResponse caps how much of a token response is read.
const maxTokenResponse = 1 << 20

// Exchange swaps an authorization code for a token (POST /oauth2/token,
// grant_type=authorization_code).
//
// It first compares returnedState (from the redirect) with expectedState
// (from [NewState]) in constant time: a mismatch, or an empty expectedState,
// is [ErrStateMismatch], and an empty code is [ErrMissingCode]. In those
// cases no request is sent. Errors from Monzo are [*monzo.Error]s (a reused
// or expired code, a redirect URL that differs from the one used to get the
// code, a wrong secret), keeping Monzo's code and the OAuth error key.
//
// Codes are single-use. The token's Expiry is computed from expires_in
// against [Config.Clock]. Save it with a [Store] straight away.
func (c *Config) Exchange(ctx context.Context, code, returnedState, expectedState string) (*Token, error) {
	if expectedState == "" {
		return nil, invalid(fmt.Errorf("%w (no expected state was given: make one with NewState and put it in the auth URL)", ErrStateMismatch))
	}
	if subtle.ConstantTimeCompare([]byte(returnedState), []byte(expectedState)) != 1 {
		return nil, ErrStateMismatch
	}
	if code == "" {
		return nil, ErrMissingCode
	}
	if err := c.validateForTokens(); err != nil {
		return nil, err
	}
	return c.tokenRequest(ctx, url.Values{
		"grant_type":    {"authorization_code"},
		"client_id":     {c.ClientID},
		"client_secret": {c.ClientSecret},
		"redirect_uri":  {c.RedirectURL},
		"code":          {code},
	})
}

// Refresh swaps a refresh token for a new token (POST /oauth2/token,
// grant_type=refresh_token). Monzo refresh tokens are single-use: after a
// successful call refreshToken is dead, and the returned token carries the
// only live one. Persist it before using it; [TokenSource] does that for
// you.
//
// If the response has no refresh token the returned token has none either
// ([Token.CanRefresh] is false): the old one is never reused. A refresh
// token that was already used, revoked or replaced gives an error matching
// monzo.ErrBadRefreshToken; the user must log in again. An empty
// refreshToken is [ErrCannotRefresh], without a request.
func (c *Config) Refresh(ctx context.Context, refreshToken string) (*Token, error) {
	if refreshToken == "" {
		return nil, ErrCannotRefresh
	}
	if err := c.validateForTokens(); err != nil {
		return nil, err
	}
	return c.tokenRequest(ctx, url.Values{
		"grant_type":    {"refresh_token"},
		"client_id":     {c.ClientID},
		"client_secret": {c.ClientSecret},
		"refresh_token": {refreshToken},
	})
}

// tokenResponse is the JSON answer of /oauth2/token.
type tokenResponse struct {
	AccessToken  string      `json:"access_token"`
	RefreshToken string      `json:"refresh_token"`
	ExpiresIn    json.Number `json:"expires_in"`
	TokenType    string      `json:"token_type"`
	UserID       string      `json:"user_id"`
	ClientID     string      `json:"client_id"`
	Scope        string      `json:"scope"`
}

// tokenRequest posts form to /oauth2/token and decodes the token. Neither
// the form nor the response body ever appears in an error: the texts of an
// error answer are scrubbed of the form's secrets and of anything shaped
// like a secret (see scrubError).
func (c *Config) tokenRequest(ctx context.Context, form url.Values) (*Token, error) {
	grant := form.Get("grant_type")
	resp, err := c.post(ctx, "oauth2/token", form, "")
	if err != nil {
		return nil, fmt.Errorf("oauth: %s grant: %w", grant, err)
	}
	defer resp.Body.Close()
	if err := c.checkResponse(resp); err != nil {
		return nil, scrubError(err, form.Get("client_secret"), form.Get("code"), form.Get("refresh_token"))
	}
	data, err := apihttp.ReadAll(resp.Body, maxTokenResponse)
	if err != nil {
		return nil, fmt.Errorf("oauth: reading the %s token response: %w", grant, err)
	}
	var tr tokenResponse
	if err := json.Unmarshal(data, &tr); err != nil {
		// Do not quote the body: it may hold tokens.
		return nil, fmt.Errorf("oauth: decoding the %s token response: %w", grant, err)
	}
	if tr.AccessToken == "" {
		return nil, fmt.Errorf("oauth: the %s token response has no access_token (HTTP %d)", grant, resp.StatusCode)
	}
	tok := &Token{
		AccessToken:  tr.AccessToken,
		RefreshToken: tr.RefreshToken,
		TokenType:    tr.TokenType,
		UserID:       tr.UserID,
		ClientID:     tr.ClientID,
		Scope:        tr.Scope,
	}
	if tok.ClientID == "" {
		tok.ClientID = c.ClientID
	}
	if secs, err := strconv.ParseFloat(tr.ExpiresIn.String(), 64); err == nil && secs > 0 {
		tok.Expiry = c.now().Add(secondsToDuration(secs))
	}
	return tok, nil
}

// post sends a POST to an API path through the same request helpers as the
// monzo client (internal/apihttp): a non-nil form is sent form-encoded, a
// non-empty bearer token authenticates the request, and a transport error
// carries the URL without its query string.
func (c *Config) post(ctx context.Context, path string, form url.Values, bearer string) (*http.Response, error) {
	endpoint, err := c.endpoint(path)
	if err != nil {
		return nil, err
	}
	var body apihttp.Body
	if form != nil {
		body = apihttp.Form(form)
	}
	req, err := apihttp.New(ctx, apihttp.Request{Method: http.MethodPost, URL: endpoint, Body: body, UserAgent: monzo.DefaultUserAgent, Bearer: bearer})
	if err != nil {
		return nil, fmt.Errorf("oauth: building POST /%s: %w", path, err)
	}
	return apihttp.Do(ctx, c.httpClient(), req)
}
