package history_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/monzotest"
)

// What `monzo transactions --offline` relies on: filtered queries, typed
// transactions decoded from the stored JSON, and knowing when the store
// can stand in for the API.
func TestOfflineQueries(t *testing.T) {
	srv := monzotest.NewServer(t)
	st := openStore(t)
	ctx := context.Background()
	personal := srv.AccountID(monzo.AccountTypeRetail)
	if _, err := newSyncer(srv, st).Sync(ctx, history.Options{AccountIDs: []string{personal}}); err != nil {
		t.Fatal(err)
	}
	want := count(t, st, `SELECT count(*) FROM transactions t LEFT JOIN merchants m ON m.id = t.merchant_id
		WHERE t.account_id = ? AND t.decline_reason = '' AND (lower(m.name) LIKE '%pret%' OR lower(t.description) LIKE '%pret%')`, personal)
	if want == 0 {
		t.Fatal("the seeded history has no Pret payments to find")
	}
	var got int64
	for rec, err := range st.Transactions(ctx, sqlitestore.Filter{AccountIDs: []string{personal}, Merchant: "PrEt"}) {
		if err != nil {
			t.Fatal(err)
		}
		tx, err := rec.Transaction()
		if err != nil {
			t.Fatal(err)
		}
		if tx.ID != rec.ID || tx.Amount != rec.Amount || tx.AccountID != personal {
			t.Fatalf("decoded %s %d, stored %s %d", tx.ID, tx.Amount, rec.ID, rec.Amount)
		}
		if m, ok := tx.Merchant.Expanded(); !ok || !strings.Contains(strings.ToLower(m.Name+tx.Description), "pret") {
			t.Errorf("transaction %s does not match the merchant filter", tx.ID)
		}
		got++
	}
	if got != want {
		t.Errorf("merchant filter found %d, SQL %d", got, want)
	}
	// A LIKE wildcard in the text is literal.
	for rec, err := range st.Transactions(ctx, sqlitestore.Filter{Merchant: "%"}) {
		if err != nil {
			t.Fatal(err)
		}
		t.Fatalf("%q matched transaction %s (%s)", "%", rec.ID, rec.Description)
	}

	state, ok, err := st.SyncState(ctx, personal)
	if err != nil || !ok {
		t.Fatalf("state %v %v", ok, err)
	}
	now := srv.Clock.Now()
	if !state.Covers(now.AddDate(-1, 0, 0)) || !state.Fresh(now.Add(time.Hour), 2*time.Hour) || state.Fresh(now.Add(3*time.Hour), 2*time.Hour) {
		t.Errorf("state %+v: Covers/Fresh wrong", state)
	}
}
