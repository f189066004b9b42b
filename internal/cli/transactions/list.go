// Package transactions implements `monzo transactions`: list, show,
// annotate and notes.
package transactions

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// ListOptions are `monzo transactions`'s inputs.
type ListOptions struct {
	IO        *iostreams.IOStreams
	Factory   *cmdutil.Factory
	JSON      cmdutil.JSONFlags
	AccountID string
	Since     string
	Before    string
	Limit     int
	All       bool
	Category  string
	Merchant  string
	Declined  bool
	// Offline reads local history only; Online asks the API even when
	// local history is fresh. Neither: local history when fresh.
	Offline, Online bool
	// DBPath is the local history database; "" means the default place.
	DBPath string
}

// DefaultSince is how far back a listing goes without --since or --all.
const DefaultSince = "30d"

// NewCmdTransactions returns `monzo transactions` and its subcommands.
func NewCmdTransactions(f *cmdutil.Factory) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:     "transactions",
		Aliases: []string{"tx"},
		Short:   "List transactions; show, annotate and add notes to one",
		Long: `List an account's transactions (default: your personal account), newest
last, from --since (default ` + DefaultSince + ` before --before, or before now) to
--before.

--since and --before take a date (2025-01-01, midnight local time), a
timestamp (2025-01-01T09:30:00Z) or an age (90m, 36h, 7d, 2w). --all lists
from the very first transaction: Monzo serves more than 90 days only in the
5 minutes after you approve a login.

Declined payments are hidden unless --declined.

Local history (` + "`monzo sync`" + `) answers instead of Monzo when it is fresh: the
account was synced within the last ` + freshnessText + ` and the stored history
reaches back to --since (for --all: to the account's first transaction).
A note on standard error then says so; --online always asks Monzo.
--offline always reads local history, however old, and sends nothing to
Monzo: years of history stay readable after the 5-minute window closes.`,
		Example: `  $ monzo transactions
  $ monzo transactions --since 2w --category groceries
  $ monzo transactions --since 2025-01-01 --before 2025-02-01 --merchant tesco
  $ monzo transactions --limit 5 --json --jq '.[] | {id, amount}'
  $ monzo transactions --offline --all --category groceries`,
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, &opts.JSON, nil, RunList),
	}
	fl := cmd.Flags()
	cmdutil.AddAccountFlag(f, cmd, &opts.AccountID, cmdutil.DefaultAccountUsage)
	fl.StringVar(&opts.Since, "since", "", "list from this `time`: date, timestamp or age such as 7d (default "+DefaultSince+")")
	fl.StringVar(&opts.Before, "before", "", "list up to (not including) this `time`")
	fl.IntVarP(&opts.Limit, "limit", "L", 50, "show at most this many, the most recent (0: no limit)")
	fl.BoolVar(&opts.All, "all", false, "from the first transaction (overrides --since)")
	fl.StringVar(&opts.Category, "category", "", "only this `category` (e.g. groceries, eating_out)")
	fl.StringVar(&opts.Merchant, "merchant", "", "only transactions whose merchant or description contains `text`")
	fl.BoolVar(&opts.Declined, "declined", false, "include declined payments")
	fl.BoolVar(&opts.Offline, "offline", false, "read local history only (see `monzo sync`); send nothing to Monzo")
	fl.BoolVar(&opts.Online, "online", false, "ask Monzo even when local history is fresh")
	fl.StringVar(&opts.DBPath, "db", "", "local history database `file` (default $XDG_DATA_HOME/monzo/history.db)")
	_ = cmd.RegisterFlagCompletionFunc("category", cobra.FixedCompletions(categories, cobra.ShellCompDirectiveNoFileComp))
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	cmd.AddCommand(NewCmdShow(f, nil), NewCmdAnnotate(f, nil), NewCmdNotes(f, nil))
	return cmd
}

// categories are Monzo's documented categories, for completion only: the
// set is open and any value is accepted.
var categories = []string{"general", "eating_out", "expenses", "transport", "cash", "bills",
	"entertainment", "shopping", "holidays", "groceries"}

// RunList runs `monzo transactions`.
func RunList(ctx context.Context, opts *ListOptions) error {
	f := opts.Factory
	now := f.Now()
	if opts.Limit < 0 {
		return cmdutil.Usagef("--limit %d: must be 0 (no limit) or more", opts.Limit)
	}
	sinceText := opts.Since
	if sinceText == "" && !opts.All {
		sinceText = DefaultSince
	}
	if opts.All && opts.Since != "" {
		return cmdutil.Usagef("--all lists from the first transaction: drop --since, or drop --all")
	}
	var since, before time.Time
	var err error
	if before, err = cmdutil.ParseWhen("before", opts.Before, now, f.Location); err != nil {
		return err
	}
	if !opts.All {
		// The default window ends where --before does, so that
		// "--before 2025-02-01" alone lists the 30 days before it.
		anchor := now
		if opts.Since == "" && !before.IsZero() {
			anchor = before
		}
		if since, err = cmdutil.ParseWhen("since", sinceText, anchor, f.Location); err != nil {
			return err
		}
	}
	if !since.IsZero() && !before.IsZero() && !since.Before(before) {
		return cmdutil.Usagef("--since (%s) must be before --before (%s)", since.Format(time.RFC3339), before.Format(time.RFC3339))
	}
	if opts.Offline && opts.Online {
		return cmdutil.Usagef("give --offline or --online, not both")
	}
	txs, err := readLocal(ctx, opts, since, before)
	if err != nil {
		return err
	}
	if txs == nil {
		if txs, err = readOnline(ctx, opts, since, before); err != nil {
			return err
		}
	}
	return render(ctx, opts, txs)
}

// readOnline lists transactions through the API.
func readOnline(ctx context.Context, opts *ListOptions, since, before time.Time) ([]*monzo.Transaction, error) {
	client, err := opts.Factory.Client()
	if err != nil {
		return nil, err
	}
	acct, err := cmdutil.ResolveAccount(ctx, client, opts.AccountID)
	if err != nil {
		return nil, err
	}
	txs := []*monzo.Transaction{}
	for tx, err := range client.Transactions.All(ctx, acct.ID, &monzo.TransactionListOptions{
		Since: since, Before: before, ExpandMerchant: true,
	}) {
		if err != nil {
			return nil, err
		}
		if keep(opts, tx) {
			txs = append(txs, tx)
		}
	}
	return txs, nil
}

// render prints the most recent --limit of txs (oldest first), the same
// way whichever source they came from.
func render(ctx context.Context, opts *ListOptions, txs []*monzo.Transaction) error {
	f := opts.Factory
	if opts.Limit > 0 && len(txs) > opts.Limit {
		txs = txs[len(txs)-opts.Limit:]
	}
	if opts.JSON.Enabled() {
		return opts.JSON.Write(ctx, opts.IO, cmdutil.RawEach(txs, func(tx *monzo.Transaction) []byte { return tx.Raw }))
	}
	t := opts.IO.NewTable("ID", "DATE", "DESCRIPTION", "CATEGORY", "AMOUNT", "STATUS").AlignRight(4)
	for _, tx := range txs {
		t.AddRow(tx.ID, tx.Created.Time.In(f.Location).Format("2006-01-02 15:04"),
			iostreams.Truncate(name(tx), 40), string(tx.Category), amount(opts.IO, tx), status(tx))
	}
	return t.Render()
}

func keep(opts *ListOptions, tx *monzo.Transaction) bool {
	if tx.IsDeclined() && !opts.Declined {
		return false
	}
	if opts.Category != "" && !strings.EqualFold(string(tx.Category), opts.Category) {
		return false
	}
	if opts.Merchant != "" {
		m := strings.ToLower(opts.Merchant)
		if !strings.Contains(strings.ToLower(name(tx)), m) && !strings.Contains(strings.ToLower(tx.Description), m) {
			return false
		}
	}
	return true
}

// name is the merchant's name when known, else the statement text.
func name(tx *monzo.Transaction) string {
	if m, ok := tx.Merchant.Expanded(); ok && m.Name != "" {
		return m.Name
	}
	return tx.Description
}

func amount(ios *iostreams.IOStreams, tx *monzo.Transaction) string {
	s := cmdutil.Money(tx.Amount, tx.Currency)
	if tx.Amount > 0 {
		return ios.Green(s)
	}
	return s
}

func status(tx *monzo.Transaction) string {
	switch {
	case tx.IsDeclined():
		return "declined: " + string(tx.DeclineReason)
	case tx.IsPending():
		return "pending"
	}
	return ""
}
