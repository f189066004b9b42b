package monzo_test

import (
	"errors"
	"testing"
	"time"

	"github.com/monzokit/monzo"
)

// TestAllWalksEveryTransaction pages through the seeded personal account's
// full history (well over 1,000 transactions) and checks the result against
// independent walks: different page sizes must give the same sequence, with
// no duplicates and in strictly ascending (created, id) order, and walking
// the same history in time slices must find exactly the same transactions.
func TestAllWalksEveryTransaction(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()
	all := collect(t, e.client.Transactions.All(ctx, e.personal, nil))
	if len(all) <= 1000 {
		t.Fatalf("All returned %d transactions; the seeded personal account should have more than 1,000", len(all))
	}
	seen := map[string]bool{}
	for i, tx := range all {
		if seen[tx.ID] {
			t.Fatalf("duplicate %s at %d", tx.ID, i)
		}
		seen[tx.ID] = true
		if i > 0 {
			prev := all[i-1]
			if tx.Created.Before(prev.Created.Time) || (tx.Created.Equal(prev.Created.Time) && tx.ID < prev.ID) {
				t.Fatalf("out of order at %d: %s %s after %s %s", i, tx.Created, tx.ID, prev.Created, prev.ID)
			}
		}
	}

	// Odd page sizes put page boundaries elsewhere.
	for _, size := range []int{7, 99} {
		other := collect(t, e.client.Transactions.All(ctx, e.personal, &monzo.TransactionListOptions{Limit: size}))
		if len(other) != len(all) {
			t.Fatalf("page size %d: %d transactions, page size 100: %d", size, len(other), len(all))
		}
		for i := range all {
			if other[i].ID != all[i].ID {
				t.Fatalf("page size %d differs at %d: %s vs %s", size, i, other[i].ID, all[i].ID)
			}
		}
	}

	// Time slices (since inclusive, before exclusive) partition the history.
	start := all[0].Created.Time
	var sliced []*monzo.Transaction
	for from := start; !from.After(e.clock.Now()); from = from.Add(30 * 24 * time.Hour) {
		sliced = append(sliced, collect(t, e.client.Transactions.All(ctx, e.personal, &monzo.TransactionListOptions{
			Since: from, Before: from.Add(30 * 24 * time.Hour)}))...)
	}
	if len(sliced) != len(all) {
		t.Fatalf("30-day slices found %d transactions, All found %d", len(sliced), len(all))
	}
	for i := range all {
		if sliced[i].ID != all[i].ID {
			t.Fatalf("slices differ at %d: %s vs %s", i, sliced[i].ID, all[i].ID)
		}
	}
}

func TestAllRespectsSinceAndBefore(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()
	all := collect(t, e.client.Transactions.All(ctx, e.personal, nil))
	from, to := all[200], all[450]
	got := collect(t, e.client.Transactions.All(ctx, e.personal, &monzo.TransactionListOptions{SinceID: from.ID, Before: to.Created.Time, Limit: 40}))
	var want []*monzo.Transaction
	for _, tx := range all[201:] {
		if tx.Created.Before(to.Created.Time) {
			want = append(want, tx)
		}
	}
	if len(got) != len(want) || len(got) < 200 {
		t.Fatalf("got %d transactions, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID {
			t.Fatalf("differ at %d: %s vs %s", i, got[i].ID, want[i].ID)
		}
	}
}

func TestAllStopsAtTheFirstError(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()
	// A page refused by the history rule ends the walk with one error.
	e.clock.Advance(6 * time.Minute)
	var errs, txs int
	for tx, err := range e.client.Transactions.All(ctx, e.personal, nil) {
		if err != nil {
			errs++
			if tx != nil || !errors.Is(err, monzo.ErrVerificationRequired) {
				t.Errorf("yielded %v, %v", tx, err)
			}
			continue
		}
		txs++
	}
	if errs != 1 || txs != 0 {
		t.Errorf("got %d errors and %d transactions, want 1 and 0", errs, txs)
	}
	// Bad options are reported through the iterator too.
	for _, err := range e.client.Transactions.All(ctx, "", nil) {
		if err == nil {
			t.Error("All without an account: want an error")
		}
	}
	// Breaking out early stops cleanly.
	n := 0
	for _, err := range e.client.Transactions.All(ctx, e.personal, &monzo.TransactionListOptions{Since: e.clock.Now().Add(-60 * 24 * time.Hour)}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 3 {
			break
		}
	}
}
