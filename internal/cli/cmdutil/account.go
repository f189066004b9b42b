package cmdutil

import (
	"cmp"
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
			ids = append(ids, fmt.Sprintf("%s (%s)", a.ID, AccountName(&a)))
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
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		client, err := f.Client()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
		}
		accounts, err := client.Accounts.List(cmd.Context(), nil)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
		}
		var out []string
		for _, a := range accounts {
			if !a.Closed && strings.HasPrefix(a.ID, toComplete) {
				out = append(out, a.ID+"\t"+AccountName(&a))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// AccountName is how an account is named to people. Monzo describes a
// personal account by its owner's user id ("user_0000…"), which tells a
// reader nothing, so such accounts are named by their type; others (a joint
// account's "Hannah & Olu") keep their description. --json output keeps the
// API's own description.
func AccountName(a *monzo.Account) string {
	if a.Description != "" && !strings.HasPrefix(a.Description, "user_") {
		return a.Description
	}
	switch a.Type {
	case monzo.AccountTypeRetail:
		return "Personal account"
	case monzo.AccountTypeRetailJoint:
		return "Joint account"
	case monzo.AccountTypePrepaid:
		return "Prepaid account"
	}
	return cmp.Or(string(a.Type), a.Description)
}
