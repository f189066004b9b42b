// Package historycmd holds the commands that work with local history:
// `monzo sync` copies transactions, pots and accounts into a SQLite file;
// `monzo export` and `monzo report` read that file offline.
package historycmd

import (
	"context"
	"errors"
	"fmt"
	"os"

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

// OpenStore opens the history database at path, or at the default place
// when path is "". Other commands (such as `transactions --offline`) use it
// to read history.
func OpenStore(ctx context.Context, path string) (*sqlitestore.Store, error) {
	if path == "" {
		p, err := sqlitestore.DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	return sqlitestore.Open(ctx, path)
}

// openExisting opens a database that a sync must have made already, so a
// mistyped --db does not silently read an empty new file.
func openExisting(ctx context.Context, path string) (*sqlitestore.Store, error) {
	if path == "" {
		p, err := sqlitestore.DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, cmdutil.WithHint(fmt.Errorf("no local history at %s", path), "run `monzo sync` first (or give --db with the right file)")
	}
	return sqlitestore.Open(ctx, path)
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
