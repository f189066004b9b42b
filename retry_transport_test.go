package monzo_test

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
)

// A failure a second attempt cannot fix (an untrusted certificate, a server
// speaking plain HTTP on an https URL) is reported after
// one attempt, without waiting; a reset connection is still retried.
func TestPermanentTransportErrorsAreNotRetried(t *testing.T) {
	tlsServer := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{}`)) }))
	tlsServer.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	tlsServer.StartTLS()
	defer tlsServer.Close()
	plainServer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{}`)) }))
	defer plainServer.Close()

	for _, tc := range []struct {
		name      string
		baseURL   string
		dropFirst bool
		retried   bool
		wantText  string
	}{
		// The test server's certificate is signed by a CA the client's
		// transport does not trust.
		{name: "untrusted certificate", baseURL: tlsServer.URL, wantText: "certificate"},
		{name: "plain HTTP on https", baseURL: strings.Replace(plainServer.URL, "http://", "https://", 1), wantText: "HTTP response to HTTPS client"},
		{name: "reset connection", baseURL: plainServer.URL, dropFirst: true, retried: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			transport := &http.Transport{TLSClientConfig: &tls.Config{}} // trusts the system roots only
			counter := &attemptCounter{base: transport, counts: map[string]int{}, dropNext: tc.dropFirst}
			c, err := monzo.NewClient(monzo.WithBaseURL(tc.baseURL), monzo.WithAccessToken("t"), monzo.WithHTTPClient(&http.Client{Transport: counter}))
			if err != nil {
				t.Fatal(err)
			}
			rec := &sleeps{}
			monzo.SetSleep(c, rec.sleep)
			_, err = c.Balance.Get(context.Background(), "acc_1")
			attempts := counter.counts["GET /balance"]
			if tc.retried {
				if err != nil || attempts != 2 || len(rec.get()) != 1 {
					t.Errorf("err = %v after %d attempts and %d waits, want success on the second attempt", err, attempts, len(rec.get()))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantText) {
				t.Fatalf("err = %v, want one mentioning %q", err, tc.wantText)
			}
			if attempts != 1 || len(rec.get()) != 0 {
				t.Errorf("%d attempts and %d waits, want 1 attempt and none", attempts, len(rec.get()))
			}
		})
	}
}
