package monzo

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Option configures a [Client]. Options validate their arguments, so
// [NewClient] reports a misconfiguration instead of failing later.
type Option func(*Client) error

// WithHTTPClient sends requests through hc (for timeouts, proxies or tests).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("monzo: WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithBaseURL points the client at another API host, such as the emulator.
// The URL may carry a path prefix; request paths are joined under it.
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("monzo: WithBaseURL: %q is not an absolute http(s) URL (want e.g. https://api.monzo.com)", raw)
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
			return errors.New("monzo: WithTokenSource: nil TokenSource")
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
			return errors.New("monzo: WithAccessToken: the token is empty")
		}
		c.tokens = StaticToken(token)
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if ua == "" {
			return errors.New("monzo: WithUserAgent: empty user agent")
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
			return errors.New("monzo: WithLogger: nil logger")
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
			return errors.New("monzo: WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}
