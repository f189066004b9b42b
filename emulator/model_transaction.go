package emulator

import (
	"maps"
	"slices"
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
}

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

// renderTransactionLocked builds the API shape of tx as seen by clientID
// (whose private metadata is overlaid; "" sees shared metadata only). With
// expandMerchant the merchant field is the full merchant object (or null),
// otherwise its id (or null). The result shares no memory with tx, so it may
// be encoded after s.mu is released. Call with s.mu held.
func (s *Server) renderTransactionLocked(tx *transaction, clientID string, expandMerchant bool) transactionJSON {
	md := make(map[string]string, len(tx.Metadata))
	maps.Copy(md, tx.Metadata)
	if clientID != "" {
		maps.Copy(md, tx.ClientMetadata[clientID])
	}
	out := transactionJSON{
		ID:                                   tx.ID,
		Created:                              formatTime(tx.Created),
		Description:                          tx.Description,
		Amount:                               tx.Amount,
		Fees:                                 maps.Clone(tx.Fees),
		Currency:                             tx.Currency,
		Notes:                                tx.Notes,
		Metadata:                             md,
		Labels:                               slices.Clone(tx.Labels),
		International:                        maps.Clone(tx.International),
		Category:                             tx.Category,
		Categories:                           maps.Clone(tx.Categories),
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
		ATMFeesDetailed:                      maps.Clone(tx.ATMFeesDetailed),
		ParentAccountID:                      tx.ParentAccountID,
		Tab:                                  maps.Clone(tx.Tab),
		DeclineReason:                        tx.DeclineReason,
	}
	if out.Fees == nil {
		out.Fees = map[string]any{}
	}
	if len(tx.Attachments) > 0 {
		out.Attachments = make([]attachmentJSON, 0, len(tx.Attachments))
		for _, a := range tx.Attachments {
			out.Attachments = append(out.Attachments, a.render(true))
		}
	}
	if tx.MerchantID != "" {
		if m := s.merchants[tx.MerchantID]; expandMerchant && m != nil {
			out.Merchant = m.render()
		} else if !expandMerchant {
			out.Merchant = tx.MerchantID
		}
	}
	return out
}

// setClientMetadataLocked applies one PATCH metadata[key]=value written by
// clientID: an empty value deletes the key, and the special key "notes" also
// sets the transaction's top-level notes (which, like in the app, every
// client sees). Call with s.mu held.
func (s *Server) setClientMetadataLocked(tx *transaction, clientID, key, value string) {
	tx.Updated = msTime(s.clock.Now())
	if key == "notes" {
		tx.Notes = value
	}
	md := tx.ClientMetadata[clientID]
	if value == "" {
		delete(md, key)
		if len(md) == 0 {
			delete(tx.ClientMetadata, clientID)
		}
		return
	}
	if md == nil {
		if tx.ClientMetadata == nil {
			tx.ClientMetadata = map[string]map[string]string{}
		}
		md = map[string]string{}
		tx.ClientMetadata[clientID] = md
	}
	md[key] = value
}
