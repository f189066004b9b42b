package monzo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"
)

// This file is an independent reference for the hand-written transaction
// decoder: the same fields decoded by encoding/json, without any of the
// package's own UnmarshalJSON methods. Tests and fuzz targets check that
// whatever encoding/json accepts, the fast decoder decodes identically.

type refTime struct{ t time.Time }

func (r *refTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		r.t = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		r.t = time.Time{}
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	r.t = t
	return err
}

type refAddress struct {
	Address        string  `json:"address"`
	City           string  `json:"city"`
	Country        string  `json:"country"`
	Postcode       string  `json:"postcode"`
	Region         string  `json:"region"`
	Latitude       float64 `json:"latitude"`
	Longitude      float64 `json:"longitude"`
	ShortFormatted string  `json:"short_formatted"`
	Formatted      string  `json:"formatted"`
	ZoomLevel      int     `json:"zoom_level"`
	Approximate    bool    `json:"approximate"`
}

type refMerchant struct {
	ID              string            `json:"id"`
	GroupID         string            `json:"group_id"`
	Name            string            `json:"name"`
	Logo            string            `json:"logo"`
	Emoji           string            `json:"emoji"`
	Category        string            `json:"category"`
	Created         refTime           `json:"created"`
	Updated         refTime           `json:"updated"`
	Address         refAddress        `json:"address"`
	Online          bool              `json:"online"`
	ATM             bool              `json:"atm"`
	DisableFeedback bool              `json:"disable_feedback"`
	Metadata        map[string]string `json:"metadata"`
}

type refAttachment struct {
	ID         string  `json:"id"`
	UserID     string  `json:"user_id"`
	ExternalID string  `json:"external_id"`
	FileURL    string  `json:"file_url"`
	FileType   string  `json:"file_type"`
	Created    refTime `json:"created"`
	Type       string  `json:"type"`
	URL        string  `json:"url"`
}

type refTransaction struct {
	ID                                   string            `json:"id"`
	Amount                               int64             `json:"amount"`
	Created                              refTime           `json:"created"`
	Currency                             string            `json:"currency"`
	Description                          string            `json:"description"`
	Merchant                             json.RawMessage   `json:"merchant"`
	Metadata                             map[string]string `json:"metadata"`
	Notes                                string            `json:"notes"`
	IsLoad                               bool              `json:"is_load"`
	Settled                              refTime           `json:"settled"`
	Category                             string            `json:"category"`
	DeclineReason                        string            `json:"decline_reason"`
	AccountBalance                       *int64            `json:"account_balance"`
	AccountID                            string            `json:"account_id"`
	UserID                               string            `json:"user_id"`
	Updated                              refTime           `json:"updated"`
	LocalAmount                          int64             `json:"local_amount"`
	LocalCurrency                        string            `json:"local_currency"`
	Fees                                 json.RawMessage   `json:"fees"`
	Labels                               json.RawMessage   `json:"labels"`
	Attachments                          []refAttachment   `json:"attachments"`
	International                        json.RawMessage   `json:"international"`
	Categories                           map[string]int64  `json:"categories"`
	Counterparty                         Counterparty      `json:"counterparty"`
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
	ATMFeesDetailed                      json.RawMessage   `json:"atm_fees_detailed"`
	ParentAccountID                      string            `json:"parent_account_id"`
	Tab                                  json.RawMessage   `json:"tab"`
}

// refDecodePage decodes a page with encoding/json only. It refuses null
// transactions, which the fast decoder refuses too.
func refDecodePage(data []byte) ([]Transaction, error) {
	var page struct {
		Transactions []json.RawMessage `json:"transactions"`
	}
	// encoding/json takes a bare null as "nothing to set"; the client
	// refuses it, since a page that is not an object cannot say it is
	// the last one (an empty list ends a walk).
	if !bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{")) {
		return nil, errors.New("not an object")
	}
	if err := json.Unmarshal(data, &page); err != nil {
		return nil, err
	}
	if page.Transactions == nil {
		return nil, nil
	}
	out := make([]Transaction, 0, len(page.Transactions))
	for _, raw := range page.Transactions {
		tx, err := refDecodeTransaction(raw)
		if err != nil {
			return nil, err
		}
		out = append(out, tx)
	}
	return out, nil
}

func refDecodeTransaction(raw []byte) (Transaction, error) {
	if bytes.Equal(raw, []byte("null")) {
		return Transaction{}, errors.New("null transaction")
	}
	var r refTransaction
	if err := json.Unmarshal(raw, &r); err != nil {
		return Transaction{}, err
	}
	t := Transaction{
		ID: r.ID, Amount: r.Amount, Created: Timestamp{r.Created.t}, Currency: r.Currency, Description: r.Description,
		Metadata: r.Metadata, Notes: r.Notes, IsLoad: r.IsLoad, Settled: Timestamp{r.Settled.t}, Category: Category(r.Category),
		DeclineReason: DeclineReason(r.DeclineReason), AccountBalance: r.AccountBalance, AccountID: r.AccountID, UserID: r.UserID,
		Updated: Timestamp{r.Updated.t}, LocalAmount: r.LocalAmount, LocalCurrency: r.LocalCurrency, Fees: RawJSON(r.Fees), Labels: RawJSON(r.Labels),
		International: RawJSON(r.International), Categories: r.Categories, Counterparty: r.Counterparty, Scheme: Scheme(r.Scheme),
		DedupeID: r.DedupeID, Originator: r.Originator, IncludeInSpending: r.IncludeInSpending,
		CanBeExcludedFromBreakdown: r.CanBeExcludedFromBreakdown, CanBeMadeSubscription: r.CanBeMadeSubscription,
		CanSplitTheBill: r.CanSplitTheBill, CanAddToTab: r.CanAddToTab,
		CanMatchTransactionsInCategorization: r.CanMatchTransactionsInCategorization, AmountIsPending: r.AmountIsPending,
		ATMFeesDetailed: RawJSON(r.ATMFeesDetailed), ParentAccountID: r.ParentAccountID, Tab: RawJSON(r.Tab),
		Raw: raw,
	}
	if r.Attachments != nil {
		t.Attachments = []Attachment{}
		for _, a := range r.Attachments {
			t.Attachments = append(t.Attachments, Attachment{ID: a.ID, UserID: a.UserID, ExternalID: a.ExternalID, FileURL: a.FileURL,
				FileType: a.FileType, Created: Timestamp{a.Created.t}, Type: a.Type, URL: a.URL})
		}
	}
	m := bytes.TrimSpace(r.Merchant)
	switch {
	case len(m) == 0 || bytes.Equal(m, []byte("null")):
	case m[0] == '"':
		var id string
		if err := json.Unmarshal(m, &id); err != nil {
			return t, err
		}
		t.Merchant = MerchantRef{id: id, emptyString: id == ""}
	case m[0] == '{':
		var rm refMerchant
		if err := json.Unmarshal(m, &rm); err != nil {
			return t, err
		}
		t.Merchant = MerchantRefFromMerchant(&Merchant{ID: rm.ID, GroupID: rm.GroupID, Name: rm.Name, Logo: rm.Logo, Emoji: rm.Emoji,
			Category: Category(rm.Category), Created: Timestamp{rm.Created.t}, Updated: Timestamp{rm.Updated.t},
			Address: MerchantAddress(rm.Address), Online: rm.Online, ATM: rm.ATM, DisableFeedback: rm.DisableFeedback,
			Metadata: rm.Metadata, Raw: m})
	default:
		return t, fmt.Errorf("merchant is %s", m)
	}
	return t, nil
}

// sameTransaction reports how a and b differ, ignoring the raw JSON of
// nested objects and the decode warnings; "" when they are the same.
func sameTransaction(a, b Transaction) string {
	strip := func(t Transaction) Transaction {
		t.DecodeWarnings = nil
		if len(t.Attachments) > 0 {
			as := append([]Attachment(nil), t.Attachments...)
			for i := range as {
				as[i].Raw = nil
			}
			t.Attachments = as
		}
		if m, ok := t.Merchant.Expanded(); ok {
			c := *m
			c.Raw = nil
			t.Merchant.merchant = &c
		}
		return t
	}
	a, b = strip(a), strip(b)
	if !reflect.DeepEqual(a, b) {
		return fmt.Sprintf("\n got %#v\nwant %#v", a, b)
	}
	return ""
}
