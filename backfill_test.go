package monzo_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
)

func TestBackfillInsideTheWindow(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()
	all := collect(t, e.client.Transactions.All(ctx, monzo.TransactionListOptions{AccountID: e.personal}))

	var got []string
	progress, err := e.client.Transactions.Backfill(ctx, monzo.BackfillOptions{
		AccountID: e.personal,
		Since:     all[0].Created.Add(-24 * time.Hour),
		Window:    45 * 24 * time.Hour,
	}, func(tx *monzo.Transaction) error {
		got = append(got, tx.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(all) || progress.Fetched != len(all) || progress.LastID != all[len(all)-1].ID {
		t.Fatalf("backfill fetched %d (progress %+v), All found %d ending %s", len(got), progress, len(all), all[len(all)-1].ID)
	}
	for i := range all {
		if got[i] != all[i].ID {
			t.Fatalf("differ at %d: %s vs %s", i, got[i], all[i].ID)
		}
	}
	if progress.Reached.Before(all[len(all)-1].Created.Time) {
		t.Errorf("Reached = %s, before the last transaction", progress.Reached)
	}

	// Resuming after the last stored transaction finds nothing new, then
	// exactly the transactions after a point in the middle.
	progress, err = e.client.Transactions.Backfill(ctx, monzo.BackfillOptions{AccountID: e.personal, AfterID: progress.LastID}, func(*monzo.Transaction) error {
		t.Error("resuming from the newest transaction handed one over")
		return nil
	})
	if err != nil || progress.Fetched != 0 || progress.LastID != all[len(all)-1].ID {
		t.Fatalf("resume from the end: %+v, %v", progress, err)
	}
	mid := len(all) - 321
	got = got[:0]
	progress, err = e.client.Transactions.Backfill(ctx, monzo.BackfillOptions{AccountID: e.personal, AfterID: all[mid].ID, Window: 10 * 24 * time.Hour},
		func(tx *monzo.Transaction) error { got = append(got, tx.ID); return nil })
	if err != nil || progress.Fetched != 320 || got[0] != all[mid+1].ID {
		t.Fatalf("resume from the middle: fetched %d first %v err %v", progress.Fetched, got[:min(1, len(got))], err)
	}
}

// TestBackfillStopsWhenTheWindowCloses moves the emulator's clock past the
// 5-minute full-history window in the middle of a backfill, checks the typed
// progress error, and then resumes after a fresh login.
func TestBackfillStopsWhenTheWindowCloses(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()
	all := collect(t, e.client.Transactions.All(ctx, monzo.TransactionListOptions{AccountID: e.personal}))

	var got []string
	opts := monzo.BackfillOptions{AccountID: e.personal, Since: all[0].Created.Time, Window: 7 * 24 * time.Hour, PageSize: 20}
	_, err := e.client.Transactions.Backfill(ctx, opts, func(tx *monzo.Transaction) error {
		got = append(got, tx.ID)
		if len(got) == 150 {
			e.clock.Advance(6 * time.Minute)
		}
		return nil
	})
	var incomplete *monzo.BackfillIncompleteError
	if !errors.As(err, &incomplete) {
		t.Fatalf("err = %v, want *BackfillIncompleteError", err)
	}
	if !errors.Is(err, monzo.ErrVerificationRequired) {
		t.Errorf("errors.Is(err, ErrVerificationRequired) = false for %v", err)
	}
	if incomplete.Fetched != len(got) || incomplete.Fetched < 150 || incomplete.Fetched > 170 {
		t.Errorf("Fetched = %d, callback saw %d (the clock moved at 150, pages are 20)", incomplete.Fetched, len(got))
	}
	if incomplete.LastID != got[len(got)-1] {
		t.Errorf("LastID = %s, want %s", incomplete.LastID, got[len(got)-1])
	}
	lastTx := all[len(got)-1]
	if incomplete.Reached.Before(lastTx.Created.Time) || incomplete.Reached.After(lastTx.Created.Add(7*24*time.Hour)) {
		t.Errorf("Reached = %s, last transaction created %s", incomplete.Reached, lastTx.Created)
	}
	for _, want := range []string{"fetched " + strconv.Itoa(len(got)), "log in again and sync within 5 minutes of approving access in the app", incomplete.LastID} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}

	// Resuming with the same (refreshed or not) grant still fails: the
	// resume point is more than 90 days old.
	_, err = e.client.Transactions.Backfill(ctx, monzo.BackfillOptions{AccountID: e.personal, AfterID: incomplete.LastID}, func(*monzo.Transaction) error { return nil })
	if !errors.Is(err, monzo.ErrVerificationRequired) {
		t.Errorf("resume without logging in again: err = %v", err)
	}
	// After logging in again, resuming completes the history exactly.
	fresh := e.login(e.srv.Emulator.DefaultClient())
	progress, err := fresh.Transactions.Backfill(ctx, monzo.BackfillOptions{AccountID: e.personal, AfterID: incomplete.LastID, Window: 60 * 24 * time.Hour},
		func(tx *monzo.Transaction) error { got = append(got, tx.ID); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(all) || progress.Fetched != len(all)-incomplete.Fetched {
		t.Fatalf("after resuming: %d transactions (%d this time), want %d", len(got), progress.Fetched, len(all))
	}
	for i := range all {
		if got[i] != all[i].ID {
			t.Fatalf("differ at %d: %s vs %s", i, got[i], all[i].ID)
		}
	}
}

func TestBackfillRecentHistoryAfterTheWindow(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()
	e.clock.Advance(time.Hour)
	since := e.clock.Now().Add(-80 * 24 * time.Hour)
	want := collect(t, e.client.Transactions.All(ctx, monzo.TransactionListOptions{AccountID: e.personal, Since: since}))
	progress, err := e.client.Transactions.Backfill(ctx, monzo.BackfillOptions{AccountID: e.personal, Since: since}, func(*monzo.Transaction) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if progress.Fetched != len(want) || len(want) == 0 {
		t.Errorf("fetched %d, want %d", progress.Fetched, len(want))
	}
}

func TestBackfillCallbackErrorStopsTheWalk(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()
	boom := errors.New("disk full")
	n := 0
	_, err := e.client.Transactions.Backfill(ctx, monzo.BackfillOptions{AccountID: e.personal, Since: e.clock.Now().Add(-30 * 24 * time.Hour)},
		func(tx *monzo.Transaction) error {
			if n == 5 {
				return boom
			}
			n++
			return nil
		})
	var incomplete *monzo.BackfillIncompleteError
	if !errors.As(err, &incomplete) || !errors.Is(err, boom) || incomplete.Fetched != 5 {
		t.Fatalf("err = %v (%+v), want a BackfillIncompleteError wrapping the callback's error after 5", err, incomplete)
	}
	if !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "AfterID") {
		t.Errorf("message %q should carry the cause and how to resume", err)
	}
}

func TestBackfillValidatesOptions(t *testing.T) {
	c, err := monzo.NewClient(monzo.WithBaseURL("http://127.0.0.1:1"), monzo.WithAccessToken("t"))
	if err != nil {
		t.Fatal(err)
	}
	noop := func(*monzo.Transaction) error { return nil }
	for name, opts := range map[string]monzo.BackfillOptions{
		"no account":        {Since: time.Now()},
		"no start":          {AccountID: "acc_1"},
		"since and afterid": {AccountID: "acc_1", Since: time.Now(), AfterID: "tx_1"},
		"window too big":    {AccountID: "acc_1", Since: time.Now(), Window: 400 * 24 * time.Hour},
		"negative window":   {AccountID: "acc_1", Since: time.Now(), Window: -time.Hour},
		"page too big":      {AccountID: "acc_1", Since: time.Now(), PageSize: 101},
	} {
		if _, err := c.Transactions.Backfill(t.Context(), opts, noop); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	if _, err := c.Transactions.Backfill(t.Context(), monzo.BackfillOptions{AccountID: "acc_1", Since: time.Now()}, nil); err == nil {
		t.Error("nil callback: want an error")
	}
}
