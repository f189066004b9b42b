// Package pots implements `monzo pots`: list pots and move money in and
// out of them.
package pots

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// ListOptions are `monzo pots`'s inputs.
type ListOptions struct {
	IO        *iostreams.IOStreams
	Factory   *cmdutil.Factory
	JSON      cmdutil.JSONFlags
	AccountID string
	All       bool
}

// NewCmdPots returns `monzo pots` with deposit and withdraw.
func NewCmdPots(f *cmdutil.Factory) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "pots",
		Short: "List pots; move money in and out of them",
		Long: `List the pots of your personal current account (or --account), deleted
ones with --all. Subcommands move money.`,
		Example: `  $ monzo pots
  $ monzo pots deposit Holidays 25.00
  $ monzo pots withdraw pot_0000A 10 --yes`,
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, &opts.JSON, nil, RunList),
	}
	cmdutil.AddAccountFlag(f, cmd, &opts.AccountID, "the current account `id` whose pots to list (default: your personal account)")
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "include deleted pots")
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	cmd.AddCommand(NewCmdMove(f, Deposit, nil), NewCmdMove(f, Withdraw, nil))
	return cmd
}

// RunList runs `monzo pots`.
func RunList(ctx context.Context, opts *ListOptions) error {
	client, acct, err := opts.Factory.ClientAndAccount(ctx, opts.AccountID)
	if err != nil {
		return err
	}
	pots, err := client.Pots.List(ctx, acct.ID)
	if err != nil {
		return err
	}
	var shown []monzo.Pot
	for _, p := range pots {
		if opts.All || !p.Deleted {
			shown = append(shown, p)
		}
	}
	if opts.JSON.Enabled() {
		return opts.JSON.Write(ctx, opts.IO, cmdutil.RawEach(shown, func(p monzo.Pot) []byte { return p.Raw }))
	}
	t := opts.IO.NewTable("ID", "NAME", "BALANCE", "GOAL", "TYPE", "STATUS").AlignRight(2, 3)
	for _, p := range shown {
		goal := ""
		if p.GoalAmount != nil {
			goal = cmdutil.Money(*p.GoalAmount, p.Currency)
		}
		var status []string
		if p.Deleted {
			status = append(status, "deleted")
		}
		if p.Locked {
			status = append(status, "locked")
		}
		t.AddRow(p.ID, p.Name, cmdutil.Money(p.Balance, p.Currency), goal, string(p.Type), strings.Join(status, ","))
	}
	return t.Render()
}

// findPot finds a pot by id, or by name ignoring case, among the open
// accounts' live pots. An unknown name lists the names that exist. The
// pot's account is returned too when it was listed (not with accountID).
func findPot(ctx context.Context, client *monzo.Client, accountID, nameOrID string) (*monzo.Pot, *monzo.Account, error) {
	var accounts []string
	byID := map[string]*monzo.Account{}
	if accountID != "" {
		accounts = []string{accountID}
	} else {
		open, err := cmdutil.OpenAccounts(ctx, client)
		if err != nil {
			return nil, nil, err
		}
		for i, a := range open {
			accounts = append(accounts, a.ID)
			byID[a.ID] = &open[i]
		}
	}
	pot, err := matchPot(ctx, client, accounts, nameOrID)
	if err != nil {
		return nil, nil, err
	}
	return pot, byID[pot.CurrentAccountID], nil
}

// matchPot finds the pot among the live pots of accounts.
func matchPot(ctx context.Context, client *monzo.Client, accounts []string, nameOrID string) (*monzo.Pot, error) {
	var live []monzo.Pot
	for _, id := range accounts {
		pots, err := client.Pots.List(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, p := range pots {
			if !p.Deleted {
				live = append(live, p)
			}
		}
	}
	var matches []monzo.Pot
	for _, p := range live {
		if p.ID == nameOrID {
			return &p, nil
		}
		if strings.EqualFold(p.Name, nameOrID) {
			matches = append(matches, p)
		}
	}
	switch len(matches) {
	case 1:
		return &matches[0], nil
	case 0:
		names := make([]string, 0, len(live))
		for _, p := range live {
			names = append(names, fmt.Sprintf("%q", p.Name))
		}
		sort.Strings(names)
		return nil, &cmdutil.UsageError{Err: fmt.Errorf("no pot named %q", nameOrID), Hint: "your pots: " + strings.Join(names, ", ")}
	default:
		ids := make([]string, len(matches))
		for i, p := range matches {
			ids[i] = p.ID
		}
		return nil, &cmdutil.UsageError{Err: fmt.Errorf("%d pots are named %q", len(matches), nameOrID), Hint: "use the pot's id: " + strings.Join(ids, ", ")}
	}
}

// completePots completes pot names for the shell.
func completePots(f *cmdutil.Factory) cobra.CompletionFunc {
	names := cmdutil.CompleteFromAccounts(f, func(ctx context.Context, client *monzo.Client, open []monzo.Account, toComplete string) []string {
		var out []string
		for _, a := range open {
			pots, err := client.Pots.List(ctx, a.ID)
			if err != nil {
				continue
			}
			for _, p := range pots {
				if !p.Deleted && strings.HasPrefix(strings.ToLower(p.Name), strings.ToLower(toComplete)) {
					out = append(out, p.Name+"\t"+p.ID)
				}
			}
		}
		return out
	})
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp // only POT is a pot
		}
		return names(cmd, args, toComplete)
	}
}
