package monzo

import (
	"context"
	"errors"
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
