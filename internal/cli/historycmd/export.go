package historycmd

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo/history/export"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// ExportOptions are `monzo export`'s inputs.
type ExportOptions struct {
	IO         *iostreams.IOStreams
	Factory    *cmdutil.Factory
	JSON       cmdutil.JSONFlags
	DBPath     string
	Format     string
	Output     string
	Accounts   []string
	Since      string
	Before     string
	Categories []string
	Pending    string
	Declined   string
	Columns    []string
	Ledger     export.LedgerOptions
	LedgerAcct []string
}

// NewCmdExport returns `monzo export`.
func NewCmdExport(f *cmdutil.Factory, runF func(context.Context, *ExportOptions) error) *cobra.Command {
	opts := &ExportOptions{IO: f.IOStreams, Factory: f}
	var columnHelp strings.Builder
	for _, c := range export.Columns() {
		fmt.Fprintf(&columnHelp, "  %-15s %s\n", c[0], c[1])
	}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write local history as CSV, JSON, OFX, QIF, beancount or ledger",
		Long: `Write transactions from local history (made by ` + "`monzo sync`" + `) for a spreadsheet,
a finance app or plain-text accounting. It works offline.

Formats:
  csv        RFC 4180, a header and the columns you choose (--columns)
  json       one array of transactions exactly as the API sent them
  ndjson     the same, one transaction per line
  ofx        OFX 2 bank statements, one per account (GnuCash, Moneydance, ...)
  qif        QIF bank accounts
  beancount  balanced entries; pots are accounts of their own
  ledger     the same for ledger and hledger

Declined payments are left out unless you ask for them (--declined include);
OFX, QIF, beancount and ledger always leave them out, as they moved no money.

With --output, --json prints a summary of what was written (the JSON of the
transactions themselves is --format json).

CSV columns:
` + columnHelp.String(),
		Example: `  $ monzo export --format csv --since 2025-01-01 > 2025.csv
  $ monzo export --format ofx --account acc_00009abc -o statement.ofx
  $ monzo export --format beancount --ledger-assets Assets:Bank:Monzo -o monzo.beancount
  $ monzo export --format csv --columns created,amount,currency,payee --category groceries`,
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, &opts.JSON, runF, RunExport),
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	addDBFlag(cmd, &opts.DBPath)
	cmd.Flags().StringVarP(&opts.Format, "format", "f", "csv", "`format`: csv, json, ndjson, ofx, qif, beancount or ledger")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to this `file` instead of standard output")
	cmdutil.AddAccountsFlag(f, cmd, &opts.Accounts, "only this account `id` (repeatable)")
	cmd.Flags().StringVar(&opts.Since, "since", "", "only transactions from this `time` on (2025-01-01, a timestamp, 30d)")
	cmd.Flags().StringVar(&opts.Before, "before", "", "only transactions before this `time`")
	cmd.Flags().StringSliceVar(&opts.Categories, "category", nil, "only this `category` (repeatable)")
	cmd.Flags().StringVar(&opts.Pending, "pending", "include", "pending payments: `include`, exclude or only")
	cmd.Flags().StringVar(&opts.Declined, "declined", "exclude", "declined payments: include, `exclude` or only")
	cmd.Flags().StringSliceVar(&opts.Columns, "columns", nil, "CSV `columns`, comma-separated (see above)")
	cmd.Flags().StringVar(&opts.Ledger.Assets, "ledger-assets", "Assets:Monzo", "beancount/ledger parent `account` of Monzo accounts")
	cmd.Flags().StringVar(&opts.Ledger.Pots, "ledger-pots", "", "beancount/ledger parent `account` of pots (default <assets>:Pots)")
	cmd.Flags().StringVar(&opts.Ledger.Expenses, "ledger-expenses", "Expenses", "beancount/ledger parent `account` of spending categories")
	cmd.Flags().StringVar(&opts.Ledger.Income, "ledger-income", "Income", "beancount/ledger parent `account` of income categories")
	cmd.Flags().StringSliceVar(&opts.LedgerAcct, "ledger-account", nil, "name one Monzo account: `ID=Assets:Name` (repeatable)")
	return cmd
}

func parseInclusion(flag, v string) (sqlitestore.Inclusion, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "include", "yes":
		return sqlitestore.Include, nil
	case "exclude", "no":
		return sqlitestore.Exclude, nil
	case "only":
		return sqlitestore.Only, nil
	}
	return 0, cmdutil.Usagef("--%s %q: use include, exclude or only", flag, v)
}

// filter turns the shared filter flags into a store filter.
func filter(cf *cmdutil.Factory, accounts, categories []string, since, before, pending, declined string) (sqlitestore.Filter, error) {
	f := sqlitestore.Filter{AccountIDs: accounts, Categories: categories}
	var err error
	if f.Since, err = cmdutil.ParseWhen("since", since, cf.Now(), cf.Location); err != nil {
		return f, err
	}
	if f.Before, err = cmdutil.ParseWhen("before", before, cf.Now(), cf.Location); err != nil {
		return f, err
	}
	if pending != "" {
		if f.Pending, err = parseInclusion("pending", pending); err != nil {
			return f, err
		}
	}
	if declined != "" {
		if f.Declined, err = parseInclusion("declined", declined); err != nil {
			return f, err
		}
	}
	if err := f.Validate(); err != nil {
		return f, &cmdutil.UsageError{Err: err}
	}
	return f, nil
}

// RunExport runs `monzo export`.
func RunExport(ctx context.Context, opts *ExportOptions) error {
	cf := opts.Factory
	format, err := export.ParseFormat(opts.Format)
	if err != nil {
		return &cmdutil.UsageError{Err: err}
	}
	f, err := filter(cf, opts.Accounts, opts.Categories, opts.Since, opts.Before, opts.Pending, opts.Declined)
	if err != nil {
		return err
	}
	toFile := opts.Output != "" && opts.Output != "-"
	switch {
	case len(opts.Columns) > 0 && format != export.CSV:
		return cmdutil.Usagef("--columns applies to --format csv only")
	case opts.JSON.Enabled() && !toFile:
		return cmdutil.Usagef("--json summarises an export written with --output; for transactions as JSON use --format json")
	}
	for _, kv := range opts.LedgerAcct {
		id, name, ok := strings.Cut(kv, "=")
		if !ok || id == "" || name == "" {
			return cmdutil.Usagef("--ledger-account %q: write ID=Assets:Name, e.g. acc_00009abc=Assets:Monzo:Bills", kv)
		}
		if opts.Ledger.Accounts == nil {
			opts.Ledger.Accounts = map[string]string{}
		}
		opts.Ledger.Accounts[id] = name
	}
	eo := export.Options{Format: format, Filter: f, Columns: opts.Columns, Ledger: opts.Ledger, Location: cf.Location, Now: cf.Now}
	if err := eo.Ledger.Validate(); err != nil {
		return &cmdutil.UsageError{Err: err}
	}
	if format == export.CSV {
		// Unknown columns are bad input: say so before reading anything.
		if err := export.CheckColumns(opts.Columns); err != nil {
			return &cmdutil.UsageError{Err: err}
		}
	}
	st, err := openHistory(ctx, cf, &opts.DBPath)
	if err != nil {
		return err
	}
	defer st.Close()

	var res export.Result
	if !toFile {
		res, err = export.Write(ctx, opts.IO.Out, st, eo)
		return err
	}
	err = writeFileAtomic(opts.Output, func(w io.Writer) error {
		res, err = export.Write(ctx, w, st, eo)
		return err
	})
	if err != nil {
		return err
	}
	if opts.JSON.Enabled() {
		return opts.JSON.Write(ctx, opts.IO, map[string]any{"file": opts.Output, "format": format, "transactions": res.Transactions})
	}
	fmt.Fprintf(opts.IO.ErrOut, "Wrote %d transactions to %s\n", res.Transactions, opts.Output)
	return nil
}
