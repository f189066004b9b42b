// Package oauth implements Monzo's OAuth 2.0 authorization-code flow and
// keeps the resulting tokens fresh and safely stored.
//
// The flow has three steps:
//
//  1. Make a state with [NewState], keep it, and send the user to
//     [Config.AuthCodeURL].
//  2. Monzo redirects the browser to your redirect URL with a code and the
//     state. [ParseCallback] reads them (and reports a refusal as
//     [ErrAccessDenied]).
//  3. [Config.Exchange] checks the state in constant time and swaps the code
//     for a [Token]. A wrong state is [ErrStateMismatch] and an empty code is
//     [ErrMissingCode]; neither sends a request.
//
// After logging in, the user must approve access in the Monzo app: until they
// do, data calls answer monzo.ErrInsufficientPermissions with the same, valid
// token.
//
// Monzo refresh tokens are single-use: a refresh returns a new refresh token
// and kills the old one, and refreshing twice with the same refresh token
// breaks the chain for good. [TokenSource] is built around that. It refreshes
// a few minutes before expiry ([DefaultRefreshLeeway]) and when the API says
// the token has expired, lets concurrent callers share one refresh, takes a
// cross-process lock when the [Store] offers one ([FileStore] does), and
// saves the rotated token to the store before it hands out the new access
// token.
//
// A bare access token, such as one copied from the API playground, works too:
// store [BareToken] or use monzo.StaticToken. It cannot be refreshed; when it
// expires the user has to log in again. Tokens of non-confidential clients
// are the same: Monzo never gives them a refresh token.
//
// [Token], [Config], [Callback], [TokenSource] and the stores redact their
// secrets when printed with fmt or logged with log/slog; only a Token's JSON
// encoding (used by the stores) carries them. Errors from the token
// endpoint are scrubbed of the request's secrets. Every error text starts
// with "oauth: ", and misconfigurations and bad arguments found before
// anything is sent match monzo.ErrInvalidArgument under [errors.Is].
//
// The package interoperates with golang.org/x/oauth2 ([Config.OAuth2Config],
// [TokenSource.OAuth2], [FromOAuth2]) but does not need it: x/oauth2 has no
// hook for persisting a rotated refresh token, which Monzo requires.
package oauth
