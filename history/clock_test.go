package history_test

import (
	"context"
	"testing"
	"time"

	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/monzotest"
)

// TestSyncerReadsTheClientsClock leaves Syncer.Now unset with a client
// built WithClock (monzotest's, on a fake clock years after the wall
// clock): the sync must read history up to the client's now, and date its
// state with it, not with the wall clock, which would find no history at
// all in a seeded past that has not happened yet.
func TestSyncerReadsTheClientsClock(t *testing.T) {
	start := time.Date(2033, 5, 17, 8, 0, 0, 0, time.UTC)
	srv := monzotest.NewServer(t, monzotest.WithStart(start))
	if now := srv.Client.Now(); !now.Equal(srv.Clock.Now()) {
		t.Fatalf("Client.Now() = %s, want the fake clock's %s", now, srv.Clock.Now())
	}
	st := openStore(t)
	res, err := (&history.Syncer{Client: srv.Client, Store: st}).Sync(context.Background(), history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Accounts {
		want := truth(t, srv, a.Account.ID, time.Time{})
		if len(want) == 0 {
			t.Fatalf("%s: the emulator has no history to sync", a.Account.ID)
		}
		sameHistory(t, storedTx(t, st, a.Account.ID, time.Time{}), want)
		if !a.State.To.Equal(srv.Clock.Now()) || !a.State.LastSync.Equal(srv.Clock.Now()) {
			t.Errorf("%s: state reaches %s, last synced %s; want both at the fake clock's %s", a.Account.ID, a.State.To, a.State.LastSync, srv.Clock.Now())
		}
	}
}
