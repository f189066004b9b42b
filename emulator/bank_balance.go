package emulator

import (
	"math"
	"net/http"
	"time"
)

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
// Call with b.mu held.
func (b *bank) balanceLocked(a *account, now time.Time) (balanceJSON, *apiError) {
	bal := balanceJSON{Balance: a.Balance, TotalBalance: a.Balance, BalanceIncludingFlexibleSavings: a.Balance,
		Currency: a.Currency, LocalSpend: []localSpendJSON{}}
	ok := true
	add := func(sum *int64, v int64) {
		var fits bool
		*sum, fits = addMoney(*sum, v)
		ok = ok && fits
	}
	for _, p := range b.potsOfAccountLocked(a.ID) {
		if p.Deleted {
			continue
		}
		add(&bal.TotalBalance, p.Balance)
		if p.Type == potTypeFlexibleSavings {
			add(&bal.BalanceIncludingFlexibleSavings, p.Balance)
		}
	}
	day := a.spendTodayLocked(spendDayStart(now, b.loc), now)
	add(&bal.SpendToday, day.spend)
	ok = ok && day.ok
	bal.LocalSpend = append(bal.LocalSpend, day.local...)
	if tx := day.latestForeign; tx != nil {
		bal.LocalCurrency = tx.LocalCurrency
		if tx.Amount != 0 {
			bal.LocalExchangeRate = math.Round(float64(tx.LocalAmount)/float64(tx.Amount)*1e4) / 1e4
		}
	}
	if !ok {
		return balanceJSON{}, newAPIError(http.StatusInternalServerError, "internal_service.balance_overflow",
			"The account's balance does not fit in 64 bits (this is a bug in the emulator: writes should have been refused)", nil)
	}
	return bal, nil
}

// balance computes the balance of userID's account accountID now.
func (b *bank) balance(userID, accountID string) (balanceJSON, *apiError) {
	return locked(b, func() (balanceJSON, *apiError) {
		a, apiErr := b.accountForUser(userID, accountID)
		if apiErr != nil {
			return balanceJSON{}, apiErr
		}
		return b.balanceLocked(a, b.now())
	})
}
