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

// renderAccountLocked builds the API shape of a. Call with b.mu held.
func (b *bank) renderAccountLocked(a *account) accountJSON {
	out := accountJSON{
		ID:          a.ID,
		Closed:      a.Closed,
		Created:     formatTime(a.Created),
		Description: a.Description,
		Type:        a.Type,
		Currency:    a.Currency,
		CountryCode: a.CountryCode,
		Owners:      []ownerJSON{},
		BusinessID:  a.BusinessID,
	}
	for _, id := range a.OwnerIDs {
		if u := b.users[id]; u != nil {
			out.Owners = append(out.Owners, ownerJSON{UserID: u.ID, PreferredName: u.Name, PreferredFirstName: u.FirstName})
		}
	}
	if a.AccountNumber != "" {
		out.AccountNumber, out.SortCode = a.AccountNumber, a.SortCode
		out.PaymentDetails = &paymentDetailsJSON{LocaleUK: localeUKJSON{AccountNumber: a.AccountNumber, SortCode: a.SortCode}}
	}
	return out
}

// accountForUser returns the account if userID owns it, or the 404
// not_found.account the emulator uses for both unknown and foreign accounts.
// Call with b.mu held.
func (b *bank) accountForUser(userID, accountID string) (*account, *apiError) {
	a := b.accounts[accountID]
	if a == nil || !a.ownedBy(userID) {
		return nil, notFound("account", "Account not found", map[string]string{"account_id": accountID})
	}
	return a, nil
}

// accountsOfUserLocked lists userID's accounts in creation order.
func (b *bank) accountsOfUserLocked(userID string) []*account {
	var out []*account
	for _, id := range b.accountOrder {
		if a := b.accounts[id]; a.ownedBy(userID) {
			out = append(out, a)
		}
	}
	return out
}
