package monzo

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// DefaultBackfillWindow is how much history [TransactionsService.Backfill]
// asks for per window. A month keeps windows to a few pages for busy
// accounts, so that many of them can be fetched at once while only a few
// pages wait in memory.
const DefaultBackfillWindow = 30 * 24 * time.Hour

// MaxBackfillWindow is the largest window Backfill accepts: a single list
// call is reported to span at most about a year.
const MaxBackfillWindow = 365 * 24 * time.Hour

// DefaultBackfillConcurrency is how many windows Backfill fetches at once
// unless [BackfillOptions.Concurrency] says otherwise.
const DefaultBackfillConcurrency = 8

// MaxBackfillConcurrency bounds [BackfillOptions.Concurrency]: Monzo
// publishes no rate limits, and more parallel requests than this only
// provoke 429s.
const MaxBackfillConcurrency = 32

// BackfillOptions configures [TransactionsService.Backfill]. A nil
// *BackfillOptions walks the account's whole history from its creation.
type BackfillOptions struct {
	// Since is where history starts. Zero means the account's creation
	// time, which Backfill looks up (one extra request).
	Since time.Time
	// AfterID resumes after this transaction: the last one an earlier sync
	// stored (see [BackfillProgress.LastID]). Backfill reads it once to learn
	// where to start. Set at most one of Since and AfterID.
	AfterID string
	// Until ends the walk (exclusive). Zero means now: the last window is
	// then left open so transactions created during the walk are included.
	Until time.Time
	// Window is how much time each window covers: [DefaultBackfillWindow]
	// when zero, at most [MaxBackfillWindow].
	Window time.Duration
	// PageSize is the page size within a window: [MaxPageSize] when zero.
	PageSize int
	// ExpandMerchant hands transactions over with their merchant expanded.
	ExpandMerchant bool
	// Concurrency is how many windows are fetched at once:
	// [DefaultBackfillConcurrency] when zero, 1 to walk windows one after
	// another, at most [MaxBackfillConcurrency].
	Concurrency int
	// OnProgress, when set, is called each time a window has been handed
	// over completely, with how far history is now complete; the last call
	// carries the final progress of a complete walk. It runs on the
	// goroutine ranging over the walk, between transactions, so it can
	// record a checkpoint together with the transactions stored so far.
	OnProgress func(BackfillProgress)
}

// BackfillProgress says how far a backfill got.
type BackfillProgress struct {
	// Fetched counts the transactions handed over.
	Fetched int
	// Reached is the time up to which history is complete: the created time
	// of the last transaction handed over, or the start of the first window
	// not yet handed over, whichever is later. After a complete walk it is
	// Until (or the time the walk started, when Until is zero).
	Reached time.Time
	// LastID is the id of the last transaction handed over (or the AfterID
	// the walk resumed from). Pass it as [BackfillOptions.AfterID] to continue.
	LastID string
}

// BackfillIncompleteError reports a backfill that stopped early: the API
// refused (most often with [ErrVerificationRequired], once the 5-minute
// full-history window has closed) or the network failed. The embedded
// progress says how far it got; resume with BackfillOptions{AfterID:
// LastID}. [errors.Is] and [errors.As] see through it to Err.
type BackfillIncompleteError struct {
	BackfillProgress
	// Err is what stopped the walk.
	Err error
	// since is where the walk started, to tell "no progress" apart.
	since time.Time
}

// Error says how far the backfill got and what to do next.
func (e *BackfillIncompleteError) Error() string {
	reached := "the start"
	if !e.Reached.IsZero() {
		reached = formatTime(e.Reached)
	}
	// Never advise repeating exactly what failed: name the point to
	// resume from, or say that nothing was fetched.
	var resume string
	switch {
	case e.LastID != "":
		resume = fmt.Sprintf("resume with BackfillOptions.AfterID = %q", e.LastID)
	case e.Reached.After(e.since):
		resume = fmt.Sprintf("resume with BackfillOptions.Since = %s", formatTime(e.Reached))
	default:
		resume = "nothing was fetched, so there is nothing to resume: retry with the same options once the cause is fixed"
	}
	if errors.Is(e.Err, ErrVerificationRequired) {
		return fmt.Sprintf("monzo: backfill incomplete: fetched %d transactions, history complete up to %s; "+
			"Monzo refused older history because more than 5 minutes have passed since access was approved "+
			"(forbidden.verification_required): log in again and sync within 5 minutes of approving access in the app, "+
			"then %s", e.Fetched, reached, resume)
	}
	return fmt.Sprintf("monzo: backfill incomplete: fetched %d transactions, history complete up to %s: %v; %s",
		e.Fetched, reached, e.Err, resume)
}

// Unwrap returns the error that stopped the walk.
func (e *BackfillIncompleteError) Unwrap() error { return e.Err }

// Backfill walks an account's history from opts.Since (or from after
// opts.AfterID) up to opts.Until or now, and yields every transaction,
// oldest first, like [TransactionsService.All]. opts may be nil.
//
// The history is cut into disjoint windows of opts.Window that are
// fetched concurrently (opts.Concurrency at a time), each paged with an id
// cursor; transactions are still handed over strictly in window order, so
// everything before the last one yielded is complete. Only a few pages per
// worker wait in memory however long the history is. A 429 answer pauses
// every worker, not only the one that met it.
//
// Monzo lets a client read history older than 90 days only within 5
// minutes of the user approving access in the app, so run a full backfill
// straight after login and store what it hands over. If the API refuses or
// the network fails, the walk yields a [*BackfillIncompleteError] carrying
// the progress; a later call with AfterID set to its LastID continues
// from there, and succeeds after the window closed as long as that point
// lies within the last 90 days. Invalid options are yielded, before
// anything is fetched, as an error matching [ErrInvalidArgument]. Breaking out of the loop stops every
// request; record opts.OnProgress checkpoints or the last id seen to
// resume later.
func (s *TransactionsService) Backfill(ctx context.Context, accountID string, opts *BackfillOptions) iter.Seq2[*Transaction, error] {
	return func(yield func(*Transaction, error) bool) {
		w, err := s.planBackfill(ctx, accountID, opts)
		if err != nil {
			yield(nil, err)
			return
		}
		w.run(ctx, yield)
	}
}

// planBackfill validates the options, finds where the walk starts and cuts
// the history into windows.
func (s *TransactionsService) planBackfill(ctx context.Context, accountID string, opts *BackfillOptions) (*walk, error) {
	if err := requireArg("Transactions.Backfill", "account id", accountID); err != nil {
		return nil, err
	}
	var o BackfillOptions
	if opts != nil {
		o = *opts
	}
	size := o.Window
	switch {
	case size == 0:
		size = DefaultBackfillWindow
	case size < 0 || size > MaxBackfillWindow:
		return nil, invalidf("BackfillOptions.Window must be positive and at most %s, got %s", MaxBackfillWindow, size)
	}
	pageSize := o.PageSize
	if pageSize == 0 {
		pageSize = MaxPageSize
	}
	if pageSize < 0 || pageSize > MaxPageSize {
		return nil, invalidf("BackfillOptions.PageSize must be between 1 and %d, got %d", MaxPageSize, pageSize)
	}
	concurrency := o.Concurrency
	if concurrency == 0 {
		concurrency = DefaultBackfillConcurrency
	}
	if concurrency < 0 || concurrency > MaxBackfillConcurrency {
		return nil, invalidf("BackfillOptions.Concurrency must be between 1 and %d (or 0 for %d), got %d", MaxBackfillConcurrency, DefaultBackfillConcurrency, concurrency)
	}
	for _, err := range []error{checkWritable("BackfillOptions.Since", o.Since), checkWritable("BackfillOptions.Until", o.Until)} {
		if err != nil {
			return nil, err
		}
	}
	if o.AfterID != "" && !o.Since.IsZero() {
		return nil, invalidf("set BackfillOptions.Since for a first backfill or AfterID to resume one, not both")
	}
	now := s.client.now()
	end := o.Until
	if end.IsZero() {
		end = now
	}
	if !o.Since.IsZero() && o.Since.After(end) {
		return nil, invalidf("BackfillOptions.Since (%s) is after Until (%s)", formatTime(o.Since), formatTime(end))
	}

	start := o.Since
	switch {
	case o.AfterID != "":
		last, err := s.Get(ctx, o.AfterID, nil)
		if err != nil {
			return nil, fmt.Errorf("monzo: backfill cannot resume after %q: %w", o.AfterID, err)
		}
		start = last.Created.Time
	case start.IsZero():
		created, err := s.accountCreated(ctx, accountID)
		if err != nil {
			return nil, err
		}
		start = created
	}

	w := &walk{
		s:          s,
		accountID:  accountID,
		pageSize:   pageSize,
		expand:     o.ExpandMerchant,
		workers:    concurrency,
		budget:     pagesPerWorker * concurrency,
		onProgress: o.OnProgress,
		since:      start,
		end:        end,
		progress:   BackfillProgress{Reached: start, LastID: o.AfterID},
	}
	for ws := start; ws.Before(end) || (len(w.windows) == 0 && o.Until.IsZero()); ws = ws.Add(size) {
		win := &window{index: len(w.windows), since: ws, before: ws.Add(size)}
		if !win.before.Before(end) {
			// The last window: bounded by Until, or left open when walking
			// up to now so that transactions created meanwhile are kept.
			win.before = o.Until
		}
		// A short page can end a window only if nothing can still arrive
		// in it (see walk.fetch).
		win.closed = !win.before.IsZero() && !win.before.After(now)
		w.windows = append(w.windows, win)
		if win.before.IsZero() || !win.before.Before(end) {
			break
		}
	}
	if o.AfterID != "" && len(w.windows) > 0 {
		// The cursor's created time is the first window's start, and the
		// cursor itself is excluded.
		w.windows[0].sinceID = o.AfterID
	}
	return w, nil
}

// accountCreated returns when an account was opened, where a backfill
// without Since starts.
func (s *TransactionsService) accountCreated(ctx context.Context, accountID string) (time.Time, error) {
	var out struct {
		Accounts []struct {
			ID      string    `json:"id"`
			Created Timestamp `json:"created"`
		} `json:"accounts"`
	}
	if err := s.client.do(ctx, request{method: http.MethodGet, path: "accounts", idempotent: true}, &out); err != nil {
		return time.Time{}, fmt.Errorf("monzo: backfill without BackfillOptions.Since looks up when the account was opened: %w", err)
	}
	for _, a := range out.Accounts {
		if a.ID == accountID && !a.Created.IsZero() {
			return a.Created.Time, nil
		}
	}
	return time.Time{}, fmt.Errorf("monzo: backfill: account %q is not among the user's accounts (or has no creation time); check the id or set BackfillOptions.Since", accountID)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
