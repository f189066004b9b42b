package monzo_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/monzokit/monzo"
)

// silentServer answers the API calls an attachment needs and never answers
// what hangs says, the way a server that accepted a connection and went
// quiet behaves. It stands in for the network inside a synctest bubble,
// where time only moves while every goroutine is blocked on channels.
type silentServer struct {
	hangs func(*http.Request) bool
}

func (s silentServer) RoundTrip(req *http.Request) (*http.Response, error) {
	if s.hangs(req) {
		<-req.Context().Done()
		return nil, req.Context().Err()
	}
	body := `{}`
	if strings.HasSuffix(req.URL.Path, "/attachment/upload") {
		body = `{"file_url":"https://files.example.com/f1","upload_url":"https://s3.example.com/f1?X-Amz-Signature=x"}`
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

// A client made without WithHTTPClient must give up on a server that never
// answers, even with a background context, after DefaultTimeout for an API
// call and DefaultUploadTimeout for an attachment's bytes.
func TestDefaultTimeouts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hangs func(*http.Request) bool
		call  func(ctx context.Context, c *monzo.Client) error
		want  time.Duration
	}{
		{
			name:  "API call",
			hangs: func(*http.Request) bool { return true },
			call: func(ctx context.Context, c *monzo.Client) error {
				_, err := c.Balance.Get(ctx, "acc_1")
				return err
			},
			want: monzo.DefaultTimeout,
		},
		{
			name:  "attachment upload",
			hangs: func(r *http.Request) bool { return r.URL.Host == "s3.example.com" },
			call: func(ctx context.Context, c *monzo.Client) error {
				_, err := c.Attachments.Attach(ctx, monzo.AttachRequest{TransactionID: "tx_1", FileName: "r.png", FileType: "image/png", Body: bytes.NewReader([]byte("png")), Size: 3})
				return err
			},
			want: monzo.DefaultUploadTimeout,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, err := monzo.NewClient(monzo.WithAccessToken("t"), monzo.WithRetryPolicy(monzo.NoRetries()))
				if err != nil {
					t.Fatal(err)
				}
				if c.HTTPClient() == http.DefaultClient {
					t.Fatal("NewClient shares http.DefaultClient, which has no timeout")
				}
				// Keep the client's own *http.Client (and so its timeout);
				// only the network is replaced.
				c.HTTPClient().Transport = silentServer{hangs: tc.hangs}
				start := time.Now()
				err = tc.call(context.Background(), c)
				if err == nil {
					t.Fatal("the call succeeded against a silent server")
				}
				if got := time.Since(start); got != tc.want {
					t.Errorf("gave up after %s, want %s (err: %v)", got, tc.want, err)
				}
				if !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "Timeout") {
					t.Errorf("err = %v, want a timeout", err)
				}
			})
		})
	}
}

func TestUploadTimeoutOption(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, err := monzo.NewClient(monzo.WithAccessToken("t"), monzo.WithRetryPolicy(monzo.NoRetries()), monzo.WithUploadTimeout(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		c.HTTPClient().Transport = silentServer{hangs: func(r *http.Request) bool { return r.URL.Host == "s3.example.com" }}
		start := time.Now()
		_, err = c.Attachments.Attach(context.Background(), monzo.AttachRequest{TransactionID: "tx_1", FileName: "r.png", FileType: "image/png", Body: bytes.NewReader([]byte("png")), Size: 3})
		if err == nil || time.Since(start) != time.Hour {
			t.Errorf("upload gave up after %s with %v, want an error after 1h", time.Since(start), err)
		}
	})
	if _, err := monzo.NewClient(monzo.WithUploadTimeout(0)); !errors.Is(err, monzo.ErrInvalidArgument) {
		t.Errorf("WithUploadTimeout(0): err = %v, want ErrInvalidArgument", err)
	}
}
