package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/authstore"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/oauth"
)

// NewCmdAuth returns `monzo auth` and its subcommands.
func NewCmdAuth(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth <command>",
		Short: "Inspect the stored login",
		Example: `  $ monzo auth status
  $ monzo auth token`,
	}
	return cmdutil.Group(cmd, NewCmdStatus(f, nil), NewCmdToken(f, nil))
}

// StatusOptions are `monzo auth status`'s inputs.
type StatusOptions struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory
	JSON    cmdutil.JSONFlags
}

// Status is what `auth status --json` prints. It never holds a token.
type Status struct {
	Profile       string    `json:"profile"`
	UserID        string    `json:"user_id"`
	ClientID      string    `json:"client_id"`
	APIURL        string    `json:"api_url"`
	Expiry        time.Time `json:"expiry,omitzero"`
	CanRefresh    bool      `json:"can_refresh"`
	Approval      string    `json:"approval"`
	TokenLocation string    `json:"token_location"`
}

// NewCmdStatus returns `monzo auth status`.
func NewCmdStatus(f *cmdutil.Factory, runF func(context.Context, *StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show who is logged in, the token's expiry and approval state (never the token)",
		Example: `  $ monzo auth status
  $ monzo auth status --profile emu --json`,
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, &opts.JSON, runF, RunStatus),
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// RunStatus runs `monzo auth status`.
func RunStatus(ctx context.Context, opts *StatusOptions) error {
	f := opts.Factory
	store, tok, err := f.LoadToken(ctx)
	if err != nil {
		return err
	}
	oc, err := f.OAuthConfig()
	if err != nil {
		return err
	}
	st := Status{
		Profile: f.Profile(), UserID: tok.UserID, ClientID: tok.ClientID, APIURL: oc.APIBaseURL,
		Expiry: tok.Expiry, CanRefresh: tok.CanRefresh(), TokenLocation: authstore.Describe(store),
	}
	if st.APIURL == "" {
		st.APIURL = oauth.DefaultAPIBaseURL
	}
	client, err := f.Client()
	if err != nil {
		return err
	}
	_, err = client.Accounts.List(ctx, nil)
	switch {
	case err == nil:
		st.Approval = "approved"
	case monzo.IsApprovalPending(err):
		st.Approval = "pending: approve access in the Monzo app"
	default:
		if ctx.Err() != nil {
			return err
		}
		st.Approval = "unknown: " + err.Error()
	}
	var apiErr *monzo.Error
	if err != nil && !monzo.IsApprovalPending(err) && !errors.As(err, &apiErr) && !errors.Is(err, oauth.ErrCannotRefresh) {
		// The API could not be asked (a stopped emulator, no network):
		// what is stored locally is still shown, and the exit status
		// and hint say the check could not be made.
		st.Approval = "unknown: the API could not be reached"
		if werr := writeStatus(ctx, opts, st); werr != nil {
			return werr
		}
		return err
	}
	return writeStatus(ctx, opts, st)
}

// writeStatus prints st as JSON or a table.
func writeStatus(ctx context.Context, opts *StatusOptions, st Status) error {
	f := opts.Factory
	if opts.JSON.Enabled() {
		return opts.JSON.Write(ctx, opts.IO, st)
	}
	t := opts.IO.NewTable() // key, value: a header would add nothing
	t.AddRow("profile", st.Profile)
	t.AddRow("user", st.UserID)
	t.AddRow("client", st.ClientID)
	t.AddRow("api", st.APIURL)
	if st.Expiry.IsZero() {
		t.AddRow("expiry", "unknown")
	} else {
		t.AddRow("expiry", st.Expiry.In(f.Location).Format(time.RFC1123))
	}
	t.AddRow("refreshable", fmt.Sprint(st.CanRefresh))
	t.AddRow("approval", st.Approval)
	t.AddRow("token stored in", st.TokenLocation)
	return t.Render()
}

// TokenOptions are `monzo auth token`'s inputs.
type TokenOptions struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory
}

// NewCmdToken returns `monzo auth token`.
func NewCmdToken(f *cmdutil.Factory, runF func(context.Context, *TokenOptions) error) *cobra.Command {
	opts := &TokenOptions{IO: f.IOStreams, Factory: f}
	return &cobra.Command{
		Use:     "token",
		Short:   "Print the access token (refreshed if needed): treat the output as a password",
		Example: `  $ curl -H "Authorization: Bearer $(monzo auth token)" https://api.monzo.com/ping/whoami`,
		Args:    cmdutil.NoArgs,
		RunE:    cmdutil.RunE(opts, nil, runF, RunToken),
	}
}

// RunToken prints the access token: the one place the CLI shows a secret,
// because the user asked for it by name.
func RunToken(ctx context.Context, opts *TokenOptions) error {
	ts, err := opts.Factory.TokenSource()
	if err != nil {
		return err
	}
	tok, err := ts.AccessToken(ctx)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(opts.IO.Out, tok)
	return err
}
