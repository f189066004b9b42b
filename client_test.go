package monzo_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
	"github.com/monzokit/monzo/oauth"
)

// sleeps records the delays a client would have waited.
type sleeps struct {
	mu     sync.Mutex
	delays []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delays = append(s.delays, d)
	return ctx.Err()
}

func (s *sleeps) get() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.delays...)
}

// retryingClient returns a client of srv whose sleeps are recorded.
func retryingClient(t *testing.T, srv *monzotest.Server, policy monzo.RetryPolicy) (*monzo.Client, *sleeps) {
	t.Helper()
	c := srv.NewClient(srv.Login, monzo.WithRetryPolicy(policy))
	rec := &sleeps{}
	monzo.SetSleep(c, rec.sleep)
	return c, rec
}

func inject(t *testing.T, srv *monzotest.Server, f emulator.Fault) {
	t.Helper()
	if err := srv.Emulator.InjectFault(f); err != nil {
		t.Fatal(err)
	}
}

func TestWhoAmIAccountsBalance(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	who, err := srv.Client.WhoAmI(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !who.Authenticated || who.UserID != srv.User.ID || who.ClientID != srv.Emulator.DefaultClient().ID {
		t.Errorf("whoami = %+v", who)
	}

	accounts, err := srv.Client.Accounts.List(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	byType := map[monzo.AccountType]monzo.Account{}
	for _, a := range accounts {
		byType[a.Type] = a
		if len(a.Raw) == 0 || !bytes.Contains(a.Raw, []byte(a.ID)) {
			t.Errorf("account %s does not keep its raw JSON", a.ID)
		}
	}
	if joint := byType[monzo.AccountTypeRetailJoint]; len(joint.Owners) != 2 {
		t.Errorf("joint account has %d owners, want 2", len(joint.Owners))
	}
	if prepaid, ok := byType[monzo.AccountTypePrepaid]; !ok || !prepaid.Closed {
		t.Errorf("the legacy prepaid account should be listed and closed: %+v", prepaid)
	}
	if personal := byType[monzo.AccountTypeRetail]; len(personal.SortCode) != 6 || len(personal.AccountNumber) != 8 || personal.Created.IsZero() {
		t.Errorf("personal account details incomplete: %+v", personal)
	}

	joint, err := srv.Client.Accounts.List(ctx, &monzo.AccountListOptions{Type: monzo.AccountTypeRetailJoint})
	if err != nil || len(joint) != 1 || joint[0].Type != monzo.AccountTypeRetailJoint {
		t.Fatalf("filtered list = %v, %v", joint, err)
	}

	b, err := srv.Client.Balance.Get(ctx, srv.AccountID(monzo.AccountTypeRetail))
	if err != nil {
		t.Fatal(err)
	}
	if b.Currency != "GBP" || b.TotalBalance < b.Balance || b.BalanceIncludingFlexibleSavings < b.Balance || b.LocalSpend == nil {
		t.Errorf("balance = %+v", b)
	}
	for _, field := range []string{"balance_including_flexible_savings", "local_exchange_rate", "local_spend", "spend_today"} {
		if !bytes.Contains(b.Raw, []byte(`"`+field+`"`)) {
			t.Errorf("balance JSON lacks %s", field)
		}
	}
	if _, err := srv.Client.Balance.Get(ctx, ""); err == nil || !strings.Contains(err.Error(), "account id is required") {
		t.Errorf("empty account id: %v", err)
	}
}

func TestTypedErrorsOverHTTP(t *testing.T) {
	ctx := context.Background()

	t.Run("approval pending", func(t *testing.T) {
		srv := monzotest.NewServer(t, monzotest.WithoutApproval())
		_, err := srv.Client.Accounts.List(ctx, nil)
		if !monzo.IsApprovalPending(err) || !errors.Is(err, monzo.ErrInsufficientPermissions) || !errors.Is(err, monzo.ErrForbidden) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("not found", func(t *testing.T) {
		srv := monzotest.NewServer(t)
		_, err := srv.Client.Balance.Get(ctx, "acc_0000nobodyshere")
		if !errors.Is(err, monzo.ErrNotFound) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("expired and evicted", func(t *testing.T) {
		srv := monzotest.NewServer(t)
		tok, _ := srv.Login.Token(ctx)
		bare := srv.NewClient(srv.Login, monzo.WithAccessToken(tok.AccessToken))
		srv.Clock.Advance(31 * time.Hour)
		_, err := bare.WhoAmI(ctx)
		var apiErr *monzo.Error
		if !errors.Is(err, monzo.ErrTokenExpired) || !errors.As(err, &apiErr) || apiErr.OAuthError != "invalid_token" {
			t.Fatalf("expired: %v", err)
		}
		srv.Clock.Advance(-31 * time.Hour)
		srv.Approve(srv.LogIn(srv.Emulator.DefaultClient(), ""))
		if _, err := bare.WhoAmI(ctx); !errors.Is(err, monzo.ErrTokenEvicted) || errors.Is(err, monzo.ErrTokenExpired) {
			t.Fatalf("evicted: %v", err)
		}
	})

	t.Run("rate limited", func(t *testing.T) {
		srv := monzotest.NewServer(t, monzotest.WithEmulatorOptions(emulator.Options{RateLimit: 2, RateLimitWindow: time.Minute}))
		c, _ := retryingClient(t, srv, monzo.NoRetries())
		var err error
		for range 5 {
			if _, err = c.WhoAmI(ctx); err != nil {
				break
			}
		}
		var apiErr *monzo.Error
		if !errors.Is(err, monzo.ErrRateLimited) || !errors.As(err, &apiErr) || apiErr.RetryAfter <= 0 {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("HTML from a proxy", func(t *testing.T) {
		srv := monzotest.NewServer(t)
		inject(t, srv, emulator.Fault{Path: "/accounts", Status: http.StatusBadGateway, Body: "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"})
		c, _ := retryingClient(t, srv, monzo.NoRetries())
		_, err := c.Accounts.List(ctx, nil)
		var apiErr *monzo.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 || !strings.Contains(apiErr.Excerpt, "502 Bad Gateway") || !errors.Is(err, monzo.ErrServer) {
			t.Fatalf("got %#v", err)
		}
	})

	t.Run("truncated JSON on success", func(t *testing.T) {
		srv := monzotest.NewServer(t)
		inject(t, srv, emulator.Fault{Path: "/accounts", Status: http.StatusInternalServerError, Body: `{"code":"internal_serv`, ContentType: "application/json"})
		c, _ := retryingClient(t, srv, monzo.NoRetries())
		_, err := c.Accounts.List(ctx, nil)
		var apiErr *monzo.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Code != "" || apiErr.Excerpt != `{"code":"internal_serv` {
			t.Fatalf("got %#v", err)
		}
	})
}

func TestRetriesServerErrorsWithBackoff(t *testing.T) {
	srv := monzotest.NewServer(t)
	inject(t, srv, emulator.Fault{Path: "/accounts", Status: http.StatusServiceUnavailable, Times: 2})
	policy := monzo.RetryPolicy{MaxAttempts: 4, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second, MaxWait: 10 * time.Second}
	c, rec := retryingClient(t, srv, policy)
	if _, err := c.Accounts.List(context.Background(), nil); err != nil {
		t.Fatalf("after two 503s: %v", err)
	}
	delays := rec.get()
	if len(delays) != 2 || srv.Emulator.FaultsServed() != 2 {
		t.Fatalf("slept %v after %d faults, want two sleeps", delays, srv.Emulator.FaultsServed())
	}
	// Full jitter in [d/2, d], d doubling from BaseDelay.
	if delays[0] < 50*time.Millisecond || delays[0] > 100*time.Millisecond || delays[1] < 100*time.Millisecond || delays[1] > 200*time.Millisecond {
		t.Errorf("delays %v outside the backoff bounds", delays)
	}
}

func TestRetryHonoursRetryAfter(t *testing.T) {
	srv := monzotest.NewServer(t)
	inject(t, srv, emulator.Fault{Path: "/ping/whoami", Status: http.StatusTooManyRequests, RetryAfter: "3"})
	c, rec := retryingClient(t, srv, monzo.DefaultRetryPolicy())
	if _, err := c.WhoAmI(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := rec.get(); len(d) != 1 || d[0] != 3*time.Second {
		t.Fatalf("slept %v, want exactly the 3s Retry-After asked for", d)
	}
}

func TestRetryGivesUpWhenRetryAfterExceedsBudget(t *testing.T) {
	srv := monzotest.NewServer(t)
	inject(t, srv, emulator.Fault{Path: "/ping/whoami", Status: http.StatusTooManyRequests, RetryAfter: "600"})
	c, rec := retryingClient(t, srv, monzo.DefaultRetryPolicy())
	_, err := c.WhoAmI(context.Background())
	var apiErr *monzo.Error
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != 10*time.Minute {
		t.Fatalf("got %v, want the 429 with its Retry-After", err)
	}
	if d := rec.get(); len(d) != 0 {
		t.Errorf("slept %v; a wait beyond MaxWait should return at once", d)
	}
}

func TestRetryIsBounded(t *testing.T) {
	srv := monzotest.NewServer(t)
	inject(t, srv, emulator.Fault{Path: "/accounts", Status: http.StatusInternalServerError, Times: 100})
	policy := monzo.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxWait: time.Second}
	c, rec := retryingClient(t, srv, policy)
	if _, err := c.Accounts.List(context.Background(), nil); !errors.Is(err, monzo.ErrServer) {
		t.Fatalf("got %v", err)
	}
	if n := srv.Emulator.FaultsServed(); n != 3 || len(rec.get()) != 2 {
		t.Errorf("%d attempts and %d sleeps, want 3 and 2", n, len(rec.get()))
	}
}

func TestRetryStopsWhenContextIsCancelled(t *testing.T) {
	srv := monzotest.NewServer(t)
	inject(t, srv, emulator.Fault{Path: "/accounts", Status: http.StatusServiceUnavailable, Times: 10})
	c := srv.NewClient(srv.Login)
	ctx, cancel := context.WithCancel(context.Background())
	monzo.SetSleep(c, func(context.Context, time.Duration) error {
		cancel()
		return context.Canceled
	})
	_, err := c.Accounts.List(ctx, nil)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, monzo.ErrServer) {
		t.Fatalf("got %v, want the 503 and the cancellation", err)
	}
	if n := srv.Emulator.FaultsServed(); n != 1 {
		t.Errorf("%d attempts after cancellation, want 1", n)
	}
}

func TestBaseURLWithPathPrefix(t *testing.T) {
	srv := monzotest.NewServer(t)
	// Mount the API under /monzo to catch code that builds absolute paths.
	mux := http.NewServeMux()
	mux.Handle("/monzo/", http.StripPrefix("/monzo", srv.Emulator.Handler()))
	prefixed := httptest.NewServer(mux)
	defer prefixed.Close()
	// A bare token: the login's TokenSource refreshes at the unprefixed
	// URL, and NewClient refuses a client and token source that disagree.
	tok, err := srv.Login.Tokens.AccessToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c, err := monzo.NewClient(monzo.WithAccessToken(tok), monzo.WithBaseURL(prefixed.URL+"/monzo/"), monzo.WithHTTPClient(prefixed.Client()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Accounts.List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
}

func TestLogsNeverCarryTokens(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	before, err := srv.Login.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The token source logs its refresh, the client its requests and retry.
	tokens, err := oauth.NewTokenSource(srv.Login.Config, srv.Login.Store, oauth.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	inject(t, srv, emulator.Fault{Path: "/accounts", Status: http.StatusServiceUnavailable})
	c := srv.NewClient(srv.Login, monzo.WithLogger(logger), monzo.WithTokenSource(tokens))
	monzo.SetSleep(c, func(context.Context, time.Duration) error { return nil })
	srv.Clock.Advance(31 * time.Hour) // forces a refresh
	if _, err := c.Accounts.List(ctx, nil); err != nil {
		t.Fatal(err)
	}
	after, _ := srv.Login.Token(ctx)
	if after.RefreshToken == before.RefreshToken {
		t.Fatal("no refresh happened, so the test proves nothing about it")
	}
	if !strings.Contains(logs.String(), "refreshed the access token") || !strings.Contains(logs.String(), "status=503") {
		t.Fatalf("the refresh and the retried request should be logged:\n%s", logs.String())
	}
	for _, secret := range []string{before.AccessToken, before.RefreshToken, after.AccessToken, after.RefreshToken, srv.Login.Config.ClientSecret} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("logs contain a secret:\n%s", logs.String())
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	for name, opt := range map[string]monzo.Option{
		"relative base URL": monzo.WithBaseURL("api.monzo.com"),
		"ftp base URL":      monzo.WithBaseURL("ftp://api.monzo.com"),
		"empty token":       monzo.WithAccessToken(" "),
		"nil http client":   monzo.WithHTTPClient(nil),
		"nil token source":  monzo.WithTokenSource(nil),
		"zero attempts":     monzo.WithRetryPolicy(monzo.RetryPolicy{}),
		"no delay":          monzo.WithRetryPolicy(monzo.RetryPolicy{MaxAttempts: 3}),
	} {
		if _, err := monzo.NewClient(opt); err == nil {
			t.Errorf("%s: NewClient succeeded, want an error", name)
		}
	}
}
