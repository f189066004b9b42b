package emulator

import (
	"fmt"
	"net/http"
	"strconv"
)

// listPots renders the pots of userID's account accountID, deleted ones
// included.
func (b *bank) listPots(userID, accountID string) ([]potJSON, *apiError) {
	return locked(b, func() ([]potJSON, *apiError) {
		a, apiErr := b.accountForUser(userID, accountID)
		if apiErr != nil {
			return nil, apiErr
		}
		out := []potJSON{}
		for _, p := range b.potsOfAccountLocked(a.ID) {
			out = append(out, p.render())
		}
		return out, nil
	})
}

// movePot applies one deposit or withdrawal, once per dedupe id, and
// returns the pot as it then stands.
func (b *bank) movePot(c caller, potID, accountID string, amount int64, dedupeID string, op potOp) (potJSON, *apiError) {
	return locked(b, func() (potJSON, *apiError) {
		return b.movePotLocked(c, potID, accountID, amount, dedupeID, op)
	})
}

// movePotLocked applies one deposit or withdrawal. Call with b.mu held.
func (b *bank) movePotLocked(c caller, potID, accountID string, amount int64, dedupeID string, op potOp) (potJSON, *apiError) {
	p := b.pots[potID]
	if p == nil || b.accounts[p.CurrentAccountID] == nil || !b.accounts[p.CurrentAccountID].ownedBy(c.UserID) {
		return potJSON{}, notFound("pot", "Pot not found", map[string]string{"pot_id": potID})
	}
	a, apiErr := b.accountForUser(c.UserID, accountID)
	if apiErr != nil {
		return potJSON{}, apiErr
	}
	if p.CurrentAccountID != a.ID {
		return potJSON{}, badParam(op.accountParam,
			fmt.Sprintf("Pot %s belongs to account %s, not %s: name the pot's own current account", p.ID, p.CurrentAccountID, a.ID))
	}
	if p.Deleted {
		return potJSON{}, newAPIError(http.StatusBadRequest, "bad_request.pot_deleted",
			fmt.Sprintf("Pot %s has been deleted: money cannot be moved in or out of it", p.ID), map[string]string{"pot_id": p.ID})
	}
	if b.potMoveDoneLocked(p, op, dedupeID) {
		return p.render(), nil
	}
	params := map[string]string{"pot_id": p.ID, "account_id": a.ID, "amount": strconv.FormatInt(amount, 10)}
	if op.deposit {
		if a.Balance < amount {
			return potJSON{}, newAPIError(http.StatusBadRequest, "bad_request.insufficient_funds",
				fmt.Sprintf("The account's balance (%d) is less than the amount to deposit (%d)", a.Balance, amount), params)
		}
	} else {
		if p.Locked {
			return potJSON{}, newAPIError(http.StatusForbidden, "forbidden.pot_locked",
				"This pot has added security: withdraw from it in the Monzo app", map[string]string{"pot_id": p.ID})
		}
		if p.Balance < amount {
			return potJSON{}, newAPIError(http.StatusBadRequest, "bad_request.insufficient_funds",
				fmt.Sprintf("The pot's balance (%d) is less than the amount to withdraw (%d)", p.Balance, amount), params)
		}
		if _, ok := addMoney(a.Balance, amount); !ok {
			return potJSON{}, errMoneyOverflow("the account's balance", amount)
		}
		if p.Type != potTypeFlexibleSavings {
			// Money leaving a pot that balance_including_flexible_savings
			// does not count raises that figure.
			bal, apiErr := b.balanceLocked(a, b.now())
			if apiErr != nil {
				return potJSON{}, apiErr
			}
			if _, ok := addMoney(bal.BalanceIncludingFlexibleSavings, amount); !ok {
				return potJSON{}, errMoneyOverflow("the account's balance including flexible savings", amount)
			}
		}
	}
	if op.deposit {
		if _, ok := addMoney(p.Balance, amount); !ok {
			return potJSON{}, errMoneyOverflow("the pot's balance", amount)
		}
	}
	now := b.now()
	txAmount := amount
	if op.deposit {
		txAmount = -amount
	}
	tx := &transaction{
		AccountID:   a.ID,
		UserID:      c.UserID,
		Amount:      txAmount,
		Created:     now,
		Settled:     now,
		Description: p.Name,
		Category:    "savings",
		Scheme:      schemePot,
		DedupeID:    dedupeID,
		Originator:  true,
		Metadata: map[string]string{
			"pot_id":              p.ID,
			"pot_account_id":      a.ID,
			"trigger":             "user",
			"user_id":             c.UserID,
			op.idKey:              b.newID(op.idPrefix, now),
			"ledger_insertion_id": b.newID("entryset", now),
		},
	}
	p.Balance -= txAmount
	p.Updated = now
	b.addTransactionLocked(tx)
	b.potMoves[potMoveKey{p.ID, op.deposit, dedupeID}] = struct{}{}
	return p.render(), nil
}

// potMoveDoneLocked reports whether a transfer with dedupeID was already
// made for pot p in direction op: an index lookup, not a scan of the
// ledger. Call with b.mu held.
func (b *bank) potMoveDoneLocked(p *pot, op potOp, dedupeID string) bool {
	_, done := b.potMoves[potMoveKey{p.ID, op.deposit, dedupeID}]
	return done
}

// potsOfAccountLocked lists the pots of an account (deleted ones included,
// as the real API does) in creation order.
func (b *bank) potsOfAccountLocked(accountID string) []*pot {
	var out []*pot
	for _, id := range b.potOrder {
		if p := b.pots[id]; p.CurrentAccountID == accountID {
			out = append(out, p)
		}
	}
	return out
}
