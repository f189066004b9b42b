package monzo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is the Monzo developer API.
const DefaultBaseURL = "https://api.monzo.com"

// DefaultUserAgent is sent unless [WithUserAgent] replaces it.
const DefaultUserAgent = "monzokit-go"

// maxResponseBody caps how much of a successful response is decoded. The
// largest real responses (a page of 100 expanded transactions) are well
// under this.
const maxResponseBody = 32 << 20

// Client talks to the Monzo API. Create one with [NewClient]; it is safe for
// concurrent use.
type Client struct {
	httpClient *http.Client
	baseURL    *url.URL
	tokens     TokenSource
	userAgent  string
	logger     *slog.Logger
	retry      RetryPolicy
	sleep      func(context.Context, time.Duration) error
	now        func() time.Time

	common service

	// Accounts lists the user's accounts.
	Accounts *AccountsService
	// Balance reads an account's balance.
	Balance *BalanceService
	// Pots lists pots and moves money in and out of them.
	Pots *PotsService
	// Transactions lists, reads and annotates transactions.
	Transactions *TransactionsService
	// Feed posts items to the user's feed in the Monzo app.
	Feed *FeedService
	// Attachments uploads images and attaches them to transactions.
	Attachments *AttachmentsService
	// Receipts attaches line-item receipts to transactions.
	Receipts *ReceiptsService
	// Webhooks registers URLs that receive transaction events.
	Webhooks *WebhooksService
}

// service is embedded by every service to reach the client.
type service struct{ client *Client }

// NewClient returns a client configured by opts. Without [WithTokenSource]
// or [WithAccessToken] only unauthenticated calls are possible.
func NewClient(opts ...Option) (*Client, error) {
	base, _ := url.Parse(DefaultBaseURL)
	c := &Client{
		httpClient: http.DefaultClient,
		baseURL:    base,
		userAgent:  DefaultUserAgent,
		logger:     slog.New(slog.DiscardHandler),
		retry:      DefaultRetryPolicy(),
		sleep:      sleepContext,
		now:        time.Now,
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	c.common.client = c
	c.Accounts = (*AccountsService)(&c.common)
	c.Balance = (*BalanceService)(&c.common)
	c.Pots = (*PotsService)(&c.common)
	c.Transactions = (*TransactionsService)(&c.common)
	c.Feed = (*FeedService)(&c.common)
	c.Attachments = (*AttachmentsService)(&c.common)
	c.Receipts = (*ReceiptsService)(&c.common)
	c.Webhooks = (*WebhooksService)(&c.common)
	return c, nil
}

// BaseURL returns the API base URL the client sends requests to.
func (c *Client) BaseURL() *url.URL {
	u := *c.baseURL
	return &u
}

// HTTPClient returns the *http.Client requests go through.
func (c *Client) HTTPClient() *http.Client { return c.httpClient }

// request describes one API call.
type request struct {
	method string
	// path is relative to the base URL; callers escape its segments.
	path  string
	query url.Values
	// form is sent as an application/x-www-form-urlencoded body.
	form url.Values
	// jsonBody, when set, is sent as a JSON body (receipts only).
	jsonBody any
	// idempotent requests may be retried after a 429, a 5xx or a network
	// error. Only calls that are safe to repeat set it.
	idempotent bool
	// removes marks a request that deletes something: a 404 on a retry
	// means an earlier attempt whose answer was lost did the job.
	removes bool
	// throttle, when set, shares 429 pauses with the other requests of a
	// concurrent walk (see throttle.go).
	throttle *throttle
}

// do sends req, retrying it as the policy allows, and decodes a successful
// JSON response into v (which may be nil to discard the body).
func (c *Client) do(ctx context.Context, req request, v any) error {
	body, contentType, err := encodeBody(req)
	if err != nil {
		return err
	}
	refreshed := false
	return c.retry.run(ctx, c.sleep, req.idempotent, func(attempt int) error {
		if err := req.throttle.wait(ctx, c); err != nil {
			return permanent(err)
		}
		token, err := c.accessToken(ctx)
		if err != nil {
			return permanent(err)
		}
		err = c.send(ctx, req, body, contentType, token, attempt, v)
		req.throttle.observe(err, c)
		if req.removes && attempt > 1 && errors.Is(err, ErrNotFound) {
			c.logger.LogAttrs(ctx, slog.LevelInfo, "already gone on retry: an earlier attempt succeeded", slog.String("path", req.path))
			return nil
		}
		var apiErr *Error
		// An evicted token is usually one another goroutine or process has
		// just replaced by refreshing; the token source hands back the
		// newer token, or refreshes if the stored one is the refused one.
		if !refreshed && errors.As(err, &apiErr) && (apiErr.HasCode(ErrTokenExpired.code) || apiErr.HasCode(ErrTokenEvicted.code)) {
			if r, ok := c.tokens.(ExpiredTokenRefresher); ok {
				refreshed = true
				token, rerr := r.RefreshExpired(ctx, token)
				if rerr != nil {
					return permanent(fmt.Errorf("%w; refreshing it failed: %w", err, rerr))
				}
				c.logger.LogAttrs(ctx, slog.LevelInfo, "access token refused, retrying with a refreshed one", slog.String("path", req.path))
				err = c.send(ctx, req, body, contentType, token, attempt, v)
			}
		}
		return err
	})
}

func (c *Client) accessToken(ctx context.Context) (string, error) {
	if c.tokens == nil {
		return "", nil
	}
	return c.tokens.AccessToken(ctx)
}

// encodeBody encodes the request body once, so every attempt sends the same bytes.
func encodeBody(req request) ([]byte, string, error) {
	switch {
	case req.jsonBody != nil:
		b, err := json.Marshal(req.jsonBody)
		if err != nil {
			return nil, "", fmt.Errorf("monzo: encoding %s %s body: %w", req.method, req.path, err)
		}
		return b, "application/json", nil
	case req.form != nil:
		return []byte(req.form.Encode()), "application/x-www-form-urlencoded", nil
	}
	return nil, "", nil
}

// send makes one attempt.
func (c *Client) send(ctx context.Context, req request, body []byte, contentType, token string, attempt int, v any) error {
	u := c.baseURL.JoinPath(req.path)
	if len(req.query) > 0 {
		u.RawQuery = req.query.Encode()
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.method, u.String(), reader)
	if err != nil {
		return permanent(fmt.Errorf("monzo: building %s %s: %w", req.method, req.path, err))
	}
	if contentType != "" {
		hreq.Header.Set("Content-Type", contentType)
	}
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", c.userAgent)
	if token != "" {
		hreq.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	resp, err := c.httpClient.Do(hreq)
	if err != nil {
		if ctx.Err() != nil {
			return permanent(ctx.Err())
		}
		c.logger.LogAttrs(ctx, slog.LevelWarn, "request failed", slog.String("method", req.method), slog.String("path", req.path), slog.Int("attempt", attempt), slog.String("error", redactedURLError(err).Error()))
		return fmt.Errorf("monzo: %s %s: %w", req.method, req.path, redactedURLError(err))
	}
	defer resp.Body.Close()
	c.logger.LogAttrs(ctx, slog.LevelDebug, "request", slog.String("method", req.method), slog.String("path", req.path), slog.Int("status", resp.StatusCode), slog.Int("attempt", attempt), slog.Duration("elapsed", time.Since(start)))
	if err := CheckResponse(resp); err != nil {
		return err
	}
	if v == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseBody))
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	if err != nil {
		return fmt.Errorf("monzo: reading %s %s response: %w", req.method, req.path, err)
	}
	// Bodies that decode themselves may keep pointing into data: it is
	// never reused.
	if d, ok := v.(ownedDecoder); ok {
		err = d.decodeOwned(data)
	} else {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		return permanent(fmt.Errorf("monzo: decoding %s %s response: %w (body starts %q)", req.method, req.path, err, excerpt(data)))
	}
	return nil
}

// withoutQuery returns raw without its query string and fragment.
func withoutQuery(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		return raw[:i]
	}
	return raw
}

// redactedURLError returns err with the query string removed from any
// *url.Error's URL, keeping the wrapped cause for errors.Is.
func redactedURLError(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return &url.Error{Op: uerr.Op, URL: withoutQuery(uerr.URL), Err: uerr.Err}
	}
	return err
}

// escape escapes one path segment.
func escape(segment string) string { return url.PathEscape(segment) }

// requireID reports a clear error for an empty identifier argument.
func requireID(name, value string) error {
	if strings.TrimSpace(value) == "" {
		return fmt.Errorf("monzo: %s is required", name)
	}
	return nil
}
