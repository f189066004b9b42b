package monzo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/monzokit/monzo/internal/apihttp"
)

// DefaultBaseURL is the Monzo developer API.
const DefaultBaseURL = "https://api.monzo.com"

// DefaultUserAgent is sent unless [WithUserAgent] replaces it.
const DefaultUserAgent = "monzokit-go"

// DefaultTimeout bounds each attempt of an API call made through the
// *http.Client that [NewClient] creates when [WithHTTPClient] is not used:
// without it a server that never answers would block a call with a
// background context forever. Pass your own *http.Client to choose another
// bound (its Timeout is then used as is, zero meaning none).
const DefaultTimeout = 30 * time.Second

// DefaultUploadTimeout bounds the upload of an attachment's bytes
// ([AttachmentsService.Attach]), which can take far longer than an API call
// on a slow connection. See [WithUploadTimeout].
const DefaultUploadTimeout = 5 * time.Minute

// maxResponseBody caps how much of a successful response is decoded. The
// largest real responses (a page of 100 expanded transactions) are well
// under this.
const maxResponseBody = 32 << 20

// Client talks to the Monzo API. Create one with [NewClient]; it is safe for
// concurrent use.
type Client struct {
	httpClient    *http.Client
	uploadTimeout time.Duration
	baseURL       *url.URL
	tokens        TokenSource
	userAgent     string
	logger        *slog.Logger
	retry         RetryPolicy
	sleep         func(context.Context, time.Duration) error
	now           func() time.Time

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
// or [WithAccessToken] only unauthenticated calls are possible. A token
// source that reports its own API host ([APIHostReporter], as the oauth
// package's TokenSource does) must name the client's base URL.
func NewClient(opts ...Option) (*Client, error) {
	base, _ := url.Parse(DefaultBaseURL)
	c := &Client{
		httpClient:    &http.Client{Timeout: DefaultTimeout, Transport: defaultTransport()},
		uploadTimeout: DefaultUploadTimeout,
		baseURL:       base,
		userAgent:     DefaultUserAgent,
		logger:        slog.New(slog.DiscardHandler),
		retry:         DefaultRetryPolicy(),
		sleep:         sleepContext,
		now:           time.Now,
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if err := checkTokenHost(c.tokens, c.baseURL); err != nil {
		return nil, err
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

// HTTPClient returns the *http.Client requests go through. Unless
// [WithHTTPClient] gave one, it is the client's own, with a Timeout of
// [DefaultTimeout] and a transport like http.DefaultTransport that keeps
// enough idle connections per host for a concurrent Backfill.
func (c *Client) HTTPClient() *http.Client { return c.httpClient }

// uploadHTTPClient is the client for attachment uploads: the API client
// with its timeout raised to the upload timeout, since sending a file may
// take much longer than an API call. A client without a timeout keeps none.
func (c *Client) uploadHTTPClient() *http.Client {
	hc := c.httpClient
	if hc.Timeout == 0 || hc.Timeout >= c.uploadTimeout {
		return hc
	}
	upload := *hc
	upload.Timeout = c.uploadTimeout
	return &upload
}

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

// String names the call the way every error and log line of this package
// does: the method and the path relative to the base URL, with a leading
// slash ("GET /transactions/tx_1"), never the query, which may hold ids the
// caller did not ask to print.
func (r request) String() string { return r.method + " /" + r.path }

// do sends req, retrying it as the policy allows, and decodes a successful
// JSON response into v (which may be nil to discard the body).
func (c *Client) do(ctx context.Context, req request, v any) error {
	body, err := encodeBody(req)
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
		err = c.send(ctx, req, body, token, attempt, v)
		req.throttle.observe(err, c)
		if req.removes && attempt > 1 && errors.Is(err, ErrNotFound) {
			c.logger.LogAttrs(ctx, slog.LevelInfo, "already gone on retry: an earlier attempt succeeded", slog.String("path", req.path))
			return nil
		}
		var apiErr *Error
		// An evicted token is usually one another goroutine or process has
		// just replaced by refreshing; the token source hands back the
		// newer token, or refreshes if the stored one is the refused one.
		// The real API answers an expired token with the bare code
		// "unauthorized.bad_access_token" ("token is expired by …"), so
		// every code of that family gets the one refresh and retry.
		if !refreshed && errors.As(err, &apiErr) && apiErr.HasCode(ErrBadAccessToken.code) {
			if r, ok := c.tokens.(ExpiredTokenRefresher); ok {
				refreshed = true
				token, rerr := r.RefreshExpired(ctx, token)
				if rerr != nil {
					return permanent(fmt.Errorf("%w; refreshing it failed: %w", err, rerr))
				}
				c.logger.LogAttrs(ctx, slog.LevelInfo, "access token refused, retrying with a refreshed one", slog.String("path", req.path))
				err = c.send(ctx, req, body, token, attempt, v)
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
func encodeBody(req request) (apihttp.Body, error) {
	switch {
	case req.jsonBody != nil:
		b, err := apihttp.JSON(req.jsonBody)
		if err != nil {
			return apihttp.Body{}, fmt.Errorf("monzo: encoding the %s body: %w", req, err)
		}
		return b, nil
	case req.form != nil:
		return apihttp.Form(req.form), nil
	}
	return apihttp.Body{}, nil
}

// send makes one attempt.
func (c *Client) send(ctx context.Context, req request, body apihttp.Body, token string, attempt int, v any) error {
	u := c.baseURL.JoinPath(req.path)
	if len(req.query) > 0 {
		u.RawQuery = req.query.Encode()
	}
	hreq, err := apihttp.New(ctx, apihttp.Request{Method: req.method, URL: u.String(), Body: body, UserAgent: c.userAgent, Bearer: token})
	if err != nil {
		return permanent(fmt.Errorf("monzo: building %s: %w", req, err))
	}
	// Elapsed time is a measurement of the network, not a date: it is taken
	// from the wall clock's monotonic reading even when WithClock is set.
	start := time.Now()
	resp, err := apihttp.Do(ctx, c.httpClient, hreq)
	if err != nil {
		if ctx.Err() != nil {
			return permanent(err)
		}
		c.logger.LogAttrs(ctx, slog.LevelWarn, "request failed", slog.String("method", req.method), slog.String("path", req.path), slog.Int("attempt", attempt), slog.String("error", err.Error()))
		return fmt.Errorf("monzo: %s: %w", req, err)
	}
	defer resp.Body.Close()
	c.logger.LogAttrs(ctx, slog.LevelDebug, "request", slog.String("method", req.method), slog.String("path", req.path), slog.Int("status", resp.StatusCode), slog.Int("attempt", attempt), slog.Duration("elapsed", time.Since(start)))
	if err := checkResponse(resp, c.now(), token); err != nil {
		// Name the call as every other error does, relative to the base
		// URL, whatever path prefix the base URL carries.
		err.Method, err.Path = req.method, "/"+req.path
		return err
	}
	if v == nil {
		apihttp.Drain(resp.Body, maxResponseBody)
		return nil
	}
	data, err := apihttp.ReadAllSized(resp.Body, resp.ContentLength, maxResponseBody)
	if errors.Is(err, apihttp.ErrTooLarge) {
		return permanent(fmt.Errorf("monzo: reading the %s response: %w", req, err))
	}
	if err != nil {
		return fmt.Errorf("monzo: reading the %s response: %w", req, err)
	}
	// Bodies that decode themselves may keep pointing into data: it is
	// never reused.
	if d, ok := v.(ownedDecoder); ok {
		err = d.decodeOwned(data)
	} else {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		return permanent(fmt.Errorf("monzo: decoding the %s response: %w (body starts %q)", req, err, excerpt(data)))
	}
	return nil
}

// escape escapes one path segment.
func escape(segment string) string { return url.PathEscape(segment) }
