package history

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/monzokit/monzo"
)

// Record is a stored transaction as exports and reports read it: the
// columns a store indexes, names joined in from accounts, merchants and
// pots, and the raw JSON the API sent.
type Record struct {
	ID        string
	AccountID string
	// AccountName is the account's description as the API sent it (a
	// personal account's is its owner's user id; monzo.Account.DisplayName
	// names it for people); AccountType is its type.
	AccountName string
	AccountType monzo.AccountType
	Created     time.Time
	// Settled is zero while the transaction is pending, and for declines.
	Settled time.Time
	// Amount is in minor units of Currency; negative is money out.
	Amount   int64
	Currency string
	// LocalAmount and LocalCurrency are the amount where it was spent.
	LocalAmount   int64
	LocalCurrency string
	Category      monzo.Category
	MerchantID    string
	MerchantName  string
	// Counterparty is the other side's name for bank transfers.
	Counterparty  string
	Description   string
	Notes         string
	DeclineReason monzo.DeclineReason
	Scheme        monzo.Scheme
	// IncludeInSpending is false for pot moves and other transfers.
	IncludeInSpending bool
	// PotID and PotName are set on pot transfers.
	PotID, PotName string
	Raw            json.RawMessage
}

// Transaction decodes the raw JSON into the library's transaction type,
// with every field the API sent (merchant expanded when it was synced so).
func (r *Record) Transaction() (*monzo.Transaction, error) {
	var tx monzo.Transaction
	if err := json.Unmarshal(r.Raw, &tx); err != nil {
		return nil, fmt.Errorf("history: stored transaction %s does not decode: %w", r.ID, err)
	}
	return &tx, nil
}

// IsDeclined reports whether the payment was declined (no money moved).
func (r *Record) IsDeclined() bool { return r.DeclineReason != "" }

// IsPending reports whether the transaction has not settled yet.
func (r *Record) IsPending() bool { return r.Settled.IsZero() && !r.IsDeclined() }

// IsPotTransfer reports whether the transaction moved money to or from a
// pot.
func (r *Record) IsPotTransfer() bool { return r.PotID != "" }

// Payee is the best name for the other side: the merchant, else the
// counterparty, else the pot, else the statement text.
func (r *Record) Payee() string {
	switch {
	case r.MerchantName != "":
		return r.MerchantName
	case r.Counterparty != "":
		return r.Counterparty
	case r.PotName != "":
		return r.PotName
	}
	return r.Description
}

// Status is "declined", "pending" or "settled".
func (r *Record) Status() string {
	switch {
	case r.IsDeclined():
		return "declined"
	case r.IsPending():
		return "pending"
	}
	return "settled"
}

// Money returns the amount in the account's currency.
func (r *Record) Money() monzo.Money { return monzo.Money{Amount: r.Amount, Currency: r.Currency} }

// IsForeign reports whether the payment was made in another currency.
func (r *Record) IsForeign() bool {
	return r.LocalCurrency != "" && r.LocalCurrency != r.Currency
}

// Pot is a stored pot.
type Pot struct {
	ID, AccountID, Name, Currency string
	// Balance is the balance at the last sync, in minor units.
	Balance int64
	Deleted bool
}

// PotSnapshot is a pot's balance as one sync saw it.
type PotSnapshot struct {
	PotID, PotName string
	Taken          time.Time
	Balance        int64
	Currency       string
}
