package historycmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/monzokit/monzo/history"
	"github.com/monzokit/monzo/history/sqlitestore"
	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// SyncOptions are `monzo sync`'s inputs.
type SyncOptions struct {
	IO       *iostreams.IOStreams
	Factory  *cmdutil.Factory
	JSON     cmdutil.JSONFlags
	DBPath   string
	Accounts []string
	Since    string
	Full     bool
	// Reread is how much already-synced history to read again: a Go
	// duration or a number of days ("14d"); "" means the default.
	Reread string
	// Progress forces the progress display on or off; nil decides by
	// whether standard error is a terminal.
	Progress *bool
}

// NewCmdSync returns `monzo sync`. runF, when set, replaces the run (tests).
func NewCmdSync(f *cmdutil.Factory, runF func(context.Context, *SyncOptions) error) *cobra.Command {
	opts := &SyncOptions{IO: f.IOStreams, Factory: f}
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
  $ monzo sync

  # one account, from a date
  $ monzo sync --account acc_00009abc --since 2024-01-01

  # read everything again (within 5 minutes of approving access)
  $ monzo sync --full`,
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, &opts.JSON, runF, RunSync),
	}
	cmdutil.AddJSONFlags(cmd, &opts.JSON)
	addDBFlag(cmd, &opts.DBPath)
	cmdutil.AddAccountsFlag(f, cmd, &opts.Accounts, "sync only this account `id` (repeatable; default: every open account)")
	cmd.Flags().StringVar(&opts.Since, "since", "", "read from this `time` on: a date (2024-01-01), a timestamp or an age (30d)")
	cmd.Flags().BoolVar(&opts.Full, "full", false, "read every account's whole history again")
	cmd.Flags().StringVar(&opts.Reread, "reread", "14d", "how much already-synced history to read again: days (14d) or a duration (36h)")
	return cmd
}

// parseSpan reads --reread: "14d" or a Go duration such as "36h"; ""
// means the default.
func parseSpan(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return history.DefaultReread, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 && n <= 3660 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	} else if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return d, nil
	}
	return 0, cmdutil.Usagef("--reread %q: give days (14d) or a duration (36h), not negative", s)
}

// syncMemoryLimit is the soft memory limit during a sync.
const syncMemoryLimit = 32 << 20

// RunSync runs `monzo sync`. `monzo login` calls it to offer a sync right
// after approval:
//
//	historycmd.RunSync(ctx, &historycmd.SyncOptions{IO: f.IOStreams, Factory: f})
func RunSync(ctx context.Context, opts *SyncOptions) error {
	f := opts.Factory
	ios := opts.IO
	if ios == nil {
		ios = f.IOStreams
	}
	if opts.Full && opts.Since != "" {
		return cmdutil.Usagef("give --full or --since, not both: --full reads from each account's opening")
	}
	reread, err := parseSpan(opts.Reread)
	if err != nil {
		return err
	}
	since, err := cmdutil.ParseWhen("since", opts.Since, f.Now(), f.Location)
	if err != nil {
		return err
	}
	if since.After(f.Now()) {
		return cmdutil.Usagef("--since %s is in the future", opts.Since)
	}
	client, err := f.Client()
	if err != nil {
		return err
	}
	if opts.DBPath, err = f.HistoryDBPath(opts.DBPath); err != nil {
		return err
	}
	st, err := sqlitestore.Open(ctx, opts.DBPath)
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

	show := ios.IsStderrTTY() && !opts.JSON.Enabled()
	if opts.Progress != nil {
		show = *opts.Progress
	}
	p := newProgress(ios.ErrOut, show)
	syncer := &history.Syncer{Client: client, Store: st, Reread: reread, Now: f.Now, Progress: p.update}
	res, err := syncer.Sync(ctx, history.Options{AccountIDs: opts.Accounts, Since: since, Full: opts.Full})
	p.finish()
	if res != nil && err == nil && opts.JSON.Enabled() {
		return opts.JSON.Write(ctx, ios, summaryJSON(res, st))
	}
	if res != nil {
		writeSummary(ios.Out, res, st)
	}
	if err != nil {
		return cmdutil.WithHint(err, "what was read so far is stored: run `monzo sync` again to continue")
	}
	return nil
}

// summaryJSON is `monzo sync --json`'s output.
func summaryJSON(res *history.Result, st *sqlitestore.Store) any {
	type account struct {
		ID           string `json:"id"`
		Description  string `json:"description"`
		New          int    `json:"new"`
		Updated      int    `json:"updated"`
		Unchanged    int    `json:"unchanged"`
		From         string `json:"history_from"`
		To           string `json:"history_to"`
		Full         bool   `json:"full_history"`
		GapFrom      string `json:"gap_from,omitempty"`
		GapTo        string `json:"gap_to,omitempty"`
		WindowClosed bool   `json:"window_closed"`
		Pots         int    `json:"pots"`
		Reach        string `json:"reach"`
	}
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	out := struct {
		Database string    `json:"database"`
		Accounts []account `json:"accounts"`
	}{Database: st.Path(), Accounts: []account{}}
	for _, a := range res.Accounts {
		out.Accounts = append(out.Accounts, account{ID: a.Account.ID, Description: a.Account.Description,
			New: a.Counts.New, Updated: a.Counts.Updated, Unchanged: a.Counts.Unchanged,
			From: ts(a.State.From), To: ts(a.State.To), Full: a.State.Full, GapFrom: ts(a.State.GapFrom), GapTo: ts(a.State.GapTo),
			WindowClosed: a.WindowClosed, Pots: a.Pots, Reach: a.Reach()})
	}
	return out
}

func writeSummary(w io.Writer, res *history.Result, st *sqlitestore.Store) {
	for _, a := range res.Accounts {
		fmt.Fprintf(w, "%s (%s): %d new, %d updated, %d unchanged", a.Account.DisplayName(), a.Account.ID, a.Counts.New, a.Counts.Updated, a.Counts.Unchanged)
		switch {
		case a.Pots == 1:
			fmt.Fprintf(w, "; 1 pot balance recorded")
		case a.Pots > 1:
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
	bar     *progressbar.ProgressBar
	key     string
	started time.Time
}

func newProgress(w io.Writer, show bool) *progress {
	return &progress{w: w, show: show}
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
