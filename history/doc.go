// Package history keeps a local copy of a Monzo user's transactions, pots
// and accounts, so that years of history stay readable after Monzo's
// 5-minute full-history window has closed (docs/api-notes.md#history-window).
//
// A [Syncer] walks the API with a [monzo.Client] and writes into a [Store].
// The first sync of an account backfills its whole history; later syncs
// fetch only what is new plus a re-read of a recent span, which picks up
// pending payments that settled, declines and annotations made elsewhere.
// Every write of transactions goes into the store together with the sync
// state that describes it, in one transaction, so a sync killed at any point
// resumes with no duplicates and no gaps.
//
// The package history/sqlitestore provides the Store most programs want:
// one SQLite file, pure Go. Implement Store to sync into your own database.
package history
