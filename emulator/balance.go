package emulator

import (
	"net/http"
	"time"
)

func (s *Server) registerBalanceRoutes(r *router) {
	r.Handle("GET /balance", s.requireApproved(s.handleBalance))
}

// balanceJSON is the bare balance object (reference §4.2, with the [O]
// extras).
type balanceJSON struct {
	Balance                         int64            `json:"balance"`
	TotalBalance                    int64            `json:"total_balance"`
	BalanceIncludingFlexibleSavings int64            `json:"balance_including_flexible_savings"`
	Currency                        string           `json:"currency"`
	SpendToday                      int64            `json:"spend_today"`
	LocalCurrency                   string           `json:"local_currency"`
	LocalExchangeRate               float64          `json:"local_exchange_rate"`
	LocalSpend                      []localSpendJSON `json:"local_spend"`
}

type localSpendJSON struct {
	SpendToday int64  `json:"spend_today"`
	Currency   string `json:"currency"`
}

// balanceLocked computes an account's balance object at now:
//
//   - balance: the stored available balance (pending included);
//   - total_balance: balance plus the account's non-deleted pots;
//   - balance_including_flexible_savings: balance plus its non-deleted
//     flexible_savings pots;
//   - spend_today: the (negative) sum of today's debits that count in
//     spending, settled or pending, the day starting 04:00 Europe/London.
//
// Call with s.mu held.
func (s *Server) balanceLocked(a *account, now time.Time) balanceJSON {
	b := balanceJSON{Balance: a.Balance, TotalBalance: a.Balance, BalanceIncludingFlexibleSavings: a.Balance,
		Currency: a.Currency, LocalSpend: []localSpendJSON{}}
	for _, p := range s.potsOfAccountLocked(a.ID) {
		if p.Deleted {
			continue
		}
		b.TotalBalance += p.Balance
		if p.Type == potTypeFlexibleSavings {
			b.BalanceIncludingFlexibleSavings += p.Balance
		}
	}
	dayStart := spendDayStart(now, s.loc)
	for i := len(a.Transactions) - 1; i >= 0; i-- {
		tx := a.Transactions[i]
		if tx.Created.Before(dayStart) {
			break
		}
		if tx.countsInSpending() && !tx.Created.After(now) {
			b.SpendToday += tx.Amount
		}
	}
	return b
}

// handleBalance serves GET /balance?account_id=.
func (s *Server) handleBalance(w http.ResponseWriter, r *http.Request, c caller) {
	q, _ := requestParams(r)
	id := q.Get("account_id")
	if id == "" {
		writeAPIError(w, missingParam("account_id"))
		return
	}
	s.mu.Lock()
	a, apiErr := s.accountForUser(c.UserID, id)
	var b balanceJSON
	if apiErr == nil {
		b = s.balanceLocked(a, s.now())
	}
	s.unlock()
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	writeJSON(w, http.StatusOK, b)
}
