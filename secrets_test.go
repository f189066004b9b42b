package monzo_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
)

// Every type of this package that holds a secret, printed under every fmt
// verb and logged through both slog handlers, must never show the secret.
func TestSecretsAreRedactedUnderEveryVerb(t *testing.T) {
	const token = "acctok-s3cret-VALUE"
	const sig = "sig-s3cret-VALUE"

	client, err := monzo.NewClient(monzo.WithAccessToken(token), monzo.WithBaseURL("https://api.example.com/v1"))
	if err != nil {
		t.Fatal(err)
	}
	var webhook monzo.Webhook
	if err := json.Unmarshal([]byte(`{"id":"webhook_1","account_id":"acc_1","url":"https://example.com/monzo?token=`+sig+`"}`), &webhook); err != nil {
		t.Fatal(err)
	}
	var upload monzo.AttachmentUploadURLs
	if err := json.Unmarshal([]byte(`{"file_url":"https://files.example.com/f1?X-Amz-Signature=`+sig+`","upload_url":"https://s3.example.com/f1?X-Amz-Signature=`+sig+`&X-Amz-Expires=60"}`), &upload); err != nil {
		t.Fatal(err)
	}

	holders := []struct {
		name   string
		secret string
		value  any
		// shows is a fragment the redacted output must still carry, so a
		// Format that printed nothing at all would not pass.
		shows string
		// nested holders are printed by fmt but, inside a slice or a
		// struct, encoded as JSON by slog's JSON handler, which no
		// LogValuer reaches: that is the encoding's business, not logging's.
		nested bool
	}{
		{"StaticToken", token, monzo.StaticToken(token), "[redacted]", false},
		{"*StaticToken", token, ptr(monzo.StaticToken(token)), "[redacted]", false},
		{"*Client", token, client, "api.example.com", false},
		{"Client", token, *client, "api.example.com", false},
		{"Webhook", sig, webhook, "token=[redacted]", false},
		{"*Webhook", sig, &webhook, "token=[redacted]", false},
		{"AttachmentUploadURLs", sig, upload, "X-Amz-Signature=[redacted]", false},
		{"*AttachmentUploadURLs", sig, &upload, "X-Amz-Signature=[redacted]", false},
		{"[]Webhook", sig, []monzo.Webhook{webhook}, "token=[redacted]", true},
		{"struct holding a token", token, struct{ Tok monzo.StaticToken }{monzo.StaticToken(token)}, "[redacted]", true},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10v", "%-8s"}
	leaks := func(out, secret string) bool {
		return strings.Contains(out, secret) || strings.Contains(strings.ToLower(out), hex.EncodeToString([]byte(secret)))
	}
	for _, h := range holders {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, h.value)
			if leaks(out, h.secret) {
				t.Errorf("%s under %s leaks the secret: %s", h.name, verb, out)
			}
		}
		if out := fmt.Sprintf("%v", h.value); !strings.Contains(out, h.shows) {
			t.Errorf("%s under %%v = %s, want it to show %q", h.name, out, h.shows)
		}
		for _, handler := range []struct {
			name string
			new  func(*bytes.Buffer) slog.Handler
		}{
			{"text", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }},
			{"json", func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }},
		} {
			if h.nested && handler.name == "json" {
				continue
			}
			var buf bytes.Buffer
			slog.New(handler.new(&buf)).Info("msg", "value", h.value, slog.Any("any", h.value))
			if leaks(buf.String(), h.secret) {
				t.Errorf("%s logged by the slog %s handler leaks the secret: %s", h.name, handler.name, buf.String())
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }
