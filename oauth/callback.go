package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Callback is what Monzo's redirect back to the client carries.
type Callback struct {
	// Code is the single-use authorization code. It is a secret.
	Code string
	// State is the state echoed back; compare it with the one sent
	// ([Config.Exchange] does, in constant time).
	State string
}

// String redacts the code.
func (cb Callback) String() string {
	code := "none"
	if cb.Code != "" {
		code = redacted
	}
	return fmt.Sprintf("oauth.Callback{Code: %s, State: %q}", code, cb.State)
}

// GoString redacts the code for %#v too.
func (cb Callback) GoString() string { return cb.String() }

// AuthorizationError is an error reported on the redirect itself
// (error=…&error_description=…), for example when the user refused access.
// It matches [ErrAccessDenied] under [errors.Is] when Code is
// "access_denied".
type AuthorizationError struct {
	// Code is the OAuth error code, e.g. "access_denied".
	Code string
	// Description is the human-readable error_description, if any.
	Description string
	// URI is the error_uri, if any.
	URI string
}

func (e *AuthorizationError) Error() string {
	msg := "oauth: authorization failed: " + e.Code
	if e.Code == "access_denied" {
		msg = "oauth: access was denied"
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg + " (start the login again and approve the request)"
}

// Is makes an access_denied error match [ErrAccessDenied].
func (e *AuthorizationError) Is(target error) bool {
	return target == ErrAccessDenied && e.Code == "access_denied"
}

// ParseCallback reads the code and state from the URL Monzo redirected the
// browser to. redirected may be the full URL (as pasted from a browser's
// address bar), its query string with or without the leading "?", or an
// [net/http.Request]'s URL.String(). An error=… parameter is returned as an
// [*AuthorizationError]; a redirect without a code as [ErrMissingCode].
// Spaces and line breaks around redirected (a paste picks them up) are
// ignored. ParseCallback does not check the state: [Config.Exchange] does.
func ParseCallback(redirected string) (Callback, error) {
	query := strings.TrimSpace(redirected)
	if i := strings.IndexByte(query, '?'); i >= 0 {
		query = query[i+1:]
	} else if strings.Contains(query, "://") {
		query = ""
	}
	if i := strings.IndexByte(query, '#'); i >= 0 {
		query = query[:i]
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		// The error text would quote the query, which holds the code.
		return Callback{}, invalid(errors.New("oauth: the redirect URL's query is malformed: paste the whole URL from the browser's address bar"))
	}
	if e := q.Get("error"); e != "" {
		return Callback{State: q.Get("state")}, &AuthorizationError{Code: e, Description: q.Get("error_description"), URI: q.Get("error_uri")}
	}
	cb := Callback{Code: q.Get("code"), State: q.Get("state")}
	if cb.Code == "" {
		return cb, ErrMissingCode
	}
	return cb, nil
}

// ExchangeCallback parses the redirect URL with [ParseCallback] and
// exchanges its code with [Config.Exchange], checking its state against
// expectedState.
func (c *Config) ExchangeCallback(ctx context.Context, redirected, expectedState string) (*Token, error) {
	cb, err := ParseCallback(redirected)
	if err != nil {
		return nil, err
	}
	return c.Exchange(ctx, cb.Code, cb.State, expectedState)
}
