package transactions

import (
	"cmp"
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// ShowOptions are `monzo transactions show`'s inputs.
type ShowOptions struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory
	JSON    cmdutil.JSONFlags
	ID      string
}

// NewCmdShow returns `monzo transactions show`.
func NewCmdShow(f *cmdutil.Factory, runF func(context.Context, *ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:     "show ID",
		Short:   "Show one transaction with its merchant",
		Example: `  $ monzo transactions show tx_00009…`,
		Args:    cmdutil.ExactArgsInto("a transaction ID", &opts.ID),
		RunE:    cmdutil.RunE(opts, &opts.JSON, runF, RunShow),
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// RunShow runs `monzo transactions show`.
func RunShow(ctx context.Context, opts *ShowOptions) error {
	client, err := opts.Factory.Client()
	if err != nil {
		return err
	}
	tx, err := client.Transactions.Get(ctx, opts.ID, &monzo.TransactionGetOptions{ExpandMerchant: true})
	if err != nil {
		return cmdutil.NotFoundHint(err, noSuchTransaction)
	}
	return printTransaction(ctx, opts.IO, opts.Factory, &opts.JSON, tx)
}

func printTransaction(ctx context.Context, ios *iostreams.IOStreams, f *cmdutil.Factory, js *cmdutil.JSONFlags, tx *monzo.Transaction) error {
	if js.Enabled() {
		return js.Write(ctx, ios, cmdutil.RawOr(tx.Raw, tx))
	}
	t := ios.NewTable() // key, value: a header would add nothing
	t.AddRow("id", tx.ID)
	t.AddRow("account", tx.AccountID)
	t.AddRow("created", tx.Created.Time.In(f.Location).Format(time.RFC1123))
	if !tx.Settled.Time.IsZero() {
		t.AddRow("settled", tx.Settled.Time.In(f.Location).Format(time.RFC1123))
	}
	t.AddRow("amount", cmdutil.Money(tx.Amount, tx.Currency))
	if tx.LocalCurrency != "" && tx.LocalCurrency != tx.Currency {
		t.AddRow("local amount", cmdutil.Money(tx.LocalAmount, tx.LocalCurrency))
	}
	t.AddRow("description", tx.Description)
	if m, ok := tx.Merchant.Expanded(); ok {
		t.AddRow("merchant", fmt.Sprintf("%s (%s)", m.Name, m.ID))
	} else if id := tx.Merchant.ID(); id != "" {
		// Annotating answers with the merchant's id only: still show
		// that there is one, rather than drop the row.
		t.AddRow("merchant", id)
	}
	t.AddRow("category", string(tx.Category))
	t.AddRow("status", cmp.Or(status(tx), "settled"))
	if tx.Notes != "" {
		t.AddRow("notes", tx.Notes)
	}
	keys := make([]string, 0, len(tx.Metadata))
	for k := range tx.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.AddRow("metadata."+k, tx.Metadata[k])
	}
	for _, a := range tx.Attachments {
		t.AddRow("attachment", a.ID+" "+a.FileURL)
	}
	return t.Render()
}

// AnnotateOptions are `monzo transactions annotate`'s inputs.
type AnnotateOptions struct {
	IO       *iostreams.IOStreams
	Factory  *cmdutil.Factory
	JSON     cmdutil.JSONFlags
	ID       string
	Metadata map[string]string
}

// NewCmdAnnotate returns `monzo transactions annotate`.
func NewCmdAnnotate(f *cmdutil.Factory, runF func(context.Context, *AnnotateOptions) error) *cobra.Command {
	opts := &AnnotateOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "annotate ID KEY=VALUE...",
		Short: "Set metadata on a transaction (KEY= deletes the key)",
		Long: `Set metadata keys on a transaction. Metadata is private to your OAuth
client. An empty value (KEY=) deletes the key.`,
		Example: `  $ monzo transactions annotate tx_… trip=lisbon shared=yes
  $ monzo transactions annotate tx_… trip=`,
		Args: cmdutil.MinimumArgs(2, "a transaction ID and at least one KEY=VALUE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			opts.Metadata = map[string]string{}
			for _, kv := range args[1:] {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || strings.TrimSpace(k) == "" {
					return cmdutil.Usagef("%q is not KEY=VALUE", kv)
				}
				opts.Metadata[k] = v
			}
			return cmdutil.Run(cmd, opts, &opts.JSON, runF, RunAnnotate)
		},
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}

// noSuchTransaction is the hint for a transaction id Monzo does not know.
const noSuchTransaction = "no such transaction for this login: `monzo transactions` lists their ids (add --all or --since for older ones)"

// RunAnnotate runs `monzo transactions annotate` (and `notes`).
func RunAnnotate(ctx context.Context, opts *AnnotateOptions) error {
	client, err := opts.Factory.Client()
	if err != nil {
		return err
	}
	tx, err := client.Transactions.Annotate(ctx, opts.ID, opts.Metadata)
	if err != nil {
		return cmdutil.NotFoundHint(err, noSuchTransaction)
	}
	return printTransaction(ctx, opts.IO, opts.Factory, &opts.JSON, tx)
}

// NewCmdNotes returns `monzo transactions notes`.
func NewCmdNotes(f *cmdutil.Factory, runF func(context.Context, *AnnotateOptions) error) *cobra.Command {
	opts := &AnnotateOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "notes ID TEXT",
		Short: "Set a transaction's notes, shown in the Monzo app (\"\" clears them)",
		Example: `  $ monzo transactions notes tx_… "dinner with Sam"
  $ monzo transactions notes tx_… ""`,
		Args: cmdutil.ExactArgs(2, "a transaction ID and the TEXT (quote it)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			opts.Metadata = map[string]string{"notes": args[1]}
			return cmdutil.Run(cmd, opts, &opts.JSON, runF, RunAnnotate)
		},
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	return cmd
}
