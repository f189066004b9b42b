// Package redact is how every package of this module shows a secret it
// must not print: the same placeholder, and the same fmt and JSON plumbing
// so that no verb or encoder can slip past a type's redacted description.
//
// # The rule for every type that holds a secret
//
// A secret is a client secret, an access or refresh token, an
// authorization code, a webhook URL's secret, an upload URL's signature or
// a key that signs (the emulator's CSRF key).
// Every type holding one:
//
//   - prints a description with the secret replaced by [Placeholder] under
//     every fmt verb, value and pointer alike (a Format method calling
//     [Format], plus String and GoString);
//   - logs the same description with log/slog, as a [slog.LogValuer];
//   - unless its JSON is a storage or wire format, encodes that same
//     description with encoding/json too (a MarshalJSON method calling
//     [JSON]). This matters because slog's JSON handler, and any user code
//     that logs with json.Marshal, encodes a value nested in a struct, map
//     or slice with json.Marshal, which no LogValuer reaches.
//
// The exceptions are the types whose JSON is a format that must be
// lossless: oauth.Token (what every Store, including a user's own that
// calls json.Marshal, writes to disk: a lost refresh token ends the login),
// the CLI's configuration profile (its file holds the client secret needed
// to refresh) and the API resources monzo.Webhook and
// monzo.AttachmentUploadURLs (the API's own JSON, kept whole in Raw), and
// the emulator's emulator.OAuthClient, WebhookRecord and WebhookDelivery
// (its control plane's JSON, which hands a test its client secrets and
// webhook URLs on purpose). Their JSON carries the secret by design. They are safe to print with fmt and
// to log as an attribute of their own (top level or in a slog.Group) with
// either slog handler; logged nested inside another struct, map or slice
// with slog's JSON handler they are JSON-encoded in full, so log them on
// their own (or their LogValue()) instead.
package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
)

// Placeholder stands in for a secret in any output.
const Placeholder = "[redacted]"

// State says whether a secret is set without showing it: "none" or
// [Placeholder].
func State(secret string) string {
	if secret == "" {
		return "none"
	}
	return Placeholder
}

// Format writes description, which must hold no secret, for every verb
// (quoted for %q). A type holding a secret calls it from its Format
// method: writing the same text whatever the verb matters, because fmt
// prints a string-kinded value it has no method for (under %d, say) with
// its contents.
func Format(f fmt.State, verb rune, description string) {
	if verb == 'q' {
		description = strconv.Quote(description)
	}
	_, _ = io.WriteString(f, description)
}

// JSON encodes a type's redacted log description (its LogValue, which must
// hold no secret) as JSON: a group becomes an object with its attributes in
// order, a duration its text ("1m30s"), anything else what encoding/json
// makes of it. A type holding a secret whose JSON is not a storage format
// returns it from its MarshalJSON method, so that json.Marshal, and slog's
// JSON handler with the value nested in a struct, show what the log shows.
func JSON(v slog.Value) ([]byte, error) {
	var buf bytes.Buffer
	if err := appendJSON(&buf, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func appendJSON(buf *bytes.Buffer, v slog.Value) error {
	v = v.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		buf.WriteByte('{')
		for i, a := range v.Group() {
			if i > 0 {
				buf.WriteByte(',')
			}
			key, _ := json.Marshal(a.Key)
			buf.Write(key)
			buf.WriteByte(':')
			if err := appendJSON(buf, a.Value); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
		return nil
	case slog.KindDuration:
		v = slog.StringValue(v.Duration().String())
	}
	data, err := json.Marshal(v.Any())
	if err != nil {
		return err
	}
	buf.Write(data)
	return nil
}
