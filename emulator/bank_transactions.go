package emulator

import (
	"fmt"
	"maps"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// parseTransactionQueryLocked validates the list arguments. Call with s.mu
// held (an id cursor is looked up).
func (b *bank) parseTransactionQueryLocked(userID string, q url.Values) (transactionQuery, *apiError) {
	out := transactionQuery{accountID: q.Get("account_id"), limit: defaultTransactionLimit}
	if out.accountID == "" {
		return out, missingParam("account_id")
	}
	if _, apiErr := b.accountForUser(userID, out.accountID); apiErr != nil {
		return out, apiErr
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return out, badParam("limit", "limit must be a whole number from 1 to 100, got '"+v+"'")
		}
		out.limit = min(n, maxTransactionLimit)
	}
	if v := q.Get("since"); v != "" {
		out.hasSince = true
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			out.since = t
		} else {
			tx := b.transactions[v]
			if tx == nil || tx.AccountID != out.accountID {
				if strings.HasPrefix(v, "tx_") {
					return out, badParam("since", "since '"+v+"' is not a transaction of account '"+out.accountID+"'")
				}
				return out, badParam("since", "since must be an RFC 3339 time (e.g. 2009-11-10T23:00:00Z) or a transaction id, got '"+v+"'")
			}
			out.since, out.sinceTx = tx.Created, tx
		}
	}
	if v := q.Get("before"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return out, badParam("before", "before must be an RFC 3339 time (e.g. 2009-11-10T23:00:00Z), got '"+v+"'")
		}
		out.before = t
	}
	out.expand = wantsExpand(q, "merchant")
	return out, nil
}

// listTransactions returns one page of the account named in q for the
// caller: encodings cached for the current versions, views of the rest to
// encode outside the lock, and whether merchants are expanded.
func (b *bank) listTransactions(c caller, q url.Values) ([]pageEntry, bool, *apiError) {
	b.mu.Lock()
	defer b.unlock()
	return b.listTransactionsLocked(c, q)
}

// listTransactionsLocked answers one list query of caller c with views of
// the page's transactions (rendered by the caller after unlocking) and
// whether merchants are expanded. Call with b.mu held.
func (b *bank) listTransactionsLocked(c caller, q url.Values) ([]pageEntry, bool, *apiError) {
	query, apiErr := b.parseTransactionQueryLocked(c.UserID, q)
	if apiErr != nil {
		return nil, false, apiErr
	}
	a := b.accounts[query.accountID]
	if apiErr := b.checkHistoryLocked(c, query.since, query.hasSince); apiErr != nil {
		return nil, false, apiErr
	}
	// The ledger is sorted by (created, id): find the first transaction
	// after the cursor (exclusive) or at/after the since time (inclusive).
	ledger := a.Transactions
	start := 0
	switch {
	case query.sinceTx != nil:
		start = sort.Search(len(ledger), func(i int) bool { return txLess(query.sinceTx, ledger[i]) })
	case query.hasSince:
		start = sort.Search(len(ledger), func(i int) bool { return !ledger[i].Created.Before(query.since) })
	}
	page := make([]pageEntry, 0, min(query.limit, len(ledger)-start))
	for _, tx := range ledger[start:] {
		if len(page) == query.limit || (!query.before.IsZero() && !tx.Created.Before(query.before)) {
			break
		}
		if enc := tx.cachedJSON(c.ClientID, query.expand); enc != nil {
			page = append(page, pageEntry{json: enc})
			continue
		}
		v := b.viewLocked(tx)
		page = append(page, pageEntry{view: &v})
	}
	return page, query.expand, nil
}

// transactionForUserLocked returns the transaction if it belongs to one of
// userID's accounts, or the 404 not_found.transaction used for unknown and
// foreign ids alike. Call with b.mu held.
func (b *bank) transactionForUserLocked(userID, id string) (*transaction, *apiError) {
	tx := b.transactions[id]
	if tx != nil {
		if a := b.accounts[tx.AccountID]; a != nil && a.ownedBy(userID) {
			return tx, nil
		}
	}
	return nil, notFound("transaction", "Transaction not found", map[string]string{"transaction_id": id})
}

// transaction snapshots userID's transaction id.
func (b *bank) transaction(userID, id string) (txView, *apiError) {
	return locked(b, func() (txView, *apiError) {
		tx, apiErr := b.transactionForUserLocked(userID, id)
		if apiErr != nil {
			return txView{}, apiErr
		}
		return b.viewLocked(tx), nil
	})
}

// annotateTransaction applies the caller's metadata updates to its
// transaction id and snapshots the result.
func (b *bank) annotateTransaction(c caller, id string, updates []metadataUpdate) (txView, *apiError) {
	return locked(b, func() (txView, *apiError) {
		tx, apiErr := b.transactionForUserLocked(c.UserID, id)
		if apiErr != nil {
			return txView{}, apiErr
		}
		for _, u := range updates {
			b.setClientMetadataLocked(tx, c.ClientID, u.key, u.value)
		}
		return b.viewLocked(tx), nil
	})
}

// updateTransactionLocked is the one way to change a stored transaction:
// it runs change on tx and then drops tx's cached encodings, so that no
// change can be served stale from the per-version JSON cache. change must
// replace, not modify, the maps and slices it changes (copy on write):
// views taken earlier keep the ones they saw. Call with b.mu held.
func (b *bank) updateTransactionLocked(tx *transaction, change func(*transaction)) {
	change(tx)
	tx.changed()
}

// viewLocked snapshots tx. Call with b.mu held.
func (b *bank) viewLocked(tx *transaction) txView {
	if tx.enc == nil {
		tx.enc = new(txEncoding)
	}
	v := txView{tx: *tx}
	if tx.MerchantID != "" {
		v.merchant = b.merchants[tx.MerchantID]
	}
	return v
}

// renderTransactionLocked is viewLocked(tx).render(…), for callers that
// hold the lock anyway. Call with b.mu held.
func (b *bank) renderTransactionLocked(tx *transaction, clientID string, expandMerchant bool) transactionJSON {
	return b.viewLocked(tx).render(clientID, expandMerchant)
}

// setClientMetadataLocked applies one PATCH metadata[key]=value written by
// clientID: an empty value deletes the key, and the special key "notes" also
// sets the transaction's top-level notes (which, like in the app, every
// client sees). Call with b.mu held.
func (b *bank) setClientMetadataLocked(tx *transaction, clientID, key, value string) {
	b.updateTransactionLocked(tx, func(tx *transaction) {
		tx.Updated = msTime(b.clock.Now())
		if key == "notes" {
			tx.Notes = value
		}
		// Copy on write: views taken earlier keep the maps they saw.
		md := maps.Clone(tx.ClientMetadata[clientID])
		if md == nil {
			md = map[string]string{}
		}
		if value == "" {
			delete(md, key)
		} else {
			md[key] = value
		}
		all := maps.Clone(tx.ClientMetadata)
		if all == nil {
			all = map[string]map[string]string{}
		}
		if len(md) == 0 {
			delete(all, clientID)
		} else {
			all[clientID] = md
		}
		if len(all) == 0 {
			all = nil
		}
		tx.ClientMetadata = all
	})
}

// SettleTransaction is the operation behind [Server.SettleTransaction].
func (b *bank) SettleTransaction(id string) error {
	b.mu.Lock()
	defer b.unlock()
	tx := b.transactions[id]
	switch {
	case tx == nil:
		return fmt.Errorf("emulator: no transaction %q", id)
	case tx.declined():
		return fmt.Errorf("emulator: transaction %s was declined; declined payments never settle", id)
	case !tx.pending():
		return fmt.Errorf("emulator: transaction %s is already settled", id)
	}
	now := b.now()
	b.updateTransactionLocked(tx, func(tx *transaction) {
		tx.Settled, tx.Updated, tx.AmountIsPending = now, now, false
	})
	return nil
}
