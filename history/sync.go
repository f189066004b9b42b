package history

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/monzokit/monzo"
)

// Defaults for [Syncer].
const (
	// DefaultReread is how much of the already-stored span a later sync
	// reads again, to pick up pending payments that settled, changed
	// amounts, declines and annotations made elsewhere.
	DefaultReread = 14 * 24 * time.Hour
	// DefaultRecentWindow is how far back a sync reads once Monzo's
	// full-history window has closed. Monzo allows 90 days; one observer
	// found exactly 90 refused, so a day is kept in hand
	// (docs/api-notes.md#history-window).
	DefaultRecentWindow = 89 * 24 * time.Hour
	// DefaultBatchSize is how many transactions go into one store commit.
	DefaultBatchSize = 250
)

// Syncer copies history from the API into a [Store]. Set Client and Store;
// the other fields have defaults.
type Syncer struct {
	Client *monzo.Client
	Store  Store
	// Reread is how far before the end of the stored span a later sync
	// starts reading; [DefaultReread] when zero.
	Reread time.Duration
	// RecentWindow is how far back a sync reads once the full-history
	// window has closed; [DefaultRecentWindow] when zero.
	RecentWindow time.Duration
	// BatchSize is the number of transactions per store commit;
	// [DefaultBatchSize] when zero.
	BatchSize int
	// Concurrency is how many windows of history a backfill fetches at
	// once: the library's default ([monzo.DefaultBackfillConcurrency]) when
	// zero, 1 to fetch them one after another.
	Concurrency int
	// Window is how much history each window of a backfill covers: the
	// library's default ([monzo.DefaultBackfillWindow]) when zero.
	Window time.Duration
	// Now is the clock; when nil, the Client's ([monzo.Client.Now], so a
	// client built WithClock moves the sync's "now" too), or time.Now
	// without a Client.
	Now func() time.Time
	// Progress, if set, is called as the sync advances, from one
	// goroutine at a time (not always the caller's: batches are committed
	// on a goroutine of their own). It must not block for long.
	Progress func(Progress)
}

// Options select what [Syncer.Sync] reads.
type Options struct {
	// AccountIDs limits the sync to these accounts (closed ones included).
	// Empty means every open account.
	AccountIDs []string
	// Since makes the sync read from this time onwards, whatever is stored
	// already (to extend the stored span backwards, for example). Zero
	// means: an account never synced is read from its creation, others
	// from shortly before their last sync.
	Since time.Time
	// Full reads every account from its creation, as a first sync does.
	// Monzo allows this only within 5 minutes of the user approving access.
	Full bool
}

// Phase names what a sync is doing.
type Phase string

// Phases reported in [Progress].
const (
	PhaseAccounts Phase = "accounts"
	// PhaseBackfill walks history from a point far back (first sync, --full,
	// --since, or a store left behind for a long time).
	PhaseBackfill Phase = "backfill"
	// PhaseRecent reads what is new plus the re-read span.
	PhaseRecent Phase = "recent"
	// PhaseWindowClosed reads the last 90 days after Monzo refused older
	// history.
	PhaseWindowClosed Phase = "window-closed"
	PhasePots         Phase = "pots"
	PhaseDone         Phase = "done"
)

// Progress describes a sync in flight.
type Progress struct {
	AccountID string
	// Account is the index of the account being synced, of Accounts.
	Account, Accounts int
	Phase             Phase
	// From and To bound the span being walked; Reached is how far it got.
	From, To, Reached time.Time
	// Fetched counts the transactions received for this account so far.
	Fetched int
	// Counts add up what the store did for this account so far.
	Counts Counts
}

// Fraction returns how much of the current walk is done, from 0 to 1.
func (p Progress) Fraction() float64 {
	total := p.To.Sub(p.From)
	if total <= 0 || p.Reached.IsZero() {
		return 0
	}
	f := float64(p.Reached.Sub(p.From)) / float64(total)
	return min(max(f, 0), 1)
}

// Result is what a sync did.
type Result struct {
	Accounts []AccountResult
}

// Counts adds up every account's counts.
func (r *Result) Counts() Counts {
	var c Counts
	for _, a := range r.Accounts {
		c = c.Add(a.Counts)
	}
	return c
}

// WindowClosed reports whether any account could only be read for the
// last 90 days.
func (r *Result) WindowClosed() bool {
	return slices.ContainsFunc(r.Accounts, func(a AccountResult) bool { return a.WindowClosed })
}

// AccountResult is what a sync did for one account.
type AccountResult struct {
	Account monzo.Account
	Counts  Counts
	// State is the account's sync state afterwards: how far back the
	// store's history reaches.
	State SyncState
	// WindowClosed is set when Monzo refused history older than 90 days
	// (more than 5 minutes had passed since the user approved access), so
	// only the recent span was read.
	WindowClosed bool
	// Pots is the number of pots whose balance was recorded (deleted pots
	// are stored but get no snapshot).
	Pots int
}

// Reach says in one sentence how far back the account's stored history
// is complete, and what to do about what is missing.
func (a AccountResult) Reach() string {
	st := a.State
	day := func(t time.Time) string { return t.UTC().Format("2006-01-02") }
	switch {
	case st.Full:
		return fmt.Sprintf("complete from the account's opening (%s)", day(st.From))
	case st.HasGap():
		return fmt.Sprintf("complete from %s; %s to %s may be missing: run `monzo login`, approve access in the Monzo app, then `monzo sync --full` within 5 minutes",
			day(st.From), day(st.GapFrom), day(st.GapTo))
	default:
		return fmt.Sprintf("complete from %s; older history needs a full sync: run `monzo login`, approve access in the Monzo app, then `monzo sync --full` within 5 minutes",
			day(st.From))
	}
}

func (s *Syncer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return s.Client.Now()
}

// Sync copies the selected accounts' history into the store. It stops at
// the first error; what was stored up to then stays stored, and the next
// sync continues from there. A closed full-history window is not an error:
// the account's [AccountResult] says so and how far back history reaches.
func (s *Syncer) Sync(ctx context.Context, opts Options) (*Result, error) {
	if s.Client == nil || s.Store == nil {
		return nil, errors.New("history: Syncer needs a Client and a Store")
	}
	if s.Reread < 0 || s.RecentWindow < 0 || s.BatchSize < 0 {
		return nil, errors.New("history: Syncer.Reread, RecentWindow and BatchSize must not be negative")
	}
	s.report(Progress{Phase: PhaseAccounts})
	all, err := s.Client.Accounts.List(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("history: listing accounts: %w", err)
	}
	if err := s.Store.SaveAccounts(ctx, all); err != nil {
		return nil, err
	}
	accounts, err := selectAccounts(all, opts.AccountIDs)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	for i, a := range accounts {
		ar, err := s.syncAccount(ctx, a, opts, i, len(accounts))
		res.Accounts = append(res.Accounts, ar)
		if err != nil {
			return res, err
		}
	}
	s.report(Progress{Phase: PhaseDone, Accounts: len(accounts), Account: len(accounts)})
	return res, nil
}

func selectAccounts(all []monzo.Account, ids []string) ([]monzo.Account, error) {
	if len(ids) == 0 {
		var open []monzo.Account
		for _, a := range all {
			if !a.Closed {
				open = append(open, a)
			}
		}
		return open, nil
	}
	var out []monzo.Account
	for _, id := range ids {
		i := slices.IndexFunc(all, func(a monzo.Account) bool { return a.ID == id })
		if i < 0 {
			known := make([]string, 0, len(all))
			for _, a := range all {
				known = append(known, fmt.Sprintf("%s (%s)", a.ID, a.Description))
			}
			return nil, fmt.Errorf("history: no account %q; the user's accounts are: %v", id, known)
		}
		out = append(out, all[i])
	}
	return out, nil
}

func (s *Syncer) report(p Progress) {
	if s.Progress != nil {
		s.Progress(p)
	}
}
