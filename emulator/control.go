package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The control plane: every /_emulator/ handler is in this file (the routes
// are in routes.go). JSON in and out, no bearer token, never rate limited
// or faulted. Each handler is a thin wrapper over a Go method on *Server,
// so tests in Go and tools over HTTP control the emulator the same way.

// ErrNoFakeClock is returned when the clock is moved on a server that runs
// on the real clock.
var ErrNoFakeClock = errors.New("emulator: the server uses the real clock; start it with a FakeClock (Options.Clock, or --fake-clock) to move time")

// SetClock moves a FakeClock to t; it returns ErrNoFakeClock otherwise.
func (s *Server) SetClock(t time.Time) error {
	fc, ok := s.clock.(*FakeClock)
	if !ok {
		return ErrNoFakeClock
	}
	fc.Set(t)
	return nil
}

// AdvanceClock moves a FakeClock forward by d; it returns ErrNoFakeClock
// otherwise.
func (s *Server) AdvanceClock(d time.Duration) error {
	fc, ok := s.clock.(*FakeClock)
	if !ok {
		return ErrNoFakeClock
	}
	fc.Advance(d)
	return nil
}

// decodeControlBody decodes an optional JSON body into v. An empty body is
// fine; unknown fields are not.
func decodeControlBody(r *http.Request, v any) *apiError {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return newAPIError(http.StatusBadRequest, "bad_request.bad_body", "Invalid JSON body: "+err.Error(), nil)
	}
	return nil
}

// seedFromRequest reads the body of POST /_emulator/reset and
// /_emulator/seed: SeedData as JSON ({"seed":7,"history_days":800,
// "transactions":100000}, every field optional), or ?seed=N.
func (s *Server) seedFromRequest(r *http.Request) (SeedData, *apiError) {
	var req SeedData
	if apiErr := decodeControlBody(r, &req); apiErr != nil {
		return req, apiErr
	}
	if v := r.URL.Query().Get("seed"); v != "" && req.Seed == 0 {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return req, badParam("seed", "seed must be an integer")
		}
		req.Seed = n
	}
	if err := req.validate(); err != nil {
		return req, badParam("seed", err.Error())
	}
	return req, nil
}

func (s *Server) health() map[string]any {
	_, fake := s.clock.(*FakeClock)
	d := s.SeedData()
	return map[string]any{"status": "ok", "seed": d.Seed, "history_days": d.HistoryDays, "transactions": d.Transactions,
		"now": formatTime(s.clock.Now()), "fake_clock": fake}
}

// GET /_emulator/health → {"status":"ok","seed":1,"now":"…","fake_clock":true}
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.health())
}

// POST /_emulator/reset [{"seed":N,"history_days":D,"transactions":T}] →
// health. Back to a fresh server (see Reset), with new data options if
// given.
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	s.serveDataChange(w, r, s.resetTo)
}

// POST /_emulator/seed [{"seed":N,"history_days":D,"transactions":T}] →
// health. Regenerates bank data only (see Reseed).
func (s *Server) handleSeed(w http.ResponseWriter, r *http.Request) {
	s.serveDataChange(w, r, s.Reseed)
}

// serveDataChange reads the data options of a reset or reseed, applies
// them with change, and answers the health that results.
func (s *Server) serveDataChange(w http.ResponseWriter, r *http.Request, change func(SeedData) error) {
	d, apiErr := s.seedFromRequest(r)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	if err := change(d); err != nil {
		writeAPIError(w, badParam("seed", err.Error()))
		return
	}
	writeJSON(w, http.StatusOK, s.health())
}

// POST /_emulator/approve [{"client_id":…,"user_id":…}] (or the same as
// query parameters) → {"approved":[Grant…]}. No ids approves all pending.
func (s *Server) handleApprove(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ClientID string `json:"client_id"`
		UserID   string `json:"user_id"`
	}
	if apiErr := decodeControlBody(r, &req); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	q := r.URL.Query()
	if req.ClientID == "" {
		req.ClientID = q.Get("client_id")
	}
	if req.UserID == "" {
		req.UserID = q.Get("user_id")
	}
	writeJSON(w, http.StatusOK, map[string]any{"approved": s.Approve(req.ClientID, req.UserID)})
}

// GET /_emulator/grants → {"grants":[Grant…]}
func (s *Server) handleGrants(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"grants": s.Grants()})
}

// GET /_emulator/clock → {"now":"…","fake":bool}
func (s *Server) handleGetClock(w http.ResponseWriter, r *http.Request) {
	_, fake := s.clock.(*FakeClock)
	writeJSON(w, http.StatusOK, map[string]any{"now": formatTime(s.clock.Now()), "fake": fake})
}

// POST /_emulator/clock {"advance":"5m"} or {"set":"2026-01-02T15:04:05Z"}
// → {"now":"…","fake":true}; 409 if the server runs on the real clock.
func (s *Server) handleSetClock(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Advance string `json:"advance"`
		Set     string `json:"set"`
	}
	if apiErr := decodeControlBody(r, &req); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	if _, ok := s.clock.(*FakeClock); !ok {
		writeError(w, http.StatusConflict, "conflict.real_clock", ErrNoFakeClock.Error(), nil)
		return
	}
	switch {
	case req.Advance != "" && req.Set != "":
		writeAPIError(w, badParam("clock", "Give either advance or set, not both"))
		return
	case req.Advance != "":
		d, err := time.ParseDuration(req.Advance)
		if err != nil {
			writeAPIError(w, badParam("advance", "advance must be a Go duration such as \"5m\" or \"-1h30m\""))
			return
		}
		_ = s.AdvanceClock(d)
	case req.Set != "":
		t, err := time.Parse(time.RFC3339Nano, req.Set)
		if err != nil {
			writeAPIError(w, badParam("set", "set must be an RFC 3339 time such as \"2026-01-02T15:04:05Z\""))
			return
		}
		_ = s.SetClock(t)
	default:
		writeAPIError(w, missingParam("advance"))
		return
	}
	s.handleGetClock(w, r)
}

// GET /_emulator/clients → {"clients":[Client…]} (secrets included).
func (s *Server) handleListClients(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"clients": s.Clients()})
}

// POST /_emulator/clients {"name":…,"redirect_uri":…,"confidential":bool}
// → 201 {"client":Client}
func (s *Server) handleRegisterClient(w http.ResponseWriter, r *http.Request) {
	var req ClientOptions
	if apiErr := decodeControlBody(r, &req); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	c, err := s.RegisterClient(req)
	if err != nil {
		writeAPIError(w, badParam("redirect_uri", err.Error()))
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"client": c})
}

// GET /_emulator/state/users → {"users":[UserSummary…]}
func (s *Server) handleStateUsers(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"users": s.Users()})
}

// injectRequest is the body of POST /_emulator/transactions: a kind plus
// the fields of CardPayment or FasterPayment.
type injectRequest struct {
	Kind string `json:"kind"`
	CardPayment
	// The amounts are read by amount.go's rule, as the API's are; these
	// fields hide CardPayment's.
	Amount                    json.RawMessage `json:"amount"`
	LocalAmount               json.RawMessage `json:"local_amount,omitempty"`
	CounterpartyName          string          `json:"counterparty_name,omitempty"`
	CounterpartySortCode      string          `json:"counterparty_sort_code,omitempty"`
	CounterpartyAccountNumber string          `json:"counterparty_account_number,omitempty"`
	Reference                 string          `json:"reference,omitempty"`
}

// POST /_emulator/transactions {"kind":"card_payment"|"faster_payment_in"|
// "faster_payment_out", "account_id":…, "amount":450, …} → 201
// {"transaction":{…}} (merchant expanded). See CardPayment and
// FasterPayment for the fields of each kind.
func (s *Server) handleInjectTransaction(w http.ResponseWriter, r *http.Request) {
	var req injectRequest
	if apiErr := decodeControlBody(r, &req); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	var apiErr *apiError
	if req.CardPayment.Amount, _, apiErr = parseJSONAmount("amount", req.Amount, parseAmount); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	if req.CardPayment.LocalAmount, _, apiErr = parseJSONAmount("local_amount", req.LocalAmount, parseAmount); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	fps := FasterPayment{AccountID: req.AccountID, Amount: req.CardPayment.Amount, CounterpartyName: req.CounterpartyName,
		CounterpartySortCode: req.CounterpartySortCode, CounterpartyAccountNumber: req.CounterpartyAccountNumber,
		Reference: req.Reference, Category: req.Category}
	var tx *transactionJSON
	var err error
	switch req.Kind {
	case InjectCardPaymentKind:
		tx, err = s.bank.injectCardPayment(req.CardPayment)
	case InjectFasterPaymentInKind:
		tx, err = s.bank.injectFasterPayment(fps, true)
	case InjectFasterPaymentOutKind:
		tx, err = s.bank.injectFasterPayment(fps, false)
	case "":
		writeAPIError(w, missingParam("kind"))
		return
	default:
		writeAPIError(w, badParam("kind", fmt.Sprintf("kind must be %q, %q or %q", InjectCardPaymentKind, InjectFasterPaymentInKind, InjectFasterPaymentOutKind)))
		return
	}
	if err != nil {
		writeAPIError(w, badParam("transaction", strings.TrimPrefix(err.Error(), ErrInject.Error()+": ")))
		return
	}
	body, _ := json.Marshal(tx)
	writeJSON(w, http.StatusCreated, map[string]json.RawMessage{"transaction": body})
}

// GET /_emulator/webhooks → {"webhooks":[Webhook…]}
func (s *Server) handleControlWebhooks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": s.Webhooks()})
}

// GET /_emulator/webhooks/deliveries[?min=N[&timeout=10s]] →
// {"deliveries":[WebhookDelivery…]}. With min, waits (up to timeout,
// default 10s, at most 1m) for at least N attempts, answering 504
// timeout.deliveries when they do not come.
func (s *Server) handleControlDeliveries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	n := 0
	if v := q.Get("min"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 0 {
			writeAPIError(w, badParam("min", "min must be a non-negative integer"))
			return
		}
	}
	wait := 10 * time.Second
	if v := q.Get("timeout"); v != "" {
		var err error
		if wait, err = time.ParseDuration(v); err != nil || wait < 0 || wait > maxDeliveriesWait {
			writeAPIError(w, badParam("timeout", "timeout must be a Go duration between 0s and 1m, such as \"5s\""))
			return
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), wait)
	defer cancel()
	got, err := s.WaitDeliveries(ctx, n)
	if err != nil {
		writeError(w, http.StatusGatewayTimeout, "timeout.deliveries",
			fmt.Sprintf("Waited %s for %d webhook delivery attempts; %d so far", wait, n, len(got)),
			map[string]string{"min": strconv.Itoa(n), "count": strconv.Itoa(len(got))})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": got})
}

// handleControlFeed serves GET /_emulator/feed?account_id= (optional):
// {"feed_items":[…]}.
func (s *Server) handleControlFeed(w http.ResponseWriter, r *http.Request) {
	items := s.FeedItems(r.URL.Query().Get("account_id"))
	type itemJSON struct {
		FeedItemRecord
		Created string `json:"created"`
	}
	out := make([]itemJSON, 0, len(items))
	for _, item := range items {
		out = append(out, itemJSON{FeedItemRecord: item, Created: formatTime(item.Created)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"feed_items": out})
}

// handleControlUploads serves GET /_emulator/uploads:
// {"upload_requests":[…]}.
func (s *Server) handleControlUploads(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"upload_requests": s.UploadRequests()})
}

// handleAddFault serves POST /_emulator/faults: one fault as JSON, e.g.
// {"latency_ms":100} (every API request 100 ms slower),
// {"path":"/transactions","status":503,"probability":0.1} or
// {"method":"PUT","path":"/pots/{id}/deposit","kind":"reset","after_handling":true}.
func (s *Server) handleAddFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if apiErr := decodeControlBody(r, &f); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	if err := s.InjectFault(f); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request.bad_param.fault", err.Error(), nil)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

// handleClearFaults serves DELETE /_emulator/faults.
func (s *Server) handleClearFaults(w http.ResponseWriter, _ *http.Request) {
	s.ClearFaults()
	writeJSON(w, http.StatusOK, map[string]any{})
}

// handleListFaults serves GET /_emulator/faults →
// {"faults":[…],"served":N,"seed":S}.
func (s *Server) handleListFaults(w http.ResponseWriter, _ *http.Request) {
	list, served, seed := s.faultStatus()
	writeJSON(w, http.StatusOK, map[string]any{"faults": list, "served": served, "seed": seed})
}
