package transactions

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/historycmd"
)

// freshness is how recent a sync must be for local history to answer
// without --offline. Within it, only transactions made since the sync can
// be missing, and a listing is a glance, not a statement.
const freshness = historycmd.DefaultFreshness

var freshnessText = fmt.Sprintf("%d minutes", int(freshness.Minutes()))

// readLocal lists transactions from local history: always with --offline
// (an error if there is none), otherwise only when the store is fresh. A
// nil slice without an error means "ask the API".
func readLocal(ctx context.Context, opts *ListOptions, since, before time.Time) ([]*monzo.Transaction, error) {
	if opts.Online {
		return nil, nil
	}
	f := opts.Factory
	// Without --offline, anything that stops local history from answering
	// (none yet, another user's, an unreadable file) sends the question to
	// the API, which always knows.
	fail := func(err error) ([]*monzo.Transaction, error) {
		if opts.Offline {
			return nil, err
		}
		return nil, nil
	}
	path, err := f.HistoryDBPath(opts.DBPath)
	if err != nil {
		return fail(err)
	}
	acct, err := localAccount(ctx, opts, path)
	if err != nil {
		return fail(err)
	}
	res, err := historycmd.ReadOffline(ctx, historycmd.OfflineQuery{
		DBPath: path, AccountID: acct.ID, Since: since, Before: before,
		Merchant: opts.Merchant, Declined: opts.Declined, OnlyIfFresh: !opts.Offline,
	}, f.Now(), freshness)
	if err != nil {
		return fail(err)
	}
	if !opts.Offline && !res.Fresh {
		return nil, nil
	}
	// The store's merchant match is wider (it also looks at the
	// counterparty); keep applies exactly the online filters.
	txs := []*monzo.Transaction{}
	for _, tx := range res.Transactions {
		if keep(opts, tx) {
			txs = append(txs, tx)
		}
	}
	explainSource(opts, path, res, since)
	return txs, nil
}

// explainSource says on standard error where the rows came from, and what
// local history may lack.
func explainSource(opts *ListOptions, path string, res *historycmd.OfflineResult, since time.Time) {
	f := opts.Factory
	w := opts.IO.ErrOut
	ago := age(f.Now().Sub(res.LastSync))
	if res.Fresh {
		fmt.Fprintf(w, "Listed from local history (%s), synced %s ago; --online asks Monzo.\n", path, ago)
	} else {
		fmt.Fprintf(w, "Listed from local history (%s), synced %s ago: run `monzo sync` for newer transactions.\n", path, ago)
	}
	if !res.State.Covers(since) {
		fmt.Fprintf(w, "Local history of this account is complete only from %s: older transactions may be missing.\n",
			res.State.From.In(f.Location).Format("2 Jan 2006"))
	}
}

// age is a duration as people say it.
func age(d time.Duration) string {
	switch {
	case d < 2*time.Minute:
		return "a minute"
	case d < 2*time.Hour:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// localAccount picks the account from local history, as ResolveAccount
// does from the API: --account, else the personal current account. Without
// --account, only accounts owned by the profile's user count, so that one
// profile never lists another's history from a shared database.
func localAccount(ctx context.Context, opts *ListOptions, path string) (*monzo.Account, error) {
	accounts, err := historycmd.StoredAccounts(ctx, path)
	if err != nil {
		return nil, err
	}
	if opts.AccountID != "" {
		for i := range accounts {
			if accounts[i].ID == opts.AccountID {
				return &accounts[i], nil
			}
		}
		return nil, &cmdutil.UsageError{Err: fmt.Errorf("%w for account %q", historycmd.ErrNoHistory, opts.AccountID),
			Hint: "accounts in local history: " + describe(accounts) + "; run `monzo sync --account " + opts.AccountID + "` to add it"}
	}
	userID := ""
	if cfg, err := opts.Factory.Config(); err == nil {
		userID = cfg.Profile(opts.Factory.Profile()).UserID
	}
	owned := func(a *monzo.Account) bool {
		return userID == "" || len(a.Owners) == 0 || slices.ContainsFunc(a.Owners, func(o monzo.AccountOwner) bool { return o.UserID == userID })
	}
	for _, retail := range []bool{true, false} {
		for i := range accounts {
			a := &accounts[i]
			if !a.Closed && owned(a) && (!retail || a.Type == monzo.AccountTypeRetail) {
				return a, nil
			}
		}
	}
	return nil, cmdutil.WithHint(errors.New("local history holds no open account of this login"), "run `monzo sync` first, or give --account ID")
}

func describe(accounts []monzo.Account) string {
	if len(accounts) == 0 {
		return "none"
	}
	s := make([]string, len(accounts))
	for i := range accounts {
		s[i] = fmt.Sprintf("%s (%s)", accounts[i].ID, accounts[i].DisplayName())
	}
	return strings.Join(s, ", ")
}
