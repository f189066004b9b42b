package oauth_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monzokit/monzo/oauth"
	"github.com/monzokit/monzo/webhook"
)

// TestSecretHoldersRedactEverywhere prints every oauth and webhook type
// that holds a secret under every fmt verb and logs it with log/slog (text
// and JSON handlers): the secret, in clear or hex, must never appear.
func TestSecretHoldersRedactEverywhere(t *testing.T) {
	const secret = "SeCrEt-9f8e7d"
	tok := oauth.Token{AccessToken: secret + "-access", RefreshToken: secret + "-refresh", UserID: "user_1"}
	cfg := oauth.Config{ClientID: "oauth2client_1", ClientSecret: secret + "-client", RedirectURL: "http://127.0.0.1/cb"}
	mem := oauth.NewMemoryStore(&tok)
	ts, err := oauth.NewTokenSource(&cfg, mem)
	if err != nil {
		t.Fatal(err)
	}
	file, err := oauth.NewFileStore(filepath.Join(t.TempDir(), "token.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := file.Save(context.Background(), &tok); err != nil {
		t.Fatal(err)
	}
	cb := oauth.Callback{Code: secret + "-code", State: "st"}
	opts := webhook.Options{Secret: secret + "-webhook"}
	h, err := webhook.NewHandler(opts, func(context.Context, *webhook.Event) error { return nil })
	if err != nil {
		t.Fatal(err)
	}

	values := map[string]any{
		"oauth.Token":        tok,
		"*oauth.Token":       &tok,
		"oauth.Config":       cfg,
		"*oauth.Config":      &cfg,
		"oauth.Callback":     cb,
		"*oauth.Callback":    &cb,
		"*oauth.MemoryStore": mem,
		"*oauth.FileStore":   file,
		"*oauth.TokenSource": ts,
		"webhook.Options":    opts,
		"*webhook.Options":   &opts,
		"webhook.Handler":    *h,
		"*webhook.Handler":   h,
		"[]any (nested)":     []any{cfg, &cb, tok},
		"struct (nested)":    struct{ C oauth.Config }{cfg},
		"map (nested)":       map[string]any{"h": h, "o": opts},
		"error wrapping %v":  fmt.Errorf("wrapped: %v", cfg),
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v", "%-20s", "%t"}
	leaks := func(out string) bool {
		low := strings.ToLower(out)
		return strings.Contains(out, secret) ||
			strings.Contains(low, strings.ToLower(hex.EncodeToString([]byte(secret)))) ||
			strings.Contains(low, "53654372457421") // "SeCrEt" as %X of the bytes
	}
	for name, v := range values {
		for _, verb := range verbs {
			if out := fmt.Sprintf(verb, v); leaks(out) {
				t.Errorf("%s under %s leaks the secret: %s", name, verb, out)
			}
		}
		if out := fmt.Sprint(v) + fmt.Sprintln(v); leaks(out) {
			t.Errorf("%s under Sprint leaks the secret: %s", name, out)
		}
		for _, newHandler := range []func(*bytes.Buffer) slog.Handler{
			func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		} {
			var buf bytes.Buffer
			slog.New(newHandler(&buf)).Info("value", "v", v)
			if leaks(buf.String()) {
				t.Errorf("%s logged with slog leaks the secret: %s", name, buf.String())
			}
		}
	}
	// The descriptions still say what the values are.
	for _, c := range []struct {
		v    any
		want string
	}{{cfg, "oauth2client_1"}, {cb, `State: "st"`}, {opts, "webhook.Options{Secret: [redacted]"}, {h, "webhook.Handler{Secret: [redacted]"}, {mem, "user_1"}, {file, "token.json"}, {ts, "oauth2client_1"}} {
		if out := fmt.Sprintf("%+v", c.v); !strings.Contains(out, c.want) {
			t.Errorf("%s does not mention %q", out, c.want)
		}
	}
}
