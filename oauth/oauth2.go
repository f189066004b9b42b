package oauth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/monzokit/monzo"
	"golang.org/x/oauth2"
)

// OAuth2Config returns the equivalent golang.org/x/oauth2 configuration,
// for code built on that package (client credentials sent in the form body,
// as Monzo requires).
//
// Use it to build auth URLs or exchange codes, not to refresh: x/oauth2
// cannot persist a rotated refresh token, and when a refresh response lacks
// a refresh token it keeps using the old one, which Monzo has already
// invalidated. Refresh with [TokenSource] instead.
//
// The returned value holds the client secret in a type this module does
// not own: unlike [Config], an *oauth2.Config prints its ClientSecret under
// fmt (%v, %+v) and encodes it with encoding/json and slog. Never print or
// log it; log the Config it came from instead. Nothing in this module
// prints or logs one.
func (c *Config) OAuth2Config() *oauth2.Config {
	tokenURL, err := c.endpoint("oauth2/token")
	if err != nil {
		tokenURL = ""
	}
	authURL := c.authURL()
	if u, err := urlWithRootPath(authURL); err == nil {
		authURL = u
	}
	return &oauth2.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		RedirectURL:  c.RedirectURL,
		Endpoint: oauth2.Endpoint{
			AuthURL:   authURL,
			TokenURL:  tokenURL,
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// OAuth2 returns ts as a golang.org/x/oauth2 TokenSource, e.g. for
// oauth2.NewClient. Its tokens carry Expiry, RefreshToken and, as extras,
// user_id, client_id and scope. Refreshing stays with ts: do not refresh
// the returned tokens' refresh tokens yourself. An *oauth2.Token, unlike a
// [Token], prints its tokens under fmt and slog: never print or log one.
func (ts *TokenSource) OAuth2() oauth2.TokenSource {
	return oauth2TokenSource{ts}
}

type oauth2TokenSource struct{ ts *TokenSource }

func (s oauth2TokenSource) Token() (*oauth2.Token, error) {
	tok, err := s.ts.Token(context.Background())
	if err != nil {
		return nil, err
	}
	return toOAuth2(tok), nil
}

// toOAuth2 converts a token to the x/oauth2 form.
func toOAuth2(tok *Token) *oauth2.Token {
	typ := tok.TokenType
	if typ == "" {
		typ = "Bearer"
	}
	t := &oauth2.Token{
		AccessToken:  tok.AccessToken,
		TokenType:    typ,
		RefreshToken: tok.RefreshToken,
		Expiry:       tok.Expiry,
	}
	return t.WithExtra(map[string]any{
		"user_id":   tok.UserID,
		"client_id": tok.ClientID,
		"scope":     tok.Scope,
	})
}

// FromOAuth2 adapts a golang.org/x/oauth2 TokenSource (for instance one
// from oauth2.ReuseTokenSource) to [monzo.TokenSource]. When the source fails
// with an [*oauth2.RetrieveError], its body is decoded into an
// [*monzo.Error], so errors.Is(err, monzo.ErrBadRefreshToken) and friends
// work; errors.As still finds the *oauth2.RetrieveError too.
//
// The adapter cannot force a refresh, so it does not implement
// monzo.ExpiredTokenRefresher; prefer [TokenSource] where you can.
func FromOAuth2(src oauth2.TokenSource) monzo.TokenSource {
	return fromOAuth2{src}
}

type fromOAuth2 struct{ src oauth2.TokenSource }

func (f fromOAuth2) AccessToken(context.Context) (string, error) {
	tok, err := f.src.Token()
	if err != nil {
		return "", fmt.Errorf("oauth: getting a token from the oauth2.TokenSource: %w", convertOAuth2Error(err))
	}
	if tok == nil || tok.AccessToken == "" {
		return "", errors.New("oauth: the oauth2.TokenSource returned no access token: log in again")
	}
	return tok.AccessToken, nil
}

// convertOAuth2Error turns an x/oauth2 RetrieveError into a *monzo.Error
// (keeping the RetrieveError reachable with errors.As).
func convertOAuth2Error(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return err
	}
	resp := &http.Response{
		StatusCode: re.Response.StatusCode,
		Header:     re.Response.Header,
		Request:    re.Response.Request,
		Body:       io.NopCloser(bytes.NewReader(re.Body)),
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		// x/oauth2 also reports a 2xx body it could not use; there is no
		// Monzo error to recover.
		return err
	}
	// x/oauth2 does not say what it sent, so only secret-shaped text can be
	// scrubbed from the body. It runs on the wall clock (there is no Config
	// here), so a Retry-After date is read against the wall clock too.
	apiErr := scrubError(monzo.CheckResponse(resp))
	if apiErr == nil {
		return err
	}
	return &convertedError{apiErr: apiErr, orig: err}
}

// convertedError presents the Monzo error while keeping the original
// x/oauth2 error in the chain.
type convertedError struct {
	apiErr error
	orig   error
}

func (e *convertedError) Error() string   { return e.apiErr.Error() }
func (e *convertedError) Unwrap() []error { return []error{e.apiErr, e.orig} }
