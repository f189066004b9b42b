package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// Receipts (docs/api-notes.md#receipts).
//
// Rules ([E] choices are marked):
//
//   - PUT /transaction-receipts takes a JSON body (the only JSON endpoint).
//     A body that is not a JSON object is 400 bad_request.bad_body; a field
//     of the wrong JSON type is 400 bad_request.bad_param.<field>.
//   - Required: external_id, transaction_id, total, currency and a
//     non-empty items list; in each item (and sub-item) description,
//     amount and currency; in each tax description, amount and currency; in
//     each payment type, amount and currency. A missing one is 400
//     bad_request.missing_param.<path>, e.g. missing_param.items[0].currency.
//   - Every amount (total, each amount and tax) follows amount.go's one
//     rule: a JSON integer of minor units, no fraction or exponent, not a
//     string; otherwise 400 bad_request.bad_param.<path>.
//   - 400 bad_request.bad_param.<path> when total is not positive, a
//     currency is not three capital letters [E], a payment type is not
//     card, cash or gift_card [E], a quantity is negative [E], or sub-items
//     have sub-items (one level only).
//   - [E] Amounts need not add up: Monzo only recommends it. What does
//     not add up is reported in Warning headers (receipt_totals.go).
//   - The transaction must be the caller's (404 not_found.transaction). A
//     transaction the user did not initiate — a pot transfer (scheme
//     uk_retail_pot), [E] interest (account_interest) or a Monzo fee
//     (category fees) — is 403 forbidden.insufficient_permissions.
//   - Receipts are upserted by (OAuth client, user, external_id): a second PUT
//     replaces the receipt and keeps its id ("receipt_" + 18 characters).
//     Success is 200 with an EMPTY body (Content-Length: 0).
//   - GET /transaction-receipts?external_id= answers {"receipt":{…}} for
//     the client (and user) that wrote it; anyone else gets 404
//     not_found.receipt. DELETE takes external_id from the query string
//     (a body is ignored, so sending it there is 400
//     missing_param.external_id, as users of the real API report) and
//     answers {}.

// receiptState holds the receipts. Its zero value is ready to use.
type receiptState struct {
	byKey map[receiptKey]*storedReceipt
}

// receiptKey is the upsert key. Receipts are private to the client that
// wrote them and to the user it acted for [E]: two users of one client
// (say, both holders of a joint account) can use the same external_id
// without one overwriting the other's receipt.
type receiptKey struct{ ClientID, UserID, ExternalID string }

type storedReceipt struct {
	Receipt receiptJSON
	// Warnings say what does not add up (receipt_totals.go).
	Warnings []string
}

// receiptJSON is the receipt object as the API returns it. Every key is
// always present, empty or not, as on the real API (docs/api-notes.md#receipts):
// clients index them directly, so nothing here is omitempty.
// ProofOfPurchaseID is "" [E] (the real value's meaning is not documented)
// and Barcode is always null.
type receiptJSON struct {
	ID                string               `json:"id"`
	ExternalID        string               `json:"external_id"`
	TransactionID     string               `json:"transaction_id"`
	ProofOfPurchaseID string               `json:"proof_of_purchase_id"`
	Total             int64                `json:"total"`
	Currency          string               `json:"currency"`
	Items             []receiptItemJSON    `json:"items"`
	Taxes             []receiptTaxJSON     `json:"taxes"`
	Payments          []receiptPaymentJSON `json:"payments"`
	Merchant          receiptMerchantJSON  `json:"merchant"`
	Barcode           *struct{}            `json:"barcode"`
}

type receiptItemJSON struct {
	Description string            `json:"description"`
	Amount      int64             `json:"amount"`
	Currency    string            `json:"currency"`
	Quantity    float64           `json:"quantity"`
	Unit        string            `json:"unit"`
	Tax         int64             `json:"tax"`
	SubItems    []receiptItemJSON `json:"sub_items"` // [] when none, never null
}

type receiptTaxJSON struct {
	Description string `json:"description"`
	Amount      int64  `json:"amount"`
	Currency    string `json:"currency"`
	TaxNumber   string `json:"tax_number"`
}

type receiptPaymentJSON struct {
	Type     string `json:"type"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	receiptPaymentDetails
}

// receiptPaymentDetails are a payment's optional fields, the same in a
// request and in the answer to a read (card details for card payments,
// the kind of gift card for gift card payments).
type receiptPaymentDetails struct {
	BIN          string `json:"bin"`
	LastFour     string `json:"last_four"`
	AuthCode     string `json:"auth_code"`
	AID          string `json:"aid"`
	MID          string `json:"mid"`
	TID          string `json:"tid"`
	GiftCardType string `json:"gift_card_type"`
}

type receiptMerchantJSON struct {
	Name          string `json:"name"`
	Online        bool   `json:"online"`
	Phone         string `json:"phone"`
	Email         string `json:"email"`
	StoreName     string `json:"store_name"`
	StoreAddress  string `json:"store_address"`
	StorePostcode string `json:"store_postcode"`
}

// The request shapes use pointers to tell a missing field from a zero one.
type receiptIn struct {
	ExternalID    *string              `json:"external_id"`
	TransactionID *string              `json:"transaction_id"`
	Total         json.RawMessage      `json:"total"`
	Currency      *string              `json:"currency"`
	Items         []receiptItemIn      `json:"items"`
	Taxes         []receiptTaxIn       `json:"taxes"`
	Payments      []receiptPaymentIn   `json:"payments"`
	Merchant      *receiptMerchantJSON `json:"merchant"`
}

type receiptItemIn struct {
	Description *string         `json:"description"`
	Amount      json.RawMessage `json:"amount"`
	Currency    *string         `json:"currency"`
	Quantity    float64         `json:"quantity"`
	Unit        string          `json:"unit"`
	Tax         json.RawMessage `json:"tax"`
	SubItems    []receiptItemIn `json:"sub_items"`
}

type receiptTaxIn struct {
	Description *string         `json:"description"`
	Amount      json.RawMessage `json:"amount"`
	Currency    *string         `json:"currency"`
	TaxNumber   string          `json:"tax_number"`
}

type receiptPaymentIn struct {
	Type     *string         `json:"type"`
	Amount   json.RawMessage `json:"amount"`
	Currency *string         `json:"currency"`
	receiptPaymentDetails
}

// maxReceiptBody caps the JSON body of a receipt.
const maxReceiptBody = 1 << 20

// handlePutReceipt serves PUT /transaction-receipts.
func (s *Server) handlePutReceipt(w http.ResponseWriter, r *http.Request, c caller) {
	in, apiErr := decodeReceipt(r.Body)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	rec, apiErr := in.validate()
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	warnings, apiErr := rec.totalsWarnings()
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	warnings, apiErr = s.bank.putReceipt(c, rec, warnings)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	// Accepted, but not adding up (receipt_totals.go).
	setReceiptWarnings(w.Header(), warnings)
	if s.opts.Logger != nil && len(warnings) > 0 {
		s.opts.Logger.Warn("receipt does not add up", "external_id", rec.ExternalID, "transaction_id", rec.TransactionID,
			"warnings", warnings)
	}
	// Success is an empty body, not JSON (docs/api-notes.md#receipts).
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// decodeReceipt reads the JSON body of a PUT.
func decodeReceipt(body io.Reader) (*receiptIn, *apiError) {
	data, err := io.ReadAll(io.LimitReader(body, maxReceiptBody+1))
	if err != nil {
		return nil, newAPIError(http.StatusBadRequest, "bad_request.bad_body", "Could not read the body: "+err.Error(), nil)
	}
	if len(data) > maxReceiptBody {
		return nil, newAPIError(http.StatusBadRequest, "bad_request.bad_body", "The receipt is larger than 1 MiB", nil)
	}
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' {
		return nil, newAPIError(http.StatusBadRequest, "bad_request.bad_body",
			"Receipts take a JSON object body (Content-Type: application/json), not a form", nil)
	}
	var in receiptIn
	if err := json.Unmarshal(data, &in); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return nil, badParam(typeErr.Field, fmt.Sprintf("The field '%s' must be a JSON %s, got %s", typeErr.Field, jsonKind(typeErr.Type.Kind().String()), typeErr.Value))
		}
		return nil, newAPIError(http.StatusBadRequest, "bad_request.bad_body", "Invalid JSON body: "+err.Error(), nil)
	}
	return &in, nil
}

// jsonKind names a Go kind the way a JSON user thinks of it.
func jsonKind(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"):
		return "integer"
	case strings.HasPrefix(kind, "float"):
		return "number"
	case kind == "slice":
		return "array"
	case kind == "struct", kind == "ptr":
		return "object"
	}
	return kind
}

// validate checks a receipt and converts it to its stored form.
func (in *receiptIn) validate() (receiptJSON, *apiError) {
	var out receiptJSON
	switch {
	case in.ExternalID == nil || *in.ExternalID == "":
		return out, missingParam("external_id")
	case in.TransactionID == nil || *in.TransactionID == "":
		return out, missingParam("transaction_id")
	}
	total, present, apiErr := parseJSONAmount("total", in.Total, parsePositiveAmount)
	if apiErr != nil {
		return out, apiErr
	}
	if !present {
		return out, missingParam("total")
	}
	currency, apiErr := requiredCurrency("currency", in.Currency)
	if apiErr != nil {
		return out, apiErr
	}
	if len(in.Items) == 0 {
		return out, missingParam("items")
	}
	out = receiptJSON{ExternalID: *in.ExternalID, TransactionID: *in.TransactionID, Total: total,
		Currency: currency, Items: []receiptItemJSON{}, Taxes: []receiptTaxJSON{}, Payments: []receiptPaymentJSON{}}
	if in.Merchant != nil {
		out.Merchant = *in.Merchant
	}
	for i, item := range in.Items {
		field := fmt.Sprintf("items[%d]", i)
		conv, apiErr := item.convert(field)
		if apiErr != nil {
			return out, apiErr
		}
		for j, sub := range item.SubItems {
			subField := fmt.Sprintf("%s.sub_items[%d]", field, j)
			if len(sub.SubItems) > 0 {
				return out, badParam(subField+".sub_items", "Sub-items cannot have sub-items of their own (one level only)")
			}
			subConv, apiErr := sub.convert(subField)
			if apiErr != nil {
				return out, apiErr
			}
			conv.SubItems = append(conv.SubItems, subConv)
		}
		out.Items = append(out.Items, conv)
	}
	for i, tax := range in.Taxes {
		field := fmt.Sprintf("taxes[%d]", i)
		description, apiErr := requiredText(field+".description", tax.Description)
		if apiErr != nil {
			return out, apiErr
		}
		amount, cur, apiErr := requiredMoney(field, tax.Amount, tax.Currency)
		if apiErr != nil {
			return out, apiErr
		}
		out.Taxes = append(out.Taxes, receiptTaxJSON{Description: description, Amount: amount, Currency: cur, TaxNumber: tax.TaxNumber})
	}
	for i, p := range in.Payments {
		field := fmt.Sprintf("payments[%d]", i)
		typ, apiErr := requiredText(field+".type", p.Type)
		if apiErr != nil {
			return out, apiErr
		}
		if !slices.Contains([]string{"card", "cash", "gift_card"}, typ) {
			return out, badParam(field+".type", "The field '"+field+".type' must be card, cash or gift_card")
		}
		amount, cur, apiErr := requiredMoney(field, p.Amount, p.Currency)
		if apiErr != nil {
			return out, apiErr
		}
		out.Payments = append(out.Payments, receiptPaymentJSON{Type: typ, Amount: amount, Currency: cur,
			receiptPaymentDetails: p.receiptPaymentDetails})
	}
	return out, nil
}

// convert checks one item's own fields (not its sub-items).
func (item receiptItemIn) convert(field string) (receiptItemJSON, *apiError) {
	description, apiErr := requiredText(field+".description", item.Description)
	if apiErr != nil {
		return receiptItemJSON{}, apiErr
	}
	amount, cur, apiErr := requiredMoney(field, item.Amount, item.Currency)
	if apiErr != nil {
		return receiptItemJSON{}, apiErr
	}
	tax, _, apiErr := parseJSONAmount(field+".tax", item.Tax, parseAmount)
	if apiErr != nil {
		return receiptItemJSON{}, apiErr
	}
	if item.Quantity < 0 {
		return receiptItemJSON{}, badParam(field+".quantity", "The field '"+field+".quantity' must not be negative")
	}
	return receiptItemJSON{Description: description, Amount: amount, Currency: cur,
		Quantity: item.Quantity, Unit: item.Unit, Tax: tax, SubItems: []receiptItemJSON{}}, nil
}

// requiredText reads a required string field.
func requiredText(field string, v *string) (string, *apiError) {
	if v == nil || *v == "" {
		return "", missingParam(field)
	}
	return *v, nil
}

// requiredMoney reads the required amount (amount.go's rule) and currency
// of the item, tax or payment at field.
func requiredMoney(field string, rawAmount json.RawMessage, currency *string) (int64, string, *apiError) {
	v, present, apiErr := parseJSONAmount(field+".amount", rawAmount, parseAmount)
	if apiErr == nil && !present {
		apiErr = missingParam(field + ".amount")
	}
	if apiErr != nil {
		return 0, "", apiErr
	}
	c, apiErr := requiredCurrency(field+".currency", currency)
	return v, c, apiErr
}

// requiredCurrency checks a required ISO 4217 currency field.
func requiredCurrency(field string, v *string) (string, *apiError) {
	if v == nil || *v == "" {
		return "", missingParam(field)
	}
	c := *v
	if len(c) != 3 || strings.ToUpper(c) != c || strings.ToLower(c) == c {
		return "", badParam(field, "The field '"+field+"' must be an ISO 4217 currency code such as GBP")
	}
	return c, nil
}

// receiptExternalID reads the required external_id query parameter.
func receiptExternalID(r *http.Request) (string, *apiError) {
	id := r.URL.Query().Get("external_id")
	if id == "" {
		return "", missingParam("external_id")
	}
	return id, nil
}

// handleGetReceipt serves GET /transaction-receipts?external_id=.
func (s *Server) handleGetReceipt(w http.ResponseWriter, r *http.Request, c caller) {
	id, apiErr := receiptExternalID(r)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	rec, apiErr := s.bank.receipt(c, id)
	respond(w, map[string]any{"receipt": rec}, apiErr)
}

// handleDeleteReceipt serves DELETE /transaction-receipts?external_id=.
func (s *Server) handleDeleteReceipt(w http.ResponseWriter, r *http.Request, c caller) {
	id, apiErr := receiptExternalID(r)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	respond(w, struct{}{}, s.bank.deleteReceipt(c, id))
}

// ReceiptRecord is a stored receipt, as [Server.Receipts] reports it.
type ReceiptRecord struct {
	// ClientID is the OAuth client that wrote the receipt; UserID the user
	// it acted for.
	ClientID string `json:"client_id"`
	UserID   string `json:"user_id"`
	// Receipt is the receipt as GET /transaction-receipts returns it.
	Receipt json.RawMessage `json:"receipt"`
	// Warnings say what in the receipt does not add up (sub-items against
	// their item, items and taxes against the total, payments against
	// the total, the total against the transaction, currencies): the
	// emulator accepts such receipts, as Monzo does, and says so in
	// Warning headers on the PUT's answer.
	Warnings []string `json:"warnings,omitempty"`
}

// Receipts returns every stored receipt, ordered by receipt id.
func (s *Server) Receipts() []ReceiptRecord { return s.bank.Receipts() }
