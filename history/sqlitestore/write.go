package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history"
)

var _ history.Store = (*Store)(nil)

// SyncState implements [history.Store].
func (s *Store) SyncState(ctx context.Context, accountID string) (history.SyncState, bool, error) {
	var from, to, gapFrom, gapTo, last string
	st := history.SyncState{AccountID: accountID}
	err := s.db.QueryRowContext(ctx,
		`SELECT from_time, to_time, full, gap_from, gap_to, last_sync FROM sync_state WHERE account_id = ?`, accountID).
		Scan(&from, &to, &st.Full, &gapFrom, &gapTo, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return history.SyncState{}, false, nil
	}
	if err != nil {
		return history.SyncState{}, false, fmt.Errorf("sqlitestore: reading the sync state of %s: %w", accountID, err)
	}
	for _, f := range []struct {
		dst *time.Time
		src string
	}{{&st.From, from}, {&st.To, to}, {&st.GapFrom, gapFrom}, {&st.GapTo, gapTo}, {&st.LastSync, last}} {
		if *f.dst, err = parseTime(f.src); err != nil {
			return history.SyncState{}, false, fmt.Errorf("sqlitestore: the sync state of %s is corrupt: %w", accountID, err)
		}
	}
	return st, true, nil
}

// SyncStates returns the sync state of every synced account, by account id.
func (s *Store) SyncStates(ctx context.Context) ([]history.SyncState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT account_id FROM sync_state ORDER BY account_id`)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: listing sync states: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := make([]history.SyncState, 0, len(ids))
	for _, id := range ids {
		st, _, err := s.SyncState(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// SaveAccounts implements [history.Store].
func (s *Store) SaveAccounts(ctx context.Context, accounts []monzo.Account) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, a := range accounts {
			raw, err := rawOf(a.Raw, a)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO accounts (id, type, description, currency, closed, created, raw)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT(id) DO UPDATE SET type=excluded.type, description=excluded.description,
					currency=excluded.currency, closed=excluded.closed, created=excluded.created, raw=excluded.raw`,
				a.ID, string(a.Type), a.Description, a.Currency, a.Closed, formatTime(a.Created.Time), raw); err != nil {
				return fmt.Errorf("sqlitestore: saving account %s: %w", a.ID, err)
			}
		}
		return nil
	})
}

// SavePots implements [history.Store].
func (s *Store) SavePots(ctx context.Context, accountID string, pots []monzo.Pot, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, p := range pots {
			raw, err := rawOf(p.Raw, p)
			if err != nil {
				return err
			}
			owner := p.CurrentAccountID
			if owner == "" {
				owner = accountID
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO pots (id, account_id, name, currency, balance, deleted, raw)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT(id) DO UPDATE SET account_id=excluded.account_id, name=excluded.name, currency=excluded.currency,
					balance=excluded.balance, deleted=excluded.deleted, raw=excluded.raw`,
				p.ID, owner, p.Name, p.Currency, p.Balance, p.Deleted, raw); err != nil {
				return fmt.Errorf("sqlitestore: saving pot %s: %w", p.ID, err)
			}
			if p.Deleted {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO pot_snapshots (pot_id, taken_at, balance, currency) VALUES (?, ?, ?, ?)
				ON CONFLICT(pot_id, taken_at) DO UPDATE SET balance=excluded.balance, currency=excluded.currency`,
				p.ID, formatTime(at), p.Balance, p.Currency); err != nil {
				return fmt.Errorf("sqlitestore: saving a snapshot of pot %s: %w", p.ID, err)
			}
		}
		return nil
	})
}

// Commit implements [history.Store]: the batch's transactions, their
// merchants and attachments, and the account's sync state are written in
// one SQLite transaction.
func (s *Store) Commit(ctx context.Context, b history.Batch) (history.Counts, error) {
	var counts history.Counts
	if b.State.AccountID == "" {
		return counts, errors.New("sqlitestore: Commit: the batch's State.AccountID is empty")
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		counts = history.Counts{}
		w, err := newTxWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		for _, t := range b.Transactions {
			if t.AccountID != "" && t.AccountID != b.State.AccountID {
				return fmt.Errorf("sqlitestore: Commit: transaction %s belongs to account %s, not %s", t.ID, t.AccountID, b.State.AccountID)
			}
			change, err := w.put(ctx, b.State.AccountID, t)
			if err != nil {
				return err
			}
			switch change {
			case changeNew:
				counts.New++
			case changeUpdated:
				counts.Updated++
			default:
				counts.Unchanged++
			}
		}
		st := b.State
		_, err = tx.ExecContext(ctx, `INSERT INTO sync_state (account_id, from_time, to_time, full, gap_from, gap_to, last_sync)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(account_id) DO UPDATE SET from_time=excluded.from_time, to_time=excluded.to_time, full=excluded.full,
				gap_from=excluded.gap_from, gap_to=excluded.gap_to, last_sync=excluded.last_sync`,
			st.AccountID, formatTime(st.From), formatTime(st.To), st.Full, formatTime(st.GapFrom), formatTime(st.GapTo), formatTime(st.LastSync))
		if err != nil {
			return fmt.Errorf("sqlitestore: saving the sync state of %s: %w", st.AccountID, err)
		}
		return nil
	})
	return counts, err
}

type change int

const (
	changeNone change = iota
	changeNew
	changeUpdated
)

// txWriter holds the prepared statements of one Commit.
type txWriter struct {
	tx                               *sql.Tx
	upsert, merchant, delAtt, addAtt *sql.Stmt
	// maxRowID is the largest rowid before this commit: a row the upsert
	// returns with a larger one was inserted, otherwise updated.
	maxRowID int64
	// merchants written in this commit (id → raw), so each is written once
	// however many of the batch's payments went to it.
	merchants map[string]string
}

func newTxWriter(ctx context.Context, tx *sql.Tx) (*txWriter, error) {
	w := &txWriter{tx: tx, merchants: map[string]string{}}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(rowid), 0) FROM transactions`).Scan(&w.maxRowID); err != nil {
		return nil, fmt.Errorf("sqlitestore: reading the transactions table: %w", err)
	}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		// One statement per transaction: insert, or update only when the
		// JSON differs (an unchanged row returns nothing).
		{&w.upsert, `INSERT INTO transactions (id, account_id, created, settled, updated, amount, currency, local_amount,
			local_currency, category, merchant_id, description, notes, decline_reason, scheme, include_in_spending, pot_id, raw)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET account_id=excluded.account_id, created=excluded.created, settled=excluded.settled,
				updated=excluded.updated, amount=excluded.amount, currency=excluded.currency, local_amount=excluded.local_amount,
				local_currency=excluded.local_currency, category=excluded.category, merchant_id=excluded.merchant_id,
				description=excluded.description, notes=excluded.notes, decline_reason=excluded.decline_reason,
				scheme=excluded.scheme, include_in_spending=excluded.include_in_spending, pot_id=excluded.pot_id, raw=excluded.raw
			WHERE transactions.raw IS NOT excluded.raw
			RETURNING rowid`},
		{&w.merchant, `INSERT INTO merchants (id, group_id, name, category, raw) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET group_id=excluded.group_id, name=excluded.name, category=excluded.category, raw=excluded.raw
			WHERE merchants.raw <> excluded.raw`},
		{&w.delAtt, `DELETE FROM attachments WHERE transaction_id = ?`},
		{&w.addAtt, `INSERT INTO attachments (id, transaction_id, file_url, file_type, created, raw) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET transaction_id=excluded.transaction_id, file_url=excluded.file_url,
				file_type=excluded.file_type, created=excluded.created, raw=excluded.raw`},
	} {
		st, err := tx.PrepareContext(ctx, p.query)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("sqlitestore: preparing a statement: %w", err)
		}
		*p.dst = st
	}
	return w, nil
}

func (w *txWriter) close() {
	for _, st := range []*sql.Stmt{w.upsert, w.merchant, w.delAtt, w.addAtt} {
		if st != nil {
			st.Close()
		}
	}
}

// put stores one transaction unless it is stored exactly as it is.
func (w *txWriter) put(ctx context.Context, accountID string, t *monzo.Transaction) (change, error) {
	if t.ID == "" {
		return changeNone, errors.New("sqlitestore: Commit: a transaction has no id")
	}
	raw, err := rawOf(t.Raw, t)
	if err != nil {
		return changeNone, err
	}
	var rowid int64
	err = w.upsert.QueryRowContext(ctx, t.ID, accountID, formatTime(t.Created.Time), formatTime(t.Settled.Time),
		formatTime(t.Updated.Time), t.Amount, t.Currency, t.LocalAmount, t.LocalCurrency, string(t.Category),
		t.Merchant.ID(), t.Description, t.Notes, string(t.DeclineReason), string(t.Scheme), t.IncludeInSpending,
		t.Metadata["pot_id"], raw).Scan(&rowid)
	c := changeUpdated
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return changeNone, nil // stored exactly as it is
	case err != nil:
		return changeNone, fmt.Errorf("sqlitestore: saving transaction %s: %w", t.ID, err)
	case rowid > w.maxRowID:
		c = changeNew
	}
	if m, ok := t.Merchant.Expanded(); ok && m.ID != "" {
		mraw, err := rawOf(m.Raw, m)
		if err != nil {
			return changeNone, err
		}
		if w.merchants[m.ID] != mraw {
			if _, err := w.merchant.ExecContext(ctx, m.ID, m.GroupID, m.Name, string(m.Category), mraw); err != nil {
				return changeNone, fmt.Errorf("sqlitestore: saving merchant %s: %w", m.ID, err)
			}
			w.merchants[m.ID] = mraw
		}
	}
	if c == changeUpdated || len(t.Attachments) > 0 {
		if _, err := w.delAtt.ExecContext(ctx, t.ID); err != nil {
			return changeNone, fmt.Errorf("sqlitestore: updating attachments of %s: %w", t.ID, err)
		}
	}
	for _, a := range t.Attachments {
		araw, err := rawOf(a.Raw, a)
		if err != nil {
			return changeNone, err
		}
		url := a.FileURL
		if url == "" {
			url = a.URL
		}
		if _, err := w.addAtt.ExecContext(ctx, a.ID, t.ID, url, a.FileType, formatTime(a.Created.Time), araw); err != nil {
			return changeNone, fmt.Errorf("sqlitestore: saving attachment %s: %w", a.ID, err)
		}
	}
	return c, nil
}

// rawOf returns the JSON the API sent, or v encoded when there is none (a
// value built in Go rather than decoded).
func rawOf(raw []byte, v any) (string, error) {
	if len(raw) > 0 {
		return string(raw), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("sqlitestore: encoding %T: %w", v, err)
	}
	return string(b), nil
}

// inTx runs fn in a transaction, committing if it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlitestore: starting a write: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlitestore: committing: %w", err)
	}
	return nil
}
