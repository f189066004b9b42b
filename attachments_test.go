package monzo_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
)

// storageStub stands in for Monzo's file storage: /attachment/upload hands
// out an upload URL on the same server, and the storage answers every upload
// with storageStatus.
type storageStub struct {
	storageStatus int
	uploads       atomic.Int32
	registers     atomic.Int32
	authSeen      atomic.Bool
}

const stubSignature = "sig-SECRET-0123456789"

func (s *storageStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/attachment/upload":
		base := "http://" + r.Host
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"file_url":"`+base+`/files/f1","upload_url":"`+base+`/storage/f1?X-Amz-Signature=`+stubSignature+`"}`)
	case "/storage/f1":
		s.uploads.Add(1)
		if r.Header.Get("Authorization") != "" {
			s.authSeen.Store(true)
		}
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(s.storageStatus)
		_, _ = io.WriteString(w, "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error>")
	case "/attachment/register":
		s.registers.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"attachment":{"id":"attach_1"}}`)
	default:
		http.NotFound(w, r)
	}
}

func newStubClient(t *testing.T, h http.Handler) *monzo.Client {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	client, err := monzo.NewClient(monzo.WithBaseURL(ts.URL), monzo.WithHTTPClient(ts.Client()), monzo.WithAccessToken("test-token"), monzo.WithRetryPolicy(monzo.NoRetries()))
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func TestAttachReportsStorageRefusalWithoutTheSignature(t *testing.T) {
	stub := &storageStub{storageStatus: http.StatusForbidden}
	client := newStubClient(t, stub)
	_, err := client.Attachments.Attach(context.Background(), monzo.AttachRequest{TransactionID: "tx_1", FileName: "r.png", FileType: "image/png", Body: strings.NewReader("png!"), Size: 4})
	var upErr *monzo.UploadError
	if !errors.As(err, &upErr) {
		t.Fatalf("Attach: err = %v, want an *monzo.UploadError", err)
	}
	if upErr.StatusCode != http.StatusForbidden || !strings.HasSuffix(upErr.URL, "/storage/f1") {
		t.Errorf("UploadError = %+v, want status 403 and the URL without its query", upErr)
	}
	if !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
		t.Errorf("error %q lacks an excerpt of the body", err)
	}
	if strings.Contains(err.Error(), stubSignature) || strings.Contains(err.Error(), "X-Amz-Signature") {
		t.Errorf("error %q leaks the pre-signed query string", err)
	}
	if stub.registers.Load() != 0 {
		t.Error("the file was registered although the upload failed")
	}
	if stub.authSeen.Load() {
		t.Error("the upload carried an Authorization header")
	}
}

func TestAttachRefusesAShortReader(t *testing.T) {
	stub := &storageStub{storageStatus: http.StatusOK}
	client := newStubClient(t, stub)
	_, err := client.Attachments.Attach(context.Background(), monzo.AttachRequest{TransactionID: "tx_1", FileName: "r.png", FileType: "image/png", Body: strings.NewReader("12345"), Size: 10})
	if !errors.Is(err, monzo.ErrInvalidArgument) || !strings.Contains(err.Error(), "held 5 bytes but AttachRequest.Size says 10") {
		t.Fatalf("Attach: err = %v, want a short-reader error", err)
	}
	if stub.registers.Load() != 0 {
		t.Error("a truncated file was registered")
	}
}

func TestAttachRefusesToBufferHugeFiles(t *testing.T) {
	stub := &storageStub{storageStatus: http.StatusOK}
	client := newStubClient(t, stub)
	huge := io.LimitReader(zeroReader{}, 10<<20+1)
	_, err := client.Attachments.Attach(context.Background(), monzo.AttachRequest{TransactionID: "tx_1", FileName: "big.png", FileType: "image/png", Body: huge})
	if !errors.Is(err, monzo.ErrInvalidArgument) || !strings.Contains(err.Error(), "larger than 10 MiB") {
		t.Fatalf("Attach: err = %v, want a size error", err)
	}
	if stub.uploads.Load() != 0 {
		t.Error("an upload was attempted")
	}
}

func TestAttachmentsArgumentChecks(t *testing.T) {
	client := newStubClient(t, http.NotFoundHandler())
	ctx := context.Background()
	if _, err := client.Attachments.Upload(ctx, monzo.AttachmentUpload{}); err == nil || !strings.Contains(err.Error(), "FileName is required") || !strings.Contains(err.Error(), "ContentLength") {
		t.Errorf("Upload with nothing: err = %v", err)
	}
	if _, err := client.Attachments.Register(ctx, monzo.AttachmentRegistration{FileURL: "https://x"}); err == nil || !strings.Contains(err.Error(), "ExternalID is required") {
		t.Errorf("Register without a transaction: err = %v", err)
	}
	if err := client.Attachments.Deregister(ctx, ""); err == nil {
		t.Error("Deregister with no id succeeded")
	}
	if _, err := client.Attachments.Attach(ctx, monzo.AttachRequest{TransactionID: "tx_1", FileName: "e.png", FileType: "image/png", Body: bytes.NewReader(nil)}); !errors.Is(err, monzo.ErrInvalidArgument) || !strings.Contains(err.Error(), "empty") {
		t.Errorf("Attach of an empty file: err = %v", err)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// cardPayment injects a card payment on the primary user's personal account
// and returns its id.
func cardPayment(t *testing.T, srv *monzotest.Server) string {
	t.Helper()
	id, err := srv.Emulator.InjectCardPayment(emulator.CardPayment{AccountID: srv.AccountID(monzo.AccountTypeRetail), Amount: 1299, MerchantName: "Corner Shop"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// fetch GETs a URL with a plain request and returns the body and its type.
func fetch(t *testing.T, srv *monzotest.Server, rawURL string) (int, string, []byte) {
	t.Helper()
	resp, err := srv.HTTPClient.Get(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

// attachmentsOf reads a transaction's attachments through the API. It skips
// the test while the emulator has no GET /transactions/{id}.
func attachmentsOf(t *testing.T, client *monzo.Client, txID string) []monzo.Attachment {
	t.Helper()
	tx, err := client.Transactions.Get(context.Background(), txID, nil)
	var apiErr *monzo.Error
	if errors.As(err, &apiErr) && apiErr.HasCode("not_found.endpoint") {
		t.Skip("the emulator does not serve GET /transactions/{id} yet")
	}
	if err != nil {
		t.Fatal(err)
	}
	return tx.Attachments
}

func TestAttachEndToEnd(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	txID := cardPayment(t, srv)
	png := bytes.Repeat([]byte("\x89PNG fake image data "), 50)

	att, err := srv.Client.Attachments.Attach(ctx, monzo.AttachRequest{TransactionID: txID, FileName: "receipt.png", FileType: "image/png", Body: bytes.NewReader(png), Size: int64(len(png))})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(att.ID, "attach_") || att.ExternalID != txID || att.FileType != "image/png" ||
		att.UserID != srv.User.ID || att.Created.IsZero() || !strings.HasPrefix(att.FileURL, srv.URL+"/") {
		t.Errorf("attachment = %+v", att)
	}

	// The bytes reached the upload URL without the access token.
	uploads := srv.Emulator.UploadRequests()
	if len(uploads) != 1 {
		t.Fatalf("the upload URL saw %d requests, want 1", len(uploads))
	}
	if up := uploads[0]; up.HasAuthorization || up.Header.Get("Authorization") != "" || up.Status != http.StatusOK ||
		up.Method != http.MethodPut || up.Header.Get("Content-Type") != "image/png" || up.BytesReceived != int64(len(png)) {
		t.Errorf("upload request = %+v", up)
	}

	// file_url serves the same bytes.
	status, ctype, body := fetch(t, srv, att.FileURL)
	if status != http.StatusOK || ctype != "image/png" || !bytes.Equal(body, png) {
		t.Errorf("file URL: %d %s, %d bytes (same: %v)", status, ctype, len(body), bytes.Equal(body, png))
	}

	// Deregister removes it; a second call finds nothing.
	if err := srv.Client.Attachments.Deregister(ctx, att.ID); err != nil {
		t.Fatal(err)
	}
	if err := srv.Client.Attachments.Deregister(ctx, att.ID); !errors.Is(err, monzo.ErrNotFound) {
		t.Errorf("second Deregister: err = %v, want ErrNotFound", err)
	}
}

func TestAttachUnknownSizeIsBuffered(t *testing.T) {
	srv := monzotest.NewServer(t)
	txID := cardPayment(t, srv)
	data := []byte("GIF89a tiny")
	// An io.Reader with no Len method: Attach must read it to learn its size.
	att, err := srv.Client.Attachments.Attach(context.Background(), monzo.AttachRequest{TransactionID: txID, FileName: "a.gif", FileType: "image/gif", Body: io.MultiReader(bytes.NewReader(data))})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, body := fetch(t, srv, att.FileURL); !bytes.Equal(body, data) {
		t.Errorf("file URL served %q, want %q", body, data)
	}
}

func TestRegisterShowsOnTheTransaction(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	txID := cardPayment(t, srv)

	// The three steps by hand, with a file hosted elsewhere for the second.
	urls, err := srv.Client.Attachments.Upload(ctx, monzo.AttachmentUpload{FileName: "r.jpg", FileType: "image/jpeg", ContentLength: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(urls.UploadURL, "Signature=") || len(urls.Raw) == 0 {
		t.Errorf("upload URLs = %+v", urls)
	}
	hosted, err := srv.Client.Attachments.Register(ctx, monzo.AttachmentRegistration{ExternalID: txID, FileURL: "https://example.com/r.jpg", FileType: "image/jpeg"})
	if err != nil {
		t.Fatal(err)
	}

	got := attachmentsOf(t, srv.Client, txID)
	if len(got) != 1 || got[0].ID != hosted.ID || got[0].URL != "https://example.com/r.jpg" || got[0].Type != "image/jpeg" {
		t.Fatalf("transaction attachments = %+v", got)
	}
	if err := srv.Client.Attachments.Deregister(ctx, hosted.ID); err != nil {
		t.Fatal(err)
	}
	if got := attachmentsOf(t, srv.Client, txID); len(got) != 0 {
		t.Errorf("after Deregister: %+v", got)
	}
}

func TestRegisterIsNotRetried(t *testing.T) {
	srv := monzotest.NewServer(t)
	txID := cardPayment(t, srv)
	client := srv.NewClient(srv.Login, monzo.WithRetryPolicy(monzo.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Microsecond, MaxDelay: time.Microsecond, MaxWait: time.Second}))
	if err := srv.Emulator.InjectFault(emulator.Fault{Method: http.MethodPost, Path: "/attachment/register", Status: http.StatusBadGateway, Times: 5}); err != nil {
		t.Fatal(err)
	}
	_, err := client.Attachments.Register(context.Background(), monzo.AttachmentRegistration{ExternalID: txID, FileURL: "https://example.com/r.png", FileType: "image/png"})
	if err == nil {
		t.Fatal("Register succeeded through a 502")
	}
	if n := srv.Emulator.FaultsServed(); n != 1 {
		t.Errorf("Register was sent %d times, want 1", n)
	}
}
