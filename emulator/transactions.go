package emulator

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Page sizes of GET /transactions (docs/api-notes.md#pagination).
const (
	defaultTransactionLimit = 30
	// maxTransactionLimit is the largest page. A larger limit is clamped to
	// it rather than refused [E]: Monzo documents 100 as the maximum and
	// older reports describe it as a cap on what is returned, and clamping
	// keeps naive clients (limit=1000) working. limit <= 0 or a non-number
	// is 400 bad_request.bad_param.limit.
	maxTransactionLimit = 100
)

// transactionQuery is a parsed GET /transactions query.
type transactionQuery struct {
	accountID string
	limit     int
	// since is the lower bound; sinceTx is set when it came from an id
	// cursor (exclusive), otherwise since is an inclusive time.
	since    time.Time
	hasSince bool
	sinceTx  *transaction
	before   time.Time
	expand   bool
}

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

// handleListTransactions serves GET /transactions: one page of an account's
// transactions, ascending by (created, id).
func (s *Server) handleListTransactions(w http.ResponseWriter, r *http.Request, c caller) {
	entries, expand, apiErr := s.bank.listTransactions(c, r.URL.Query())
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	// Encode with the lock released (views share nothing that changes),
	// into a pooled buffer: a page of 100 is about 200 KB.
	buf := pageBuffers.Get().(*[]byte)
	defer pageBuffers.Put(buf)
	body := append((*buf)[:0], `{"transactions":[`...)
	for i, e := range entries {
		if i > 0 {
			body = append(body, ',')
		}
		if e.view != nil {
			e.json = e.view.encoded(c.ClientID, expand)
		}
		body = append(body, e.json...)
	}
	body = append(body, "]}\n"...)
	*buf = body
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// pageBuffers recycles the buffers GET /transactions encodes pages into.
var pageBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 256<<10); return &b }}

// pageEntry is one transaction of a page: its JSON, already encoded for
// this version and client, or a view to encode once the lock is released.
type pageEntry struct {
	json []byte
	view *txView
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

// handleGetTransaction serves GET /transactions/{id}. It is not subject to
// the history rule (see history.go).
func (s *Server) handleGetTransaction(w http.ResponseWriter, r *http.Request, c caller) {
	view, apiErr := s.bank.transaction(c.UserID, r.PathValue("id"))
	respondTransaction(w, c, view, wantsExpand(r.URL.Query(), "merchant"), apiErr)
}

// respondTransaction answers {"transaction":…} for a view taken by the
// bank, rendered now that its lock is released.
func respondTransaction(w http.ResponseWriter, c caller, view txView, expand bool, apiErr *apiError) {
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"transaction": view.render(c.ClientID, expand)})
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

// metadataUpdate is one metadata[key]=value of a PATCH /transactions/{id}.
type metadataUpdate struct{ key, value string }

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

// handleAnnotateTransaction serves PATCH /transactions/{id}: form-body
// metadata[key]=value pairs, written to the calling client's private
// metadata. An empty value deletes the key; the key "notes" also sets the
// top-level notes. The answer is the transaction, merchant unexpanded.
func (s *Server) handleAnnotateTransaction(w http.ResponseWriter, r *http.Request, c caller) {
	params, apiErr := requestParams(r)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	var updates []metadataUpdate
	for name, values := range params {
		key, ok := strings.CutPrefix(name, "metadata[")
		if !ok {
			continue
		}
		key, ok = strings.CutSuffix(key, "]")
		if !ok || key == "" || strings.ContainsAny(key, "[]") {
			writeAPIError(w, badParam("metadata", "metadata keys are written metadata[key]=value with a non-empty key, got '"+name+"'"))
			return
		}
		updates = append(updates, metadataUpdate{key, values[len(values)-1]})
	}
	if len(updates) == 0 {
		writeAPIError(w, missingParam("metadata"))
		return
	}
	view, apiErr := s.bank.annotateTransaction(c, r.PathValue("id"), updates)
	respondTransaction(w, c, view, false, apiErr)
}
