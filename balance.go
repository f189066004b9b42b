package monzo

import (
	"context"
	"net/http"
	"net/url"
)

// BalanceService reads account balances.
type BalanceService service

// Balance is an account's balance. All amounts are in minor units of Currency.
type Balance struct {
	// Balance is the available balance, pending transactions included.
	Balance int64 `json:"balance"`
	// TotalBalance is Balance plus the balance of every pot.
	TotalBalance int64 `json:"total_balance"`
	// BalanceIncludingFlexibleSavings is Balance plus flexible-savings pots.
	BalanceIncludingFlexibleSavings int64  `json:"balance_including_flexible_savings"`
	Currency                        string `json:"currency"`
	// SpendToday is what was spent today, the day starting at about 04:00.
	SpendToday int64 `json:"spend_today"`
	// LocalCurrency, LocalExchangeRate and LocalSpend describe spending
	// abroad; they are "", 0 and empty at home.
	LocalCurrency     string       `json:"local_currency"`
	LocalExchangeRate float64      `json:"local_exchange_rate"`
	LocalSpend        []LocalSpend `json:"local_spend"`

	// Raw is the JSON the balance was decoded from.
	Raw RawJSON `json:"-"`
}

// UnmarshalJSON decodes the balance and keeps its raw JSON.
func (b *Balance) UnmarshalJSON(data []byte) error {
	type plain Balance
	return decodeKeepingRaw(data, (*plain)(b), &b.Raw)
}

// LocalSpend is what was spent today in one foreign currency.
type LocalSpend struct {
	SpendToday int64  `json:"spend_today"`
	Currency   string `json:"currency"`
}

// Money returns the available balance as [Money].
func (b *Balance) Money() Money { return Money{Amount: b.Balance, Currency: b.Currency} }

// Get returns the balance of an account.
func (s *BalanceService) Get(ctx context.Context, accountID string) (*Balance, error) {
	if err := requireArg("Balance.Get", "account id", accountID); err != nil {
		return nil, err
	}
	var b Balance
	req := request{method: http.MethodGet, path: "balance", query: url.Values{"account_id": {accountID}}, idempotent: true}
	if err := s.client.do(ctx, req, &b); err != nil {
		return nil, err
	}
	return &b, nil
}
