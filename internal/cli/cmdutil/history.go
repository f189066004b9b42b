package cmdutil

import "github.com/monzokit/monzo/history/sqlitestore"

// HistoryDBPath is the local history database a command uses: flag (its
// --db) when given, else the default place
// ($XDG_DATA_HOME/monzo/history.db, else ~/.local/share/monzo/history.db),
// read through the factory's environment so that tests never touch the
// real one.
func (f *Factory) HistoryDBPath(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	p, err := sqlitestore.DefaultPathFrom(f.Getenv)
	if err != nil {
		return "", &UsageError{Err: err, Hint: "set XDG_DATA_HOME or HOME, or give --db FILE"}
	}
	return p, nil
}
