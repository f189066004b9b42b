package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// receiptBody is a valid receipt for txID, as a JSON-ready map.
func receiptBody(externalID, txID string) map[string]any {
	return map[string]any{
		"external_id":    externalID,
		"transaction_id": txID,
		"total":          1299,
		"currency":       "GBP",
		"items": []any{
			map[string]any{"description": "Meal deal", "amount": 399, "currency": "GBP", "quantity": 1,
				"sub_items": []any{
					map[string]any{"description": "Sandwich", "amount": 250, "currency": "GBP"},
					map[string]any{"description": "Crisps", "amount": 149, "currency": "GBP"},
				}},
			map[string]any{"description": "Bananas", "amount": 900, "currency": "GBP", "quantity": 0.3, "unit": "kg", "tax": 150},
		},
		"taxes":    []any{map[string]any{"description": "VAT", "amount": 150, "currency": "GBP", "tax_number": "GB123"}},
		"payments": []any{map[string]any{"type": "card", "amount": 1299, "currency": "GBP", "last_four": "4242"}},
		"merchant": map[string]any{"name": "Corner Shop", "online": false, "store_postcode": "EC1A 1AA"},
	}
}

func (e *env) putReceipt(token string, body any) response {
	e.t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.sendBody(http.MethodPut, "/transaction-receipts", token, "application/json", data)
}

func receiptPath(externalID string) string {
	return "/transaction-receipts?external_id=" + url.QueryEscape(externalID)
}

func cardTx(e *env, acc string) string {
	e.t.Helper()
	return txWhere(e, acc, func(tx *transaction) bool { return tx.Scheme == schemeMastercard && !tx.declined() })
}

func TestReceiptUpsertGetDelete(t *testing.T) {
	e := setup(t)
	token, acc := approvedPrimary(e)
	txID := cardTx(e, acc)

	r := e.putReceipt(token, receiptBody("order-1", txID))
	wantStatus(t, r, http.StatusOK)
	if len(r.body) != 0 || r.header.Get("Content-Length") != "0" {
		t.Errorf("PUT answered %q (Content-Length %q), want an empty body", r.body, r.header.Get("Content-Length"))
	}

	r = e.get(receiptPath("order-1"), token)
	wantStatus(t, r, http.StatusOK)
	rec, _ := r.json(t)["receipt"].(map[string]any)
	id, _ := rec["id"].(string)
	if !regexp.MustCompile(`^receipt_[0-9A-Za-z]{18}$`).MatchString(id) {
		t.Errorf("id %q is not receipt_ + 18 characters", id)
	}
	if rec["transaction_id"] != txID || rec["total"] != 1299.0 || rec["external_id"] != "order-1" {
		t.Errorf("receipt = %v", rec)
	}
	items, _ := rec["items"].([]any)
	first, _ := items[0].(map[string]any)
	second, _ := items[1].(map[string]any)
	if len(items) != 2 || len(first["sub_items"].([]any)) != 2 || second["quantity"] != 0.3 || second["unit"] != "kg" {
		t.Errorf("items = %v", items)
	}

	// A second PUT with the same external_id updates the same receipt.
	body := receiptBody("order-1", txID)
	body["total"] = 2000
	wantStatus(t, e.putReceipt(token, body), http.StatusOK)
	rec, _ = e.get(receiptPath("order-1"), token).json(t)["receipt"].(map[string]any)
	if rec["id"] != id || rec["total"] != 2000.0 {
		t.Errorf("after the update: id %v total %v, want %s 2000", rec["id"], rec["total"], id)
	}
	if n := len(e.s.Receipts()); n != 1 {
		t.Errorf("%d receipts stored, want 1", n)
	}

	// DELETE reads external_id from the query only.
	wantError(t, e.do(http.MethodDelete, "/transaction-receipts", token, url.Values{"external_id": {"order-1"}}),
		400, "bad_request.missing_param.external_id")
	r = e.do(http.MethodDelete, receiptPath("order-1"), token, nil)
	wantStatus(t, r, http.StatusOK)
	if strings.TrimSpace(string(r.body)) != "{}" {
		t.Errorf("DELETE body %s", r.body)
	}
	wantError(t, e.get(receiptPath("order-1"), token), 404, "not_found.receipt")
	wantError(t, e.do(http.MethodDelete, receiptPath("order-1"), token, nil), 404, "not_found.receipt")
	wantError(t, e.get("/transaction-receipts", token), 400, "bad_request.missing_param.external_id")
}

func TestReceiptsArePrivateToTheirClient(t *testing.T) {
	e := setup(t)
	token, acc := approvedPrimary(e)
	txID := cardTx(e, acc)
	wantStatus(t, e.putReceipt(token, receiptBody("order-1", txID)), http.StatusOK)

	other := e.s.MustRegisterClient(ClientOptions{Name: "other", Confidential: true})
	otherTok := e.approvedLogin(other, e.primary().ID)
	wantError(t, e.get(receiptPath("order-1"), otherTok.Access), 404, "not_found.receipt")
	wantError(t, e.do(http.MethodDelete, receiptPath("order-1"), otherTok.Access, nil), 404, "not_found.receipt")

	// The same external_id from another client is another receipt.
	wantStatus(t, e.putReceipt(otherTok.Access, receiptBody("order-1", txID)), http.StatusOK)
	recs := e.s.Receipts()
	if len(recs) != 2 || recs[0].ClientID == recs[1].ClientID {
		t.Fatalf("Receipts = %+v, want one per client", recs)
	}
	wantStatus(t, e.get(receiptPath("order-1"), token), http.StatusOK)
}

func TestReceiptForbiddenOnPotTransfers(t *testing.T) {
	e := setup(t)
	token, acc := approvedPrimary(e)
	potTx := txWhere(e, acc, func(tx *transaction) bool { return tx.Scheme == schemePot })
	wantError(t, e.putReceipt(token, receiptBody("pot-1", potTx)), 403, "forbidden.insufficient_permissions")
	threeDS := txWhere(e, acc, func(tx *transaction) bool { return tx.Scheme == scheme3DSecure })
	wantError(t, e.putReceipt(token, receiptBody("3ds-1", threeDS)), 403, "forbidden.insufficient_permissions")

	// The partner cannot put receipts on the primary user's personal transactions.
	partnerTok := e.approvedLogin(e.client, e.partner().ID)
	wantError(t, e.putReceipt(partnerTok.Access, receiptBody("x-1", cardTx(e, acc))), 404, "not_found.transaction")
	wantError(t, e.putReceipt(token, receiptBody("x-2", "tx_nope")), 404, "not_found.transaction")
	if n := len(e.s.Receipts()); n != 0 {
		t.Errorf("%d receipts stored", n)
	}
}

func TestReceiptValidation(t *testing.T) {
	e := setup(t)
	token, acc := approvedPrimary(e)
	txID := cardTx(e, acc)
	item := func(b map[string]any, i int) map[string]any { return b["items"].([]any)[i].(map[string]any) }
	tests := []struct {
		name string
		edit func(map[string]any)
		code string
	}{
		{"no external id", func(b map[string]any) { delete(b, "external_id") }, "bad_request.missing_param.external_id"},
		{"no transaction", func(b map[string]any) { delete(b, "transaction_id") }, "bad_request.missing_param.transaction_id"},
		{"no total", func(b map[string]any) { delete(b, "total") }, "bad_request.missing_param.total"},
		{"zero total", func(b map[string]any) { b["total"] = 0 }, "bad_request.bad_param.total"},
		{"negative total", func(b map[string]any) { b["total"] = -1 }, "bad_request.bad_param.total"},
		{"fractional total", func(b map[string]any) { b["total"] = 12.99 }, "bad_request.bad_param.total"},
		{"string total", func(b map[string]any) { b["total"] = "1299" }, "bad_request.bad_param.total"},
		{"no currency", func(b map[string]any) { delete(b, "currency") }, "bad_request.missing_param.currency"},
		{"bad currency", func(b map[string]any) { b["currency"] = "pounds" }, "bad_request.bad_param.currency"},
		{"no items", func(b map[string]any) { delete(b, "items") }, "bad_request.missing_param.items"},
		{"empty items", func(b map[string]any) { b["items"] = []any{} }, "bad_request.missing_param.items"},
		{"item description", func(b map[string]any) { delete(item(b, 1), "description") }, "bad_request.missing_param.items[1].description"},
		{"item amount", func(b map[string]any) { delete(item(b, 0), "amount") }, "bad_request.missing_param.items[0].amount"},
		{"item currency", func(b map[string]any) { delete(item(b, 1), "currency") }, "bad_request.missing_param.items[1].currency"},
		{"negative quantity", func(b map[string]any) { item(b, 1)["quantity"] = -1 }, "bad_request.bad_param.items[1].quantity"},
		{"sub item description", func(b map[string]any) {
			delete(item(b, 0)["sub_items"].([]any)[1].(map[string]any), "description")
		}, "bad_request.missing_param.items[0].sub_items[1].description"},
		{"two levels of sub items", func(b map[string]any) {
			item(b, 0)["sub_items"].([]any)[0].(map[string]any)["sub_items"] = []any{map[string]any{"description": "x", "amount": 1, "currency": "GBP"}}
		}, "bad_request.bad_param.items[0].sub_items[0].sub_items"},
		{"tax description", func(b map[string]any) { delete(b["taxes"].([]any)[0].(map[string]any), "description") }, "bad_request.missing_param.taxes[0].description"},
		{"payment type", func(b map[string]any) { delete(b["payments"].([]any)[0].(map[string]any), "type") }, "bad_request.missing_param.payments[0].type"},
		{"unknown payment type", func(b map[string]any) { b["payments"].([]any)[0].(map[string]any)["type"] = "iou" }, "bad_request.bad_param.payments[0].type"},
		{"payment amount", func(b map[string]any) { delete(b["payments"].([]any)[0].(map[string]any), "amount") }, "bad_request.missing_param.payments[0].amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := receiptBody("order-v", txID)
			tt.edit(b)
			wantError(t, e.putReceipt(token, b), 400, tt.code)
		})
	}
	// A form body is refused: receipts take JSON.
	form := url.Values{"external_id": {"order-v"}, "transaction_id": {txID}, "total": {"1"}, "currency": {"GBP"}}
	wantError(t, e.sendBody(http.MethodPut, "/transaction-receipts", token, "application/x-www-form-urlencoded", []byte(form.Encode())),
		400, "bad_request.bad_body")
	wantError(t, e.sendBody(http.MethodPut, "/transaction-receipts", token, "application/json", []byte(`{"total":`)),
		400, "bad_request.bad_body")
	if n := len(e.s.Receipts()); n != 0 {
		t.Errorf("%d receipts stored", n)
	}
}

// Two users of one client may pick the same external_id (issue 6 item 8):
// each keeps their own receipt.
func TestReceiptUpsertIsPerUser(t *testing.T) {
	e := setup(t)
	joint := accountOf(t, e.primary(), "uk_retail_joint").ID
	txID := cardTx(e, joint)
	primaryTok := e.approvedLogin(e.client, e.primary().ID)
	partnerTok := e.approvedLogin(e.client, e.partner().ID)

	wantStatus(t, e.putReceipt(primaryTok.Access, receiptBody("shared-id", txID)), http.StatusOK)
	partnerBody := receiptBody("shared-id", txID)
	partnerBody["total"] = 4242
	wantStatus(t, e.putReceipt(partnerTok.Access, partnerBody), http.StatusOK)

	mine, _ := e.get(receiptPath("shared-id"), primaryTok.Access).json(t)["receipt"].(map[string]any)
	theirs, _ := e.get(receiptPath("shared-id"), partnerTok.Access).json(t)["receipt"].(map[string]any)
	if mine["total"] != 1299.0 || theirs["total"] != 4242.0 {
		t.Fatalf("primary's receipt total = %v (want 1299), partner's = %v (want 4242)", mine["total"], theirs["total"])
	}
	if mine["id"] == theirs["id"] {
		t.Errorf("both users' receipts share id %v", mine["id"])
	}
	// Deleting one leaves the other.
	wantStatus(t, e.do(http.MethodDelete, receiptPath("shared-id"), partnerTok.Access, nil), http.StatusOK)
	wantStatus(t, e.get(receiptPath("shared-id"), primaryTok.Access), http.StatusOK)
	if n := len(e.s.Receipts()); n != 1 {
		t.Errorf("%d receipts stored after one delete, want 1", n)
	}
}

// A receipt read carries every key, empty or not, as the real API does
// (docs/api-notes.md#receipts; issue 6 item 14): clients index them directly.
func TestReceiptReadCarriesEveryKey(t *testing.T) {
	e := setup(t)
	token, acc := approvedPrimary(e)
	minimal := map[string]any{
		"external_id": "bare", "transaction_id": cardTx(e, acc), "total": 100, "currency": "GBP",
		"items":    []any{map[string]any{"description": "Thing", "amount": 100, "currency": "GBP"}},
		"payments": []any{map[string]any{"type": "cash", "amount": 100, "currency": "GBP"}},
		"taxes":    []any{map[string]any{"description": "VAT", "amount": 0, "currency": "GBP"}},
	}
	wantStatus(t, e.putReceipt(token, minimal), http.StatusOK)
	rec, _ := e.get(receiptPath("bare"), token).json(t)["receipt"].(map[string]any)

	hasKeys := func(where string, m map[string]any, keys ...string) {
		t.Helper()
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Errorf("%s lacks key %q: %v", where, k, m)
			}
		}
	}
	hasKeys("receipt", rec, "id", "external_id", "transaction_id", "total", "currency", "items", "taxes",
		"payments", "merchant", "barcode", "proof_of_purchase_id")
	if rec["barcode"] != nil {
		t.Errorf("barcode = %v, want null", rec["barcode"])
	}
	item := rec["items"].([]any)[0].(map[string]any)
	hasKeys("item", item, "description", "amount", "currency", "quantity", "unit", "tax", "sub_items")
	if subs, ok := item["sub_items"].([]any); !ok || len(subs) != 0 {
		t.Errorf("sub_items = %#v, want []", item["sub_items"])
	}
	merchant, ok := rec["merchant"].(map[string]any)
	if !ok {
		t.Fatalf("merchant = %#v, want an object", rec["merchant"])
	}
	hasKeys("merchant", merchant, "name", "online", "phone", "email", "store_name", "store_address", "store_postcode")
	hasKeys("tax", rec["taxes"].([]any)[0].(map[string]any), "description", "amount", "currency", "tax_number")
	hasKeys("payment", rec["payments"].([]any)[0].(map[string]any), "type", "amount", "currency",
		"bin", "last_four", "auth_code", "aid", "mid", "tid", "gift_card_type")
}
