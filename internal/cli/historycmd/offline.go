package historycmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
)

// DefaultFreshness is how recent a sync must be for `monzo transactions`
// to read local history without being asked to (--offline always does).
const DefaultFreshness = 15 * time.Minute

// OfflineQuery selects transactions from local history, as `monzo
// transactions --offline` does.
type OfflineQuery struct {
	// DBPath is the database, as cmdutil.Factory.HistoryDBPath gives it.
	DBPath    string
	AccountID string
	// Since and Before bound the created time; zero leaves an end open.
	Since, Before time.Time
	Categories    []string
	// Merchant keeps transactions whose merchant, counterparty or
	// statement text contains it (ignoring case).
	Merchant string
	// Declined includes declined payments.
	Declined bool
	// OnlyIfFresh skips reading the transactions when the store cannot
	// stand in for the API (Fresh is false): a caller that would then ask
	// the API need not read years of history first.
	OnlyIfFresh bool
}

// ErrNoHistory is returned when there is no local history (no database,
// or the account was never synced): run `monzo sync` first.
var ErrNoHistory = errors.New("no local history")

// OfflineResult is what ReadOffline found.
type OfflineResult struct {
	// Transactions are oldest first, decoded from the JSON the API sent.
	Transactions []*monzo.Transaction
	// Fresh reports that the account was synced within the freshness
	// asked for and its stored history is complete from q.Since: the
	// store can stand in for the API.
	Fresh bool
	// LastSync is when the account was last synced.
	LastSync time.Time
	// State is the account's sync state: how far back the stored history
	// is complete (State.Covers).
	State history.SyncState
}

// StoredAccounts returns the accounts local history holds, as the API
// described them at the last sync; ErrNoHistory when there is no database
// at dbPath (as cmdutil.Factory.HistoryDBPath gives it). Nothing is sent
// to the API.
func StoredAccounts(ctx context.Context, dbPath string) ([]monzo.Account, error) {
	st, err := openExisting(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	rows, err := st.DB().QueryContext(ctx, "SELECT raw FROM accounts ORDER BY created, id")
	if err != nil {
		return nil, fmt.Errorf("reading stored accounts: %w", err)
	}
	defer rows.Close()
	var out []monzo.Account
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("reading stored accounts: %w", err)
		}
		var a monzo.Account
		if err := json.Unmarshal(raw, &a); err != nil {
			return nil, fmt.Errorf("a stored account does not decode: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ReadOffline reads transactions from local history. With freshness > 0,
// a caller deciding whether to skip the API uses Fresh:
//
//	res, err := historycmd.ReadOffline(ctx, q, f.Now(), historycmd.DefaultFreshness)
//	if err == nil && (offlineFlag || res.Fresh) { print res.Transactions }
func ReadOffline(ctx context.Context, q OfflineQuery, now time.Time, freshness time.Duration) (*OfflineResult, error) {
	st, err := openExisting(ctx, q.DBPath)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	state, ok, err := st.SyncState(ctx, q.AccountID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, cmdutil.WithHint(fmt.Errorf("%w for account %s", ErrNoHistory, q.AccountID), "run `monzo sync` first")
	}
	res := &OfflineResult{LastSync: state.LastSync, Fresh: state.Fresh(now, freshness) && state.Covers(q.Since), State: state}
	if q.OnlyIfFresh && !res.Fresh {
		return res, nil
	}
	f := sqlitestore.Filter{AccountIDs: []string{q.AccountID}, Since: q.Since, Before: q.Before, Categories: q.Categories, Merchant: q.Merchant}
	if q.Declined {
		f.Declined = sqlitestore.Include
	}
	for rec, err := range st.Transactions(ctx, f) {
		if err != nil {
			return nil, err
		}
		tx, err := rec.Transaction()
		if err != nil {
			return nil, err
		}
		res.Transactions = append(res.Transactions, tx)
	}
	return res, nil
}
