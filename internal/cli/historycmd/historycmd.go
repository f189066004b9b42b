// Package historycmd holds the commands that work with local history:
// `monzo sync` copies transactions, pots and accounts into a SQLite file;
// `monzo export` and `monzo report` read that file offline.
package historycmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// Deps is what the history commands need from the rest of the CLI.
type Deps struct {
	IOStreams *iostreams.IOStreams
	// Client returns a logged-in API client (sync only).
	Client func() (*monzo.Client, error)
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Location is where dates are read and shown; time.Local when nil.
	Location *time.Location
}

func (d Deps) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d Deps) location() *time.Location {
	if d.Location != nil {
		return d.Location
	}
	return time.Local
}

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
		return nil, fmt.Errorf("no local history at %s: run `monzo sync` first (or give --db with the right file)", path)
	}
	return sqlitestore.Open(ctx, path)
}

// stderrIsTTY reports whether progress may be drawn on standard error.
func stderrIsTTY(ios *iostreams.IOStreams) bool {
	if f, ok := ios.ErrOut.(*os.File); ok {
		return term.IsTerminal(int(f.Fd()))
	}
	return false
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

// parseWhen reads a time given on the command line: an age ("36h", "7d",
// "2w": that long before now), a date ("2025-01-01", midnight in loc) or
// an RFC 3339 timestamp.
func parseWhen(flag, s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if n := len(s); n >= 2 {
		var num int
		if _, err := fmt.Sscanf(s[:n-1], "%d", &num); err == nil && num >= 0 && fmt.Sprint(num) == s[:n-1] {
			switch s[n-1] {
			case 'h':
				return now.Add(-time.Duration(num) * time.Hour), nil
			case 'd':
				return now.AddDate(0, 0, -num), nil
			case 'w':
				return now.AddDate(0, 0, -7*num), nil
			}
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, nil
	}
	if t, err := monzo.ParseTime(s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--%s %q is not a time: use a date (2025-01-01), a timestamp (2025-01-01T09:00:00Z) or an age (36h, 7d, 2w)", flag, s)
}
