package emulator

import (
	"net/http"
)

// Pots (docs/api-notes.md#pots, #pot-transfers).
//
// Rules, beyond what the reference documents ([E] choices are marked):
//
//   - GET /pots needs current_account_id (400
//     bad_request.missing_param.current_account_id otherwise) naming an
//     account the caller owns (404 not_found.account otherwise). Deleted
//     pots are listed with "deleted": true, as the real API does.
//   - PUT /pots/{id}/deposit and /withdraw read their arguments from the
//     form body only; arguments in the query string are ignored, so such a
//     request fails as it does on the real API.
//   - amount is checked first: missing, ≤ 0, or not an amount as amount.go
//     defines it (plain digits: no spaces, sign, leading zeros, fraction,
//     exponent or base prefix [E]) gives 400 bad_request.bad_param.amount
//     ("must be greater than 0, …"). A missing amount is refused the same
//     way, which is what makes a query-string request answer
//     bad_param.amount, as observed (pymonzo issue #41).
//   - Then source_account_id / destination_account_id and dedupe_id are
//     required (400 bad_request.missing_param.<name>).
//   - [E] An unknown pot, or a pot of an account the caller does not own,
//     is 404 not_found.pot. A pot of another account than the one named is
//     400 bad_request.bad_param.<source|destination>_account_id. A deleted
//     pot is 400 bad_request.pot_deleted.
//   - Replaying a dedupe_id already used for the same pot and operation
//     moves nothing and answers the pot as it is now. The dedupe id is kept
//     as the dedupe_id of the transaction the first request created, so the
//     rule needs no extra state and Reset clears it.
//   - [E] Withdrawing from a locked pot ("added security") is 403
//     forbidden.pot_locked.
//   - [E] A deposit larger than the account's balance, or a withdrawal
//     larger than the pot's balance, is 400 bad_request.insufficient_funds.
//   - A move updates the pot's balance and updated time, and creates a
//     settled transaction on the account through addTransactionLocked (so
//     webhooks fire and the account balance, total_balance and
//     balance_including_flexible_savings follow): scheme uk_retail_pot,
//     category savings, include_in_spending false, the pot's name as
//     description, metadata.pot_id; negative for a deposit, positive for a
//     withdrawal.
//   - Both answer the bare pot object.

// handleListPots serves GET /pots?current_account_id=.
func (s *Server) handleListPots(w http.ResponseWriter, r *http.Request, c caller) {
	id, apiErr := accountParam(r, "current_account_id")
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	pots, apiErr := s.bank.listPots(c.UserID, id)
	respond(w, map[string]any{"pots": pots}, apiErr)
}

// potOp is one direction of a pot transfer.
type potOp struct {
	// accountParam names the account argument.
	accountParam string
	// idKey is the metadata key of the transfer id; its presence tells a
	// transaction's direction.
	idKey, idPrefix string
	// deposit moves money from the account into the pot.
	deposit bool
}

func (s *Server) handlePotDeposit(w http.ResponseWriter, r *http.Request, c caller) {
	s.handlePotMove(w, r, c, potOp{accountParam: "source_account_id",
		idKey: "pot_deposit_id", idPrefix: "potdep", deposit: true})
}

func (s *Server) handlePotWithdraw(w http.ResponseWriter, r *http.Request, c caller) {
	s.handlePotMove(w, r, c, potOp{accountParam: "destination_account_id",
		idKey: "pot_withdrawal_id", idPrefix: "potwdr"})
}

// handlePotMove serves PUT /pots/{id}/deposit and /withdraw.
func (s *Server) handlePotMove(w http.ResponseWriter, r *http.Request, c caller, op potOp) {
	form, apiErr := requestParams(r)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	amount, apiErr := parsePositiveAmount("amount", form.Get("amount"))
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	if apiErr := requireParams(form, op.accountParam, "dedupe_id"); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	p, apiErr := s.bank.movePot(c, r.PathValue("id"), form.Get(op.accountParam), amount, form.Get("dedupe_id"), op)
	respond(w, p, apiErr)
}

// potMoveKey identifies a transfer for dedupe: the same dedupe_id on the
// same pot in the same direction is the same transfer.
type potMoveKey struct {
	PotID    string
	Deposit  bool
	DedupeID string
}
