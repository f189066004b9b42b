package emulator

import (
	"net/http"
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

// metadataUpdate is one metadata[key]=value of a PATCH /transactions/{id}.
type metadataUpdate struct{ key, value string }

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
