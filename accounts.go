package monzo

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"strings"
)

// AccountsService lists the user's accounts.
type AccountsService service

// AccountType is the kind of an account. The API adds kinds over time, so
// any string may appear; the constants name the common ones.
type AccountType string

// Known account types.
const (
	AccountTypeRetail      AccountType = "uk_retail"
	AccountTypeRetailJoint AccountType = "uk_retail_joint"
	AccountTypePrepaid     AccountType = "uk_prepaid"
	AccountTypeBusiness    AccountType = "uk_business"
	AccountTypeFlex        AccountType = "uk_monzo_flex"
	AccountTypeRewards     AccountType = "uk_rewards"
)

// Account is a Monzo account. Closed accounts are still listed: check Closed.
type Account struct {
	ID             string          `json:"id"`
	Closed         bool            `json:"closed"`
	Created        Timestamp       `json:"created"`
	Description    string          `json:"description"`
	Type           AccountType     `json:"type"`
	Currency       string          `json:"currency"`
	CountryCode    string          `json:"country_code"`
	Owners         []AccountOwner  `json:"owners"`
	AccountNumber  string          `json:"account_number"`
	SortCode       string          `json:"sort_code"`
	PaymentDetails *PaymentDetails `json:"payment_details,omitempty"`
	BusinessID     string          `json:"business_id,omitempty"`

	// Raw is the JSON the account was decoded from, fields unknown to this
	// package included.
	Raw RawJSON `json:"-"`
}

// UnmarshalJSON decodes the account and keeps its raw JSON.
func (a *Account) UnmarshalJSON(data []byte) error {
	type plain Account
	return decodeKeepingRaw(data, (*plain)(a), &a.Raw)
}

// DisplayName is how to name the account to a person. Monzo often describes
// a personal account by its owner's user id ("user_0000…", see
// docs/api-notes.md, "Accounts"), which tells a reader nothing, so such an
// account, or one with no description, is named by its type ("Personal
// account", "Joint account", …); any other description (a joint account's
// "Hannah & Olu") is the name. Description itself stays as the API sent it.
func (a *Account) DisplayName() string {
	if a.Description != "" && !strings.HasPrefix(a.Description, "user_") {
		return a.Description
	}
	switch a.Type {
	case AccountTypeRetail:
		return "Personal account"
	case AccountTypeRetailJoint:
		return "Joint account"
	case AccountTypePrepaid:
		return "Prepaid account"
	case AccountTypeBusiness:
		return "Business account"
	case AccountTypeFlex:
		return "Monzo Flex"
	case AccountTypeRewards:
		return "Rewards account"
	}
	return cmp.Or(string(a.Type), a.Description, a.ID)
}

// AccountOwner is one holder of an account; joint accounts have two.
type AccountOwner struct {
	UserID             string `json:"user_id"`
	PreferredName      string `json:"preferred_name"`
	PreferredFirstName string `json:"preferred_first_name"`
}

// PaymentDetails holds the details others use to pay into the account.
type PaymentDetails struct {
	LocaleUK *struct {
		AccountNumber string `json:"account_number"`
		SortCode      string `json:"sort_code"`
	} `json:"locale_uk,omitempty"`
}

// AccountListOptions filters [AccountsService.List].
type AccountListOptions struct {
	// Type keeps only accounts of this type; empty lists all.
	Type AccountType
}

// List returns the user's accounts, closed ones included.
func (s *AccountsService) List(ctx context.Context, opts *AccountListOptions) ([]Account, error) {
	q := url.Values{}
	if opts != nil && opts.Type != "" {
		q.Set("account_type", string(opts.Type))
	}
	var out struct {
		Accounts []Account `json:"accounts"`
	}
	if err := s.client.do(ctx, request{method: http.MethodGet, path: "accounts", query: q, idempotent: true}, &out); err != nil {
		return nil, err
	}
	return out.Accounts, nil
}
