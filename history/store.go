package history

import (
	"context"
	"time"

	"github.com/monzokit/monzo"
)

// Store is where a [Syncer] keeps history. Implementations must make
// [Store.Commit] atomic: the batch's transactions and its sync state are
// written together or not at all, so that the state never claims rows the
// store does not hold.
type Store interface {
	// SyncState returns what an earlier sync recorded for the account; ok
	// is false when the account was never synced.
	SyncState(ctx context.Context, accountID string) (state SyncState, ok bool, err error)
	// SaveAccounts inserts or updates accounts.
	SaveAccounts(ctx context.Context, accounts []monzo.Account) error
	// SavePots inserts or updates the pots of a current account and records
	// each pot's balance as a snapshot taken at the given time.
	SavePots(ctx context.Context, accountID string, pots []monzo.Pot, at time.Time) error
	// Commit inserts or updates the batch's transactions (by id, so
	// writing the same transaction twice stores it once) and replaces the
	// account's sync state with b.State, atomically. It reports how many
	// transactions were new, changed or already stored as they are.
	Commit(ctx context.Context, b Batch) (Counts, error)
}

// Batch is one atomic write of a sync: transactions and the sync state that
// holds once they are stored.
type Batch struct {
	// State is the account's sync state after this batch.
	State SyncState
	// Transactions belong to State.AccountID.
	Transactions []*monzo.Transaction
}

// Counts says what a sync (or one batch) did to the store.
type Counts struct {
	// New transactions were not stored before.
	New int
	// Updated transactions were stored but have changed (settled, amount
	// changed, annotated, …).
	Updated int
	// Unchanged transactions were stored exactly as received.
	Unchanged int
}

// Add returns the sum of two counts.
func (c Counts) Add(o Counts) Counts {
	return Counts{New: c.New + o.New, Updated: c.Updated + o.Updated, Unchanged: c.Unchanged + o.Unchanged}
}

// Total is the number of transactions received.
func (c Counts) Total() int { return c.New + c.Updated + c.Unchanged }

// SyncState is what the store knows about an account's history: every
// transaction created in [From, To) is stored. Older ones may be stored too
// (from earlier syncs), but only From onwards is known to be complete.
type SyncState struct {
	AccountID string
	// From is where the complete span starts.
	From time.Time
	// To is where it ends: the time up to which the last sync read.
	To time.Time
	// Full reports that From is the start of the account's history, so the
	// store holds all of it up to To.
	Full bool
	// GapFrom and GapTo, when set, bound a span whose transactions may be
	// missing: a sync that could only read the last 90 days found the
	// store's previous span ending before them. GapTo equals From.
	GapFrom, GapTo time.Time
	// LastSync is when the last sync of the account finished a batch.
	LastSync time.Time
}

// HasGap reports whether some history before From may be missing.
func (s SyncState) HasGap() bool { return !s.GapFrom.IsZero() }

// Covers reports whether the stored history is complete from t up to the
// last sync: what an offline query starting at t needs.
func (s SyncState) Covers(t time.Time) bool {
	return s.Full || !t.Before(s.From)
}

// Fresh reports whether the last sync finished within maxAge of now, so
// that reading the store instead of the API misses little.
func (s SyncState) Fresh(now time.Time, maxAge time.Duration) bool {
	return !s.LastSync.IsZero() && now.Sub(s.LastSync) <= maxAge
}
