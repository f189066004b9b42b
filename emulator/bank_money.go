package emulator

import (
	"fmt"
	"math"
	"net/http"
)

// Money sums. Every sum of minor units in the emulator goes through
// addMoney, so a huge injected payment or pot move is refused instead of
// wrapping a balance around to MinInt64. The invariant kept
// by every write is that each figure GET /balance reports (balance,
// total_balance, balance_including_flexible_savings, spend_today and every
// local_spend) fits in an int64; checkMoveLocked is the one place that
// enforces it before a transaction changes an account.

// addMoney returns a+b and whether the sum fits in an int64.
func addMoney(a, b int64) (int64, bool) {
	if (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b) {
		return 0, false
	}
	return a + b, true
}

// errMoneyOverflow is the 400 for a move that would take a sum of money
// outside what an int64 of minor units can hold.
func errMoneyOverflow(what string, amount int64) *apiError {
	return newAPIError(http.StatusBadRequest, "bad_request.bad_param.amount",
		fmt.Sprintf("The amount %d would take %s beyond the largest representable sum of minor units (±%d): use a smaller amount",
			amount, what, int64(math.MaxInt64)),
		map[string]string{"amount": fmt.Sprint(amount)})
}

// checkMoveLocked reports whether adding tx to account a keeps every figure
// of a's balance within int64 at now, or the 400 to answer. Call with s.mu
// held.
func (b *bank) checkMoveLocked(a *account, tx *transaction) *apiError {
	if tx.declined() {
		return nil // declined payments move no money
	}
	bal, apiErr := b.balanceLocked(a, b.now())
	if apiErr != nil {
		return apiErr
	}
	for _, f := range []struct {
		what string
		sum  int64
	}{
		{"the account's balance", bal.Balance},
		{"the account's total balance", bal.TotalBalance},
		{"the account's balance including flexible savings", bal.BalanceIncludingFlexibleSavings},
	} {
		if _, ok := addMoney(f.sum, tx.Amount); !ok {
			return errMoneyOverflow(f.what, tx.Amount)
		}
	}
	if tx.countsInSpending() {
		if _, ok := addMoney(bal.SpendToday, tx.Amount); !ok {
			return errMoneyOverflow("today's spending", tx.Amount)
		}
		for _, ls := range bal.LocalSpend {
			if ls.Currency == tx.LocalCurrency {
				if _, ok := addMoney(ls.SpendToday, tx.LocalAmount); !ok {
					return errMoneyOverflow("today's spending in "+ls.Currency, tx.LocalAmount)
				}
			}
		}
	}
	return nil
}
