package historycmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/monzokit/monzo/history/report"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// ReportOptions are `monzo report`'s inputs.
type ReportOptions struct {
	IO       *iostreams.IOStreams
	Factory  *cmdutil.Factory
	JSON     cmdutil.JSONFlags
	DBPath   string
	Accounts []string
	Since    string
	Before   string
	HTML     string
	Top      int
	// Width overrides the terminal's width (tests).
	Width int
}

// NewCmdReport returns `monzo report`.
func NewCmdReport(f *cmdutil.Factory, runF func(context.Context, *ReportOptions) error) *cobra.Command {
	opts := &ReportOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Summarise local history: spending by category and month, top merchants, pots",
		Long: `Summarise local history (made by ` + "`monzo sync`" + `) for a period: spending by category
and by month, top merchants, income against spending, and pots over time
from the balances each sync recorded. It works offline.

On a terminal it draws bar charts that fit its width; piped, it writes
tab-separated lines. --html writes one self-contained page with charts that
opens in any browser, offline.

Spending counts payments Monzo counts as spending; pot transfers and
declined payments are left out.`,
		Example: `  $ monzo report --since 2025-01-01 --before 2026-01-01
  $ monzo report --since 90d --html report.html`,
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, &opts.JSON, runF, RunReport),
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	addDBFlag(cmd, &opts.DBPath)
	cmdutil.AddAccountsFlag(f, cmd, &opts.Accounts, "only this account `id` (repeatable)")
	cmd.Flags().StringVar(&opts.Since, "since", "", "start of the period: a `time` such as 2025-01-01, a timestamp or an age (90d)")
	cmd.Flags().StringVar(&opts.Before, "before", "", "end of the period (exclusive): a date, a timestamp or an age (`time`)")
	cmd.Flags().StringVar(&opts.HTML, "html", "", "also write an HTML page with charts to this `file`")
	cmd.Flags().IntVar(&opts.Top, "top", 10, "how many merchants to list")
	return cmd
}

// RunReport runs `monzo report`.
func RunReport(ctx context.Context, opts *ReportOptions) error {
	cf := opts.Factory
	if opts.Top <= 0 {
		return cmdutil.Usagef("--top must be at least 1, got %d", opts.Top)
	}
	f, err := filter(cf, opts.Accounts, nil, opts.Since, opts.Before, "", "")
	if err != nil {
		return err
	}
	st, err := openHistory(ctx, cf, &opts.DBPath)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := report.Build(ctx, st, report.Options{AccountIDs: f.AccountIDs, Since: f.Since, Before: f.Before, Location: cf.Location, TopMerchants: opts.Top, Now: cf.Now})
	if err != nil {
		return err
	}
	if r.Transactions == 0 {
		return cmdutil.WithHint(errors.New("no transactions in local history for that period"), "widen --since/--before, or run `monzo sync`")
	}
	ios := opts.IO
	width := opts.Width
	if width == 0 {
		width = terminalWidth(ios)
	}
	if opts.JSON.Enabled() {
		err = opts.JSON.Write(ctx, ios, r)
	} else {
		err = r.WriteText(ios.Out, report.TextOptions{Width: width, Plain: !ios.IsStdoutTTY()})
	}
	if err != nil {
		return err
	}
	if opts.HTML == "" {
		return nil
	}
	if err := writeFileAtomic(opts.HTML, r.WriteHTML); err != nil {
		return err
	}
	fmt.Fprintf(ios.ErrOut, "Wrote the report to %s\n", opts.HTML)
	return nil
}
