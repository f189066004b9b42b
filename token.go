package monzo

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/monzokit/monzo/internal/weburl"
)

// TokenSource supplies the access token for each request. Implementations
// must be safe for concurrent use. The oauth package provides one that
// refreshes and stores rotated tokens; [StaticToken] wraps a bare token.
type TokenSource interface {
	// AccessToken returns a currently valid access token.
	AccessToken(ctx context.Context) (string, error)
}

// ExpiredTokenRefresher is implemented by token sources that can replace a
// token the API rejected (any code of the "unauthorized.bad_access_token"
// family: expired before its known expiry, as with clock skew; evicted,
// because another goroutine or process refreshed it first; or the bare code,
// which the real API uses for expired tokens). The client calls it at most
// once per request, with the token that was refused, and retries the
// request with the token it returns.
type ExpiredTokenRefresher interface {
	RefreshExpired(ctx context.Context, rejected string) (string, error)
}

// StaticToken is a [TokenSource] for a bare access token, such as one copied
// from the Monzo API playground. It never refreshes: when the token expires,
// requests fail with [ErrTokenExpired].
type StaticToken string

// AccessToken returns the token itself.
func (t StaticToken) AccessToken(context.Context) (string, error) {
	if t == "" {
		return "", errors.New("monzo: empty access token: log in (see the oauth package) or pass a token from the Monzo API playground")
	}
	return string(t), nil
}

// APIHostReporter is implemented by token sources that talk to an API host
// themselves, such as the oauth package's TokenSource, which refreshes
// tokens at the host's /oauth2/token with the client secret and refresh
// token. [NewClient] refuses a client whose base URL is not the host its
// token source reports, so that a program pointed at an emulator (or a
// proxy) never sends its refresh token and client secret to another host.
// An empty APIBaseURL means the source sends nothing.
type APIHostReporter interface {
	// APIBaseURL returns the API base URL the source sends its requests to.
	APIBaseURL() string
}

// checkTokenHost reports a token source whose API host differs from the
// client's base URL.
func checkTokenHost(ts TokenSource, base *url.URL) error {
	r, ok := ts.(APIHostReporter)
	if !ok {
		return nil
	}
	raw := r.APIBaseURL()
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err == nil && sameBase(u, base) {
		return nil
	}
	return invalidf("NewClient: the token source refreshes tokens at %s but the client sends requests to %s: set the token source's API URL (oauth.Config.APIBaseURL) and WithBaseURL to the same URL",
		weburl.RedactQuery(raw), weburl.RedactQuery(base.String()))
}

// sameBase compares two API base URLs by scheme, host and path, ignoring
// case in scheme and host and a trailing slash.
func sameBase(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host) &&
		strings.TrimSuffix(a.Path, "/") == strings.TrimSuffix(b.Path, "/")
}
