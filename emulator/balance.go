package emulator

import (
	"math"
	"net/http"
	"slices"
	"time"
)

// balanceJSON is the bare balance object (docs/api-notes.md#balance, with the [O]
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
//     spending, settled or pending, the day starting 04:00 Europe/London;
//   - local_spend: for each foreign currency spent in today, the (negative)
//     sum of those debits' local amounts, in order of first use [E];
//     local_currency and local_exchange_rate: the currency of today's
//     latest foreign debit and its rate (local units per account unit,
//     rounded to 4 places) [E]. With no foreign spend today they are ""
//     and 0, and local_spend is [], as on the real API (docs/api-notes.md#balance).
//
// Every sum is overflow-checked (money.go); the writes keep them in range,
// so an overflow here is the emulator's bug and answers 500.
// Call with s.mu held.
func (s *Server) balanceLocked(a *account, now time.Time) (balanceJSON, *apiError) {
	b := balanceJSON{Balance: a.Balance, TotalBalance: a.Balance, BalanceIncludingFlexibleSavings: a.Balance,
		Currency: a.Currency, LocalSpend: []localSpendJSON{}}
	ok := true
	add := func(sum *int64, v int64) {
		var fits bool
		*sum, fits = addMoney(*sum, v)
		ok = ok && fits
	}
	for _, p := range s.potsOfAccountLocked(a.ID) {
		if p.Deleted {
			continue
		}
		add(&b.TotalBalance, p.Balance)
		if p.Type == potTypeFlexibleSavings {
			add(&b.BalanceIncludingFlexibleSavings, p.Balance)
		}
	}
	dayStart := spendDayStart(now, s.loc)
	var latestForeign *transaction
	// Walk today's transactions oldest first, so local_spend lists
	// currencies in order of first use.
	first := len(a.Transactions)
	for first > 0 && !a.Transactions[first-1].Created.Before(dayStart) {
		first--
	}
	for _, tx := range a.Transactions[first:] {
		if !tx.countsInSpending() || tx.Created.After(now) {
			continue
		}
		add(&b.SpendToday, tx.Amount)
		if tx.LocalCurrency == "" || tx.LocalCurrency == a.Currency {
			continue
		}
		latestForeign = tx
		i := slices.IndexFunc(b.LocalSpend, func(ls localSpendJSON) bool { return ls.Currency == tx.LocalCurrency })
		if i < 0 {
			b.LocalSpend = append(b.LocalSpend, localSpendJSON{Currency: tx.LocalCurrency})
			i = len(b.LocalSpend) - 1
		}
		add(&b.LocalSpend[i].SpendToday, tx.LocalAmount)
	}
	if latestForeign != nil {
		b.LocalCurrency = latestForeign.LocalCurrency
		if latestForeign.Amount != 0 {
			b.LocalExchangeRate = math.Round(float64(latestForeign.LocalAmount)/float64(latestForeign.Amount)*1e4) / 1e4
		}
	}
	if !ok {
		return balanceJSON{}, newAPIError(http.StatusInternalServerError, "internal_service.balance_overflow",
			"The account's balance does not fit in 64 bits (this is a bug in the emulator: writes should have been refused)", nil)
	}
	return b, nil
}

// handleBalance serves GET /balance?account_id=.
func (s *Server) handleBalance(w http.ResponseWriter, r *http.Request, c caller) {
	s.respondForAccount(w, r, c, "account_id", func(a *account) (any, *apiError) {
		return s.balanceLocked(a, s.now())
	})
}
