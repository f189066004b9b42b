package redact_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/internal/cli/authstore"
	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/internal/cli/config"
	"github.com/monzokit/monzo/monzotest"
	"github.com/monzokit/monzo/oauth"
	"github.com/monzokit/monzo/webhook"
)

// secret starts every secret in this test, so that one search finds any of
// them, in clear, hex or base64.
const secret = "SeCrEt9f8e7d"

// holder is one value of a type that holds a secret.
type holder struct {
	name  string
	value any
	// shows is a fragment its %v must carry, so that a description that
	// printed nothing at all would not pass.
	shows string
	// storage marks a type whose JSON is a storage or wire format and must
	// keep the secret (see the package doc): json.Marshal, and slog's JSON
	// handler with the value nested in a struct, map or slice, show it.
	storage bool
	// others are secrets not starting with [secret] (an emulator's), to
	// look for as well.
	others []string
	// refuses marks a holder json.Marshal cannot encode (it holds an
	// *http.Client): refusing shows nothing, which is safe. Every other
	// holder must encode, so that slog's JSON handler shows a description
	// rather than an error.
	refuses bool
}

// TestEverySecretHolderRedactsEverywhere is the inventory of the module's
// types that hold a secret (client secret, access or refresh token,
// authorization code, webhook URL secret, upload signature, the emulator's
// CSRF key), each as a
// value and a pointer (the emulator's Server and Running, which hold locks
// and are never copied, as a pointer only). Every one is printed under every fmt verb, wrapped
// in errors, logged with both slog handlers at top level, in a group, with
// Logger.With and nested in a struct, map and slice, and encoded with
// encoding/json: the secret must never appear, except in the JSON of the
// storage formats, which must keep it whole. Add every new secret holder
// here.
func TestEverySecretHolderRedactsEverywhere(t *testing.T) {
	holders := inventory(t)
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%10.3v", "%-20s", "%T"}
	for _, h := range holders {
		t.Run(h.name, func(t *testing.T) {
			check := func(how, out string) {
				t.Helper()
				if leaks(out, h.others) {
					t.Errorf("%s leaks a secret: %s", how, out)
				}
			}
			for _, verb := range verbs {
				check("fmt "+verb, fmt.Sprintf(verb, h.value))
			}
			check("fmt.Sprint", fmt.Sprint(h.value)+fmt.Sprintln(h.value))
			if out := fmt.Sprintf("%v", h.value); h.shows == "" || !strings.Contains(out, h.shows) {
				t.Errorf("%%v = %s, want it to show %q", out, h.shows)
			}

			wrapped := fmt.Errorf("oauth: wrapped: %v", h.value)
			joined := errors.Join(fmt.Errorf("monzo: step: %+v: %w", h.value, wrapped), errors.New("monzo: other"))
			check("fmt.Errorf", wrapped.Error())
			check("errors.Join", joined.Error()+fmt.Sprintf("%+v %#v", joined, joined))

			for _, handler := range []string{"text", "json"} {
				var buf bytes.Buffer
				log := newLogger(handler, &buf)
				log.Info("top", "v", h.value)
				log.Info("any", slog.Any("v", h.value))
				log.Info("group", slog.Group("g", slog.Any("v", h.value)))
				log.With("v", h.value).Info("with")
				log.WithGroup("wg").Info("withgroup", "v", h.value)
				check("slog "+handler+" handler, own attribute", buf.String())

				buf.Reset()
				log.Info("struct", slog.Any("s", struct{ V any }{h.value}))
				log.Info("map", slog.Any("m", map[string]any{"v": h.value}))
				log.Info("slice", slog.Any("l", []any{h.value}))
				nested := buf.String()
				if handler == "json" && h.storage {
					if !holds(nested, h.others) {
						t.Errorf("slog's JSON handler encodes nested values with json.Marshal, so a storage format's secret should show: did this type's JSON stop being lossless? %s", nested)
					}
					continue
				}
				check("slog "+handler+" handler, nested", nested)
			}

			data, err := json.Marshal(h.value)
			nested, _ := json.Marshal(struct{ V any }{h.value})
			if err != nil && !h.refuses {
				t.Fatalf("json.Marshal: %v", err)
			}
			if h.storage {
				if !holds(string(data), h.others) {
					t.Errorf("the JSON of a storage format must keep its secret (a store writes it back): %s", data)
				}
				return
			}
			check("json.Marshal", string(data)+string(nested))
		})
	}
}

// inventory builds one of every secret holder, value and pointer, each
// holding secrets that start with [secret].
func inventory(t *testing.T) []holder {
	t.Helper()
	ctx := context.Background()
	tok := oauth.Token{AccessToken: secret + "-access", RefreshToken: secret + "-refresh", Expiry: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC), UserID: "user_1", ClientID: "oauth2client_1"}
	cfg := oauth.Config{ClientID: "oauth2client_1", ClientSecret: secret + "-client", RedirectURL: "http://127.0.0.1/cb", APIBaseURL: "https://api.example.com"}
	cb := oauth.Callback{Code: secret + "-code", State: "st_1"}
	mem := oauth.NewMemoryStore(&tok)
	ts, err := oauth.NewTokenSource(&cfg, mem)
	if err != nil {
		t.Fatal(err)
	}
	file, err := oauth.NewFileStore(filepath.Join(t.TempDir(), "token.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := file.Save(ctx, &tok); err != nil {
		t.Fatal(err)
	}

	static := monzo.StaticToken(secret + "-static")
	client, err := monzo.NewClient(monzo.WithAccessToken(string(static)), monzo.WithBaseURL("https://api.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	refreshing, err := monzo.NewClient(monzo.WithTokenSource(ts), monzo.WithBaseURL("https://api.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	var hook monzo.Webhook
	if err := json.Unmarshal([]byte(`{"id":"webhook_1","account_id":"acc_1","url":"https://example.com/monzo?token=`+secret+`-hook"}`), &hook); err != nil {
		t.Fatal(err)
	}
	var upload monzo.AttachmentUploadURLs
	if err := json.Unmarshal([]byte(`{"file_url":"https://files.example.com/f1?X-Amz-Signature=`+secret+`-sig","upload_url":"https://s3.example.com/f1?X-Amz-Signature=`+secret+`-sig&X-Amz-Expires=60"}`), &upload); err != nil {
		t.Fatal(err)
	}

	opts := webhook.Options{Secret: secret + "-webhook"}
	handler, err := webhook.NewHandler(opts, func(context.Context, *webhook.Event) error { return nil })
	if err != nil {
		t.Fatal(err)
	}

	profile := config.Profile{ClientID: "oauth2client_1", ClientSecret: secret + "-profile", RedirectURL: "http://127.0.0.1/cb", TokenStore: config.StoreKeyring}
	conf, err := config.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	conf.SetProfile("default", &profile)
	kr := clitest.NewMemKeyring()
	keyringStore := authstore.NewKeyringStore(kr, "default@/config", file)
	if err := keyringStore.Save(ctx, &tok); err != nil {
		t.Fatal(err)
	}

	// monzotest's Server and Login hold a logged-in client, the OAuth
	// client's secret and a live token source.
	srv := monzotest.NewServer(t)
	live, err := srv.Login.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	liveSecrets := []string{srv.Login.Config.ClientSecret, live.AccessToken, live.RefreshToken}

	// The emulator's own records: a registered client, and a webhook whose
	// URL's query carries the secret, with one failed delivery to it (a
	// refused connection, whose error quotes the URL).
	emu := srv.Emulator
	oc, err := emu.RegisterClient(emulator.ClientOptions{Name: "inventory", RedirectURI: "http://127.0.0.1/cb", Confidential: true})
	if err != nil {
		t.Fatal(err)
	}
	clientSecret := []string{oc.Secret}
	var acc string
	for _, a := range srv.User.Accounts {
		if !a.Closed {
			acc = a.ID
			break
		}
	}
	if _, err := srv.Client.Webhooks.Create(ctx, acc, "http://127.0.0.1:1/hook?token="+secret+"-emuhook"); err != nil {
		t.Fatal(err)
	}
	if _, err := emu.InjectFasterPaymentIn(emulator.FasterPayment{AccountID: acc, Amount: 100, CounterpartyName: "ACME"}); err != nil {
		t.Fatal(err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	deliveries, err := emu.WaitDeliveries(waitCtx, 1)
	if err != nil {
		t.Fatal(err)
	}
	delivery := deliveries[0]
	if !strings.Contains(delivery.Error, secret) {
		t.Fatalf("the failed delivery's error should quote the URL, for this test to mean anything: %q", delivery.Error)
	}
	var record emulator.WebhookRecord
	for _, w := range emu.Webhooks() {
		if strings.Contains(w.URL, secret) {
			record = w
		}
	}
	running, err := emulator.Start("", emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = running.Close() })

	return []holder{
		{"monzo.StaticToken", static, "[redacted]", false, nil, false},
		{"*monzo.StaticToken", &static, "[redacted]", false, nil, false},
		{"*monzo.Client", client, "api.example.com", false, nil, false},
		{"monzo.Client", *client, "api.example.com", false, nil, false},
		{"*monzo.Client with an oauth.TokenSource", refreshing, "*oauth.TokenSource", false, nil, false},
		{"monzo.Webhook", hook, "token=[redacted]", true, nil, false},
		{"*monzo.Webhook", &hook, "token=[redacted]", true, nil, false},
		{"monzo.AttachmentUploadURLs", upload, "X-Amz-Signature=[redacted]", true, nil, false},
		{"*monzo.AttachmentUploadURLs", &upload, "X-Amz-Signature=[redacted]", true, nil, false},

		{"oauth.Token", tok, "user_1", true, nil, false},
		{"*oauth.Token", &tok, "user_1", true, nil, false},
		{"oauth.Config", cfg, "oauth2client_1", false, nil, false},
		{"*oauth.Config", &cfg, "oauth2client_1", false, nil, false},
		{"oauth.Callback", cb, "st_1", false, nil, false},
		{"*oauth.Callback", &cb, "st_1", false, nil, false},
		{"*oauth.TokenSource", ts, "oauth2client_1", false, nil, false},
		{"*oauth.MemoryStore", mem, "user_1", false, nil, false},
		{"*oauth.FileStore", file, "token.json", false, nil, false},

		{"webhook.Options", opts, "Secret: [redacted]", false, nil, false},
		{"*webhook.Options", &opts, "Secret: [redacted]", false, nil, false},
		{"webhook.Handler", *handler, "Secret: [redacted]", false, nil, false},
		{"*webhook.Handler", handler, "Secret: [redacted]", false, nil, false},

		{"config.Profile (CLI)", profile, "oauth2client_1", true, nil, false},
		{"*config.Profile (CLI)", &profile, "oauth2client_1", true, nil, false},
		{"*config.Config (CLI)", conf, "oauth2client_1", true, nil, false},
		{"*authstore.KeyringStore (CLI)", keyringStore, "system keyring", false, nil, false},

		{"*monzotest.Server", srv, "127.0.0.1", false, liveSecrets, true},
		{"*monzotest.Login", srv.Login, "oauth2client_", false, liveSecrets, false},
		{"monzotest.Login", *srv.Login, "oauth2client_", false, liveSecrets, false},

		{"emulator.OAuthClient", oc, "Secret: [redacted]", true, clientSecret, false},
		{"*emulator.OAuthClient", &oc, "Secret: [redacted]", true, clientSecret, false},
		{"emulator.WebhookRecord", record, "token=[redacted]", true, nil, false},
		{"*emulator.WebhookRecord", &record, "token=[redacted]", true, nil, false},
		{"emulator.WebhookDelivery", delivery, "token=[redacted]", true, nil, false},
		{"*emulator.WebhookDelivery", &delivery, "token=[redacted]", true, nil, false},
		{"*emulator.Server", emu, "CSRFKey: [redacted]", false, liveSecrets, false},
		{"*emulator.Running", running, "CSRFKey: [redacted]", false, []string{running.Server.DefaultClient().Secret}, false},
	}
}

// leaks reports output holding a secret in clear, hex or base64.
func leaks(out string, others []string) bool {
	for _, o := range others {
		if o == "" {
			panic("an empty secret in the inventory")
		}
		if strings.Contains(out, o) {
			return true
		}
	}
	low := strings.ToLower(out)
	return strings.Contains(out, secret) ||
		strings.Contains(low, strings.ToLower(hex.EncodeToString([]byte(secret)))) ||
		strings.Contains(out, base64.StdEncoding.EncodeToString([]byte(secret))[:12])
}

// holds reports output holding a secret in clear: the storage formats'
// JSON must.
func holds(out string, others []string) bool {
	for _, o := range others {
		if strings.Contains(out, o) {
			return true
		}
	}
	return strings.Contains(out, secret)
}

func newLogger(handler string, w *bytes.Buffer) *slog.Logger {
	if handler == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
