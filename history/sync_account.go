package history

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/monzokit/monzo"
)

// accountSync is one account's sync: the state as committed so far and
// what the store did.
type accountSync struct {
	s        *Syncer
	account  monzo.Account
	state    SyncState
	had      bool
	counts   Counts
	progress Progress
}

func (s *Syncer) syncAccount(ctx context.Context, a monzo.Account, opts Options, index, total int) (AccountResult, error) {
	res := AccountResult{Account: a}
	st, had, err := s.Store.SyncState(ctx, a.ID)
	if err != nil {
		return res, err
	}
	as := &accountSync{s: s, account: a, state: st, had: had,
		progress: Progress{AccountID: a.ID, Account: index, Accounts: total}}
	now := s.now()
	reread := cmp.Or(s.Reread, DefaultReread)

	phase, from := PhaseBackfill, a.Created.Time
	switch {
	case opts.Full || (!had && opts.Since.IsZero()):
	case !opts.Since.IsZero():
		from = opts.Since
	default:
		from = st.To.Add(-reread)
		// A store left alone for long is caught up with the windowed walk;
		// a recent one with a plain read that costs one request when
		// nothing is new.
		if now.Sub(from) <= 2*reread {
			phase = PhaseRecent
		}
	}
	if from.IsZero() || from.After(now) {
		from = now.Add(-cmp.Or(s.RecentWindow, DefaultRecentWindow))
	}

	err = as.walk(ctx, phase, from, now)
	if errors.Is(err, monzo.ErrVerificationRequired) {
		// Monzo refuses history older than 90 days once 5 minutes have
		// passed since the user approved access
		// (docs/api-notes.md#history-window): keep what can still be read.
		recent := now.Add(-cmp.Or(s.RecentWindow, DefaultRecentWindow))
		if from.Before(recent) {
			res.WindowClosed = true
			err = as.walk(ctx, PhaseWindowClosed, recent, now)
		}
	}
	res.Counts, res.State = as.counts, as.state
	if err != nil {
		return res, fmt.Errorf("history: syncing account %s (%s): %w", a.ID, a.Description, err)
	}

	if !a.Closed {
		as.report(PhasePots, from, now, now, 0)
		pots, err := s.Client.Pots.List(ctx, a.ID)
		if err != nil {
			return res, fmt.Errorf("history: listing the pots of account %s: %w", a.ID, err)
		}
		if err := s.Store.SavePots(ctx, a.ID, pots, now); err != nil {
			return res, err
		}
		for _, p := range pots {
			if !p.Deleted {
				res.Pots++
			}
		}
	}
	return res, nil
}

func (as *accountSync) report(phase Phase, from, to, reached time.Time, fetched int) {
	p := as.progress
	p.Phase, p.From, p.To, p.Reached, p.Fetched, p.Counts = phase, from, to, reached, fetched, as.counts
	as.s.report(p)
}

// walk reads the account's transactions created from `from` onwards and
// commits them in batches, each with the sync state it makes true. Rows
// received before a failure are committed too: they are contiguous from
// `from`, so the state they describe holds.
//
// Commits run on a writer goroutine one batch behind the walk, so SQLite
// writes overlap the network instead of pausing it. The writer owns the
// account's state and counts until the walk returns.
func (as *accountSync) walk(ctx context.Context, phase Phase, from, now time.Time) error {
	size := cmp.Or(as.s.BatchSize, DefaultBatchSize)
	w := as.startWriter(ctx, phase, from, now)
	batch := make([]*monzo.Transaction, 0, size)
	var last time.Time // created time of the newest transaction received
	fetched := 0
	send := func(to time.Time) error {
		err := w.send(commitJob{batch: batch, to: to, fetched: fetched})
		batch = make([]*monzo.Transaction, 0, size)
		return err
	}
	handle := func(tx *monzo.Transaction) error {
		batch = append(batch, tx)
		fetched++
		last = tx.Created.Time
		if len(batch) >= size {
			// Transactions created at the same instant as tx but after it
			// in id order may be still to come, so the state claims
			// [from, last) only.
			return send(last)
		}
		return nil
	}
	failed := func(err error) error {
		if len(batch) > 0 && !last.IsZero() {
			// Keep what arrived even if the caller gave up.
			send(last)
		}
		w.close()
		return err
	}
	done := func(to time.Time) error {
		send(to)
		return w.close()
	}
	as.report(phase, from, now, from, 0)

	if phase != PhaseRecent {
		// The library's concurrent windowed walk: windows are fetched in
		// parallel but handed over oldest first, so every batch committed
		// is contiguous from `from`.
		reached := now
		walk := as.s.Client.Transactions.Backfill(ctx, as.account.ID, &monzo.BackfillOptions{
			Since: from, ExpandMerchant: true, Concurrency: as.s.Concurrency, Window: as.s.Window,
			OnProgress: func(p monzo.BackfillProgress) { reached = p.Reached },
		})
		for tx, err := range walk {
			if err == nil {
				err = handle(tx)
			}
			if err != nil {
				return failed(err)
			}
		}
		return done(reached)
	}

	// The recent span: one request when nothing is new. A page shorter
	// than asked for is the end of what exists at this moment; anything
	// created later is inside the next sync's re-read.
	page := monzo.TransactionListOptions{Since: from, Limit: monzo.MaxPageSize, ExpandMerchant: true}
	for {
		txs, err := as.s.Client.Transactions.List(ctx, as.account.ID, &page)
		if err != nil {
			return failed(err)
		}
		for i := range txs {
			if err := handle(&txs[i]); err != nil {
				return failed(err)
			}
		}
		if len(txs) < page.Limit {
			break
		}
		page.Since, page.SinceID = time.Time{}, txs[len(txs)-1].ID
	}
	return done(now)
}

// commitJob is one batch for the writer, with the end of the span it
// completes.
type commitJob struct {
	batch   []*monzo.Transaction
	to      time.Time
	fetched int
}

// writer commits batches in order on its own goroutine.
type writer struct {
	jobs   chan commitJob
	done   chan struct{}
	failed chan struct{} // closed when a commit fails
	err    error         // read after done is closed
}

func (as *accountSync) startWriter(ctx context.Context, phase Phase, from, now time.Time) *writer {
	w := &writer{jobs: make(chan commitJob, 1), done: make(chan struct{}), failed: make(chan struct{})}
	// Commits outlive a cancelled ctx: what was received is kept, and a
	// commit is one short SQLite transaction.
	wctx := context.WithoutCancel(ctx)
	go func() {
		defer close(w.done)
		for j := range w.jobs {
			if w.err != nil {
				continue
			}
			st := mergeSpan(as.state, as.had, from, j.to, as.account.Created.Time)
			st.AccountID = as.account.ID
			st.LastSync = as.s.now()
			c, err := as.s.Store.Commit(wctx, Batch{State: st, Transactions: j.batch})
			if err != nil {
				w.err = err
				close(w.failed)
				continue
			}
			as.state, as.had, as.counts = st, true, as.counts.Add(c)
			as.report(phase, from, now, j.to, j.fetched)
		}
	}()
	return w
}

// send queues a batch; it fails if an earlier commit failed (the writer
// then drops what it is sent).
func (w *writer) send(j commitJob) error {
	select {
	case <-w.failed:
		return w.err
	case w.jobs <- j:
		return nil
	}
}

// close waits for every queued batch to be committed. Call it once, after
// the last send.
func (w *writer) close() error {
	close(w.jobs)
	<-w.done
	return w.err
}

// mergeSpan returns the sync state once [from, to) is stored on top of
// old: the stored span grows when the two touch; a walk that starts after
// the old span ends leaves a gap behind it.
func mergeSpan(old SyncState, had bool, from, to, accountStart time.Time) SyncState {
	walked := SyncState{From: from, To: to, Full: !accountStart.IsZero() && !from.After(accountStart)}
	if !had {
		return walked
	}
	switch {
	case to.Before(old.From):
		// Walking older history that has not reached the stored span
		// yet: the rows are stored, but the span is unchanged until the
		// walk reaches it.
		return old
	case from.After(old.To):
		walked.GapFrom, walked.GapTo = old.To, from
		return walked
	}
	st := old
	if from.Before(old.From) {
		st.From, st.Full = from, walked.Full
	}
	st.Full = st.Full || walked.Full && !from.After(st.From)
	if to.After(old.To) {
		st.To = to
	}
	if st.HasGap() {
		st.GapTo = st.From
		if !st.GapFrom.Before(st.GapTo) || st.Full {
			st.GapFrom, st.GapTo = time.Time{}, time.Time{}
		}
	}
	return st
}
