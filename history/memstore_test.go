package history_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/monzotest"
)

// memStore is a Store of one's own: maps under a lock, each Commit applied
// whole. It shows the interface is all a Syncer needs.
type memStore struct {
	mu     sync.Mutex
	txs    map[string][]byte
	states map[string]history.SyncState
	pots   map[string]int64
}

func (m *memStore) SyncState(_ context.Context, id string) (history.SyncState, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.states[id]
	return st, ok, nil
}

func (m *memStore) SaveAccounts(context.Context, []monzo.Account) error { return nil }

func (m *memStore) SavePots(_ context.Context, _ string, pots []monzo.Pot, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range pots {
		m.pots[p.ID] = p.Balance
	}
	return nil
}

func (m *memStore) Commit(_ context.Context, b history.Batch) (history.Counts, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var c history.Counts
	for _, tx := range b.Transactions {
		old, ok := m.txs[tx.ID]
		switch {
		case !ok:
			c.New++
		case bytes.Equal(old, tx.Raw):
			c.Unchanged++
			continue
		default:
			c.Updated++
		}
		m.txs[tx.ID] = bytes.Clone(tx.Raw)
	}
	m.states[b.State.AccountID] = b.State
	return c, nil
}

func TestSyncIntoAStoreOfYourOwn(t *testing.T) {
	srv := monzotest.NewServer(t)
	m := &memStore{txs: map[string][]byte{}, states: map[string]history.SyncState{}, pots: map[string]int64{}}
	personal := srv.AccountID(monzo.AccountTypeRetail)
	res, err := (&history.Syncer{Client: srv.Client, Store: m, Now: srv.Clock.Now}).Sync(context.Background(), history.Options{AccountIDs: []string{personal}})
	if err != nil {
		t.Fatal(err)
	}
	want := truth(t, srv, personal, time.Time{})
	if len(m.txs) != len(want) || res.Counts().New != len(want) || !m.states[personal].Full || len(m.pots) == 0 {
		t.Errorf("own store: %d transactions (want %d), counts %+v, state %+v, %d pots", len(m.txs), len(want), res.Counts(), m.states[personal], len(m.pots))
	}
	for id := range want {
		if _, ok := m.txs[id]; !ok {
			t.Fatalf("transaction %s missing", id)
		}
	}
}
