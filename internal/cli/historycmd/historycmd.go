// Package historycmd holds the commands that work with local history:
// `monzo sync` copies transactions, pots and accounts into a SQLite file;
// `monzo export` and `monzo report` read that file offline.
package historycmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// addDBFlag adds --db to a command.
func addDBFlag(cmd *cobra.Command, path *string) {
	cmd.Flags().StringVar(path, "db", "", "history database `file` (default $XDG_DATA_HOME/monzo/history.db)")
}

// errNoHistory says there is no database at path yet.
func errNoHistory(path string) error {
	return cmdutil.WithHint(fmt.Errorf("%w (no database at %s)", ErrNoHistory, path), "run `monzo sync` first (or give --db with the right file)")
}

// openExisting opens a database that a sync must have made already, so a
// mistyped --db does not silently read an empty new file. path is where
// cmdutil.Factory.HistoryDBPath puts it: the one rule for the database's
// place.
func openExisting(ctx context.Context, path string) (*sqlitestore.Store, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, errNoHistory(path)
	}
	return sqlitestore.Open(ctx, path)
}

// openHistory opens the history database that export and report read:
// path (their --db), else the default place; path is set to the place
// used. A sync must have made it already (see openExisting).
func openHistory(ctx context.Context, f *cmdutil.Factory, path *string) (*sqlitestore.Store, error) {
	p, err := f.HistoryDBPath(*path)
	if err != nil {
		return nil, err
	}
	*path = p
	return openExisting(ctx, p)
}

// writeFileAtomic writes a file through a temporary one beside it, renamed
// into place once complete, so a failed write never leaves half a file
// where a good one was. The file is readable by its owner only: it holds
// bank history.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".monzo-*")
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// terminalWidth is standard output's width, 80 when unknown.
func terminalWidth(ios *iostreams.IOStreams) int {
	if f, ok := ios.Out.(*os.File); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return 80
}
