package monzo_test

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test asserted.

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/monzokit/monzo"
)

// TestUploadTimeoutNeverShortensTheCallersTimeout: the upload timeout only
// raises a shorter API timeout. A caller's *http.Client without a timeout
// keeps none (the upload runs until the context ends), and one with a
// longer timeout keeps it.
func TestUploadTimeoutNeverShortensTheCallersTimeout(t *testing.T) {
	for _, tc := range []struct {
		name    string
		timeout time.Duration // the caller's http.Client.Timeout
		ctx     time.Duration // the call's context deadline
		want    time.Duration // when the upload gives up
	}{
		{"no timeout", 0, 2 * monzo.DefaultUploadTimeout, 2 * monzo.DefaultUploadTimeout},
		{"a longer timeout", 3 * monzo.DefaultUploadTimeout, time.Hour, 3 * monzo.DefaultUploadTimeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				hc := &http.Client{Timeout: tc.timeout, Transport: silentServer{hangs: func(r *http.Request) bool { return r.URL.Host == "s3.example.com" }}}
				c, err := monzo.NewClient(monzo.WithAccessToken("t"), monzo.WithRetryPolicy(monzo.NoRetries()), monzo.WithHTTPClient(hc))
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), tc.ctx)
				defer cancel()
				start := time.Now()
				_, err = c.Attachments.Attach(ctx, monzo.AttachRequest{TransactionID: "tx_1", FileName: "r.png", FileType: "image/png", Body: bytes.NewReader([]byte("png")), Size: 3})
				if err == nil {
					t.Fatal("the upload succeeded against a silent server")
				}
				if got := time.Since(start); got != tc.want {
					t.Errorf("the upload gave up after %s, want %s (err: %v)", got, tc.want, err)
				}
			})
		})
	}
}
