package webhook

import (
	"fmt"
	"log/slog"

	"github.com/monzokit/monzo/internal/redact"
)

// The types of this package that hold the webhook secret ([Options],
// [Handler]) print and log a description with the secret replaced by
// "[redacted]" under every fmt verb (%v, %+v, %#v, %s, %q, %x, ...) and
// with log/slog, and encode it under encoding/json too (slog's JSON
// handler encodes a value nested in a struct with json.Marshal): the
// secret in the URL is the only proof a delivery comes from Monzo.

// String describes the options without the secret.
func (o Options) String() string {
	return fmt.Sprintf("webhook.Options{Secret: %s, SecretParam: %q, MaxBodyBytes: %d, Timeout: %s, Verify: %t, DedupeSize: %d, DedupeWindow: %s, Clock: %t}",
		redact.State(o.Secret), o.SecretParam, o.MaxBodyBytes, o.Timeout, o.Verify != nil, o.DedupeSize, o.DedupeWindow, o.Clock != nil)
}

// GoString redacts the secret for %#v too.
func (o Options) GoString() string { return o.String() }

// Format makes every fmt verb print [Options.String].
func (o Options) Format(f fmt.State, verb rune) { redact.Format(f, verb, o.String()) }

// LogValue implements [slog.LogValuer], without the secret.
func (o Options) LogValue() slog.Value {
	return slog.GroupValue(slog.String("secret", redact.State(o.Secret)), slog.String("secret_param", o.SecretParam))
}

// MarshalJSON encodes [Options.LogValue], without the secret.
func (o Options) MarshalJSON() ([]byte, error) { return redact.JSON(o.LogValue()) }

// String describes the handler without its secret.
func (h Handler) String() string {
	dedupe := "off"
	if h.seen != nil {
		dedupe = fmt.Sprintf("%d events, %s", h.seen.size, h.seen.window)
	}
	return fmt.Sprintf("webhook.Handler{Secret: %s, SecretParam: %q, MaxBodyBytes: %d, Timeout: %s, Verify: %t, Dedupe: %s}",
		redact.State(h.secret), h.param, h.maxBody, h.timeout, h.verify != nil, dedupe)
}

// GoString redacts the secret for %#v too.
func (h Handler) GoString() string { return h.String() }

// Format makes every fmt verb print [Handler.String].
func (h Handler) Format(f fmt.State, verb rune) { redact.Format(f, verb, h.String()) }

// LogValue implements [slog.LogValuer], without the secret.
func (h Handler) LogValue() slog.Value {
	return slog.GroupValue(slog.String("secret", redact.State(h.secret)), slog.String("secret_param", h.param))
}

// MarshalJSON encodes [Handler.LogValue], without the secret.
func (h Handler) MarshalJSON() ([]byte, error) { return redact.JSON(h.LogValue()) }
