package emulator

import (
	"errors"
	"fmt"
)

// Transaction kinds accepted by POST /_emulator/transactions.
const (
	InjectCardPaymentKind      = "card_payment"
	InjectFasterPaymentInKind  = "faster_payment_in"
	InjectFasterPaymentOutKind = "faster_payment_out"
)

// CardPayment describes a card payment for [Server.InjectCardPayment].
type CardPayment struct {
	// AccountID is the account charged. Required.
	AccountID string `json:"account_id"`
	// Amount is the amount spent, in minor units of the account's currency;
	// it must be positive (the transaction's amount is its negation).
	Amount int64 `json:"amount"`
	// MerchantID names an existing merchant. Otherwise MerchantName picks
	// the merchant with that name, creating it if there is none. One of the
	// two is required.
	MerchantID   string `json:"merchant_id,omitempty"`
	MerchantName string `json:"merchant_name,omitempty"`
	// Category defaults to the merchant's.
	Category string `json:"category,omitempty"`
	// Pending leaves the payment unsettled (settled: "").
	Pending bool `json:"pending,omitempty"`
	// DeclineReason declines the payment (e.g. "INSUFFICIENT_FUNDS"): it
	// is recorded and fires webhooks but moves no money. A payment the
	// account cannot afford is declined with INSUFFICIENT_FUNDS anyway.
	DeclineReason string `json:"decline_reason,omitempty"`
	// LocalAmount and LocalCurrency describe a payment abroad (LocalAmount
	// positive, like Amount); by default they equal Amount and the account's
	// currency.
	LocalAmount   int64  `json:"local_amount,omitempty"`
	LocalCurrency string `json:"local_currency,omitempty"`
}

// FasterPayment describes a bank transfer for [Server.InjectFasterPaymentIn]
// and [Server.InjectFasterPaymentOut].
type FasterPayment struct {
	// AccountID is the Monzo account paid into or from. Required.
	AccountID string `json:"account_id"`
	// Amount is positive, in minor units; an outgoing payment debits it.
	Amount int64 `json:"amount"`
	// CounterpartyName is the other side's name. Required.
	CounterpartyName string `json:"counterparty_name"`
	// CounterpartySortCode ("040004") and CounterpartyAccountNumber
	// ("12345678") identify the other side's account.
	CounterpartySortCode      string `json:"counterparty_sort_code,omitempty"`
	CounterpartyAccountNumber string `json:"counterparty_account_number,omitempty"`
	// Reference is the payment reference; it becomes the "notes" metadata.
	Reference string `json:"reference,omitempty"`
	// Category defaults to "income" for incoming and "transfers" for
	// outgoing payments.
	Category string `json:"category,omitempty"`
}

// ErrInject wraps every error of the Inject methods: the request was
// invalid (unknown account, bad amount, …).
var ErrInject = errors.New("emulator: cannot inject the transaction")

func injectError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInject, fmt.Sprintf(format, args...))
}

// InjectCardPayment creates a card payment at the clock's now, moving the
// balance (unless declined) and firing transaction.created webhooks. It
// returns the new transaction's id.
func (s *Server) InjectCardPayment(p CardPayment) (string, error) {
	tx, err := s.bank.injectCardPayment(p)
	return txID(tx), err
}

// InjectFasterPaymentIn creates an incoming Faster Payment at the clock's
// now, crediting the account and firing transaction.created webhooks.
func (s *Server) InjectFasterPaymentIn(p FasterPayment) (string, error) {
	tx, err := s.bank.injectFasterPayment(p, true)
	return txID(tx), err
}

// InjectFasterPaymentOut creates an outgoing Faster Payment at the clock's
// now, debiting the account and firing transaction.created webhooks. It
// fails if the account cannot afford it (bank transfers are refused, not
// declined).
func (s *Server) InjectFasterPaymentOut(p FasterPayment) (string, error) {
	tx, err := s.bank.injectFasterPayment(p, false)
	return txID(tx), err
}

func txID(tx *transactionJSON) string {
	if tx == nil {
		return ""
	}
	return tx.ID
}

func firstOwner(a *account) string {
	if len(a.OwnerIDs) == 0 {
		return ""
	}
	return a.OwnerIDs[0]
}

// SettleTransaction settles a pending card payment at the clock's now, as
// the card network does a day or two after the payment: settled and
// updated are set and the amount is no longer pending. Local history's
// re-read picks such changes up, so its tests need a way to make them.
func (s *Server) SettleTransaction(id string) error { return s.bank.SettleTransaction(id) }
