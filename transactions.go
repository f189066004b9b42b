package monzo

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TransactionsService lists, reads and annotates transactions.
//
// Reading history is subject to Monzo's 5-minute / 90-day rule: for 5 minutes
// after the user approves access in the Monzo app, a client may read every
// transaction; after that only the last 90 days. A query that reaches further
// back fails with [ErrVerificationRequired]. To keep full history, fetch it
// straight after login with [TransactionsService.Backfill] and store it
// (docs/api-notes.md#history-window).
type TransactionsService service

// MaxPageSize is the largest page the API returns for one list call.
const MaxPageSize = 100

// Category is the spending category of a transaction or merchant. Users can
// create their own categories in the app, so any string may appear; the
// constants name the built-in ones.
type Category string

// Built-in categories.
const (
	CategoryGeneral       Category = "general"
	CategoryEatingOut     Category = "eating_out"
	CategoryExpenses      Category = "expenses"
	CategoryTransport     Category = "transport"
	CategoryCash          Category = "cash"
	CategoryBills         Category = "bills"
	CategoryEntertainment Category = "entertainment"
	CategoryShopping      Category = "shopping"
	CategoryHolidays      Category = "holidays"
	CategoryGroceries     Category = "groceries"
	CategoryIncome        Category = "income"
	CategorySavings       Category = "savings"
	CategoryTransfers     Category = "transfers"
	// CategoryMondo is the historical category of top-ups.
	CategoryMondo Category = "mondo"
)

// DeclineReason says why a card payment was declined. It is set only on
// declined transactions; the API adds reasons over time.
type DeclineReason string

// Known decline reasons.
const (
	DeclineInsufficientFunds                    DeclineReason = "INSUFFICIENT_FUNDS"
	DeclineCardInactive                         DeclineReason = "CARD_INACTIVE"
	DeclineCardBlocked                          DeclineReason = "CARD_BLOCKED"
	DeclineInvalidCVC                           DeclineReason = "INVALID_CVC"
	DeclineOther                                DeclineReason = "OTHER"
	DeclineCardClosed                           DeclineReason = "CARD_CLOSED"
	DeclineCardExpired                          DeclineReason = "CARD_EXPIRED"
	DeclineInvalidExpiryDate                    DeclineReason = "INVALID_EXPIRY_DATE"
	DeclineInvalidPIN                           DeclineReason = "INVALID_PIN"
	DeclineSCANotAuthenticatedCardNotPresent    DeclineReason = "SCA_NOT_AUTHENTICATED_CARD_NOT_PRESENT"
	DeclineStrongCustomerAuthenticationRequired DeclineReason = "STRONG_CUSTOMER_AUTHENTICATION_REQUIRED"
)

// Scheme says how a transaction's money moved. Any string may appear; the
// constants name the ones seen in real data.
type Scheme string

// Known schemes.
const (
	SchemeMastercard      Scheme = "mastercard"
	SchemeFasterPayments  Scheme = "payport_faster_payments"
	SchemeP2P             Scheme = "p2p_payment"
	SchemePot             Scheme = "uk_retail_pot"
	SchemeTopUp           Scheme = "topup"
	Scheme3DSecure        Scheme = "3dsecure"
	SchemeBACS            Scheme = "bacs"
	SchemeSEPA            Scheme = "sepa"
	SchemeCHAPS           Scheme = "chaps"
	SchemeAccountInterest Scheme = "account_interest"
	SchemeMonzoFlex       Scheme = "monzo_flex"
)

// Transaction is a movement of money on an account: a card payment (settled,
// pending or declined), a transfer, a top-up or a pot move. Amounts are in
// minor units of Currency; a negative Amount is a debit.
//
// Only the first group of fields is documented by Monzo; the rest appear in
// real responses and may be missing, null or empty. Raw keeps everything.
type Transaction struct {
	ID       string    `json:"id"`
	Amount   int64     `json:"amount"`
	Created  Timestamp `json:"created"`
	Currency string    `json:"currency"`
	// Description is the raw statement text, e.g. "THE DE BEAUVOIR DELI C LONDON GBR".
	Description string `json:"description"`
	// Merchant is a merchant id, the expanded merchant (when listed or read
	// with ExpandMerchant) or nothing.
	Merchant MerchantRef `json:"merchant"`
	// Metadata holds key/value annotations: Monzo's own keys plus those this
	// client set with [TransactionsService.Annotate] (other clients' keys are
	// not visible).
	Metadata map[string]string `json:"metadata"`
	Notes    string            `json:"notes"`
	// IsLoad is true for top-ups only; refunds are credits with IsLoad false.
	IsLoad bool `json:"is_load"`
	// Settled is zero while the transaction is pending (and for declines).
	Settled  Timestamp `json:"settled"`
	Category Category  `json:"category"`
	// DeclineReason is set only on declined transactions.
	DeclineReason DeclineReason `json:"decline_reason,omitempty"`
	// AccountBalance is the balance after the transaction. Monzo removed it
	// from the docs in 2020; it is nil unless the response carried it.
	AccountBalance *int64 `json:"account_balance,omitempty"`

	AccountID string    `json:"account_id"`
	UserID    string    `json:"user_id"`
	Updated   Timestamp `json:"updated"`
	// LocalAmount and LocalCurrency are the amount in the currency of the
	// country where the payment was made.
	LocalAmount   int64  `json:"local_amount"`
	LocalCurrency string `json:"local_currency"`
	// Fees, Labels, International, ATMFeesDetailed and Tab are kept as raw
	// JSON: Monzo has never documented their shape.
	Fees          RawJSON      `json:"fees,omitempty"`
	Labels        RawJSON      `json:"labels,omitempty"`
	Attachments   []Attachment `json:"attachments"`
	International RawJSON      `json:"international,omitempty"`
	// Categories splits the amount across categories (minor units).
	Categories   map[string]int64 `json:"categories"`
	Counterparty Counterparty     `json:"counterparty"`
	Scheme       Scheme           `json:"scheme"`
	DedupeID     string           `json:"dedupe_id"`
	Originator   bool             `json:"originator"`
	// IncludeInSpending is false for transfers that are not spending (pot
	// moves, declines); filter on it when summing spending.
	IncludeInSpending                    bool    `json:"include_in_spending"`
	CanBeExcludedFromBreakdown           bool    `json:"can_be_excluded_from_breakdown"`
	CanBeMadeSubscription                bool    `json:"can_be_made_subscription"`
	CanSplitTheBill                      bool    `json:"can_split_the_bill"`
	CanAddToTab                          bool    `json:"can_add_to_tab"`
	CanMatchTransactionsInCategorization bool    `json:"can_match_transactions_in_categorization"`
	AmountIsPending                      bool    `json:"amount_is_pending"`
	ATMFeesDetailed                      RawJSON `json:"atm_fees_detailed,omitempty"`
	ParentAccountID                      string  `json:"parent_account_id"`
	Tab                                  RawJSON `json:"tab,omitempty"`

	// Raw is the JSON the transaction was decoded from, fields unknown to
	// this package included. In transactions a list call returns, Raw
	// shares one read-only buffer with the rest of the page: copy it before
	// modifying it in place.
	Raw RawJSON `json:"-"`
	// DecodeWarnings lists optional fields (the merchant's included) whose
	// values could not be decoded and were left zero; their JSON is still
	// in Raw. It is nil for a well-formed transaction. A malformed ID,
	// Amount, Currency or Created fails decoding instead.
	DecodeWarnings []DecodeWarning `json:"-"`
}

// UnmarshalJSON decodes the transaction leniently (see DecodeWarnings) and
// keeps a copy of its raw JSON.
func (t *Transaction) UnmarshalJSON(data []byte) error {
	r := jsonReader{buf: append([]byte(nil), data...)}
	*t = Transaction{}
	if err := decodeTransaction(&r, t); err != nil {
		return fmt.Errorf("monzo: decoding transaction: %w", err)
	}
	return r.end()
}

// IsDeclined reports whether the payment was declined.
func (t *Transaction) IsDeclined() bool { return t.DeclineReason != "" }

// IsPending reports whether the transaction has been authorised but not yet
// settled. Declined transactions are never pending.
func (t *Transaction) IsPending() bool { return t.Settled.IsZero() && !t.IsDeclined() }

// Money returns the amount in the account's currency.
func (t *Transaction) Money() Money { return Money{Amount: t.Amount, Currency: t.Currency} }

// LocalMoney returns the amount in the currency the payment was made in.
func (t *Transaction) LocalMoney() Money {
	return Money{Amount: t.LocalAmount, Currency: t.LocalCurrency}
}

// Counterparty is the other side of a bank transfer or Monzo-to-Monzo
// payment. All fields are optional; card payments carry an empty one.
type Counterparty struct {
	Name          string `json:"name,omitempty"`
	PreferredName string `json:"preferred_name,omitempty"`
	AccountNumber string `json:"account_number,omitempty"`
	SortCode      string `json:"sort_code,omitempty"`
	// UserID is a Monzo user ("user_…") or a non-Monzo payee ("anonuser_…").
	UserID                 string `json:"user_id,omitempty"`
	AccountID              string `json:"account_id,omitempty"`
	BeneficiaryAccountType string `json:"beneficiary_account_type,omitempty"`
}

// Attachment is an image attached to a transaction, such as a photo of a
// receipt.
type Attachment struct {
	ID     string `json:"id"`
	UserID string `json:"user_id"`
	// ExternalID is the id of the transaction the attachment belongs to.
	ExternalID string `json:"external_id"`
	// FileURL is where the image lives.
	FileURL string `json:"file_url"`
	// FileType is the image's MIME type, e.g. "image/png".
	FileType string    `json:"file_type"`
	Created  Timestamp `json:"created"`
	// Type and URL appear on attachments inside transactions.
	Type string `json:"type,omitempty"`
	URL  string `json:"url,omitempty"`

	// Raw is the JSON the attachment was decoded from.
	Raw RawJSON `json:"-"`
}

// UnmarshalJSON decodes the attachment and keeps a copy of its raw JSON.
// A value of the wrong type in any field is an error here; inside a
// transaction it becomes one of the transaction's DecodeWarnings.
func (a *Attachment) UnmarshalJSON(data []byte) error {
	r := jsonReader{buf: append([]byte(nil), data...)}
	var warns []DecodeWarning
	*a = Attachment{}
	if err := decodeAttachment(&r, a, &warns, ""); err != nil {
		return fmt.Errorf("monzo: decoding attachment: %w", err)
	}
	if err := r.end(); err != nil {
		return err
	}
	return warningsError("attachment", warns)
}

// TransactionListOptions selects the transactions [TransactionsService.List]
// and [TransactionsService.All] return. Pages run oldest first. A nil
// *TransactionListOptions selects from the start of what the API allows.
type TransactionListOptions struct {
	// Since keeps transactions created at or after this time. Set at most
	// one of Since and SinceID.
	Since time.Time
	// SinceID keeps transactions created after this transaction (a cursor:
	// pass the last id of the previous page).
	SinceID string
	// Before keeps transactions created strictly before this time.
	Before time.Time
	// Limit is the page size, 1 to [MaxPageSize]; 0 means the API's default
	// (30) for List and [MaxPageSize] for All.
	Limit int
	// ExpandMerchant returns each merchant as a full object instead of an id.
	ExpandMerchant bool
}

// query validates the options and builds the list query for accountID.
// o may be nil.
func (o *TransactionListOptions) query(accountID string) (url.Values, error) {
	if err := requireArg("Transactions.List", "account id", accountID); err != nil {
		return nil, err
	}
	if o == nil {
		o = &TransactionListOptions{}
	}
	if !o.Since.IsZero() && o.SinceID != "" {
		return nil, invalidf("set at most one of TransactionListOptions.Since and SinceID")
	}
	for _, err := range []error{checkWritable("TransactionListOptions.Since", o.Since), checkWritable("TransactionListOptions.Before", o.Before)} {
		if err != nil {
			return nil, err
		}
	}
	if o.Limit < 0 || o.Limit > MaxPageSize {
		return nil, invalidf("TransactionListOptions.Limit must be between 1 and %d (or 0 for the default), got %d", MaxPageSize, o.Limit)
	}
	if !o.Since.IsZero() && !o.Before.IsZero() && !o.Since.Before(o.Before) {
		return nil, invalidf("TransactionListOptions.Since (%s) must be before Before (%s)", formatTime(o.Since), formatTime(o.Before))
	}
	q := url.Values{"account_id": {accountID}}
	switch {
	case o.SinceID != "":
		q.Set("since", o.SinceID)
	case !o.Since.IsZero():
		q.Set("since", formatTime(o.Since))
	}
	if !o.Before.IsZero() {
		q.Set("before", formatTime(o.Before))
	}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	if o.ExpandMerchant {
		q.Set("expand[]", "merchant")
	}
	return q, nil
}

// List returns one page of an account's transactions, oldest first. opts
// may be nil. Use [TransactionsService.All] to walk every page, or
// [TransactionsService.Backfill] to fetch long histories concurrently.
//
// Without Since, or with Since more than 90 days ago, List fails with
// [ErrVerificationRequired] once 5 minutes have passed since the user
// approved access.
func (s *TransactionsService) List(ctx context.Context, accountID string, opts *TransactionListOptions) ([]Transaction, error) {
	q, err := opts.query(accountID)
	if err != nil {
		return nil, err
	}
	return s.listPage(ctx, q, nil)
}

// TransactionGetOptions changes how [TransactionsService.Get] answers.
type TransactionGetOptions struct {
	// ExpandMerchant returns the merchant as a full object instead of an id.
	ExpandMerchant bool
}

// Get returns one transaction. opts may be nil.
func (s *TransactionsService) Get(ctx context.Context, id string, opts *TransactionGetOptions) (*Transaction, error) {
	if err := requireArg("Transactions.Get", "transaction id", id); err != nil {
		return nil, err
	}
	var q url.Values
	if opts != nil && opts.ExpandMerchant {
		q = url.Values{"expand[]": {"merchant"}}
	}
	var out transactionResponse
	if err := s.client.do(ctx, request{method: http.MethodGet, path: "transactions/" + escape(id), query: q, idempotent: true}, &out); err != nil {
		return nil, err
	}
	if out.Transaction == nil {
		return nil, fmt.Errorf("monzo: GET /transactions/%s: the response has no transaction", escape(id))
	}
	return out.Transaction, nil
}

// Annotate sets metadata keys on a transaction and returns the updated
// transaction (merchant not expanded). An empty value deletes its key. The
// key "notes" also sets the transaction's Notes, which the Monzo app shows.
// Metadata is private to the calling client: other apps do not see it.
//
// Annotating is idempotent, so it is retried after transient failures.
func (s *TransactionsService) Annotate(ctx context.Context, id string, metadata map[string]string) (*Transaction, error) {
	if err := requireArg("Transactions.Annotate", "transaction id", id); err != nil {
		return nil, err
	}
	if len(metadata) == 0 {
		return nil, invalidf("Transactions.Annotate: at least one metadata key is needed (an empty value deletes a key)")
	}
	form := url.Values{}
	for k, v := range metadata {
		if k == "" || strings.ContainsAny(k, "[]") {
			return nil, invalidf("Transactions.Annotate: metadata key %q must be non-empty and free of '[' and ']'", k)
		}
		form.Set("metadata["+k+"]", v)
	}
	var out transactionResponse
	if err := s.client.do(ctx, request{method: http.MethodPatch, path: "transactions/" + escape(id), form: form, idempotent: true}, &out); err != nil {
		return nil, err
	}
	if out.Transaction == nil {
		return nil, fmt.Errorf("monzo: PATCH /transactions/%s: the response has no transaction", escape(id))
	}
	return out.Transaction, nil
}
