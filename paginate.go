package monzo

import (
	"context"
	"errors"
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
			if err := advance(q, txs[len(txs)-1].ID); err != nil {
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

// advance moves the query's cursor past last, the id of a page's last
// transaction, refusing a cursor that does not move: a server that ignored
// it would make the walk loop forever.
func advance(q url.Values, last string) error {
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

// listRawPage fetches one page of transactions for a validated query, like
// listPage, but unless now is set keeps it as the bytes that arrived
// (checked, counted and with its last id read) for decoding later: a
// concurrent walk holds pages fetched ahead in this form, at about a third
// of their decoded size. A page wanted at once is decoded on arrival, by
// the worker that fetched it, as listPage does.
func (s *TransactionsService) listRawPage(ctx context.Context, q url.Values, th *throttle, now bool) (*rawTransactionPage, error) {
	out := &rawTransactionPage{sizeHint: pageLimit(q), decodeNow: now}
	if err := s.client.do(ctx, request{method: http.MethodGet, path: "transactions", query: q, idempotent: true, throttle: th}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// rawTransactionPage is a body of GET /transactions, decoded on arrival
// or later.
type rawTransactionPage struct {
	data []byte
	// count and lastID are the number of transactions and the last one's
	// id, which a walk needs to go on before the page is decoded.
	count    int
	lastID   string
	sizeHint int
	// decodeNow asks for the page decoded on arrival into decoded.
	decodeNow bool
	decoded   []Transaction
}

// decodeOwned checks the page's syntax and reads its count and last id,
// or with decodeNow decodes it. Otherwise the page is decoded in full only
// on failure, so that the error is the one decoding gives; decode can then
// fail only on a value of the wrong type in a field a transaction cannot
// do without.
func (p *rawTransactionPage) decodeOwned(data []byte) error {
	p.data, p.count, p.lastID, p.decoded = data, 0, "", nil
	if p.decodeNow {
		page := transactionPage{sizeHint: p.sizeHint}
		if err := page.decodeOwned(data); err != nil {
			return err
		}
		p.decoded, p.count = page.Transactions, len(page.Transactions)
		if p.count > 0 {
			p.lastID = p.decoded[p.count-1].ID
		}
		return nil
	}
	var id []byte
	err := readTransactionList(data, func(bool) { p.count = 0 }, func(r *jsonReader, i int) error {
		p.count, id = i+1, nil
		if r.peek() != '{' {
			return errNeedsDecoding
		}
		return r.members(transactionKeys[:1], func(key []byte) (bool, error) {
			if string(key) != "id" {
				return false, nil
			}
			if r.peek() != '"' {
				return true, errNeedsDecoding
			}
			s, clean, err := r.stringBytes()
			if !clean {
				return true, errNeedsDecoding
			}
			id = s
			return true, err
		})
	})
	if err != nil {
		var full transactionPage
		if derr := full.decodeOwned(data); derr != nil {
			return derr
		}
		// Valid after all (an escaped id, say): take what decoding read.
		p.count = len(full.Transactions)
		if p.count > 0 {
			p.lastID = full.Transactions[p.count-1].ID
		}
		return nil
	}
	if p.count > 0 {
		p.lastID = string(id)
	}
	return nil
}

// errNeedsDecoding stops a page's quick reading where only a full decode
// can tell what the value means.
var errNeedsDecoding = errors.New("needs a full decode")

// decode decodes the page, unless it was on arrival; its transactions' raw
// JSON points into it. The error reads as the client's own for a page
// decoded on arrival.
func (p *rawTransactionPage) decode() ([]Transaction, error) {
	if p.decoded != nil {
		return p.decoded, nil
	}
	page := transactionPage{sizeHint: p.sizeHint}
	if err := page.decodeOwned(p.data); err != nil {
		req := request{method: http.MethodGet, path: "transactions"}
		return nil, fmt.Errorf("monzo: decoding the %s response: %w (body starts %q)", req, err, excerpt(p.data))
	}
	return page.Transactions, nil
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
