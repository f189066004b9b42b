// Package sqlitestore keeps local Monzo history in one SQLite file: the
// [history.Store] that the monzo command syncs into, and the queries its
// export and report read from. It uses modernc.org/sqlite, a pure-Go SQLite,
// so no C toolchain is needed.
//
// The database runs in WAL mode (readers never block the writer), and its
// schema is versioned: [Open] applies missing migrations and refuses a
// database written by a newer version of this package rather than guess at
// its layout. Every column a query filters on is indexed, and each
// transaction's raw JSON is kept whole, so no field the API sent is lost.
package sqlitestore
