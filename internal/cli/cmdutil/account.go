package cmdutil

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
)

// ResolveAccount picks an account: the one whose id is given, else the
// personal current account (uk_retail), which is what most people mean.
// A closed account is refused only when it had to be guessed.
func ResolveAccount(ctx context.Context, client *monzo.Client, id string) (*monzo.Account, error) {
	accounts, err := client.Accounts.List(ctx, nil)
	if err != nil {
		return nil, err
	}
	if id != "" {
		for i := range accounts {
			if accounts[i].ID == id {
				return &accounts[i], nil
			}
		}
		ids := make([]string, 0, len(accounts))
		for _, a := range accounts {
			ids = append(ids, fmt.Sprintf("%s (%s)", a.ID, a.DisplayName()))
		}
		return nil, &UsageError{Err: fmt.Errorf("no account %q", id), Hint: "your accounts: " + strings.Join(ids, ", ")}
	}
	for i := range accounts {
		if accounts[i].Type == monzo.AccountTypeRetail && !accounts[i].Closed {
			return &accounts[i], nil
		}
	}
	for i := range accounts {
		if !accounts[i].Closed {
			return &accounts[i], nil
		}
	}
	return nil, fmt.Errorf("no open account")
}

// CompleteAccounts completes account ids for the shell, with descriptions.
func CompleteAccounts(f *Factory) cobra.CompletionFunc {
	return CompleteFromAccounts(f, func(_ context.Context, _ *monzo.Client, open []monzo.Account, toComplete string) []string {
		var out []string
		for _, a := range open {
			if strings.HasPrefix(a.ID, toComplete) {
				out = append(out, a.ID+"\t"+a.DisplayName())
			}
		}
		return out
	})
}

// CompleteFromAccounts is a shell completion of something found through
// the user's open accounts: candidates turns them into completions
// ("value\tdescription"). Nothing is offered when the login or the API
// fails: a completion has nowhere to say why.
func CompleteFromAccounts(f *Factory, candidates func(ctx context.Context, client *monzo.Client, open []monzo.Account, toComplete string) []string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		client, err := f.Client()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
		}
		open, err := OpenAccounts(cmd.Context(), client)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
		}
		return candidates(cmd.Context(), client, open, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// OpenAccounts lists the user's accounts that are not closed.
func OpenAccounts(ctx context.Context, client *monzo.Client) ([]monzo.Account, error) {
	accounts, err := client.Accounts.List(ctx, nil)
	if err != nil {
		return nil, err
	}
	open := make([]monzo.Account, 0, len(accounts))
	for _, a := range accounts {
		if !a.Closed {
			open = append(open, a)
		}
	}
	return open, nil
}

// ClientAndAccount returns the API client and the account a command acts
// on: the one whose id is given, else the one ResolveAccount picks.
func (f *Factory) ClientAndAccount(ctx context.Context, id string) (*monzo.Client, *monzo.Account, error) {
	client, err := f.Client()
	if err != nil {
		return nil, nil, err
	}
	acct, err := ResolveAccount(ctx, client, id)
	if err != nil {
		return nil, nil, err
	}
	return client, acct, nil
}

// DefaultAccountUsage is --account's help for a command that acts on one
// account, by default the one ResolveAccount picks.
const DefaultAccountUsage = "account `id` (default: your personal current account)"

// AddAccountFlag adds --account to cmd, completed with the user's account
// ids.
func AddAccountFlag(f *Factory, cmd *cobra.Command, p *string, usage string) {
	cmd.Flags().StringVar(p, "account", "", usage)
	_ = cmd.RegisterFlagCompletionFunc("account", CompleteAccounts(f))
}

// AddAccountsFlag adds a repeatable --account to cmd, completed with the
// user's account ids.
func AddAccountsFlag(f *Factory, cmd *cobra.Command, p *[]string, usage string) {
	cmd.Flags().StringSliceVar(p, "account", nil, usage)
	_ = cmd.RegisterFlagCompletionFunc("account", CompleteAccounts(f))
}
