package monzo

import (
	"context"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// pagesPerWorker bounds memory: the pages fetched ahead of the window being
// handed over are at most this many per worker. They wait undecoded, at
// about 170 kB for 100 transactions with merchants, so four keep a default
// walk under about 6 MB while workers rarely wait; fewer slow a walk over
// a slow network (BenchmarkBackfillLatency).
const pagesPerWorker = 4

// headQueue bounds how many pages of the window being handed over may wait
// for a slow consumer.
const headQueue = 2

// window is one disjoint slice [since, before) of a backfill.
type window struct {
	index int
	since time.Time
	// sinceID, on a resumed walk's first window, is the cursor to start
	// after instead of since.
	sinceID string
	// before is zero for an open last window (a walk up to now).
	before time.Time
	// closed windows end in the past: nothing can still be created in them.
	closed bool

	// Guarded by walk.mu.
	pages []*rawTransactionPage
	done  bool
	err   error
}

// walk is one run of a concurrent windowed backfill: workers claim windows
// in order and fetch their pages; the consumer (the goroutine ranging over
// Backfill) hands pages over strictly in window order. Workers ahead of the
// window being handed over stop when the shared page budget is full; the
// worker of that window never does, so the walk cannot deadlock.
type walk struct {
	s          *TransactionsService
	accountID  string
	pageSize   int
	expand     bool
	workers    int
	budget     int
	onProgress func(BackfillProgress)
	since, end time.Time
	windows    []*window
	progress   BackfillProgress

	throttle throttle
	// largestPage is the most transactions one page of this walk held: the
	// server does not cap pages below that, so a smaller page is the end
	// of its query.
	largestPage atomic.Int64

	mu       sync.Mutex
	cond     sync.Cond
	head     int // index of the window being handed over
	next     int // index of the next window to claim
	failed   int // index of the first failed window (len(windows) if none)
	buffered int // pages waiting, in all windows
	stopped  bool
}

// run fetches the windows and yields their transactions in order.
func (w *walk) run(ctx context.Context, yield func(*Transaction, error) bool) {
	w.cond.L = &w.mu
	w.failed = len(w.windows)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for range min(w.workers, len(w.windows)) {
		wg.Go(func() { w.work(ctx) })
	}
	defer func() {
		w.mu.Lock()
		w.stopped = true
		w.cond.Broadcast()
		w.mu.Unlock()
		cancel()
		wg.Wait()
	}()

	p := &w.progress
	for _, win := range w.windows {
		p.Reached = later(p.Reached, win.since)
		for {
			raw, more, err := w.take(win)
			var page []Transaction
			if raw != nil {
				// Pages that waited their turn are decoded here, one at a
				// time, so that they stay small while they wait.
				page, err = raw.decode()
			}
			for i := range page {
				tx := &page[i]
				if !yield(tx, nil) {
					return
				}
				p.Fetched++
				p.LastID = tx.ID
				p.Reached = later(p.Reached, tx.Created.Time)
			}
			if err != nil {
				yield(nil, &BackfillIncompleteError{BackfillProgress: *p, Err: err, since: w.since})
				return
			}
			if !more {
				break
			}
		}
		if win.before.IsZero() {
			p.Reached = later(p.Reached, w.end)
		} else {
			p.Reached = later(p.Reached, win.before)
		}
		w.mu.Lock()
		w.head++
		w.cond.Broadcast()
		w.mu.Unlock()
		if w.onProgress != nil {
			w.onProgress(*p)
		}
	}
	p.Reached = later(p.Reached, w.end)
	if len(w.windows) == 0 && w.onProgress != nil {
		w.onProgress(*p)
	}
}

// take waits for the next page of win. It returns the page (possibly nil),
// whether more may come, and the window's error once its pages are drained.
func (w *walk) take(win *window) (page *rawTransactionPage, more bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(win.pages) == 0 && !win.done {
		w.cond.Wait()
	}
	if len(win.pages) > 0 {
		page = win.pages[0]
		win.pages[0] = nil
		win.pages = win.pages[1:]
		w.buffered--
		w.cond.Broadcast()
		return page, true, nil
	}
	return nil, false, win.err
}

// work claims windows in order and fetches them until none are left.
func (w *walk) work(ctx context.Context) {
	for {
		w.mu.Lock()
		if w.stopped || w.next >= len(w.windows) || w.next > w.failed {
			w.mu.Unlock()
			return
		}
		win := w.windows[w.next]
		w.next++
		w.mu.Unlock()
		w.fetch(ctx, win)
	}
}

// fetch pages through one window. A window normally ends on an empty page:
// a server that caps pages below the limit asked for must not end it early
// (docs/api-notes.md, "Pagination"). A closed window also ends on a page
// smaller than the largest this walk has seen, because the server has then
// shown it would have sent more if there were more; this saves one request
// per window without trusting the limit.
func (w *walk) fetch(ctx context.Context, win *window) {
	q := url.Values{"account_id": {w.accountID}, "limit": {strconv.Itoa(w.pageSize)}}
	if win.sinceID != "" {
		q.Set("since", win.sinceID)
	} else {
		q.Set("since", formatTime(win.since))
	}
	if !win.before.IsZero() {
		q.Set("before", formatTime(win.before))
	}
	if w.expand {
		q.Set("expand[]", "merchant")
	}
	for {
		page, err := w.s.listRawPage(ctx, q, &w.throttle, w.wantedNow(win))
		if err != nil {
			w.finish(win, err)
			return
		}
		n := page.count
		if n == 0 {
			w.finish(win, nil)
			return
		}
		largest := w.largestPage.Load()
		for n > int(largest) && !w.largestPage.CompareAndSwap(largest, int64(n)) {
			largest = w.largestPage.Load()
		}
		// The cursor must move before the page is handed over, so a
		// server that ignored it never gets a page yielded twice.
		if err := advance(q, page.lastID); err != nil {
			w.finish(win, err)
			return
		}
		if !w.deliver(win, page) {
			return
		}
		if win.closed && n < int(largest) {
			w.finish(win, nil)
			return
		}
	}
}

// wantedNow reports whether win's next page is wanted soon: win is being
// handed over, so at most headQueue of its pages wait. The worker then
// decodes the page, in parallel with the consumer, instead of leaving it
// to the consumer as for pages of later windows, which may wait long.
func (w *walk) wantedNow(win *window) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return win.index == w.head
}

// deliver queues a page of win, waiting while too many pages are queued.
// It reports false when the walk has stopped.
func (w *walk) deliver(win *window, page *rawTransactionPage) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for !w.stopped && ((win.index == w.head && len(win.pages) >= headQueue) || (win.index != w.head && w.buffered >= w.budget)) {
		w.cond.Wait()
	}
	if w.stopped {
		return false
	}
	win.pages = append(win.pages, page)
	w.buffered++
	w.cond.Broadcast()
	return true
}

// finish marks win as fully fetched, or failed with err.
func (w *walk) finish(win *window, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	win.done, win.err = true, err
	if err != nil && win.index < w.failed {
		w.failed = win.index
	}
	w.cond.Broadcast()
}
