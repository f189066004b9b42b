package monzo

import (
	"context"
	"fmt"
	"iter"
	"time"
)

// All walks every transaction opts selects, oldest first, fetching pages of
// opts.Limit (default [MaxPageSize]) and moving the cursor to the last id of
// each page until an empty page. opts.Since or opts.SinceID sets
// where the walk starts and opts.Before, when set, bounds every page.
//
// A failure is yielded once, with a nil transaction, and ends the walk.
// Breaking out of the loop stops fetching.
//
//	for tx, err := range client.Transactions.All(ctx, monzo.TransactionListOptions{AccountID: id}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(tx.ID, tx.Money())
//	}
func (s *TransactionsService) All(ctx context.Context, opts TransactionListOptions) iter.Seq2[*Transaction, error] {
	return func(yield func(*Transaction, error) bool) {
		page := opts
		if page.Limit == 0 {
			page.Limit = MaxPageSize
		}
		for {
			txs, err := s.List(ctx, page)
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range txs {
				if !yield(&txs[i], nil) {
					return
				}
			}
			// Stop on an empty page, not a short one: a server that caps
			// pages below the limit asked for must not end the walk early.
			if len(txs) == 0 {
				return
			}
			last := txs[len(txs)-1].ID
			if last == "" || last == page.SinceID {
				// A server that ignored the cursor would loop forever.
				yield(nil, fmt.Errorf("monzo: listing transactions: the cursor did not advance past %q; stopping", last))
				return
			}
			page.Since, page.SinceID = time.Time{}, last
		}
	}
}
