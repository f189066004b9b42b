package monzo_test

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test asserted.

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
)

// TestRetryPolicyValidateEachRule: each rule of a retry policy refuses on
// its own, and each limit itself is allowed.
func TestRetryPolicyValidateEachRule(t *testing.T) {
	for _, tc := range []struct {
		name   string
		policy monzo.RetryPolicy
		ok     bool
	}{
		{"one attempt, no delays", monzo.RetryPolicy{MaxAttempts: 1}, true},
		{"MaxDelay equal to BaseDelay", monzo.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Second, MaxDelay: time.Second}, true},
		{"no attempt", monzo.RetryPolicy{MaxAttempts: 0}, false},
		{"negative BaseDelay alone", monzo.RetryPolicy{MaxAttempts: 1, BaseDelay: -1}, false},
		{"negative MaxDelay alone", monzo.RetryPolicy{MaxAttempts: 1, MaxDelay: -1}, false},
		{"negative MaxWait alone", monzo.RetryPolicy{MaxAttempts: 1, MaxWait: -1}, false},
		{"retries without BaseDelay", monzo.RetryPolicy{MaxAttempts: 2, MaxDelay: time.Second}, false},
		{"MaxDelay below BaseDelay", monzo.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Second, MaxDelay: time.Second - 1}, false},
	} {
		_, err := monzo.NewClient(monzo.WithRetryPolicy(tc.policy))
		if tc.ok && err != nil {
			t.Errorf("%s: %v, want the policy accepted", tc.name, err)
		}
		if !tc.ok && !errors.Is(err, monzo.ErrInvalidArgument) {
			t.Errorf("%s: %v, want ErrInvalidArgument", tc.name, err)
		}
	}
}

// TestRetryAfterThatFillsTheBudgetExactlyIsHonoured: MaxWait is the most
// a call may wait in all, that much included.
func TestRetryAfterThatFillsTheBudgetExactlyIsHonoured(t *testing.T) {
	srv := monzotest.NewServer(t)
	inject(t, srv, emulator.Fault{Path: "/ping/whoami", Status: http.StatusTooManyRequests, RetryAfter: "3"})
	c, rec := retryingClient(t, srv, monzo.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Second, MaxDelay: time.Second, MaxWait: 3 * time.Second})
	if _, err := c.WhoAmI(context.Background()); err != nil {
		t.Fatalf("a 3s Retry-After with a 3s budget: %v", err)
	}
	if d := rec.get(); len(d) != 1 || d[0] != 3*time.Second {
		t.Errorf("slept %v, want one 3s wait", d)
	}
}

// TestTruncatedAnswerIsRetried: a body cut off in transit is a transient
// failure, like a reset connection; a read is retried and succeeds.
func TestTruncatedAnswerIsRetried(t *testing.T) {
	srv := monzotest.NewServer(t)
	inject(t, srv, emulator.Fault{Path: "/accounts", Kind: emulator.FaultTruncate})
	c, rec := retryingClient(t, srv, monzo.DefaultRetryPolicy())
	accounts, err := c.Accounts.List(context.Background(), nil)
	if err != nil || len(accounts) == 0 {
		t.Fatalf("after one truncated answer: %d accounts, %v", len(accounts), err)
	}
	if n := srv.Emulator.FaultsServed(); n != 1 || len(rec.get()) != 1 {
		t.Errorf("%d faults served and %d waits, want 1 and 1", n, len(rec.get()))
	}
}

// TestRequestTheHTTPPackageRefusesIsNotRetried: a token pasted with its
// line break makes a header net/http refuses to send. No attempt can fix
// that, so the error comes back at once, and without the token.
func TestRequestTheHTTPPackageRefusesIsNotRetried(t *testing.T) {
	srv := monzotest.NewServer(t)
	c, counter := countingClient(t, srv)
	c2, err := monzo.NewClient(monzo.WithBaseURL(c.BaseURL().String()), monzo.WithHTTPClient(c.HTTPClient()), monzo.WithAccessToken("secret-token\n"))
	if err != nil {
		t.Fatal(err)
	}
	rec := &sleeps{}
	monzo.SetSleep(c2, rec.sleep)
	_, err = c2.Accounts.List(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "invalid header field") {
		t.Fatalf("err = %v, want net/http's refusal", err)
	}
	if strings.Contains(err.Error(), "secret-token") {
		t.Errorf("the error shows the token: %v", err)
	}
	if n := counter.count(""); n != 1 || len(rec.get()) != 0 {
		t.Errorf("%d attempts and %d waits, want 1 and none", n, len(rec.get()))
	}
}

// failingTokens is a token source that cannot produce a token (a keyring
// that is locked, a refresh that failed).
type failingTokens struct{ err error }

func (f failingTokens) AccessToken(context.Context) (string, error) { return "", f.err }

// TestTokenSourceFailureIsTheCallsError: when no token can be had the
// call fails with the source's error, as it is, at once, and sends
// nothing.
func TestTokenSourceFailureIsTheCallsError(t *testing.T) {
	srv := monzotest.NewServer(t)
	c, counter := countingClient(t, srv)
	locked := errors.New("the keyring is locked")
	c2, err := monzo.NewClient(monzo.WithBaseURL(c.BaseURL().String()), monzo.WithHTTPClient(c.HTTPClient()), monzo.WithTokenSource(failingTokens{locked}))
	if err != nil {
		t.Fatal(err)
	}
	rec := &sleeps{}
	monzo.SetSleep(c2, rec.sleep)
	accounts, err := c2.Accounts.List(context.Background(), nil)
	if !errors.Is(err, locked) {
		t.Fatalf("List = %v, %v; want the token source's error", accounts, err)
	}
	// The error itself, not a wrapper of it: code written before errors.Is
	// compares errors with ==.
	if err != locked {
		t.Errorf("List returned %T %q, want the token source's own error value", err, err)
	}
	if n := counter.count(""); n != 0 || len(rec.get()) != 0 {
		t.Errorf("%d requests and %d waits, want none", n, len(rec.get()))
	}
}
