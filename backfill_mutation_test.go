package monzo_test

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test asserted.

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
)

// TestBackfillOfAnEmptyRangeSendsNothing: Since equal to Until is zero
// windows: no list request at all (one would ask for since == before).
func TestBackfillOfAnEmptyRangeSendsNothing(t *testing.T) {
	e := newTxEnv(t)
	var requests atomic.Int64
	c := shortPages(t, e, monzo.MaxPageSize, &requests)
	at := e.clock.Now().Add(-24 * time.Hour)
	got, progress, err := backfill(t, c, e.personal, &monzo.BackfillOptions{Since: at, Until: at})
	if err != nil || len(got) != 0 {
		t.Fatalf("backfill of [t, t) = %d transactions, %v; want none and no error", len(got), err)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d list requests for an empty range, want 0", n)
	}
	if !progress.Reached.Equal(at) {
		t.Errorf("progress %+v, want Reached %s", progress, at)
	}
}

// TestBackfillUpToNowFromNow: a walk up to now that starts at now (a resume
// after the newest transaction, on a stopped clock or a client clock behind
// the server's) still has one open window, so transactions created at that
// instant or during the walk are not lost.
func TestBackfillUpToNowFromNow(t *testing.T) {
	e := newTxEnv(t)
	newest, err := e.srv.Emulator.InjectCardPayment(emulator.CardPayment{AccountID: e.personal, Amount: 120, MerchantName: "Pret A Manger"})
	if err != nil {
		t.Fatal(err)
	}
	next, err := e.srv.Emulator.InjectCardPayment(emulator.CardPayment{AccountID: e.personal, Amount: 340, MerchantName: "Tesco"})
	if err != nil {
		t.Fatal(err)
	}
	for name, opts := range map[string]*monzo.BackfillOptions{
		"Since now":                {Since: e.clock.Now()},
		"after the newest but one": {AfterID: newest},
	} {
		got, _, err := backfill(t, e.client, e.personal, opts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) == 0 || got[len(got)-1].ID != next {
			t.Errorf("%s: got %d transactions, want them to end with %s, created at the walk's start", name, len(got), next)
		}
	}
}

// TestBackfillResumedPastUntil: resuming after a transaction created at or
// after Until leaves nothing to fetch; the walk ends cleanly, without a
// request for the empty range.
func TestBackfillResumedPastUntil(t *testing.T) {
	e := newTxEnv(t)
	last, err := e.srv.Emulator.InjectCardPayment(emulator.CardPayment{AccountID: e.personal, Amount: 120, MerchantName: "Pret A Manger"})
	if err != nil {
		t.Fatal(err)
	}
	var requests atomic.Int64
	c := shortPages(t, e, monzo.MaxPageSize, &requests)
	got, progress, err := backfill(t, c, e.personal, &monzo.BackfillOptions{AfterID: last, Until: e.clock.Now()})
	if err != nil || len(got) != 0 {
		t.Fatalf("resume after %s up to its own time = %d transactions, %v; want none and no error", last, len(got), err)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d list requests, want 0", n)
	}
	if progress.LastID != last {
		t.Errorf("progress %+v, want LastID %s kept", progress, last)
	}
}

// TestBackfillReportsProgressOncePerWindow: OnProgress runs once per window
// handed over (the last call carries the final progress), and a walk with
// no windows and no OnProgress simply ends.
func TestBackfillReportsProgressOncePerWindow(t *testing.T) {
	e := newTxEnv(t)
	const window = 20 * 24 * time.Hour
	since := e.clock.Now().Add(-60 * 24 * time.Hour).Truncate(time.Hour)
	var calls []monzo.BackfillProgress
	opts := &monzo.BackfillOptions{Since: since, Until: since.Add(3 * window), Window: window, Concurrency: 2,
		OnProgress: func(p monzo.BackfillProgress) { calls = append(calls, p) }}
	n := 0
	for _, err := range e.client.Transactions.Backfill(t.Context(), e.personal, opts) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if len(calls) != 3 {
		t.Fatalf("OnProgress called %d times for 3 windows: %+v", len(calls), calls)
	}
	for i, p := range calls {
		if want := since.Add(time.Duration(i+1) * window); !p.Reached.Equal(want) {
			t.Errorf("call %d: Reached %s, want %s", i+1, p.Reached, want)
		}
	}
	if calls[2].Fetched != n {
		t.Errorf("final progress %+v, want Fetched %d", calls[2], n)
	}

	for _, err := range e.client.Transactions.Backfill(t.Context(), e.personal, &monzo.BackfillOptions{Since: since, Until: since}) {
		t.Fatalf("an empty range yielded %v", err)
	}
}

// TestBackfillAcceptsEachLimitItself: the largest allowed window, page size
// and concurrency are valid; one more is refused before anything is sent.
func TestBackfillAcceptsEachLimitItself(t *testing.T) {
	e := newTxEnv(t)
	until := e.clock.Now()
	since := until.Add(-24 * time.Hour)
	for name, tc := range map[string]struct {
		ok, tooBig monzo.BackfillOptions
	}{
		"Window":      {monzo.BackfillOptions{Window: monzo.MaxBackfillWindow}, monzo.BackfillOptions{Window: monzo.MaxBackfillWindow + 1}},
		"PageSize":    {monzo.BackfillOptions{PageSize: monzo.MaxPageSize}, monzo.BackfillOptions{PageSize: monzo.MaxPageSize + 1}},
		"Concurrency": {monzo.BackfillOptions{Concurrency: monzo.MaxBackfillConcurrency}, monzo.BackfillOptions{Concurrency: monzo.MaxBackfillConcurrency + 1}},
	} {
		tc.ok.Since, tc.ok.Until = since, until
		if _, _, err := backfill(t, e.client, e.personal, &tc.ok); err != nil {
			t.Errorf("%s at its limit: %v", name, err)
		}
		tc.tooBig.Since, tc.tooBig.Until = since, until
		if _, _, err := backfill(t, e.client, e.personal, &tc.tooBig); !errors.Is(err, monzo.ErrInvalidArgument) {
			t.Errorf("%s past its limit: %v, want an invalid-argument error", name, err)
		}
	}
}
