package monzo

import (
	"context"
	"time"
)

// SetSleep replaces the client's retry sleep, so tests record backoff
// delays instead of waiting them out.
func SetSleep(c *Client, sleep func(context.Context, time.Duration) error) { c.sleep = sleep }
