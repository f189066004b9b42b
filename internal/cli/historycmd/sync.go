package historycmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/sqlitestore"
)

// SyncOptions are `monzo sync`'s inputs.
type SyncOptions struct {
	Deps     Deps
	DBPath   string
	Accounts []string
	Since    string
	Full     bool
	Reread   time.Duration
	// Progress forces the progress display on or off; nil decides by
	// whether standard error is a terminal.
	Progress *bool
}

// NewCmdSync returns `monzo sync`. runF, when set, replaces the run (tests).
func NewCmdSync(d Deps, runF func(context.Context, *SyncOptions) error) *cobra.Command {
	opts := &SyncOptions{Deps: d}
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Copy your transactions, pots and accounts into local history",
		Long: `Copy your transactions, pots and accounts into a local SQLite file, so years
of history stay readable offline and after Monzo's 5-minute window closes.

The first sync of an account reads its whole history. Monzo allows that only
within 5 minutes of approving access in the app, so run it straight after
` + "`monzo login`" + `. Later syncs read what is new plus the last 14 days again
(pending payments that settled, notes added elsewhere), which costs one
request per account when nothing is new. If the window has closed, sync
reads the last 90 days and says how far back your history reaches.

A sync that is interrupted (Ctrl-C, a lost connection, a crash) loses
nothing: run it again and it continues.`,
		Example: `  # right after monzo login: everything
  monzo sync

  # one account, from a date
  monzo sync --account acc_00009abc --since 2024-01-01

  # read everything again (within 5 minutes of approving access)
  monzo sync --full`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return RunSync(cmd.Context(), opts)
		},
	}
	addDBFlag(cmd, &opts.DBPath)
	cmd.Flags().StringSliceVar(&opts.Accounts, "account", nil, "sync only this account `id` (repeatable; default: every open account)")
	cmd.Flags().StringVar(&opts.Since, "since", "", "read from this `time` on: a date (2024-01-01), a timestamp or an age (30d)")
	cmd.Flags().BoolVar(&opts.Full, "full", false, "read every account's whole history again")
	cmd.Flags().DurationVar(&opts.Reread, "reread", history.DefaultReread, "how much already-synced history to read again")
	return cmd
}

// syncMemoryLimit is the soft memory limit during a sync.
const syncMemoryLimit = 32 << 20

// RunSync runs `monzo sync`. `monzo login` calls it to offer a sync right
// after approval.
func RunSync(ctx context.Context, opts *SyncOptions) error {
	d := opts.Deps
	ios := d.IOStreams
	if opts.Full && opts.Since != "" {
		return fmt.Errorf("give --full or --since, not both: --full reads from each account's opening")
	}
	if opts.Reread < 0 {
		return fmt.Errorf("--reread must not be negative, got %s", opts.Reread)
	}
	since, err := parseWhen("since", opts.Since, d.now(), d.location())
	if err != nil {
		return err
	}
	client, err := d.Client()
	if err != nil {
		return err
	}
	st, err := OpenStore(ctx, opts.DBPath)
	if err != nil {
		return err
	}
	defer st.Close()

	// What a sync holds at once is bounded (the pages the concurrent walk
	// fetched ahead, one batch): about 20 MB however long the history. A
	// soft memory limit stops the GC from letting the heap grow to twice
	// that before collecting, which keeps the whole process near 50 MB
	// (BENCHMARKS.md, "Local history"). A GOMEMLIMIT the user set wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(syncMemoryLimit))
	}

	show := stderrIsTTY(ios)
	if opts.Progress != nil {
		show = *opts.Progress
	}
	p := newProgress(ios.ErrOut, show, d.now)
	syncer := &history.Syncer{Client: client, Store: st, Reread: opts.Reread, Now: d.Now, Progress: p.update}
	res, err := syncer.Sync(ctx, history.Options{AccountIDs: opts.Accounts, Since: since, Full: opts.Full})
	p.finish()
	if res != nil {
		writeSummary(ios.Out, res, st, d.location())
	}
	if err != nil {
		return fmt.Errorf("%w\nWhat was read so far is stored; run `monzo sync` again to continue", err)
	}
	return nil
}

func writeSummary(w io.Writer, res *history.Result, st *sqlitestore.Store, loc *time.Location) {
	for _, a := range res.Accounts {
		name := a.Account.Description
		if name == "" {
			name = string(a.Account.Type)
		}
		fmt.Fprintf(w, "%s (%s): %d new, %d updated, %d unchanged", name, a.Account.ID, a.Counts.New, a.Counts.Updated, a.Counts.Unchanged)
		if a.Pots > 0 {
			fmt.Fprintf(w, "; %d pot balances recorded", a.Pots)
		}
		fmt.Fprintf(w, "\n  history %s\n", a.Reach())
		if a.WindowClosed {
			fmt.Fprintf(w, "  Monzo allowed only the last 90 days: more than 5 minutes have passed since you approved access in the app.\n")
		}
	}
	c := res.Counts()
	fmt.Fprintf(w, "Synced %d accounts into %s: %d new, %d updated, %d unchanged.\n", len(res.Accounts), st.Path(), c.New, c.Updated, c.Unchanged)
}

// progress draws a bar on standard error while a sync runs, and nothing
// when standard error is not a terminal.
type progress struct {
	w       io.Writer
	show    bool
	now     func() time.Time
	bar     *progressbar.ProgressBar
	key     string
	started time.Time
}

func newProgress(w io.Writer, show bool, now func() time.Time) *progress {
	if now == nil {
		now = time.Now
	}
	return &progress{w: w, show: show, now: now}
}

func (p *progress) update(ev history.Progress) {
	if !p.show || ev.Phase == history.PhaseAccounts || ev.Phase == history.PhaseDone {
		return
	}
	key := fmt.Sprint(ev.AccountID, ev.Phase)
	if key != p.key {
		p.finish()
		p.key = key
		// The bar measures the walk in time covered (per mille): pages
		// hold a varying number of transactions, time does not lie.
		p.bar = progressbar.NewOptions64(1000,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(24),
		)
		p.started = time.Now()
	}
	rate := ""
	if secs := time.Since(p.started).Seconds(); secs > 0.5 {
		rate = fmt.Sprintf(", %.0f/s", float64(ev.Fetched)/secs)
	}
	phase := strings.ReplaceAll(string(ev.Phase), "-", " ")
	p.bar.Describe(fmt.Sprintf("account %d/%d %s: %d transactions%s", ev.Account+1, ev.Accounts, phase, ev.Fetched, rate))
	p.bar.Set64(int64(ev.Fraction() * 1000))
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
}
