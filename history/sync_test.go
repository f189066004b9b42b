package history_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/monzotest"
)

// severalYears seeds the emulator with three years of history.
var severalYears = monzotest.WithEmulatorOptions(emulator.Options{HistoryDays: 3 * 365})

func TestFirstSyncBackfillsEveryAccount(t *testing.T) {
	srv := monzotest.NewServer(t, severalYears)
	st := openStore(t)
	res, err := newSyncer(srv, st).Sync(context.Background(), history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Accounts) < 2 {
		t.Fatalf("synced %d accounts, want the personal and the joint one", len(res.Accounts))
	}
	for _, a := range res.Accounts {
		want := truth(t, srv, a.Account.ID, time.Time{})
		sameHistory(t, storedTx(t, st, a.Account.ID, time.Time{}), want)
		if a.Counts.New != len(want) || a.Counts.Updated != 0 || a.Counts.Unchanged != 0 {
			t.Errorf("%s: counts %+v, want %d new", a.Account.ID, a.Counts, len(want))
		}
		if !a.State.Full || a.WindowClosed || !a.State.From.Equal(a.Account.Created.Time) || !a.State.To.Equal(srv.Clock.Now()) {
			t.Errorf("%s: state %+v, want full history from %s to now", a.Account.ID, a.State, a.Account.Created)
		}
		if !strings.Contains(a.Reach(), "complete from the account's opening") {
			t.Errorf("Reach() = %q", a.Reach())
		}
	}
	personal := srv.AccountID(monzo.AccountTypeRetail)
	if n := count(t, st, `SELECT count(*) FROM transactions WHERE account_id = ? AND created < ?`, personal,
		srv.Clock.Now().AddDate(-2, -6, 0).UTC().Format(time.RFC3339)); n == 0 {
		t.Errorf("no transactions older than two and a half years stored; the seeded history is three years long")
	}
	if n := count(t, st, `SELECT count(*) FROM pot_snapshots`); n == 0 {
		t.Error("no pot balances recorded")
	}
	if n := count(t, st, `SELECT count(*) FROM merchants`); n == 0 {
		t.Error("no merchants stored")
	}
	if n := count(t, st, `SELECT count(*) FROM transactions WHERE json_extract(raw, '$.id') <> id`); n != 0 {
		t.Errorf("%d rows whose raw JSON is not their transaction", n)
	}

	// A second sync right away stores nothing new and changes nothing.
	again, err := newSyncer(srv, st).Sync(context.Background(), history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c := again.Counts(); c.New != 0 || c.Updated != 0 || c.Unchanged == 0 {
		t.Errorf("second sync counts %+v, want only unchanged ones", c)
	}
}

func TestSyncAfterTheWindowClosed(t *testing.T) {
	srv := monzotest.NewServer(t, severalYears)
	st := openStore(t)
	ctx := context.Background()
	personal := srv.AccountID(monzo.AccountTypeRetail)
	if _, err := newSyncer(srv, st).Sync(ctx, history.Options{AccountIDs: []string{personal}}); err != nil {
		t.Fatal(err)
	}
	full := truth(t, srv, personal, time.Time{})

	srv.Clock.Advance(5*time.Minute + time.Second)
	// Sanity: the emulator now refuses old history, as Monzo does.
	if _, err := srv.Client.Transactions.List(ctx, personal, &monzo.TransactionListOptions{Since: srv.Clock.Now().Add(-200 * 24 * time.Hour)}); !errors.Is(err, monzo.ErrVerificationRequired) {
		t.Fatalf("old history after 5 minutes: err = %v, want ErrVerificationRequired", err)
	}
	if _, err := srv.Emulator.InjectCardPayment(emulatorPayment(personal, 1234)); err != nil {
		t.Fatal(err)
	}

	// The store synced in time: the next sync reads the recent span only
	// and keeps the full history.
	res, err := newSyncer(srv, st).Sync(ctx, history.Options{AccountIDs: []string{personal}})
	if err != nil {
		t.Fatal(err)
	}
	a := res.Accounts[0]
	if a.WindowClosed || !a.State.Full || a.Counts.New != 1 {
		t.Errorf("incremental sync after the window closed: %+v", a)
	}
	if got := storedTx(t, st, personal, time.Time{}); len(got) != len(full)+1 {
		t.Errorf("store has %d transactions, want %d", len(got), len(full)+1)
	}

	// --full now cannot read old history: it says so and keeps the store whole.
	res, err = newSyncer(srv, st).Sync(ctx, history.Options{AccountIDs: []string{personal}, Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Accounts[0]; !a.WindowClosed || !a.State.Full || a.State.HasGap() {
		t.Errorf("--full after the window closed: WindowClosed=%v state=%+v", a.WindowClosed, a.State)
	}

	// A store that never synced gets the last 89 days and is told how far
	// back it reaches and how to get the rest.
	fresh := openStore(t)
	res, err = newSyncer(srv, fresh).Sync(ctx, history.Options{AccountIDs: []string{personal}})
	if err != nil {
		t.Fatal(err)
	}
	a = res.Accounts[0]
	from := srv.Clock.Now().Add(-history.DefaultRecentWindow)
	if !a.WindowClosed || a.State.Full || !a.State.From.Equal(from) {
		t.Errorf("first sync after the window closed: WindowClosed=%v state=%+v, want from %s", a.WindowClosed, a.State, from)
	}
	if r := a.Reach(); !strings.Contains(r, from.Format("2006-01-02")) || !strings.Contains(r, "monzo sync --full") {
		t.Errorf("Reach() = %q, want the date history starts and how to get the rest", r)
	}
	sameHistory(t, storedTx(t, fresh, personal, time.Time{}), truth(t, srv, personal, from))
}
