package sqlitestore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monzokit/monzo/history/sqlitestore"
)

func TestOpenMigratesToTheCurrentSchemaInWALMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "history.db")
	st, err := sqlitestore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var version int
	var mode string
	if err := st.DB().QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if err := st.DB().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if version != sqlitestore.SchemaVersion || version == 0 || mode != "wal" {
		t.Errorf("user_version %d, journal_mode %q; want %d and wal", version, mode, sqlitestore.SchemaVersion)
	}
	// The WAL files hold the same bank statement as the database.
	if _, err := st.DB().Exec(`INSERT INTO merchants (id, group_id, name, category, raw) VALUES ('m0', 'g', 'n', 'c', '{}')`); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600: it holds a bank statement", filepath.Base(f), fi.Mode().Perm())
		}
	}
	// Opening again applies nothing and keeps the data.
	if _, err := st.DB().Exec(`INSERT INTO merchants (id, group_id, name, category, raw) VALUES ('m', 'g', 'n', 'c', '{}')`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st2, err := sqlitestore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	var n int
	if err := st2.DB().QueryRow(`SELECT count(*) FROM merchants`).Scan(&n); err != nil || n != 2 {
		t.Errorf("after reopening: %d merchants, err %v", n, err)
	}
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	st, err := sqlitestore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`PRAGMA user_version = 999`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, err = sqlitestore.Open(context.Background(), path)
	if !errors.Is(err, sqlitestore.ErrNewerSchema) {
		t.Fatalf("err = %v, want ErrNewerSchema", err)
	}
	for _, want := range []string{"999", path, "upgrade monzo"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestOpenRefusesAFileThatIsNotSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	if err := os.WriteFile(path, []byte("this is not a database, just some text long enough to have a header"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlitestore.Open(context.Background(), path); err == nil || !strings.HasPrefix(err.Error(), "sqlitestore: ") {
		t.Fatalf("err = %v, want a sqlitestore error", err)
	}
}

func TestDefaultPathFollowsXDG(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data")
	if p, err := sqlitestore.DefaultPath(); err != nil || p != "/data/monzo/history.db" {
		t.Errorf("DefaultPath() = %q, %v", p, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/u")
	if p, err := sqlitestore.DefaultPath(); err != nil || p != "/home/u/.local/share/monzo/history.db" {
		t.Errorf("DefaultPath() = %q, %v", p, err)
	}
}

func TestOpenRestrictsADatabaseMadeElsewhere(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	st, err := sqlitestore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err = sqlitestore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("after reopening: mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}
