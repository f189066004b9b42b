package monzo_test

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test asserted.

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
)

// TestBackfillPausesForBaseDelayAfterA429WithoutAUsableRetryAfter: a 429
// whose Retry-After says nothing usable ("0") still pauses the whole walk,
// for the retry policy's BaseDelay, instead of letting every request run
// into the limit again. The fake clock stands still, so every request
// after the 429 finds the pause still on and waits it out.
func TestBackfillPausesForBaseDelayAfterA429WithoutAUsableRetryAfter(t *testing.T) {
	e := newTxEnv(t)
	if err := e.srv.Emulator.InjectFault(emulator.Fault{Path: "/transactions", Status: http.StatusTooManyRequests, RetryAfter: "0"}); err != nil {
		t.Fatal(err)
	}
	policy := monzo.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Second, MaxDelay: 2 * time.Second, MaxWait: time.Minute}
	c := e.srv.NewClient(e.srv.Login, monzo.WithRetryPolicy(policy))
	var mu sync.Mutex
	var waits []time.Duration
	monzo.SetSleep(c, func(_ context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, d)
		return nil
	})
	since := e.clock.Now().Add(-30 * 24 * time.Hour)
	if _, _, err := backfill(t, c, e.personal, &monzo.BackfillOptions{Since: since, Window: 10 * 24 * time.Hour, Concurrency: 1}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	// The first wait is the retry's own backoff, drawn from [0.5s, 1s]; the
	// shared pause adds one wait of exactly BaseDelay per later request.
	if len(waits) < 3 {
		t.Fatalf("waits %v, want the retry's backoff and then a pause before every later request", waits)
	}
	for _, d := range waits[1:] {
		if d != policy.BaseDelay {
			t.Errorf("waits %v: a pause of %s, want BaseDelay (%s)", waits, d, policy.BaseDelay)
		}
	}
}

// TestRetryWithTheSmallestDelays: a policy of 1ns delays is valid and
// retries; the jitter's range never becomes empty.
func TestRetryWithTheSmallestDelays(t *testing.T) {
	e := newTxEnv(t)
	if err := e.srv.Emulator.InjectFault(emulator.Fault{Path: "/accounts", Status: http.StatusInternalServerError, Times: 3}); err != nil {
		t.Fatal(err)
	}
	c, rec := retryingClient(t, e.srv, monzo.RetryPolicy{MaxAttempts: 4, BaseDelay: 1, MaxDelay: 1, MaxWait: 3})
	if _, err := c.Accounts.List(context.Background(), nil); err != nil {
		t.Fatalf("after three 500s with 1ns delays: %v", err)
	}
	for _, d := range rec.get() {
		if d < 0 || d > 1 {
			t.Errorf("waited %s, want 0 or 1ns", d)
		}
	}
	if n := len(rec.get()); n != 3 {
		t.Errorf("%d waits, want 3", n)
	}
}
