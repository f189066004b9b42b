package monzo_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
)

func ExampleReceiptsService_Put() {
	// In real code the client comes from monzo.NewClient with an oauth
	// token source (see ExampleNewClient); here, from an emulator.
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client := srv.Client
	ctx := context.Background()
	txID := payByCard(srv, 1050, "Corner Shop") // a transaction to attach the receipt to

	receipt := &monzo.Receipt{
		ExternalID:    "till-7-order-1234", // your id: putting it again updates the receipt
		TransactionID: txID,
		Total:         1050,
		Currency:      "GBP",
		Items: []monzo.ReceiptItem{
			{Description: "Meal deal", Amount: 500, Currency: "GBP", Quantity: 1, SubItems: []monzo.ReceiptItem{
				{Description: "Sandwich", Amount: 300, Currency: "GBP"},
				{Description: "Smoothie", Amount: 200, Currency: "GBP"},
			}},
			{Description: "Bananas", Amount: 450, Currency: "GBP", Quantity: 1.5, Unit: "kg"},
		},
		Taxes:    []monzo.ReceiptTax{{Description: "VAT", Amount: 100, Currency: "GBP"}},
		Payments: []monzo.ReceiptPayment{{Type: monzo.ReceiptPaymentCard, Amount: 1050, Currency: "GBP", LastFour: "4242"}},
		Merchant: &monzo.ReceiptMerchant{Name: "Corner Shop", StorePostcode: "EC1A 1AA"},
	}
	if err := client.Receipts.Put(ctx, receipt); err != nil {
		log.Fatal(err)
	}

	got, err := client.Receipts.Get(ctx, "till-7-order-1234")
	if err != nil {
		log.Fatal(err)
	}
	for _, item := range got.Items {
		fmt.Printf("%-9s %s\n", item.Description, monzo.Money{Amount: item.Amount, Currency: item.Currency})
		for _, sub := range item.SubItems {
			fmt.Printf("  %-7s %s\n", sub.Description, monzo.Money{Amount: sub.Amount, Currency: sub.Currency})
		}
	}
	fmt.Println("total    ", monzo.Money{Amount: got.Total, Currency: got.Currency})
	// Output:
	// Meal deal 5.00 GBP
	//   Sandwich 3.00 GBP
	//   Smoothie 2.00 GBP
	// Bananas   4.50 GBP
	// total     10.50 GBP
}

func ExampleReceiptsService_Delete() {
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client := srv.Client
	ctx := context.Background()
	txID := payByCard(srv, 300, "Coffee Shop") // a transaction to attach the receipt to

	receipt := &monzo.Receipt{ExternalID: "order-1", TransactionID: txID, Total: 300, Currency: "GBP",
		Items: []monzo.ReceiptItem{{Description: "Flat white", Amount: 300, Currency: "GBP"}}}
	if err := client.Receipts.Put(ctx, receipt); err != nil {
		log.Fatal(err)
	}
	if err := client.Receipts.Delete(ctx, "order-1"); err != nil {
		log.Fatal(err)
	}
	_, err = client.Receipts.Get(ctx, "order-1")
	fmt.Println(errors.Is(err, monzo.ErrNotFound))
	// Output:
	// true
}

func ExampleReceipt_Validate() {
	r := &monzo.Receipt{ExternalID: "order-2", TransactionID: "tx_00008zIcpb1TB4yeIFXMzx", Currency: "GBP",
		Items: []monzo.ReceiptItem{{Description: "Tea", Amount: 250}}}
	fmt.Println(r.Validate())
	// Output:
	// monzo: invalid receipt: total must be positive (minor units, e.g. 1250 for £12.50), got 0; items[0].currency is required
}
