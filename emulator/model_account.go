package emulator

import (
	"slices"
	"time"
)

// Account types seen in real data. The API treats type as an open enum.
const (
	accountTypeRetail      = "uk_retail"
	accountTypeRetailJoint = "uk_retail_joint"
	accountTypePrepaid     = "uk_prepaid"
)

// account is a current (or legacy) account with its ledger.
type account struct {
	ID            string
	Type          string
	Description   string
	Created       time.Time
	Closed        bool
	Currency      string
	CountryCode   string
	OwnerIDs      []string
	AccountNumber string // "" on prepaid accounts
	SortCode      string // "" on prepaid accounts
	BusinessID    string // business accounts only

	// Balance is the available balance in minor units. It always equals
	// the sum of the amounts of the account's non-declined transactions;
	// addTransactionLocked keeps it so.
	Balance int64
	// Transactions is the ledger in ascending (Created, ID) order.
	Transactions []*transaction
	// spend holds today's running spending sums (balance.go); nil when
	// they must be summed afresh.
	spend *daySpend
}

func (a *account) ownedBy(userID string) bool { return slices.Contains(a.OwnerIDs, userID) }

// accountJSON is the account object of GET /accounts (docs/api-notes.md#accounts).
type accountJSON struct {
	ID             string              `json:"id"`
	Closed         bool                `json:"closed"`
	Created        string              `json:"created"`
	Description    string              `json:"description"`
	Type           string              `json:"type"`
	Currency       string              `json:"currency"`
	CountryCode    string              `json:"country_code"`
	Owners         []ownerJSON         `json:"owners"`
	AccountNumber  string              `json:"account_number,omitempty"`
	SortCode       string              `json:"sort_code,omitempty"`
	PaymentDetails *paymentDetailsJSON `json:"payment_details,omitempty"`
	BusinessID     string              `json:"business_id,omitempty"`
}

type paymentDetailsJSON struct {
	LocaleUK localeUKJSON `json:"locale_uk"`
}

type localeUKJSON struct {
	AccountNumber string `json:"account_number"`
	SortCode      string `json:"sort_code"`
}
