package monzo_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
)

// validReceipt returns a receipt that passes Validate, for txID.
func validReceipt(externalID, txID string) *monzo.Receipt {
	return &monzo.Receipt{
		ExternalID:    externalID,
		TransactionID: txID,
		Total:         1299,
		Currency:      "GBP",
		Items: []monzo.ReceiptItem{
			{Description: "Meal deal", Amount: 399, Currency: "GBP", Quantity: 1, SubItems: []monzo.ReceiptItem{
				{Description: "Sandwich", Amount: 250, Currency: "GBP"},
				{Description: "Crisps", Amount: 149, Currency: "GBP"},
			}},
			{Description: "Bananas", Amount: 900, Currency: "GBP", Quantity: 0.3, Unit: "kg", Tax: 150},
		},
		Taxes:    []monzo.ReceiptTax{{Description: "VAT", Amount: 150, Currency: "GBP", TaxNumber: "GB123"}},
		Payments: []monzo.ReceiptPayment{{Type: monzo.ReceiptPaymentCard, Amount: 1299, Currency: "GBP", LastFour: "4242"}},
		Merchant: &monzo.ReceiptMerchant{Name: "Corner Shop", Online: false, StorePostcode: "EC1A 1AA"},
	}
}

func TestReceiptValidate(t *testing.T) {
	if err := validReceipt("r-1", "tx_1").Validate(); err != nil {
		t.Fatalf("valid receipt: %v", err)
	}
	tests := []struct {
		name string
		edit func(*monzo.Receipt)
		want string
	}{
		{"no external id", func(r *monzo.Receipt) { r.ExternalID = "" }, "external_id is required"},
		{"no transaction", func(r *monzo.Receipt) { r.TransactionID = "" }, "transaction_id is required"},
		{"zero total", func(r *monzo.Receipt) { r.Total = 0 }, "total must be positive"},
		{"negative total", func(r *monzo.Receipt) { r.Total = -5 }, "got -5"},
		{"no currency", func(r *monzo.Receipt) { r.Currency = "" }, "currency is required"},
		{"bad currency", func(r *monzo.Receipt) { r.Currency = "gbp" }, `currency "gbp" is not an ISO 4217 code`},
		{"no items", func(r *monzo.Receipt) { r.Items = nil }, "items is required"},
		{"item description", func(r *monzo.Receipt) { r.Items[1].Description = "" }, "items[1].description is required"},
		{"item currency", func(r *monzo.Receipt) { r.Items[0].Currency = "" }, "items[0].currency is required"},
		{"sub item description", func(r *monzo.Receipt) { r.Items[0].SubItems[1].Description = "" }, "items[0].sub_items[1].description is required"},
		{"two levels", func(r *monzo.Receipt) {
			r.Items[0].SubItems[0].SubItems = []monzo.ReceiptItem{{Description: "x", Amount: 1, Currency: "GBP"}}
		}, "one level only"},
		{"tax description", func(r *monzo.Receipt) { r.Taxes[0].Description = "" }, "taxes[0].description is required"},
		{"payment type", func(r *monzo.Receipt) { r.Payments[0].Type = "" }, "payments[0].type is required"},
		{"payment currency", func(r *monzo.Receipt) { r.Payments[0].Currency = "EURO" }, "payments[0].currency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validReceipt("r-1", "tx_1")
			tt.edit(r)
			err := r.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
	var nilReceipt *monzo.Receipt
	if err := nilReceipt.Validate(); err == nil {
		t.Fatal("a nil receipt validated")
	}
}

func TestReceiptValidateListsEveryProblem(t *testing.T) {
	err := (&monzo.Receipt{}).Validate()
	if err == nil {
		t.Fatal("an empty receipt validated")
	}
	for _, want := range []string{"external_id", "transaction_id", "total", "currency", "items"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestReceiptPutGetDelete(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	txID := cardPayment(t, srv)

	// Put answers 200 with an empty body, which must decode fine.
	if err := srv.Client.Receipts.Put(ctx, validReceipt("order-1", txID)); err != nil {
		t.Fatal(err)
	}
	got, err := srv.Client.Receipts.Get(ctx, "order-1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got.ID, "receipt_") || got.TransactionID != txID || got.Total != 1299 || got.Currency != "GBP" || len(got.Raw) == 0 {
		t.Errorf("receipt = %+v", got)
	}
	if len(got.Items) != 2 || len(got.Items[0].SubItems) != 2 || got.Items[1].Quantity != 0.3 || got.Items[1].Unit != "kg" ||
		got.Items[1].Tax != 150 || got.Items[0].SubItems[1].Description != "Crisps" {
		t.Errorf("items = %+v", got.Items)
	}
	if len(got.Taxes) != 1 || got.Taxes[0].TaxNumber != "GB123" || len(got.Payments) != 1 ||
		got.Payments[0].Type != monzo.ReceiptPaymentCard || got.Payments[0].LastFour != "4242" ||
		got.Merchant == nil || got.Merchant.Name != "Corner Shop" || got.Merchant.StorePostcode != "EC1A 1AA" {
		t.Errorf("taxes %+v payments %+v merchant %+v", got.Taxes, got.Payments, got.Merchant)
	}

	// A second Put with the same external id updates the same receipt,
	// even when handed the receipt read back (its id and raw JSON are not sent).
	got.Total = 2000
	got.Items[1].Amount = 1601
	if err := srv.Client.Receipts.Put(ctx, got); err != nil {
		t.Fatal(err)
	}
	again, err := srv.Client.Receipts.Get(ctx, "order-1")
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != got.ID || again.Total != 2000 || again.Items[1].Amount != 1601 {
		t.Errorf("after the update: %+v", again)
	}
	if n := len(srv.Emulator.Receipts()); n != 1 {
		t.Errorf("the emulator holds %d receipts, want 1", n)
	}

	// Delete sends external_id as a query parameter; the receipt is gone.
	if err := srv.Client.Receipts.Delete(ctx, "order-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Client.Receipts.Get(ctx, "order-1"); !errors.Is(err, monzo.ErrNotFound) {
		t.Errorf("Get after Delete: err = %v, want ErrNotFound", err)
	}
}

func TestReceiptPutToleratesAJSONBody(t *testing.T) {
	// Monzo answers an empty body today, but older docs showed JSON.
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPut || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s with Content-Type %q", r.Method, r.Header.Get("Content-Type"))
		}
		_, _ = io.WriteString(w, `{"receipt_id":"receipt_1"}`)
	}))
	defer ts.Close()
	client, err := monzo.NewClient(monzo.WithBaseURL(ts.URL), monzo.WithHTTPClient(ts.Client()), monzo.WithAccessToken("t"))
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Receipts.Put(context.Background(), validReceipt("r", "tx_1")); err != nil {
		t.Fatal(err)
	}
}

func TestReceiptsArePrivateToTheirClient(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	txID := cardPayment(t, srv)
	if err := srv.Client.Receipts.Put(ctx, validReceipt("order-1", txID)); err != nil {
		t.Fatal(err)
	}
	other := srv.RegisterClient("another app", true)
	login := srv.LogIn(other, "")
	srv.Approve(login)
	otherClient := srv.NewClient(login)
	if _, err := otherClient.Receipts.Get(ctx, "order-1"); !errors.Is(err, monzo.ErrNotFound) {
		t.Errorf("another client's Get: err = %v, want ErrNotFound", err)
	}
	if _, err := srv.Client.Receipts.Get(ctx, "order-1"); err != nil {
		t.Errorf("the writer's Get: %v", err)
	}
}

func TestReceiptOnAPotTransferIsForbidden(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	acc := srv.AccountID(monzo.AccountTypeRetail)
	created := make(chan string, 10)
	srv.Emulator.OnTransactionCreated(func(ev emulator.TransactionEvent) { created <- ev.TransactionID })
	pots, err := srv.Client.Pots.List(ctx, acc)
	if err != nil {
		t.Fatal(err)
	}
	var potID string
	for _, p := range pots {
		if !p.Deleted {
			potID = p.ID
		}
	}
	if _, err := srv.Client.Pots.Deposit(ctx, potID, monzo.PotDeposit{SourceAccountID: acc, Amount: 100, DedupeID: monzo.NewDedupeID()}); err != nil {
		t.Fatal(err)
	}
	var potTx string
	select {
	case potTx = <-created:
	case <-time.After(10 * time.Second):
		t.Fatal("the deposit created no transaction")
	}
	err = srv.Client.Receipts.Put(ctx, validReceipt("pot-1", potTx))
	if !errors.Is(err, monzo.ErrInsufficientPermissions) {
		t.Fatalf("Put on a pot transfer: err = %v, want forbidden.insufficient_permissions", err)
	}
}

func TestReceiptServerValidation(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	// Client-side validation stops the obvious mistakes before any request.
	if err := srv.Client.Receipts.Put(ctx, &monzo.Receipt{ExternalID: "x"}); err == nil || !strings.Contains(err.Error(), "transaction_id is required") {
		t.Errorf("Put of an incomplete receipt: err = %v", err)
	}
	if err := srv.Client.Receipts.Put(ctx, nil); err == nil {
		t.Error("Put(nil) succeeded")
	}
	if _, err := srv.Client.Receipts.Get(ctx, ""); err == nil {
		t.Error("Get with no id succeeded")
	}
	if err := srv.Client.Receipts.Delete(ctx, " "); err == nil {
		t.Error("Delete with no id succeeded")
	}
	// The server checks what the client cannot: the transaction.
	err := srv.Client.Receipts.Put(ctx, validReceipt("r-1", "tx_doesnotexist"))
	var apiErr *monzo.Error
	if !errors.As(err, &apiErr) || !apiErr.HasCode("not_found.transaction") {
		t.Errorf("unknown transaction: err = %v", err)
	}
	// A payment type the emulator does not know is refused by it.
	r := validReceipt("r-2", cardPayment(t, srv))
	r.Payments[0].Type = "iou"
	if err := srv.Client.Receipts.Put(ctx, r); !errors.Is(err, monzo.ErrBadRequest) {
		t.Errorf("unknown payment type: err = %v, want a 400", err)
	}
}
