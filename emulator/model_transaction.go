package emulator

import (
	"maps"
	"sync/atomic"
	"time"
)

// Transaction schemes seen in real data (open enum).
const (
	schemeMastercard      = "mastercard"
	schemeFasterPayments  = "payport_faster_payments"
	schemeP2P             = "p2p_payment"
	schemePot             = "uk_retail_pot"
	schemeTopup           = "topup"
	schemeBacs            = "bacs"
	schemeAccountInterest = "account_interest"
	// scheme3DSecure marks the 3-D Secure check of an online card payment:
	// a row of its own, moving no money, just before the card
	// authorisation it approved.
	scheme3DSecure = "3dsecure"
)

// transaction is one ledger entry, with every field of docs/api-notes.md#transactions.
//
// Nullable fields (Categories, Labels, Attachments, International,
// ATMFeesDetailed, Tab, and MerchantID == "") render as JSON null when nil,
// as in real data. Metadata is split: Metadata is visible to every client
// (seeded card/FPS keys, pot ids …) while ClientMetadata holds what each
// OAuth client wrote with PATCH /transactions/{id}, visible only to it.
type transaction struct {
	ID            string
	AccountID     string
	UserID        string // may be ""
	Amount        int64  // minor units; negative is a debit
	Currency      string
	LocalAmount   int64
	LocalCurrency string
	Created       time.Time
	Updated       time.Time
	Settled       time.Time // zero while pending: renders ""
	Description   string
	MerchantID    string // "" renders merchant: null
	Category      string
	Categories    map[string]int64
	Scheme        string
	Notes         string
	IsLoad        bool
	// DeclineReason is set only on declined transactions, which never move
	// money.
	DeclineReason string
	Counterparty  counterparty
	Fees          map[string]any
	Labels        []string
	Attachments   []*attachment
	International map[string]any
	// ATMFeesDetailed and Tab are null in all seeded data.
	ATMFeesDetailed map[string]any
	Tab             map[string]any
	DedupeID        string
	ParentAccountID string

	Originator                           bool
	IncludeInSpending                    bool
	CanBeExcludedFromBreakdown           bool
	CanBeMadeSubscription                bool
	CanSplitTheBill                      bool
	CanAddToTab                          bool
	CanMatchTransactionsInCategorization bool
	AmountIsPending                      bool

	// Metadata is shared metadata, visible to every client.
	Metadata map[string]string
	// ClientMetadata maps an OAuth client id to the metadata that client
	// wrote. It overlays Metadata when rendered for that client only.
	ClientMetadata map[string]map[string]string

	// seq orders transactions stored in the same millisecond (txLess).
	seq uint64

	// enc caches this version's JSON (txView.encoded). Every change to a
	// stored transaction calls changed, which drops it: views taken
	// before keep the cache that matches them.
	enc *txEncoding
}

// txEncoding holds one version of a transaction encoded as JSON, without
// and with the merchant expanded, as seen by clients with no private
// metadata on it. It is filled outside the lock, hence the atomics.
type txEncoding struct {
	byExpand [2]atomic.Pointer[[]byte]
}

// changed records that a stored transaction changed, dropping its cached
// encodings. Only updateTransactionLocked calls it: every change to a
// stored transaction goes through there.
func (tx *transaction) changed() { tx.enc = nil }

// declined reports whether the transaction was declined (and so moved no
// money).
func (tx *transaction) declined() bool { return tx.DeclineReason != "" }

// pending reports whether the transaction has not settled yet.
func (tx *transaction) pending() bool { return tx.Settled.IsZero() }

// countsInSpending reports whether tx counts towards spend_today.
func (tx *transaction) countsInSpending() bool {
	return tx.Amount < 0 && tx.IncludeInSpending && !tx.declined()
}

// counterparty is the other side of a bank transfer or p2p payment. All
// fields are optional; an empty counterparty renders as {}.
type counterparty struct {
	AccountID              string `json:"account_id,omitempty"`
	AccountNumber          string `json:"account_number,omitempty"`
	BeneficiaryAccountType string `json:"beneficiary_account_type,omitempty"`
	Name                   string `json:"name,omitempty"`
	PreferredName          string `json:"preferred_name,omitempty"`
	SortCode               string `json:"sort_code,omitempty"`
	UserID                 string `json:"user_id,omitempty"`
}

// attachment is an image attached to a transaction (docs/api-notes.md#attachments).
type attachment struct {
	ID         string
	UserID     string
	ExternalID string // the transaction id
	FileURL    string
	FileType   string
	Created    time.Time
}

// attachmentJSON is the attachment shape, as returned by
// /attachment/register and inside a transaction's attachments list (where
// real data adds type and url).
type attachmentJSON struct {
	ID         string `json:"id"`
	UserID     string `json:"user_id"`
	ExternalID string `json:"external_id"`
	FileURL    string `json:"file_url"`
	FileType   string `json:"file_type"`
	Created    string `json:"created"`
	Type       string `json:"type,omitempty"`
	URL        string `json:"url,omitempty"`
}

func (a *attachment) render(inTransaction bool) attachmentJSON {
	out := attachmentJSON{ID: a.ID, UserID: a.UserID, ExternalID: a.ExternalID,
		FileURL: a.FileURL, FileType: a.FileType, Created: formatTime(a.Created)}
	if inTransaction {
		out.Type, out.URL = a.FileType, a.FileURL
	}
	return out
}

// transactionJSON is the transaction object as the API returns it.
type transactionJSON struct {
	ID                                   string            `json:"id"`
	Created                              string            `json:"created"`
	Description                          string            `json:"description"`
	Amount                               int64             `json:"amount"`
	Fees                                 map[string]any    `json:"fees"`
	Currency                             string            `json:"currency"`
	Merchant                             any               `json:"merchant"`
	Notes                                string            `json:"notes"`
	Metadata                             map[string]string `json:"metadata"`
	Labels                               []string          `json:"labels"`
	Attachments                          []attachmentJSON  `json:"attachments"`
	International                        map[string]any    `json:"international"`
	Category                             string            `json:"category"`
	Categories                           map[string]int64  `json:"categories"`
	IsLoad                               bool              `json:"is_load"`
	Settled                              string            `json:"settled"`
	LocalAmount                          int64             `json:"local_amount"`
	LocalCurrency                        string            `json:"local_currency"`
	Updated                              string            `json:"updated"`
	AccountID                            string            `json:"account_id"`
	UserID                               string            `json:"user_id"`
	Counterparty                         counterparty      `json:"counterparty"`
	Scheme                               string            `json:"scheme"`
	DedupeID                             string            `json:"dedupe_id"`
	Originator                           bool              `json:"originator"`
	IncludeInSpending                    bool              `json:"include_in_spending"`
	CanBeExcludedFromBreakdown           bool              `json:"can_be_excluded_from_breakdown"`
	CanBeMadeSubscription                bool              `json:"can_be_made_subscription"`
	CanSplitTheBill                      bool              `json:"can_split_the_bill"`
	CanAddToTab                          bool              `json:"can_add_to_tab"`
	CanMatchTransactionsInCategorization bool              `json:"can_match_transactions_in_categorization"`
	AmountIsPending                      bool              `json:"amount_is_pending"`
	ATMFeesDetailed                      map[string]any    `json:"atm_fees_detailed"`
	ParentAccountID                      string            `json:"parent_account_id"`
	Tab                                  map[string]any    `json:"tab"`
	DeclineReason                        string            `json:"decline_reason,omitempty"`
}

// txView is a transaction as it stood while the bank's lock was held: a
// copy of its fields and its merchant. A transaction's maps and slices are
// never changed in place once it is stored (changes replace them, see
// setClientMetadataLocked and the attachment operations, all through
// updateTransactionLocked), and merchants never change, so a view can be
// rendered and encoded after the lock is released: handlers build
// responses outside the lock.
type txView struct {
	tx       transaction
	merchant *merchant // nil: none, or unknown
}

// render builds the API shape of the transaction as seen by clientID
// (whose private metadata is overlaid; "" sees shared metadata only). With
// expandMerchant the merchant field is the full merchant object (or null),
// otherwise its id (or null). It needs no lock.
func (v txView) render(clientID string, expandMerchant bool) transactionJSON {
	tx := &v.tx
	md := tx.Metadata
	if own := tx.ClientMetadata[clientID]; clientID != "" && len(own) > 0 {
		md = make(map[string]string, len(tx.Metadata)+len(own))
		maps.Copy(md, tx.Metadata)
		maps.Copy(md, own)
	}
	out := transactionJSON{
		ID:                                   tx.ID,
		Created:                              formatTime(tx.Created),
		Description:                          tx.Description,
		Amount:                               tx.Amount,
		Fees:                                 tx.Fees,
		Currency:                             tx.Currency,
		Notes:                                tx.Notes,
		Metadata:                             md,
		Labels:                               tx.Labels,
		International:                        tx.International,
		Category:                             tx.Category,
		Categories:                           tx.Categories,
		IsLoad:                               tx.IsLoad,
		Settled:                              formatTime(tx.Settled),
		LocalAmount:                          tx.LocalAmount,
		LocalCurrency:                        tx.LocalCurrency,
		Updated:                              formatTime(tx.Updated),
		AccountID:                            tx.AccountID,
		UserID:                               tx.UserID,
		Counterparty:                         tx.Counterparty,
		Scheme:                               tx.Scheme,
		DedupeID:                             tx.DedupeID,
		Originator:                           tx.Originator,
		IncludeInSpending:                    tx.IncludeInSpending,
		CanBeExcludedFromBreakdown:           tx.CanBeExcludedFromBreakdown,
		CanBeMadeSubscription:                tx.CanBeMadeSubscription,
		CanSplitTheBill:                      tx.CanSplitTheBill,
		CanAddToTab:                          tx.CanAddToTab,
		CanMatchTransactionsInCategorization: tx.CanMatchTransactionsInCategorization,
		AmountIsPending:                      tx.AmountIsPending,
		ATMFeesDetailed:                      tx.ATMFeesDetailed,
		ParentAccountID:                      tx.ParentAccountID,
		Tab:                                  tx.Tab,
		DeclineReason:                        tx.DeclineReason,
	}
	if out.Fees == nil {
		out.Fees = emptyFees
	}
	if out.Metadata == nil {
		out.Metadata = map[string]string{}
	}
	if len(tx.Attachments) > 0 {
		out.Attachments = make([]attachmentJSON, 0, len(tx.Attachments))
		for _, a := range tx.Attachments {
			out.Attachments = append(out.Attachments, a.render(true))
		}
	}
	if tx.MerchantID != "" {
		if expandMerchant && v.merchant != nil {
			out.Merchant = v.merchant.render()
		} else if !expandMerchant {
			out.Merchant = tx.MerchantID
		}
	}
	return out
}

// cachedJSON returns the transaction's JSON as clientID sees it if this
// version was encoded already, else nil. Call with b.mu held.
func (tx *transaction) cachedJSON(clientID string, expand bool) []byte {
	if tx.enc == nil || (clientID != "" && len(tx.ClientMetadata[clientID]) > 0) {
		return nil
	}
	if p := tx.enc.byExpand[expandIndex(expand)].Load(); p != nil {
		return *p
	}
	return nil
}

func expandIndex(expand bool) int {
	if expand {
		return 1
	}
	return 0
}

// encoded returns the transaction's JSON as clientID sees it, from the
// version's cache when the client has no private metadata on it (the
// common case), so a page of 100 is mostly copied, not encoded. It needs
// no lock.
func (v *txView) encoded(clientID string, expand bool) []byte {
	if v.tx.enc == nil || (clientID != "" && len(v.tx.ClientMetadata[clientID]) > 0) {
		return encodeJSON(v.render(clientID, expand))
	}
	i := expandIndex(expand)
	if p := v.tx.enc.byExpand[i].Load(); p != nil {
		return *p
	}
	b := encodeJSON(v.render("", expand))
	v.tx.enc.byExpand[i].Store(&b)
	return b
}

// emptyFees renders a transaction without fees as {}. It is only ever
// encoded, never written to.
var emptyFees = map[string]any{}
