package cmdutil

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// DebugTransport logs each request and its answer to Out for --debug.
// Only the method, the URL without its query values' secrets, the status
// and the time are logged: never headers or bodies, which carry tokens,
// codes and client secrets.
type DebugTransport struct {
	Next http.RoundTripper
	Out  io.Writer
	mu   sync.Mutex
}

// secretParams are query parameters whose values are never logged.
var secretParams = map[string]bool{
	"code": true, "state": true, "client_secret": true, "access_token": true,
	"refresh_token": true, "token": true,
}

// RoundTrip implements http.RoundTripper.
func (t *DebugTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.Next.RoundTrip(req)
	t.mu.Lock()
	defer t.mu.Unlock()
	auth := ""
	if req.Header.Get("Authorization") != "" {
		auth = " (Authorization: Bearer [redacted])"
	}
	if err != nil {
		fmt.Fprintf(t.Out, "* %s %s%s: %v\n", req.Method, RedactURL(req.URL), auth, err)
		return resp, err
	}
	fmt.Fprintf(t.Out, "* %s %s%s → %s in %s\n", req.Method, RedactURL(req.URL), auth, resp.Status, time.Since(start).Round(time.Millisecond))
	return resp, nil
}

// RedactURL returns u as a string with secret query values replaced.
func RedactURL(u *url.URL) string {
	c := *u
	c.User = nil
	q := c.Query()
	for k := range q {
		if secretParams[k] {
			q.Set(k, "[redacted]")
		}
	}
	if len(q) > 0 {
		c.RawQuery = q.Encode()
	}
	return c.String()
}
