package history_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/monzotest"
)

// A store left alone for longer than 90 days can only be brought up to
// date for the last 90: the sync says what may be missing, and a full sync
// after a fresh approval fills the gap.
func TestGapAfterAStoreWasLeftAloneAndItsRepair(t *testing.T) {
	srv := monzotest.NewServer(t)
	st := openStore(t)
	ctx := context.Background()
	personal := srv.AccountID(monzo.AccountTypeRetail)
	only := history.Options{AccountIDs: []string{personal}}
	first, err := newSyncer(srv, st).Sync(ctx, only)
	if err != nil {
		t.Fatal(err)
	}
	lastSynced := first.Accounts[0].State.To

	srv.Clock.Advance(120 * 24 * time.Hour)
	if _, err := srv.Emulator.InjectCardPayment(emulatorPayment(personal, 999)); err != nil {
		t.Fatal(err)
	}
	res, err := newSyncer(srv, st).Sync(ctx, only)
	if err != nil {
		t.Fatal(err)
	}
	a := res.Accounts[0]
	recent := srv.Clock.Now().Add(-history.DefaultRecentWindow)
	if !a.WindowClosed || a.State.Full || !a.State.HasGap() || !a.State.GapFrom.Equal(lastSynced) ||
		!a.State.GapTo.Equal(recent) || !a.State.From.Equal(recent) {
		t.Fatalf("after 120 days away: WindowClosed=%v state=%+v; want a gap from %s to %s", a.WindowClosed, a.State, lastSynced, recent)
	}
	if r := a.Reach(); !strings.Contains(r, "may be missing") || !strings.Contains(r, lastSynced.Format("2006-01-02")) {
		t.Errorf("Reach() = %q, want the missing span", r)
	}
	if a.Counts.New != 1 {
		t.Errorf("counts %+v, want the one new payment", a.Counts)
	}

	// The user logs in again and approves: a full sync fills the gap.
	login := srv.LogIn(srv.Emulator.DefaultClient(), "")
	srv.Approve(login)
	srv.Client = srv.NewClient(login) // the new login evicted the old token
	res, err = newSyncer(srv, st).Sync(ctx, history.Options{AccountIDs: []string{personal}, Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Accounts[0]; a.WindowClosed || !a.State.Full || a.State.HasGap() {
		t.Errorf("full sync after approval: WindowClosed=%v state=%+v, want full history and no gap", a.WindowClosed, a.State)
	}
	sameHistory(t, storedTx(t, st, personal, time.Time{}), truth(t, srv, personal, time.Time{}))
}
