package monzo

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DefaultBackfillWindow is how much history [TransactionsService.Backfill]
// asks for per window.
const DefaultBackfillWindow = 90 * 24 * time.Hour

// MaxBackfillWindow is the largest window Backfill accepts: a single list
// call is reported to span at most about a year.
const MaxBackfillWindow = 365 * 24 * time.Hour

// BackfillOptions configures [TransactionsService.Backfill]. Set Since for a
// first sync, or AfterID to continue a later one.
type BackfillOptions struct {
	// AccountID is required.
	AccountID string
	// Since is where history starts, e.g. the account's Created time.
	Since time.Time
	// AfterID resumes after this transaction: the last one an earlier sync
	// stored (see [BackfillProgress.LastID]). Backfill reads it once to learn
	// where to start. Set either Since or AfterID.
	AfterID string
	// Until ends the walk (exclusive). Zero means now: the last window is
	// then left open so transactions created during the walk are included.
	Until time.Time
	// Window is how much time each walk step covers: [DefaultBackfillWindow]
	// when zero, at most [MaxBackfillWindow].
	Window time.Duration
	// PageSize is the page size within a window: [MaxPageSize] when zero.
	PageSize int
	// ExpandMerchant hands transactions to the callback with their merchant
	// expanded.
	ExpandMerchant bool
}

// BackfillProgress says how far a backfill got.
type BackfillProgress struct {
	// Fetched counts the transactions handed to the callback.
	Fetched int
	// Reached is the time up to which history is complete: the created time
	// of the last transaction handed over, or the start of the first window
	// not yet read, whichever is later. After a complete walk it is Until
	// (or the time the walk finished).
	Reached time.Time
	// LastID is the id of the last transaction handed over (or the AfterID
	// the walk resumed from). Pass it as [BackfillOptions.AfterID] to continue.
	LastID string
}

// BackfillIncompleteError reports a backfill that stopped early: the API
// refused (most often with [ErrVerificationRequired], once the 5-minute
// full-history window has closed), the network failed, or the callback
// returned an error. The embedded progress says how far it got; resume with
// BackfillOptions{AfterID: LastID}. [errors.Is] and [errors.As] see through
// it to Err.
type BackfillIncompleteError struct {
	BackfillProgress
	// Err is what stopped the walk.
	Err error
}

// Error says how far the backfill got and what to do next.
func (e *BackfillIncompleteError) Error() string {
	reached := "the start"
	if !e.Reached.IsZero() {
		reached = formatTime(e.Reached)
	}
	resume := "start again"
	if e.LastID != "" {
		resume = fmt.Sprintf("resume with BackfillOptions.AfterID = %q", e.LastID)
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
// opts.AfterID) up to now, oldest first, in windows of opts.Window, paging
// through each window with an id cursor, and calls fn with every
// transaction. It returns how far it got.
//
// Monzo lets a client read history older than 90 days only within 5
// minutes of the user approving access in the app, so run a full backfill
// straight after login and store what it hands over. If the window closes
// mid-walk, or anything else fails (fn's own errors included), Backfill
// returns a [*BackfillIncompleteError] carrying the progress; a later call
// with AfterID set to its LastID continues from there, and succeeds after
// the window closed as long as that point lies within the last 90 days.
func (s *TransactionsService) Backfill(ctx context.Context, opts BackfillOptions, fn func(*Transaction) error) (BackfillProgress, error) {
	if err := requireID("BackfillOptions.AccountID", opts.AccountID); err != nil {
		return BackfillProgress{}, err
	}
	if fn == nil {
		return BackfillProgress{}, errors.New("monzo: Backfill needs a callback to hand transactions to")
	}
	window := opts.Window
	switch {
	case window == 0:
		window = DefaultBackfillWindow
	case window < 0 || window > MaxBackfillWindow:
		return BackfillProgress{}, fmt.Errorf("monzo: BackfillOptions.Window must be positive and at most %s, got %s", MaxBackfillWindow, window)
	}
	pageSize := opts.PageSize
	if pageSize == 0 {
		pageSize = MaxPageSize
	}
	if pageSize < 0 || pageSize > MaxPageSize {
		return BackfillProgress{}, fmt.Errorf("monzo: BackfillOptions.PageSize must be between 1 and %d, got %d", MaxPageSize, pageSize)
	}

	start := opts.Since
	switch {
	case opts.AfterID != "" && !start.IsZero():
		return BackfillProgress{}, errors.New("monzo: set BackfillOptions.Since for a first backfill or AfterID to resume one, not both")
	case opts.AfterID != "":
		last, err := s.Get(ctx, opts.AfterID, nil)
		if err != nil {
			return BackfillProgress{}, fmt.Errorf("monzo: backfill cannot resume after %q: %w", opts.AfterID, err)
		}
		start = last.Created.Time
	case start.IsZero():
		return BackfillProgress{}, errors.New("monzo: BackfillOptions.Since is required (e.g. the account's Created time), or AfterID to resume")
	}
	end := opts.Until
	if end.IsZero() {
		end = s.client.now()
	}

	progress := BackfillProgress{Reached: start, LastID: opts.AfterID}
	cursor := opts.AfterID
	for windowStart := start; ; {
		windowEnd := windowStart.Add(window)
		final := !windowEnd.Before(end)
		page := TransactionListOptions{AccountID: opts.AccountID, Limit: pageSize, ExpandMerchant: opts.ExpandMerchant}
		if cursor != "" {
			// Only the first window of a resumed walk: the cursor's created
			// time is the window's start, and the cursor itself is excluded.
			page.SinceID, cursor = cursor, ""
		} else {
			page.Since = windowStart
		}
		switch {
		case !final:
			page.Before = windowEnd
		case !opts.Until.IsZero():
			page.Before = opts.Until
		}
		progress.Reached = later(progress.Reached, windowStart)
		for tx, err := range s.All(ctx, page) {
			if err == nil {
				err = fn(tx)
			}
			if err != nil {
				return progress, &BackfillIncompleteError{BackfillProgress: progress, Err: err}
			}
			progress.Fetched++
			progress.LastID = tx.ID
			progress.Reached = later(progress.Reached, tx.Created.Time)
		}
		if final {
			break
		}
		windowStart = windowEnd
	}
	progress.Reached = later(progress.Reached, end)
	return progress, nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
