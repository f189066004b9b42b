package oauth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/oauth"
	"github.com/monzokit/monzo/webhook"
)

// TestValidationErrorsAreInvalidArgument checks every client-side
// validation error of oauth and webhook: it matches
// monzo.ErrInvalidArgument and starts with its package name.
func TestValidationErrorsAreInvalidArgument(t *testing.T) {
	ctx := context.Background()
	good := &oauth.Config{ClientID: "oauth2client_1", ClientSecret: "mnzconf.x", RedirectURL: "http://127.0.0.1/cb"}
	withSecretless := *good
	withSecretless.ClientSecret = ""
	badAPI := *good
	badAPI.APIBaseURL = "ftp://example.com"
	store := oauth.NewMemoryStore(oauth.BareToken("tok"))
	nop := func(context.Context, *webhook.Event) error { return nil }
	cases := map[string]func() error{
		"nil Config":         func() error { return (*oauth.Config)(nil).Validate() },
		"empty Config":       func() error { return (&oauth.Config{}).Validate() },
		"relative redirect":  func() error { c := *good; c.RedirectURL = "/cb"; return c.Validate() },
		"bad AuthURL":        func() error { c := *good; c.AuthURL = "auth.monzo.com"; return c.Validate() },
		"no secret: Refresh": func() error { _, err := withSecretless.Refresh(ctx, "rt"); return err },
		"no secret: Exchange": func() error {
			_, err := withSecretless.Exchange(ctx, "code", "s", "s")
			return err
		},
		"bad APIBaseURL": func() error { _, err := badAPI.Refresh(ctx, "rt"); return err },
		"no expected state": func() error {
			_, err := good.Exchange(ctx, "code", "", "")
			return err
		},
		"malformed redirect":   func() error { _, err := oauth.ParseCallback("?code=%zz"); return err },
		"empty FileStore path": func() error { _, err := oauth.NewFileStore(""); return err },
		"Save nil token":       func() error { return store.Save(ctx, nil) },
		"nil Store":            func() error { _, err := oauth.NewTokenSource(good, nil); return err },
		"negative leeway": func() error {
			_, err := oauth.NewTokenSource(good, store, oauth.WithRefreshLeeway(-time.Second))
			return err
		},
		"nil logger":             func() error { _, err := oauth.NewTokenSource(good, store, oauth.WithLogger(nil)); return err },
		"Logout without a token": func() error { return good.Logout(ctx, "") },
		"non-http callback":      func() error { _, err := oauth.ListenForCallback("https://127.0.0.1:0/cb"); return err },
		"non-loopback callback":  func() error { _, err := oauth.ListenForCallback("http://10.1.2.3:0/cb"); return err },
		"Wait without a state": func() error {
			l, err := oauth.ListenForCallback("http://127.0.0.1:0/cb")
			if err != nil {
				return err
			}
			_, err = l.Wait(ctx, "")
			return err
		},
		"webhook: no secret":       func() error { _, err := webhook.NewHandler(webhook.Options{}, nop); return err },
		"webhook: nil func":        func() error { _, err := webhook.NewHandler(webhook.Options{Secret: "s"}, nil); return err },
		"webhook: negative option": func() error { _, err := webhook.NewHandler(webhook.Options{Secret: "s", Timeout: -1}, nop); return err },
		"webhook: URL, no secret":  func() error { _, err := webhook.URLWithSecret("https://example.com/h", ""); return err },
		"webhook: relative URL":    func() error { _, err := webhook.URLWithSecret("/h?x=1", "s"); return err },
		"webhook: Handler.URL": func() error {
			h, err := webhook.NewHandler(webhook.Options{Secret: "s"}, nop)
			if err != nil {
				return err
			}
			_, err = h.URL("example.com")
			return err
		},
	}
	for name, f := range cases {
		err := f()
		if !errors.Is(err, monzo.ErrInvalidArgument) {
			t.Errorf("%s: %v, want an error matching monzo.ErrInvalidArgument", name, err)
			continue
		}
		prefix := "oauth: "
		if strings.HasPrefix(name, "webhook") {
			prefix = "webhook: "
		}
		if !strings.HasPrefix(err.Error(), prefix) {
			t.Errorf("%s: %q does not start with %q", name, err, prefix)
		}
	}
	// State errors keep matching their own sentinel too.
	if _, err := good.Exchange(ctx, "code", "", ""); !errors.Is(err, oauth.ErrStateMismatch) {
		t.Errorf("no expected state: %v, want ErrStateMismatch as well", err)
	}
	// Errors about what came back are not invalid arguments.
	if _, err := oauth.ParseCallback("?state=s"); errors.Is(err, monzo.ErrInvalidArgument) {
		t.Errorf("a redirect without a code is not an invalid argument: %v", err)
	}
}
