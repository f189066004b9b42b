package oauth

import (
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/monzokit/monzo/internal/redact"
)

// redacted replaces a secret in printed and logged output.
const redacted = redact.Placeholder

// Token is an access token with what Monzo returned alongside it.
//
// Printing a Token with fmt (any verb, including %#v, value or pointer) or
// logging it with log/slog as an attribute of its own (slog.Any("token",
// tok), top level or inside a slog.Group, with either handler) shows its
// metadata but never the access or refresh token.
//
// Its JSON encoding is the storage format and carries both tokens, by
// design: [FileStore], and any Store of your own that calls json.Marshal,
// must be able to write the single-use refresh token back, or the login is
// lost. So treat the JSON as a secret, and do not log a struct, map or
// slice holding a Token with slog's JSON handler, which encodes nested
// values with json.Marshal: log the Token itself, or tok.LogValue(), or
// tok.String(). (slog's text handler prints nested values with fmt, which
// is safe.)
type Token struct {
	// AccessToken authenticates API requests ("Authorization: Bearer …").
	AccessToken string `json:"access_token"`
	// RefreshToken gets a new token once this one expires. It is single-use
	// and empty for non-confidential clients and playground tokens.
	RefreshToken string `json:"refresh_token,omitempty"`
	// Expiry is when the access token expires; the zero time means unknown.
	Expiry time.Time `json:"expiry,omitzero"`
	// UserID is the Monzo user ("user_…") the token acts for.
	UserID string `json:"user_id,omitempty"`
	// ClientID is the OAuth client ("oauth2client_…") the token belongs to.
	ClientID string `json:"client_id,omitempty"`
	// Scope is Monzo's scope string, e.g.
	// "third_party_developer_app.pre_verification" before in-app approval.
	Scope string `json:"scope,omitempty"`
	// TokenType is "Bearer".
	TokenType string `json:"token_type,omitempty"`
}

// BareToken returns a Token holding only an access token, such as one
// copied from the Monzo API playground: no expiry is known and it cannot be
// refreshed. When it expires the user must get a new one.
func BareToken(accessToken string) *Token {
	return &Token{AccessToken: accessToken, TokenType: "Bearer"}
}

// Expired reports whether the access token's known expiry is at or before
// now. A token with an unknown expiry never reports itself expired; the API
// will say so (monzo.ErrTokenExpired).
func (t *Token) Expired(now time.Time) bool {
	return t != nil && !t.Expiry.IsZero() && !now.Before(t.Expiry)
}

// Valid reports whether t has an access token that has not expired at now.
func (t *Token) Valid(now time.Time) bool {
	return t != nil && t.AccessToken != "" && !t.Expired(now)
}

// CanRefresh reports whether t carries a refresh token.
func (t *Token) CanRefresh() bool {
	return t != nil && t.RefreshToken != ""
}

// expiresWithin reports whether the known expiry falls before now+d.
func (t *Token) expiresWithin(now time.Time, d time.Duration) bool {
	return !t.Expiry.IsZero() && !now.Add(d).Before(t.Expiry)
}

// clone returns a copy of t (nil for nil).
func (t *Token) clone() *Token {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// String describes the token without its secrets.
func (t *Token) String() string {
	if t == nil {
		return "<nil>"
	}
	expiry := "unknown"
	if !t.Expiry.IsZero() {
		expiry = t.Expiry.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("oauth.Token{AccessToken: %s, RefreshToken: %s, Expiry: %s, UserID: %q, ClientID: %q, Scope: %q, TokenType: %q}",
		redact.State(t.AccessToken), redact.State(t.RefreshToken), expiry, t.UserID, t.ClientID, t.Scope, t.TokenType)
}

// Format makes every fmt verb (%v, %+v, %#v, %s, %q, …) print [Token.String],
// so secrets cannot leak through a stray Printf.
func (t Token) Format(f fmt.State, verb rune) { redact.Format(f, verb, t.String()) }

// LogValue implements [slog.LogValuer]: the token's metadata, secrets
// redacted.
func (t Token) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("access_token", redact.State(t.AccessToken)),
		slog.String("refresh_token", redact.State(t.RefreshToken)),
	}
	if !t.Expiry.IsZero() {
		attrs = append(attrs, slog.Time("expiry", t.Expiry))
	}
	for _, a := range [][2]string{{"user_id", t.UserID}, {"client_id", t.ClientID}, {"scope", t.Scope}, {"token_type", t.TokenType}} {
		if a[1] != "" {
			attrs = append(attrs, slog.String(a[0], a[1]))
		}
	}
	return slog.GroupValue(attrs...)
}

// GoString also redacts, for code that calls it directly.
func (t Token) GoString() string { return t.String() }

// secondsToDuration converts expires_in, clamping absurd values.
func secondsToDuration(secs float64) time.Duration {
	if secs >= math.MaxInt64/float64(time.Second) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(secs * float64(time.Second))
}
