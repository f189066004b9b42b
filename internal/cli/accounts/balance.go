package accounts

import (
	"context"
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// BalanceOptions are `monzo balance`'s inputs.
type BalanceOptions struct {
	IO        *iostreams.IOStreams
	Factory   *cmdutil.Factory
	JSON      cmdutil.JSONFlags
	AccountID string
	All       bool
}

// NewCmdBalance returns `monzo balance`.
func NewCmdBalance(f *cmdutil.Factory, runF func(context.Context, *BalanceOptions) error) *cobra.Command {
	opts := &BalanceOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "balance [ACCOUNT]",
		Short: "Show an account's balance, pots total and spend today",
		Long: `Show the balance of ACCOUNT (an account id), by default your personal
current account; --all shows every open account.`,
		Example: `  $ monzo balance
  $ monzo balance --all
  $ monzo balance acc_00009 --json --jq .balance.balance`,
		Args:              cmdutil.RangeArgs(0, 1, "at most one ACCOUNT"),
		ValidArgsFunction: cmdutil.CompleteAccounts(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.AccountID = args[0]
			}
			if opts.All && opts.AccountID != "" {
				return cmdutil.Usagef("give an ACCOUNT or --all, not both")
			}
			return cmdutil.Run(cmd, opts, &opts.JSON, runF, RunBalance)
		},
	}
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "every open account")
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// RunBalance runs `monzo balance`.
func RunBalance(ctx context.Context, opts *BalanceOptions) error {
	client, err := opts.Factory.Client()
	if err != nil {
		return err
	}
	var accounts []monzo.Account
	if opts.All {
		if accounts, err = cmdutil.OpenAccounts(ctx, client); err != nil {
			return err
		}
	} else {
		a, err := cmdutil.ResolveAccount(ctx, client, opts.AccountID)
		if err != nil {
			return err
		}
		accounts = []monzo.Account{*a}
	}
	balances := make([]*monzo.Balance, len(accounts))
	for i, a := range accounts {
		if balances[i], err = client.Balance.Get(ctx, a.ID); err != nil {
			return err
		}
	}
	if opts.JSON.Enabled() {
		out := make([]balanceJSON, len(accounts))
		for i, a := range accounts {
			raw := json.RawMessage(balances[i].Raw)
			if len(raw) == 0 {
				raw, _ = json.Marshal(balances[i])
			}
			out[i] = balanceJSON{AccountID: a.ID, Balance: raw}
		}
		if !opts.All {
			return opts.JSON.Write(ctx, opts.IO, out[0])
		}
		return opts.JSON.Write(ctx, opts.IO, out)
	}
	t := opts.IO.NewTable("ACCOUNT", "NAME", "BALANCE", "WITH POTS", "SPENT TODAY").AlignRight(2, 3, 4)
	for i, a := range accounts {
		b := balances[i]
		t.AddRow(a.ID, a.DisplayName(), cmdutil.Money(b.Balance, b.Currency),
			cmdutil.Money(b.TotalBalance, b.Currency), cmdutil.Money(b.SpendToday, b.Currency))
	}
	return t.Render()
}
