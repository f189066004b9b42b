// Package historytest sets up local history for the tests of the history
// packages: an emulator and a SQLite store on disk, synced.
package historytest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/monzotest"
)

// OpenStore opens a fresh store in the test's temporary directory.
func OpenStore(t testing.TB) *sqlitestore.Store {
	t.Helper()
	st, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Sync syncs every open account of srv's primary user into st.
func Sync(t testing.TB, srv *monzotest.Server, st history.Store) *history.Result {
	t.Helper()
	res, err := (&history.Syncer{Client: srv.Client, Store: st, Now: srv.Clock.Now}).Sync(context.Background(), history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Synced starts an emulator and syncs its seeded history into a new store.
func Synced(t testing.TB, opts ...monzotest.Option) (*monzotest.Server, *sqlitestore.Store) {
	t.Helper()
	srv := monzotest.NewServer(t, opts...)
	st := OpenStore(t)
	Sync(t, srv, st)
	return srv, st
}
