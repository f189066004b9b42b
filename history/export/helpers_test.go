package export_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/monzokit/monzo/history/export"
	"github.com/monzokit/monzo/history/internal/historytest"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/monzotest"
)

// syncedStore syncs the emulator's seeded history into a store on disk.
func syncedStore(t testing.TB) (*monzotest.Server, *sqlitestore.Store) {
	t.Helper()
	return historytest.Synced(t)
}

func export1(t testing.TB, st *sqlitestore.Store, opts export.Options) []byte {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC) }
	}
	var buf bytes.Buffer
	res, err := export.Write(context.Background(), &buf, st, opts)
	if err != nil {
		t.Fatalf("export %s: %v", opts.Format, err)
	}
	if res.Transactions == 0 {
		t.Fatalf("export %s wrote no transactions", opts.Format)
	}
	return buf.Bytes()
}

// sums is what SQL says: per currency (or per account) count and total.
type sums map[string]struct{ count, total int64 }

func sqlSums(t testing.TB, st *sqlitestore.Store, group, where string, args ...any) sums {
	t.Helper()
	rows, err := st.DB().Query(`SELECT `+group+`, count(*), SUM(amount) FROM transactions WHERE `+where+` GROUP BY 1`, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := sums{}
	for rows.Next() {
		var k string
		var c, s int64
		if err := rows.Scan(&k, &c, &s); err != nil {
			t.Fatal(err)
		}
		out[k] = struct{ count, total int64 }{c, s}
	}
	if len(out) == 0 {
		t.Fatalf("SQL found nothing for %s", where)
	}
	return out
}

func sameSums(t testing.TB, what string, got, want sums) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %v, SQL says %v", what, got, want)
		return
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s %s: count/total %v, SQL says %v", what, k, got[k], w)
		}
	}
}
