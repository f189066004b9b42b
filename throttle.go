package monzo

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"
)

// throttle shares rate limiting among the workers of one concurrent walk:
// when one request is answered 429, every worker holds its next request
// until the server's Retry-After (or the retry policy's base delay) has
// passed, instead of each discovering the limit on its own and making it
// worse. The zero value is ready; a nil *throttle does nothing.
type throttle struct {
	mu    sync.Mutex
	until time.Time
}

// wait blocks until the shared pause, if any, is over.
func (t *throttle) wait(ctx context.Context, c *Client) error {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	until := t.until
	t.mu.Unlock()
	if d := until.Sub(c.now()); d > 0 {
		return c.sleep(ctx, d)
	}
	return nil
}

// observe starts a shared pause when err is a 429.
func (t *throttle) observe(err error, c *Client) {
	var apiErr *Error
	if t == nil || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests {
		return
	}
	d := apiErr.RetryAfter
	if d <= 0 {
		d = c.retry.BaseDelay
	}
	until := c.now().Add(d)
	t.mu.Lock()
	if until.After(t.until) {
		t.until = until
	}
	t.mu.Unlock()
}
