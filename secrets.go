package monzo

import (
	"fmt"
	"log/slog"

	"github.com/monzokit/monzo/internal/redact"
	"github.com/monzokit/monzo/internal/weburl"
)

// Every type of this package that holds a secret (an access token, a URL
// whose query is a credential) prints a redacted description under every
// fmt verb and as a [slog.LogValuer], so a stray Printf or log line cannot
// leak it. The fields themselves keep the real values for the code that
// needs them.
//
// Under encoding/json, [StaticToken] and [Client] encode the same redacted
// description (slog's JSON handler encodes a value nested in a struct, map
// or slice with json.Marshal, which no LogValuer reaches). [Webhook] and
// [AttachmentUploadURLs] are API resources: their JSON is the API's own,
// whole (it is also in their Raw field), so it carries the URLs' secrets;
// log them on their own, not nested in a struct, with slog's JSON handler.

// String describes the token without showing it.
func (t StaticToken) String() string { return "monzo.StaticToken(" + redact.State(string(t)) + ")" }

// GoString is [StaticToken.String], for %#v.
func (t StaticToken) GoString() string { return t.String() }

// Format prints [StaticToken.String] under every verb.
func (t StaticToken) Format(f fmt.State, verb rune) { redact.Format(f, verb, t.String()) }

// LogValue implements [slog.LogValuer] without the token.
func (t StaticToken) LogValue() slog.Value { return slog.StringValue(redact.State(string(t))) }

// MarshalJSON encodes "[redacted]" (or "none"), never the token: a
// StaticToken is a credential in use, not a storage format. Store the token
// as a plain string if you must store it.
func (t StaticToken) MarshalJSON() ([]byte, error) { return redact.JSON(t.LogValue()) }

// String describes the client: its base URL and the kind of token source,
// never a token.
func (c Client) String() string {
	return fmt.Sprintf("monzo.Client{BaseURL: %q, TokenSource: %s, UserAgent: %q}", c.base(), c.tokenSourceKind(), c.userAgent)
}

// base is the base URL as text; a zero Client has none.
func (c Client) base() string {
	if c.baseURL == nil {
		return ""
	}
	return c.baseURL.String()
}

// GoString is [Client.String], for %#v.
func (c Client) GoString() string { return c.String() }

// Format prints [Client.String] under every verb.
func (c Client) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String()) }

// LogValue implements [slog.LogValuer] without the token.
func (c Client) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("base_url", c.base()),
		slog.String("token_source", c.tokenSourceKind()),
		slog.String("user_agent", c.userAgent),
	)
}

// MarshalJSON encodes [Client.LogValue]: the base URL, the kind of token
// source and the user agent, never a token.
func (c Client) MarshalJSON() ([]byte, error) { return redact.JSON(c.LogValue()) }

// tokenSourceKind names the token source by type only: a token source
// written elsewhere may not redact itself.
func (c Client) tokenSourceKind() string {
	switch ts := c.tokens.(type) {
	case nil:
		return "none"
	case StaticToken:
		return ts.String()
	default:
		return fmt.Sprintf("%T", ts)
	}
}

// String describes the webhook with the values of its URL's query
// redacted: they usually hold the secret that authenticates deliveries.
func (w Webhook) String() string {
	return fmt.Sprintf("monzo.Webhook{ID: %q, AccountID: %q, URL: %q, Raw: %d bytes}", w.ID, w.AccountID, weburl.RedactQuery(w.URL), len(w.Raw))
}

// GoString is [Webhook.String], for %#v.
func (w Webhook) GoString() string { return w.String() }

// Format prints [Webhook.String] under every verb.
func (w Webhook) Format(f fmt.State, verb rune) { redact.Format(f, verb, w.String()) }

// LogValue implements [slog.LogValuer] with the URL's query redacted.
func (w Webhook) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", w.ID), slog.String("account_id", w.AccountID), slog.String("url", weburl.RedactQuery(w.URL)))
}

// String describes the URLs with their query values redacted: the upload
// URL's query is its signature.
func (u AttachmentUploadURLs) String() string {
	return fmt.Sprintf("monzo.AttachmentUploadURLs{FileURL: %q, UploadURL: %q, Raw: %d bytes}", weburl.RedactQuery(u.FileURL), weburl.RedactQuery(u.UploadURL), len(u.Raw))
}

// GoString is [AttachmentUploadURLs.String], for %#v.
func (u AttachmentUploadURLs) GoString() string { return u.String() }

// Format prints [AttachmentUploadURLs.String] under every verb.
func (u AttachmentUploadURLs) Format(f fmt.State, verb rune) { redact.Format(f, verb, u.String()) }

// LogValue implements [slog.LogValuer] with the query values redacted.
func (u AttachmentUploadURLs) LogValue() slog.Value {
	return slog.GroupValue(slog.String("file_url", weburl.RedactQuery(u.FileURL)), slog.String("upload_url", weburl.RedactQuery(u.UploadURL)))
}
