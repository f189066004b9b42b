package history_test

import (
	"context"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/monzotest"
)

// The re-read of the recent span picks up a pending payment that settles
// and notes written by another app, and a sync with nothing new costs one
// list request per account.
func TestRereadPicksUpSettlementAndNotes(t *testing.T) {
	srv := monzotest.NewServer(t)
	st := openStore(t)
	ctx := context.Background()
	personal := srv.AccountID(monzo.AccountTypeRetail)
	only := history.Options{AccountIDs: []string{personal}}

	pending, err := srv.Emulator.InjectCardPayment(emulator.CardPayment{AccountID: personal, Amount: 875, MerchantName: "Pret A Manger", Pending: true})
	if err != nil {
		t.Fatal(err)
	}
	srv.Clock.Advance(time.Hour)
	noted, err := srv.Emulator.InjectCardPayment(emulatorPayment(personal, 420))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newSyncer(srv, st).Sync(ctx, only); err != nil {
		t.Fatal(err)
	}
	if got := storedTx(t, st, personal, time.Time{})[pending]; got.settled {
		t.Fatalf("the pending payment is stored as settled: %+v", got)
	}

	// A day later (window long closed): it settles, and another app
	// writes notes on the other payment.
	srv.Clock.Advance(24 * time.Hour)
	if err := srv.Emulator.SettleTransaction(pending); err != nil {
		t.Fatal(err)
	}
	other := srv.RegisterClient("budgeting app", true)
	login := srv.LogIn(other, "")
	srv.Approve(login)
	if _, err := srv.NewClient(login).Transactions.Annotate(ctx, noted, map[string]string{"notes": "team lunch"}); err != nil {
		t.Fatal(err)
	}
	// The user photographs the receipt of the settled payment.
	att, err := srv.Client.Attachments.Register(ctx, monzo.AttachmentRegistration{ExternalID: pending,
		FileURL: "https://example.com/receipts/4711.jpg", FileType: "image/jpeg"})
	if err != nil {
		t.Fatal(err)
	}

	res, err := newSyncer(srv, st).Sync(ctx, only)
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Counts(); c.Updated != 2 || c.New != 0 {
		t.Errorf("counts %+v, want the 2 changed transactions updated and nothing new", c)
	}
	got := storedTx(t, st, personal, time.Time{})
	if !got[pending].settled {
		t.Errorf("the settled payment is still pending in the store")
	}
	if got[noted].notes != "team lunch" {
		t.Errorf("notes = %q, want the other app's annotation", got[noted].notes)
	}
	sameHistory(t, got, truth(t, srv, personal, res.Accounts[0].State.From))
	var attTx, attURL string
	if err := st.DB().QueryRow(`SELECT transaction_id, file_url FROM attachments WHERE id = ?`, att.ID).Scan(&attTx, &attURL); err != nil {
		t.Fatalf("the attachment's metadata is not stored: %v", err)
	}
	if attTx != pending || attURL != "https://example.com/receipts/4711.jpg" {
		t.Errorf("attachment stored as %s %s", attTx, attURL)
	}

	// Nothing new: one list request for the account's transactions.
	counter := &requestCounter{}
	client := srv.NewClient(srv.Login, monzo.WithHTTPClient(counter.client(srv)))
	res, err = (&history.Syncer{Client: client, Store: st, Now: srv.Clock.Now}).Sync(ctx, only)
	if err != nil {
		t.Fatal(err)
	}
	if n := counter.get("/transactions"); n != 1 {
		t.Errorf("a sync with nothing new made %d transaction list requests, want 1", n)
	}
	if c := res.Counts(); c.New != 0 || c.Updated != 0 {
		t.Errorf("counts %+v, want nothing new or changed", c)
	}
}
