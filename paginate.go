package monzo

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// All walks every transaction opts selects, oldest first, fetching pages of
// opts.Limit (default [MaxPageSize]) and moving the cursor to the last id of
// each page until an empty page. opts may be nil; opts.Since or
// opts.SinceID sets where the walk starts and opts.Before, when set, bounds
// every page.
//
// A failure is yielded once, with a nil transaction, and ends the walk.
// Breaking out of the loop stops fetching. [TransactionsService.Backfill]
// yields the same way, over many windows fetched concurrently.
//
//	for tx, err := range client.Transactions.All(ctx, accountID, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(tx.ID, tx.Money())
//	}
func (s *TransactionsService) All(ctx context.Context, accountID string, opts *TransactionListOptions) iter.Seq2[*Transaction, error] {
	return func(yield func(*Transaction, error) bool) {
		page := TransactionListOptions{}
		if opts != nil {
			page = *opts
		}
		if page.Limit == 0 {
			page.Limit = MaxPageSize
		}
		q, err := page.query(accountID)
		if err != nil {
			yield(nil, err)
			return
		}
		for {
			txs, err := s.listPage(ctx, q, nil)
			if err != nil {
				yield(nil, err)
				return
			}
			// Stop on an empty page, not a short one: a server that caps
			// pages below the limit asked for must not end the walk early
			// (docs/api-notes.md, "Pagination").
			if len(txs) == 0 {
				return
			}
			// Check the cursor moves before handing the page over, so a
			// server that ignored it never gets a page yielded twice.
			if err := advance(q, txs); err != nil {
				yield(nil, err)
				return
			}
			for i := range txs {
				if !yield(&txs[i], nil) {
					return
				}
			}
		}
	}
}

// advance moves the query's cursor past the last transaction of page,
// refusing a cursor that does not move: a server that ignored it would
// make the walk loop forever.
func advance(q url.Values, page []Transaction) error {
	last := page[len(page)-1].ID
	if last == "" || last == q.Get("since") {
		return fmt.Errorf("monzo: listing transactions: the cursor did not advance past %q; stopping", last)
	}
	q.Set("since", last)
	return nil
}

// listPage fetches one page of transactions for a validated query. A
// non-nil throttle makes the request wait out, and report, rate limiting
// shared with other workers of the same walk.
func (s *TransactionsService) listPage(ctx context.Context, q url.Values, th *throttle) ([]Transaction, error) {
	out := transactionPage{sizeHint: pageLimit(q)}
	if err := s.client.do(ctx, request{method: http.MethodGet, path: "transactions", query: q, idempotent: true, throttle: th}, &out); err != nil {
		return nil, err
	}
	return out.Transactions, nil
}

// transactionPage is the body of GET /transactions.
type transactionPage struct {
	Transactions []Transaction `json:"transactions"`
	// sizeHint is the page size asked for, to allocate the list once.
	sizeHint int
}

// pageLimit returns the limit a validated query asks for.
func pageLimit(q url.Values) int {
	n, _ := strconv.Atoi(q.Get("limit"))
	return n
}
