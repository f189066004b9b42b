package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// migrations[i] brings the schema from version i to i+1. Never edit one
// that has shipped: append a new one. The version lives in PRAGMA
// user_version.
var migrations = []string{
	// 1: the first schema.
	`
CREATE TABLE accounts (
	id          TEXT PRIMARY KEY,
	type        TEXT NOT NULL,
	description TEXT NOT NULL,
	currency    TEXT NOT NULL,
	closed      INTEGER NOT NULL,
	created     TEXT NOT NULL,
	raw         TEXT NOT NULL
);
CREATE TABLE pots (
	id         TEXT PRIMARY KEY,
	account_id TEXT NOT NULL,
	name       TEXT NOT NULL,
	currency   TEXT NOT NULL,
	balance    INTEGER NOT NULL,
	deleted    INTEGER NOT NULL,
	raw        TEXT NOT NULL
);
CREATE INDEX pots_account ON pots(account_id);
CREATE TABLE pot_snapshots (
	pot_id   TEXT NOT NULL,
	taken_at TEXT NOT NULL,
	balance  INTEGER NOT NULL,
	currency TEXT NOT NULL,
	PRIMARY KEY (pot_id, taken_at)
);
CREATE INDEX pot_snapshots_taken ON pot_snapshots(taken_at);
CREATE TABLE merchants (
	id       TEXT PRIMARY KEY,
	group_id TEXT NOT NULL,
	name     TEXT NOT NULL,
	category TEXT NOT NULL,
	raw      TEXT NOT NULL
);
-- No NOT NULL here: with it, every upsert inside a batch's transaction
-- needs a statement journal (a copy of each page it touches, in case the
-- constraint aborts it half-way), which made commits about twice as slow.
-- The writer binds Go strings and integers, never NULL.
CREATE TABLE transactions (
	id                  TEXT PRIMARY KEY,
	account_id          TEXT,
	created             TEXT,
	settled             TEXT,   -- '' while pending or declined
	updated             TEXT,
	amount              INTEGER, -- minor units, negative is a debit
	currency            TEXT,
	local_amount        INTEGER,
	local_currency      TEXT,
	category            TEXT,
	merchant_id         TEXT,
	description         TEXT,
	notes               TEXT,
	decline_reason      TEXT,
	scheme              TEXT,
	include_in_spending INTEGER,
	pot_id              TEXT,   -- metadata.pot_id of pot transfers
	raw                 TEXT    -- the JSON as the API sent it
);
CREATE INDEX transactions_account_created ON transactions(account_id, created);
CREATE INDEX transactions_created ON transactions(created);
CREATE INDEX transactions_settled ON transactions(settled);
CREATE INDEX transactions_amount ON transactions(amount);
CREATE INDEX transactions_currency ON transactions(currency);
CREATE INDEX transactions_local ON transactions(local_currency, local_amount);
CREATE INDEX transactions_category ON transactions(category);
CREATE INDEX transactions_merchant ON transactions(merchant_id);
CREATE INDEX transactions_decline ON transactions(decline_reason);
CREATE TABLE attachments (
	id             TEXT PRIMARY KEY,
	transaction_id TEXT NOT NULL,
	file_url       TEXT NOT NULL,
	file_type      TEXT NOT NULL,
	created        TEXT NOT NULL,
	raw            TEXT NOT NULL
);
CREATE INDEX attachments_transaction ON attachments(transaction_id);
CREATE TABLE sync_state (
	account_id TEXT PRIMARY KEY,
	from_time  TEXT NOT NULL,
	to_time    TEXT NOT NULL,
	full       INTEGER NOT NULL,
	gap_from   TEXT NOT NULL,
	gap_to     TEXT NOT NULL,
	last_sync  TEXT NOT NULL
);
`,
}

// SchemaVersion is the schema version this package writes.
var SchemaVersion = len(migrations)

// ErrNewerSchema is wrapped by Open's error for a database written by a
// newer version of this package.
var ErrNewerSchema = errors.New("sqlitestore: the database was written by a newer version of monzo")

func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlitestore: opening %s: %w", s.path, err)
	}
	defer conn.Close()
	for {
		var version int
		if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			return fmt.Errorf("sqlitestore: reading the schema version of %s (is it a SQLite database?): %w", s.path, err)
		}
		if version > SchemaVersion {
			return fmt.Errorf("%w: %s has schema version %d and this program knows up to %d; upgrade monzo, or give another database path",
				ErrNewerSchema, s.path, version, SchemaVersion)
		}
		if version == SchemaVersion {
			return nil
		}
		if err := applyMigration(ctx, conn, version); err != nil {
			return fmt.Errorf("sqlitestore: migrating %s to schema version %d: %w", s.path, version+1, err)
		}
	}
}

// applyMigration runs migration from→from+1 in one transaction, re-reading
// the version under the write lock so two processes opening a fresh file
// at once do not both apply it.
func applyMigration(ctx context.Context, conn *sql.Conn, from int) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version != from {
		return nil // another process got there first; the caller re-reads
	}
	if _, err := tx.ExecContext(ctx, migrations[from]); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", from+1)); err != nil {
		return err
	}
	return tx.Commit()
}
