package cmdutil

import (
	"errors"
	"path/filepath"
)

// HistoryDBPath is where local history lives unless --db says otherwise:
// $XDG_DATA_HOME/monzo/history.db, else ~/.local/share/monzo/history.db,
// read through the factory's environment so that tests never touch the
// real one.
func (f *Factory) HistoryDBPath() (string, error) {
	dir := f.Getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home := f.Getenv("HOME")
		if home == "" {
			return "", &UsageError{Err: errors.New("cannot find the data directory for local history"), Hint: "set XDG_DATA_HOME or HOME, or give --db FILE"}
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "monzo", "history.db"), nil
}
