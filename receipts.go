package monzo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// ReceiptsService attaches line-item receipts to transactions.
//
// Receipts are the one part of the API that takes JSON. A client can read
// and delete only the receipts it wrote itself, and Monzo refuses receipts on
// transactions the user did not make (pot transfers, Monzo fees) with 403
// forbidden.insufficient_permissions (docs/api-notes.md#receipts).
type ReceiptsService service

// Receipt is the line-item detail of a purchase, attached to a transaction.
// It is both what [ReceiptsService.Put] sends and what
// [ReceiptsService.Get] returns. Amounts are minor units of Currency.
type Receipt struct {
	// ID is set by Monzo ("receipt_…"); leave it empty when writing.
	ID string `json:"id,omitempty"`
	// ExternalID is your own id for the receipt, and the idempotency key:
	// putting a receipt with an existing ExternalID replaces that receipt.
	// Required.
	ExternalID string `json:"external_id"`
	// TransactionID is the transaction ("tx_…") the receipt belongs to.
	// Required.
	TransactionID string `json:"transaction_id"`
	// Total is the amount paid, positive. Items plus taxes should add up to it.
	Total int64 `json:"total"`
	// Currency is an ISO 4217 code such as "GBP". Required.
	Currency string `json:"currency"`
	// Items are the lines of the receipt; at least one is required.
	Items []ReceiptItem `json:"items"`
	// Taxes lists the taxes paid, such as VAT.
	Taxes []ReceiptTax `json:"taxes,omitempty"`
	// Payments says how the total was paid; they should add up to Total.
	Payments []ReceiptPayment `json:"payments,omitempty"`
	// Merchant describes the shop. It is not the transaction's merchant.
	Merchant *ReceiptMerchant `json:"merchant,omitempty"`

	// Raw is the JSON the receipt was decoded from (empty when built in code).
	Raw RawJSON `json:"-"`
}

// UnmarshalJSON decodes the receipt and keeps its raw JSON.
func (r *Receipt) UnmarshalJSON(data []byte) error {
	type plain Receipt
	return decodeKeepingRaw(data, (*plain)(r), &r.Raw)
}

// ReceiptItem is one line of a [Receipt].
type ReceiptItem struct {
	// Description names the item. Required.
	Description string `json:"description"`
	// Amount is the line's total in minor units. Required.
	Amount int64 `json:"amount"`
	// Currency is an ISO 4217 code. Required.
	Currency string `json:"currency"`
	// Quantity is how many were bought; it may be fractional (0.3 kg).
	Quantity float64 `json:"quantity,omitempty"`
	// Unit is the unit of Quantity, e.g. "kg".
	Unit string `json:"unit,omitempty"`
	// Tax is the tax included in Amount, in minor units.
	Tax int64 `json:"tax,omitempty"`
	// SubItems break the item down (a meal deal into its parts). They may
	// not have sub-items of their own; their amounts should add up to Amount.
	SubItems []ReceiptItem `json:"sub_items,omitempty"`
}

// ReceiptTax is a tax paid on a [Receipt].
type ReceiptTax struct {
	// Description names the tax, e.g. "VAT". Required.
	Description string `json:"description"`
	// Amount is in minor units. Required.
	Amount int64 `json:"amount"`
	// Currency is an ISO 4217 code. Required.
	Currency string `json:"currency"`
	// TaxNumber is the merchant's tax registration number.
	TaxNumber string `json:"tax_number,omitempty"`
}

// ReceiptPaymentType is how a receipt was paid. It is an open set; the
// constants name the documented values.
type ReceiptPaymentType string

// Documented payment types.
const (
	ReceiptPaymentCard     ReceiptPaymentType = "card"
	ReceiptPaymentCash     ReceiptPaymentType = "cash"
	ReceiptPaymentGiftCard ReceiptPaymentType = "gift_card"
)

// ReceiptPayment is one payment towards a [Receipt].
type ReceiptPayment struct {
	// Type is how it was paid. Required.
	Type ReceiptPaymentType `json:"type"`
	// Amount is in minor units. Required.
	Amount int64 `json:"amount"`
	// Currency is an ISO 4217 code. Required.
	Currency string `json:"currency"`
	// BIN, LastFour, AuthCode, AID, MID and TID describe a card payment.
	BIN      string `json:"bin,omitempty"`
	LastFour string `json:"last_four,omitempty"`
	AuthCode string `json:"auth_code,omitempty"`
	AID      string `json:"aid,omitempty"`
	MID      string `json:"mid,omitempty"`
	TID      string `json:"tid,omitempty"`
	// GiftCardType names the gift card of a gift card payment.
	GiftCardType string `json:"gift_card_type,omitempty"`
}

// ReceiptMerchant describes the shop on a [Receipt].
type ReceiptMerchant struct {
	Name          string `json:"name,omitempty"`
	Online        bool   `json:"online,omitempty"`
	Phone         string `json:"phone,omitempty"`
	Email         string `json:"email,omitempty"`
	StoreName     string `json:"store_name,omitempty"`
	StoreAddress  string `json:"store_address,omitempty"`
	StorePostcode string `json:"store_postcode,omitempty"`
}

// Validate reports, without calling the API, every problem that would make
// Monzo refuse the receipt: missing required fields, a total that is not
// positive, a malformed currency, or sub-items nested more than one level.
// Whether the amounts add up is not checked (Monzo only recommends it).
func (r *Receipt) Validate() error {
	if r == nil {
		return invalidf("invalid receipt: it is nil")
	}
	var p problems
	p.required("external_id", r.ExternalID)
	p.required("transaction_id", r.TransactionID)
	if r.Total <= 0 {
		p.add("total must be positive (minor units, e.g. 1250 for £12.50), got %d", r.Total)
	}
	p.currency("currency", r.Currency)
	if len(r.Items) == 0 {
		p.add("items is required: add at least one item")
	}
	for i, item := range r.Items {
		field := fmt.Sprintf("items[%d]", i)
		p.item(field, item)
		for j, sub := range item.SubItems {
			subField := fmt.Sprintf("%s.sub_items[%d]", field, j)
			p.item(subField, sub)
			if len(sub.SubItems) > 0 {
				p.add("%s.sub_items: sub-items may not have sub-items of their own (one level only)", subField)
			}
		}
	}
	for i, tax := range r.Taxes {
		field := fmt.Sprintf("taxes[%d]", i)
		p.required(field+".description", tax.Description)
		p.currency(field+".currency", tax.Currency)
	}
	for i, pay := range r.Payments {
		field := fmt.Sprintf("payments[%d]", i)
		p.required(field+".type", string(pay.Type))
		p.currency(field+".currency", pay.Currency)
	}
	return p.err("receipt")
}

func (p *problems) item(field string, item ReceiptItem) {
	p.required(field+".description", item.Description)
	p.currency(field+".currency", item.Currency)
	if item.Quantity < 0 {
		p.add("%s.quantity must not be negative, got %v", field, item.Quantity)
	}
}

// Put creates the receipt, or replaces the one with the same ExternalID.
// The receipt is checked with [Receipt.Validate] first. Monzo answers with
// an empty body, so Put returns no receipt: read it back with
// [ReceiptsService.Get] if you need its id. Because ExternalID makes the
// call an upsert, it is safe to retry and is retried.
func (s *ReceiptsService) Put(ctx context.Context, receipt *Receipt) error {
	if err := receipt.Validate(); err != nil {
		return err
	}
	// The id and raw JSON are Monzo's, not part of the request.
	body := *receipt
	body.ID, body.Raw = "", nil
	return s.client.do(ctx, request{method: http.MethodPut, path: "transaction-receipts", jsonBody: &body, idempotent: true}, nil)
}

// Get returns the receipt with the given external id. Only receipts written
// by the same OAuth client can be read; others are reported as not found.
func (s *ReceiptsService) Get(ctx context.Context, externalID string) (*Receipt, error) {
	if err := requireArg("Receipts.Get", "receipt's external id", externalID); err != nil {
		return nil, err
	}
	var out struct {
		Receipt *Receipt `json:"receipt"`
	}
	req := request{method: http.MethodGet, path: "transaction-receipts", query: url.Values{"external_id": {externalID}}, idempotent: true}
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	if out.Receipt == nil {
		return nil, errors.New("monzo: GET /transaction-receipts: the response has no receipt")
	}
	return out.Receipt, nil
}

// Delete removes the receipt with the given external id. The id travels in
// the query string (a DELETE body is refused). It is safe to retry.
func (s *ReceiptsService) Delete(ctx context.Context, externalID string) error {
	if err := requireArg("Receipts.Delete", "receipt's external id", externalID); err != nil {
		return err
	}
	req := request{method: http.MethodDelete, path: "transaction-receipts", query: url.Values{"external_id": {externalID}}, idempotent: true, removes: true}
	return s.client.do(ctx, req, nil)
}
