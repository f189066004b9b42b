// Package accounts implements `monzo whoami`, `monzo accounts` and
// `monzo balance`.
package accounts

import (
	"context"
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// AccountsOptions are `monzo accounts`'s inputs.
type AccountsOptions struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory
	JSON    cmdutil.JSONFlags
	All     bool
}

// NewCmdAccounts returns `monzo accounts`.
func NewCmdAccounts(f *cmdutil.Factory, runF func(context.Context, *AccountsOptions) error) *cobra.Command {
	opts := &AccountsOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "accounts",
		Short: "List your accounts (closed ones with --all)",
		Example: `  $ monzo accounts
  $ monzo accounts --all --json --jq '.[] | select(.closed) | .id'`,
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, &opts.JSON, runF, RunAccounts),
	}
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "include closed accounts")
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// RunAccounts runs `monzo accounts`.
func RunAccounts(ctx context.Context, opts *AccountsOptions) error {
	client, err := opts.Factory.Client()
	if err != nil {
		return err
	}
	accounts, err := client.Accounts.List(ctx, nil)
	if err != nil {
		return err
	}
	shown := make([]monzo.Account, 0, len(accounts))
	for _, a := range accounts {
		if opts.All || !a.Closed {
			shown = append(shown, a)
		}
	}
	if opts.JSON.Enabled() {
		return opts.JSON.Write(ctx, opts.IO, cmdutil.RawEach(shown, func(a monzo.Account) []byte { return a.Raw }))
	}
	t := opts.IO.NewTable("ID", "TYPE", "NAME", "SORT CODE", "NUMBER", "STATUS")
	for _, a := range shown {
		status := "open"
		if a.Closed {
			status = opts.IO.Dim("closed")
		}
		t.AddRow(a.ID, string(a.Type), a.DisplayName(), a.SortCode, a.AccountNumber, status)
	}
	return t.Render()
}

// WhoAmIOptions are `monzo whoami`'s inputs.
type WhoAmIOptions struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory
	JSON    cmdutil.JSONFlags
}

// NewCmdWhoAmI returns `monzo whoami`.
func NewCmdWhoAmI(f *cmdutil.Factory, runF func(context.Context, *WhoAmIOptions) error) *cobra.Command {
	opts := &WhoAmIOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:     "whoami",
		Short:   "Show the user and client the token acts for",
		Example: `  $ monzo whoami`,
		Args:    cmdutil.NoArgs,
		RunE:    cmdutil.RunE(opts, &opts.JSON, runF, RunWhoAmI),
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// RunWhoAmI runs `monzo whoami`.
func RunWhoAmI(ctx context.Context, opts *WhoAmIOptions) error {
	client, err := opts.Factory.Client()
	if err != nil {
		return err
	}
	who, err := client.WhoAmI(ctx)
	if err != nil {
		return err
	}
	if opts.JSON.Enabled() {
		return opts.JSON.Write(ctx, opts.IO, cmdutil.RawOr(who.Raw, who))
	}
	t := opts.IO.NewTable() // key, value: a header would add nothing
	t.AddRow("user", who.UserID)
	t.AddRow("client", who.ClientID)
	t.AddRow("authenticated", boolText(who.Authenticated))
	return t.Render()
}

func boolText(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// balanceJSON is one account's balance for --json: the API's balance
// object plus the account it belongs to.
type balanceJSON struct {
	AccountID string          `json:"account_id"`
	Balance   json.RawMessage `json:"balance"`
}
