package monzo

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/monzokit/monzo/internal/weburl"
)

// Option configures a [Client]. Options validate their arguments, so
// [NewClient] reports a misconfiguration instead of failing later.
type Option func(*Client) error

// WithHTTPClient sends requests through hc (for timeouts, proxies or tests)
// instead of the client's own, whose Timeout is [DefaultTimeout]. hc's
// Timeout bounds every attempt of an API call; zero means no bound, so give
// hc one unless every call's context carries a deadline. Uploads get at
// least the upload timeout ([WithUploadTimeout]) when hc has a Timeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return invalidf("WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithUploadTimeout bounds the upload of an attachment's bytes, replacing
// [DefaultUploadTimeout]. The upload uses the API's *http.Client with its
// Timeout raised to d; when that client has no Timeout, neither do uploads.
func WithUploadTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return invalidf("WithUploadTimeout: the timeout must be positive, got %s", d)
		}
		c.uploadTimeout = d
		return nil
	}
}

// WithBaseURL points the client at another API host, such as the emulator.
// The URL may carry a path prefix; request paths are joined under it.
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := weburl.ParseAbsolute(raw)
		if err != nil {
			return invalidf("WithBaseURL: %q: %v (want e.g. https://api.monzo.com)", weburl.RedactQuery(raw), err)
		}
		u.Path = strings.TrimSuffix(u.Path, "/")
		u.RawQuery, u.Fragment = "", ""
		c.baseURL = u
		return nil
	}
}

// WithTokenSource authenticates every request with tokens from ts.
func WithTokenSource(ts TokenSource) Option {
	return func(c *Client) error {
		if ts == nil {
			return invalidf("WithTokenSource: nil TokenSource")
		}
		c.tokens = ts
		return nil
	}
}

// WithAccessToken authenticates every request with a fixed access token,
// such as one from the Monzo API playground. It never refreshes.
func WithAccessToken(token string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(token) == "" {
			return invalidf("WithAccessToken: the token is empty")
		}
		c.tokens = StaticToken(token)
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if ua == "" {
			return invalidf("WithUserAgent: empty user agent")
		}
		c.userAgent = ua
		return nil
	}
}

// WithLogger logs requests, retries and refreshes to l. The default logger
// discards everything. Tokens and request bodies are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			return invalidf("WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithRetryPolicy replaces [DefaultRetryPolicy]. Use [NoRetries] to turn
// retrying off.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error {
		if err := p.validate(); err != nil {
			return err
		}
		c.retry = p
		return nil
	}
}

// WithClock makes the client read "now" from now instead of the wall clock,
// for helpers that reason about time (such as the end of a backfill). Use
// it with a fake clock in tests, or to match an emulator's clock.
func WithClock(now func() time.Time) Option {
	return func(c *Client) error {
		if now == nil {
			return invalidf("WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}
