package history_test

import (
	"context"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/internal/historytest"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/monzotest"
)

// openStore opens a fresh SQLite store on disk in the test's directory.
func openStore(t testing.TB) *sqlitestore.Store { return historytest.OpenStore(t) }

func newSyncer(srv *monzotest.Server, st history.Store) *history.Syncer {
	return &history.Syncer{Client: srv.Client, Store: st, Now: srv.Clock.Now}
}

// truth lists an account's transactions through the API from its creation
// with a plain page walk (not the sync's code path): id → raw fields that
// matter. Call it while the full-history window is open, or with since.
func truth(t testing.TB, srv *monzotest.Server, accountID string, since time.Time) map[string]stored {
	t.Helper()
	if since.IsZero() {
		since = accountCreated(t, srv, accountID)
	}
	out := map[string]stored{}
	for tx, err := range srv.Client.Transactions.All(context.Background(), accountID, &monzo.TransactionListOptions{Since: since}) {
		if err != nil {
			t.Fatalf("reading the emulator's truth: %v", err)
		}
		out[tx.ID] = stored{amount: tx.Amount, currency: tx.Currency, settled: !tx.Settled.IsZero(), notes: tx.Notes}
	}
	return out
}

func accountCreated(t testing.TB, srv *monzotest.Server, accountID string) time.Time {
	t.Helper()
	accs, err := srv.Client.Accounts.List(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accs {
		if a.ID == accountID {
			return a.Created.Time
		}
	}
	t.Fatalf("no account %s", accountID)
	return time.Time{}
}

type stored struct {
	amount   int64
	currency string
	settled  bool
	notes    string
}

// storedTx reads an account's transactions from the store, failing on
// duplicate ids (the primary key makes them impossible, so this checks the
// schema too).
func storedTx(t testing.TB, st *sqlitestore.Store, accountID string, since time.Time) map[string]stored {
	t.Helper()
	rows, err := st.DB().Query(`SELECT id, amount, currency, settled, notes FROM transactions WHERE account_id = ? AND created >= ?`,
		accountID, since.UTC().Format("2006-01-02T15:04:05.000000000Z"))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]stored{}
	for rows.Next() {
		var id, settled string
		var s stored
		if err := rows.Scan(&id, &s.amount, &s.currency, &settled, &s.notes); err != nil {
			t.Fatal(err)
		}
		s.settled = settled != ""
		if _, dup := out[id]; dup {
			t.Fatalf("transaction %s stored twice", id)
		}
		out[id] = s
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sameHistory fails unless the store holds exactly want.
func sameHistory(t testing.TB, got, want map[string]stored) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("store has %d transactions, the emulator %d", len(got), len(want))
	}
	bad := 0
	for id, w := range want {
		g, ok := got[id]
		switch {
		case !ok:
			t.Errorf("transaction %s missing from the store", id)
		case g != w:
			t.Errorf("transaction %s: store has %+v, emulator %+v", id, g, w)
		default:
			continue
		}
		if bad++; bad > 5 {
			t.Fatalf("more differences left out")
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("store has transaction %s the emulator does not", id)
			if bad++; bad > 5 {
				t.Fatalf("more differences left out")
			}
		}
	}
}

func count(t testing.TB, st *sqlitestore.Store, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := st.DB().QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
