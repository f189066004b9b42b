package monzo_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
)

func ExampleAttachmentsService_Attach() {
	// In real code the client comes from monzo.NewClient with an oauth
	// token source (see ExampleNewClient); here, from an emulator.
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client := srv.Client
	ctx := context.Background()
	txID := payByCard(srv, 1299, "Corner Shop") // a transaction to attach to

	// In real code: f, _ := os.Open("receipt.png"); st, _ := f.Stat(), then
	// pass f as Body and st.Size() as Size. Without a Size, Attach buffers
	// the file to learn it.
	photo := bytes.NewReader([]byte("\x89PNG\r\n\x1a\n…"))
	att, err := client.Attachments.Attach(ctx, monzo.AttachRequest{
		TransactionID: txID,
		FileName:      "receipt.png",
		FileType:      "image/png",
		Body:          photo,
		Size:          photo.Size(),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.HasPrefix(att.ID, "attach_"), att.ExternalID == txID, att.FileType)

	// Attachments can be removed again.
	if err := client.Attachments.Deregister(ctx, att.ID); err != nil {
		log.Fatal(err)
	}
	fmt.Println("removed")
	// Output:
	// true true image/png
	// removed
}

func ExampleAttachmentsService_Register() {
	srv, err := monzotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client := srv.Client
	txID := payByCard(srv, 450, "Coffee Shop") // a transaction to attach to

	// An image you host yourself needs no upload: register its URL.
	att, err := client.Attachments.Register(context.Background(), monzo.AttachmentRegistration{
		ExternalID: txID, // the transaction id
		FileURL:    "https://example.com/receipts/4711.jpg",
		FileType:   "image/jpeg",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(att.FileURL)
	// Output:
	// https://example.com/receipts/4711.jpg
}

func ExampleUploadError() {
	// Attach reports storage refusals as *monzo.UploadError, whose message
	// never includes the pre-signed part of the upload URL.
	var err error = &monzo.UploadError{StatusCode: 403, URL: "https://s3.example.com/bucket/f1", Excerpt: "<Error><Code>AccessDenied</Code></Error>"}
	fmt.Println(err)
	// Output:
	// monzo: uploading the attachment to https://s3.example.com/bucket/f1: 403 Forbidden (body: "<Error><Code>AccessDenied</Code></Error>") (the upload URL may have expired: call Attach again)
}
