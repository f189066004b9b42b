package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Webhook delivery follows Monzo's documented behaviour (docs/api-notes.md#webhooks,
// #webhook-events): a JSON POST per event, any 2xx is success, up to 5 attempts in all
// with exponential backoff between them.
const (
	// WebhookMaxAttempts is how many times one event is POSTed to one
	// webhook before the emulator gives up.
	WebhookMaxAttempts = 5
	// WebhookFirstBackoff is the wait after the first failed attempt; each
	// further wait doubles it (1s, 2s, 4s, 8s).
	WebhookFirstBackoff = time.Second
	// webhookAttemptTimeout bounds one POST, in real time. The webhook
	// package's handler answers within 5s by default, well inside it.
	webhookAttemptTimeout = 10 * time.Second
	// webhookResponseCap caps how much of a receiver's answer is read.
	webhookResponseCap = 64 << 10
)

// WebhookDelivery records one attempt to deliver an event to a webhook.
type WebhookDelivery struct {
	WebhookID     string `json:"webhook_id"`
	AccountID     string `json:"account_id"`
	URL           string `json:"url"`
	TransactionID string `json:"transaction_id"`
	// Attempt counts from 1 to WebhookMaxAttempts.
	Attempt int `json:"attempt"`
	// Time is the emulator clock's time when the attempt was made.
	Time time.Time `json:"time"`
	// StatusCode is the receiver's answer, or 0 when the request failed
	// (Error says why).
	StatusCode int    `json:"status_code,omitempty"`
	Error      string `json:"error,omitempty"`
	// Succeeded is true for a 2xx answer.
	Succeeded bool `json:"succeeded"`
	// NextAttempt is when the next attempt is due on the emulator clock;
	// zero after a success or the last attempt.
	NextAttempt time.Time `json:"next_attempt,omitzero"`
	// GaveUp is true on the last failed attempt: no more will be made.
	GaveUp bool `json:"gave_up"`
	// Body is the JSON event that was POSTed.
	Body json.RawMessage `json:"body"`
}

// webhookBackoff is the wait after failed attempt n (1-based).
func webhookBackoff(n int) time.Duration { return WebhookFirstBackoff << (n - 1) }

// deliverer POSTs events to webhooks in the background. One goroutine runs
// per (event, webhook) until it succeeds or gives up; retry waits run on
// the emulator's clock, so a FakeClock must be advanced for retries to
// happen. Closing the Server cancels them all and waits for them.
type deliverer struct {
	bank   *bank
	clock  Clock
	client *http.Client
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// startWebhookDelivery hooks delivery onto transaction creation and stops
// it on Close.
func (s *Server) startWebhookDelivery() {
	ctx, cancel := context.WithCancel(context.Background())
	d := &deliverer{
		bank:   s.bank,
		clock:  s.clock,
		ctx:    ctx,
		cancel: cancel,
		client: &http.Client{
			// A redirect is not a 2xx: Monzo's delivery does not follow it.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	s.bank.addInternalHook(d.transactionCreated)
	s.OnClose(d.close)
}

func (d *deliverer) close() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.cancel()
	d.wg.Wait()
}

// go runs f in the background unless the deliverer is closed.
func (d *deliverer) run(f func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		f()
	}()
}

// transactionCreated queues a transaction.created event for every webhook
// on the transaction's account, whichever client registered it.
func (d *deliverer) transactionCreated(ev TransactionEvent) {
	hooks := d.bank.webhooksOfAccount(ev.AccountID)
	if len(hooks) == 0 {
		return
	}
	body, err := json.Marshal(struct {
		Type string          `json:"type"`
		Data json.RawMessage `json:"data"`
	}{"transaction.created", ev.Transaction})
	if err != nil {
		panic("emulator: encoding a webhook event: " + err.Error())
	}
	for _, h := range hooks {
		d.run(func() { d.deliver(h, ev.TransactionID, body) })
	}
}

// deliver makes up to WebhookMaxAttempts attempts, recording each.
func (d *deliverer) deliver(h webhookReg, txID string, body []byte) {
	for attempt := 1; ; attempt++ {
		at := d.clock.Now()
		status, err := d.post(h.URL, body)
		if d.ctx.Err() != nil {
			return // the server is closing: not the receiver's failure
		}
		rec := WebhookDelivery{WebhookID: h.ID, AccountID: h.AccountID, URL: h.URL, TransactionID: txID,
			Attempt: attempt, Time: at, StatusCode: status, Body: body}
		rec.Succeeded = err == nil && status >= 200 && status < 300
		switch {
		case err != nil:
			rec.Error = err.Error()
		case !rec.Succeeded:
			rec.Error = "the receiver answered " + strconv.Itoa(status) + " " + http.StatusText(status)
		}
		last := attempt == WebhookMaxAttempts
		rec.GaveUp = !rec.Succeeded && last
		if !rec.Succeeded && !last {
			rec.NextAttempt = at.Add(webhookBackoff(attempt))
		}
		d.bank.recordDelivery(rec)
		if rec.Succeeded || last {
			return
		}
		if sleepUntil(d.ctx, d.clock, rec.NextAttempt) != nil {
			return
		}
	}
}

// post makes one attempt and returns the receiver's status code.
func (d *deliverer) post(target string, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(d.ctx, webhookAttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("building the request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "monzo-emulator-webhooks")
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, webhookResponseCap))
	return resp.StatusCode, nil
}

// Deliveries returns every webhook delivery attempt so far, oldest first.
func (s *Server) Deliveries() []WebhookDelivery { return s.bank.Deliveries() }

// WaitDeliveries waits until at least n delivery attempts have been recorded
// (since New or the last Reset) and returns them all, or returns what there
// is with ctx's error when ctx ends first. Tests use it instead of sleeping;
// with a FakeClock, retries only happen once the clock is advanced past
// each attempt's NextAttempt.
func (s *Server) WaitDeliveries(ctx context.Context, n int) ([]WebhookDelivery, error) {
	return s.bank.WaitDeliveries(ctx, n)
}

// maxDeliveriesWait caps ?timeout= on the deliveries control endpoint.
const maxDeliveriesWait = time.Minute
