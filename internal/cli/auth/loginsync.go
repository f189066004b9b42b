package auth

import (
	"context"
	"fmt"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/config"
	"github.com/monzokit/monzo/internal/cli/historycmd"
)

// offerSync offers, right after approval, to copy full history into local
// history while Monzo still serves it (docs/api-notes.md, "History
// window"), and runs `monzo sync` when accepted. It reports whether it
// synced.
func offerSync(ctx context.Context, opts *LoginOptions, client *monzo.Client) (bool, error) {
	ios := opts.IO
	accept := opts.Sync
	switch {
	case opts.Sync:
	case opts.NoSync:
	case ios.IsStdinTTY():
		var err error
		if accept, err = cmdutil.Confirm(ctx, ios, "Copy your full history into local history now, while Monzo allows it?"); err != nil {
			return false, err
		}
	}
	if !accept {
		fmt.Fprintf(ios.ErrOut, "To keep your full history, run `%s` within 5 minutes.\n", syncCommand(opts))
		return false, nil
	}
	// The sync uses the client that just logged in, so it reads with the
	// token approved a moment ago, and writes where `monzo sync` would.
	f := *opts.Factory
	f.Client = func() (*monzo.Client, error) { return client, nil }
	// Login talks on standard error; its standard output holds --json
	// alone.
	sio := *ios
	sio.Out = ios.ErrOut
	fmt.Fprintln(ios.ErrOut, "Syncing your full history…")
	if err := historycmd.RunSync(ctx, &historycmd.SyncOptions{IO: &sio, Factory: &f, DBPath: opts.DBPath}); err != nil {
		return false, err
	}
	return true, nil
}

// syncCommand is the `monzo sync` a user would run for this login.
func syncCommand(opts *LoginOptions) string {
	cmd := "monzo"
	if p := opts.Factory.Profile(); p != config.DefaultProfile {
		cmd += " --profile " + p
	}
	cmd += " sync"
	if opts.DBPath != "" {
		cmd += " --db " + opts.DBPath
	}
	return cmd
}
