package oauth_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/oauth"
)

// TestRetryAfterDateUsesConfigClock: a 429 from the token or logout
// endpoint with Retry-After as an HTTP date gives an error whose
// RetryAfter is measured from Config.Clock. The emulator's clock is months
// away from the wall clock, so a wall-clock reading gives 0 (the date has
// passed) or a delay of months, never the 90 seconds asked for.
func TestRetryAfterDateUsesConfigClock(t *testing.T) {
	const want = 90 * time.Second
	e := newEnv(t)
	if d := time.Since(e.clock.Now()); d > -time.Hour && d < time.Hour {
		t.Fatalf("the emulator's clock (%s) must be far from the wall clock for this test", e.clock.Now())
	}
	cfg := e.config(e.client)
	tok := e.login(cfg)
	retryAt := e.clock.Now().Add(want).UTC().Format(http.TimeFormat)

	calls := []struct {
		name string
		path string
		call func(context.Context) error
	}{
		{"Refresh", "/oauth2/token", func(ctx context.Context) error {
			_, err := cfg.Refresh(ctx, tok.RefreshToken)
			return err
		}},
		{"Exchange", "/oauth2/token", func(ctx context.Context) error {
			_, err := cfg.Exchange(ctx, "code_x", "st", "st")
			return err
		}},
		{"Logout", "/oauth2/logout", func(ctx context.Context) error {
			return cfg.Logout(ctx, tok.AccessToken)
		}},
		{"TokenSource.Logout", "/oauth2/logout", func(ctx context.Context) error {
			ts, err := oauth.NewTokenSource(cfg, oauth.NewMemoryStore(tok))
			if err != nil {
				t.Fatal(err)
			}
			return ts.Logout(ctx)
		}},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			if err := e.emu.InjectFault(emulator.Fault{Method: http.MethodPost, Path: c.path, Status: http.StatusTooManyRequests, RetryAfter: retryAt}); err != nil {
				t.Fatal(err)
			}
			err := c.call(context.Background())
			var apiErr *monzo.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("err = %v, want a 429 *monzo.Error", err)
			}
			if apiErr.RetryAfter != want {
				t.Errorf("RetryAfter = %s for Retry-After %q read at %s, want %s", apiErr.RetryAfter, retryAt, e.clock.Now(), want)
			}
		})
	}
}
