package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is a SQLite database of local history. It is safe for concurrent
// use; writes are serialised by SQLite.
type Store struct {
	db   *sql.DB
	path string
}

// DefaultPath returns where the history database lives unless the user
// says otherwise: $XDG_DATA_HOME/monzo/history.db, falling back to
// ~/.local/share/monzo/history.db as the XDG base directory spec says.
func DefaultPath() (string, error) {
	return DefaultPathFrom(func(key string) string {
		if key == "HOME" {
			home, _ := os.UserHomeDir() // the platform's idea of home
			return home
		}
		return os.Getenv(key)
	})
}

// DefaultPathFrom is [DefaultPath] with the environment (XDG_DATA_HOME,
// HOME) read through getenv, for programs that keep their own, such as a
// command under test.
func DefaultPathFrom(getenv func(string) string) (string, error) {
	dir := getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home := getenv("HOME")
		if home == "" {
			return "", errors.New("sqlitestore: cannot find the data directory: set XDG_DATA_HOME or HOME, or give a database path")
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "monzo", "history.db"), nil
}

// Open opens (creating if needed) the database at path and brings its
// schema up to date. Its directory is created with mode 0700: the file
// holds a bank statement. Open fails if the database was written by a newer
// version of this package.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlitestore: the database path is empty")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlitestore: creating the database directory: %w", err)
	}
	if err := ownerOnly(path); err != nil {
		return nil, err
	}
	// busy_timeout lets a second process (a sync while an export reads)
	// wait for the lock instead of failing; _txlock=immediate takes the
	// write lock at BEGIN so two writers never deadlock upgrading.
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: opening %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// ownerOnly makes the database and its WAL and shared-memory files
// readable by their owner only: they hold a bank statement. SQLite gives
// the -wal and -shm files the database file's permissions when it creates
// them, so the database is created here, 0600, before SQLite opens it; a
// database from elsewhere is restricted, with any WAL files it has.
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("sqlitestore: opening %s: %w", path, err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("sqlitestore: restricting %s to its owner: %w", p, err)
		}
	}
	return nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// DB returns the underlying database, for queries of your own. The schema
// is described in migrations.go; write through [Store.Commit] so sync
// state stays consistent.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }
