package emulator

import (
	"fmt"
	"log/slog"
	"net/url"

	"github.com/monzokit/monzo/internal/redact"
	"github.com/monzokit/monzo/internal/weburl"
)

// The emulator's types that hold a secret print and log a description with
// the secret replaced by "[redacted]" under every fmt verb and with
// log/slog, as every secret holder of this module does (see the module's
// README, "Secrets"):
//
//   - [OAuthClient] holds a client secret;
//   - [WebhookRecord] and [WebhookDelivery] hold a webhook URL, whose query
//     usually carries the secret that authenticates deliveries (and a
//     failed delivery's Error quotes that URL);
//   - [Server] holds the key that signs the consent form's CSRF tokens,
//     and [Running] holds a Server.
//
// Their JSON is the control plane's wire format, which hands a test its
// client secrets and webhook URLs on purpose (the emulator is a test
// oracle), so OAuthClient, WebhookRecord and WebhookDelivery keep the
// secret under encoding/json: log them on their own, not nested in a
// struct, map or slice, with slog's JSON handler. A Server has no JSON
// form; it encodes its description.

// String describes the client without its secret.
func (c OAuthClient) String() string {
	return fmt.Sprintf("emulator.OAuthClient{ID: %q, Secret: %s, Name: %q, RedirectURI: %q, Confidential: %t}",
		c.ID, redact.State(c.Secret), c.Name, weburl.RedactQuery(c.RedirectURI), c.Confidential)
}

// GoString is [OAuthClient.String], for %#v.
func (c OAuthClient) GoString() string { return c.String() }

// Format prints [OAuthClient.String] under every verb.
func (c OAuthClient) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String()) }

// LogValue implements [slog.LogValuer] without the secret.
func (c OAuthClient) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("client_id", c.ID),
		slog.String("client_secret", redact.State(c.Secret)),
		slog.String("name", c.Name),
		slog.String("redirect_uri", weburl.RedactQuery(c.RedirectURI)),
		slog.Bool("confidential", c.Confidential),
	)
}

// String describes the webhook with its URL's query values redacted.
func (h WebhookRecord) String() string {
	return fmt.Sprintf("emulator.WebhookRecord{ID: %q, AccountID: %q, URL: %q, ClientID: %q, Created: %q}",
		h.ID, h.AccountID, weburl.RedactQuery(h.URL), h.ClientID, formatTime(h.Created))
}

// GoString is [WebhookRecord.String], for %#v.
func (h WebhookRecord) GoString() string { return h.String() }

// Format prints [WebhookRecord.String] under every verb.
func (h WebhookRecord) Format(f fmt.State, verb rune) { redact.Format(f, verb, h.String()) }

// LogValue implements [slog.LogValuer] with the URL's query redacted.
func (h WebhookRecord) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", h.ID),
		slog.String("account_id", h.AccountID),
		slog.String("url", weburl.RedactQuery(h.URL)),
		slog.String("client_id", h.ClientID),
		slog.Time("created", h.Created),
	)
}

// String describes the attempt with the URL's query values redacted,
// in the URL and in the error that may quote it.
func (d WebhookDelivery) String() string {
	return fmt.Sprintf("emulator.WebhookDelivery{WebhookID: %q, AccountID: %q, URL: %q, TransactionID: %q, Attempt: %d, Time: %q, StatusCode: %d, Error: %q, Succeeded: %t, NextAttempt: %q, GaveUp: %t, Body: %d bytes}",
		d.WebhookID, d.AccountID, weburl.RedactQuery(d.URL), d.TransactionID, d.Attempt, formatTime(d.Time),
		d.StatusCode, d.redactedError(), d.Succeeded, formatTime(d.NextAttempt), d.GaveUp, len(d.Body))
}

// redactedError is Error without the URL's secrets: a failed POST's error
// (a *url.Error) quotes the whole URL.
func (d WebhookDelivery) redactedError() string {
	return redact.Text(d.Error, append(queryValues(d.URL), d.URL)...)
}

// GoString is [WebhookDelivery.String], for %#v.
func (d WebhookDelivery) GoString() string { return d.String() }

// Format prints [WebhookDelivery.String] under every verb.
func (d WebhookDelivery) Format(f fmt.State, verb rune) { redact.Format(f, verb, d.String()) }

// LogValue implements [slog.LogValuer] with the URL's query redacted.
func (d WebhookDelivery) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("webhook_id", d.WebhookID),
		slog.String("account_id", d.AccountID),
		slog.String("url", weburl.RedactQuery(d.URL)),
		slog.String("transaction_id", d.TransactionID),
		slog.Int("attempt", d.Attempt),
		slog.Time("time", d.Time),
		slog.Int("status_code", d.StatusCode),
		slog.String("error", d.redactedError()),
		slog.Bool("succeeded", d.Succeeded),
		slog.Bool("gave_up", d.GaveUp),
	)
}

// queryValues lists the values of raw's query string, each one a possible
// secret.
func queryValues(raw string) []string {
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return nil
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return []string{u.RawQuery}
	}
	var out []string
	for _, vs := range q {
		out = append(out, vs...)
	}
	return out
}

// String describes the server by its options, never its CSRF key.
func (s *Server) String() string {
	if s == nil {
		return "emulator.Server(nil)"
	}
	return fmt.Sprintf("emulator.Server{Seed: %d, Clock: %T, RedirectURI: %q, BaseURL: %q, CSRFKey: %s}",
		s.opts.Seed, s.opts.Clock, weburl.RedactQuery(s.opts.RedirectURI), s.opts.BaseURL, redact.State(string(s.csrfKey)))
}

// GoString is [Server.String], for %#v.
func (s *Server) GoString() string { return s.String() }

// Format prints [Server.String] under every verb.
func (s *Server) Format(f fmt.State, verb rune) { redact.Format(f, verb, s.String()) }

// LogValue implements [slog.LogValuer] without the CSRF key.
func (s *Server) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue("emulator.Server(nil)")
	}
	return slog.GroupValue(
		slog.Int64("seed", s.opts.Seed),
		slog.String("clock", fmt.Sprintf("%T", s.opts.Clock)),
		slog.String("redirect_uri", weburl.RedactQuery(s.opts.RedirectURI)),
		slog.String("base_url", s.opts.BaseURL),
	)
}

// MarshalJSON encodes [Server.LogValue]: a Server has no wire form.
func (s *Server) MarshalJSON() ([]byte, error) { return redact.JSON(s.LogValue()) }

// String describes the running emulator: its URL and its [Server]. Like
// Server's, it reads nothing a request may be changing (fmt's reflection
// would read the live http.Server).
func (r *Running) String() string {
	if r == nil {
		return "emulator.Running(nil)"
	}
	return fmt.Sprintf("emulator.Running{URL: %q, Server: %s}", r.URL, r.Server.String())
}

// GoString is [Running.String], for %#v.
func (r *Running) GoString() string { return r.String() }

// Format prints [Running.String] under every verb.
func (r *Running) Format(f fmt.State, verb rune) { redact.Format(f, verb, r.String()) }

// LogValue implements [slog.LogValuer] without the CSRF key.
func (r *Running) LogValue() slog.Value {
	if r == nil {
		return slog.StringValue("emulator.Running(nil)")
	}
	return slog.GroupValue(slog.String("url", r.URL), slog.Any("server", r.Server.LogValue()))
}

// MarshalJSON encodes [Running.LogValue].
func (r *Running) MarshalJSON() ([]byte, error) { return redact.JSON(r.LogValue()) }
