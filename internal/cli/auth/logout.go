package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo/internal/cli/authstore"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// LogoutOptions are `monzo logout`'s inputs.
type LogoutOptions struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory
	JSON    cmdutil.JSONFlags
}

// NewCmdLogout returns `monzo logout`.
func NewCmdLogout(f *cmdutil.Factory, runF func(context.Context, *LogoutOptions) error) *cobra.Command {
	opts := &LogoutOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Revoke the token at Monzo and delete it from this machine",
		Long: `Revoke the token at Monzo (POST /oauth2/logout) and delete it locally.

If Monzo cannot be reached the token is kept, so that the logout can be
retried; a token Monzo already refuses is deleted.`,
		Example: `  $ monzo logout
  $ monzo logout --profile emu`,
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, &opts.JSON, runF, RunLogout),
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// RunLogout runs `monzo logout`.
func RunLogout(ctx context.Context, opts *LogoutOptions) error {
	f := opts.Factory
	ts, err := f.TokenSource()
	if errors.Is(err, authstore.ErrNotLoggedIn) {
		fmt.Fprintf(opts.IO.ErrOut, "Profile %q is not logged in.\n", f.Profile())
		return opts.writeResult(ctx, false)
	}
	if err != nil {
		return err
	}
	if err := ts.Logout(ctx); err != nil {
		return cmdutil.WithHint(err, "the token is still stored; run `monzo logout` again when Monzo can be reached")
	}
	stores, err := f.Stores()
	if err != nil {
		return err
	}
	if err := stores.DeleteAll(context.WithoutCancel(ctx), f.Profile()); err != nil {
		return err
	}
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	p := *cfg.Profile(f.Profile())
	p.TokenStore, p.UserID = "", ""
	cfg.SetProfile(f.Profile(), &p)
	if err := cfg.Save(); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s Logged out of profile %q: the token is revoked and deleted.\n", opts.IO.Green("✓"), f.Profile())
	return opts.writeResult(ctx, true)
}

func (opts *LogoutOptions) writeResult(ctx context.Context, loggedOut bool) error {
	if !opts.JSON.Enabled() {
		return nil
	}
	return opts.JSON.Write(ctx, opts.IO, map[string]any{"profile": opts.Factory.Profile(), "logged_out": loggedOut})
}
