package historycmd_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/clitest"
	"github.com/monzokit/monzo/internal/cli/historycmd"
)

func TestReadOfflineMatchesTheAPI(t *testing.T) {
	e := clitest.New(t)
	db := filepath.Join(e.Dir, "history.db")
	personal := e.Srv.AccountID(monzo.AccountTypeRetail)
	ctx := context.Background()
	if _, err := historycmd.ReadOffline(ctx, historycmd.OfflineQuery{DBPath: db, AccountID: personal}, e.Srv.Clock.Now(), time.Hour); !errors.Is(err, historycmd.ErrNoHistory) {
		t.Fatalf("before any sync: %v, want ErrNoHistory", err)
	}
	e.MustRun("sync", "--db", db)

	since := e.Srv.Clock.Now().AddDate(0, 0, -30)
	q := historycmd.OfflineQuery{DBPath: db, AccountID: personal, Since: since, Declined: true}
	res, err := historycmd.ReadOffline(ctx, q, e.Srv.Clock.Now(), historycmd.DefaultFreshness)
	if err != nil {
		t.Fatal(err)
	}
	var want []*monzo.Transaction
	for tx, err := range e.Srv.Client.Transactions.All(ctx, personal, &monzo.TransactionListOptions{Since: since, ExpandMerchant: true}) {
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, tx)
	}
	if !res.Fresh || len(res.Transactions) != len(want) || len(want) == 0 {
		t.Fatalf("offline: fresh %v, %d transactions; the API has %d", res.Fresh, len(res.Transactions), len(want))
	}
	for i, tx := range res.Transactions {
		if tx.ID != want[i].ID || tx.Amount != want[i].Amount || tx.Merchant.String() != want[i].Merchant.String() {
			t.Errorf("offline #%d = %s %d %s, API %s %d %s", i, tx.ID, tx.Amount, tx.Merchant, want[i].ID, want[i].Amount, want[i].Merchant)
		}
	}
	// An hour later the store is no longer fresh enough to stand in.
	res, err = historycmd.ReadOffline(ctx, q, e.Srv.Clock.Now().Add(time.Hour), historycmd.DefaultFreshness)
	if err != nil || res.Fresh {
		t.Errorf("an hour later: fresh %v, err %v", res.Fresh, err)
	}
}
