package monzo

import (
	"context"
	"net/http"
	"net/url"

	"github.com/monzokit/monzo/internal/weburl"
)

// WebhooksService registers URLs that receive transaction events.
//
// Monzo POSTs a JSON event (see the webhook sub-package) to every URL
// registered on an account each time a transaction is created there,
// retrying up to 5 times with exponential backoff when the receiver does not
// answer 2xx. Monzo does not sign these requests: put a secret in the URL's
// query string (webhook.URLWithSecret) and check it when receiving
// (webhook.NewHandler). See docs/api-notes.md#webhooks.
type WebhooksService service

// Webhook is a URL registered to receive an account's events.
type Webhook struct {
	ID        string `json:"id"`
	AccountID string `json:"account_id"`
	// URL is the address events are POSTed to. It may carry a secret in its
	// query string: treat it as a credential and do not log it.
	URL string `json:"url"`

	// Raw is the JSON the webhook was decoded from.
	Raw RawJSON `json:"-"`
}

// UnmarshalJSON decodes the webhook and keeps its raw JSON.
func (w *Webhook) UnmarshalJSON(data []byte) error {
	type plain Webhook
	return decodeKeepingRaw(data, (*plain)(w), &w.Raw)
}

// Create registers rawURL to receive the events of an account. rawURL must
// be an absolute http or https URL reachable from the internet.
//
// Create is never retried: a repeated POST would register the URL twice
// (and Monzo would then deliver every event twice). If it fails with a
// network error, [WebhooksService.List] the account's webhooks to see
// whether the registration happened.
func (s *WebhooksService) Create(ctx context.Context, accountID, rawURL string) (*Webhook, error) {
	if err := requireArg("Webhooks.Create", "account id", accountID); err != nil {
		return nil, err
	}
	if err := validateWebhookURL(rawURL); err != nil {
		return nil, err
	}
	form := url.Values{"account_id": {accountID}, "url": {rawURL}}
	var out struct {
		Webhook Webhook `json:"webhook"`
	}
	if err := s.client.do(ctx, request{method: http.MethodPost, path: "webhooks", form: form}, &out); err != nil {
		return nil, err
	}
	return &out.Webhook, nil
}

// List returns the webhooks this application registered on an account.
// Webhooks registered by other applications are not shown.
func (s *WebhooksService) List(ctx context.Context, accountID string) ([]Webhook, error) {
	if err := requireArg("Webhooks.List", "account id", accountID); err != nil {
		return nil, err
	}
	var out struct {
		Webhooks []Webhook `json:"webhooks"`
	}
	req := request{method: http.MethodGet, path: "webhooks", query: url.Values{"account_id": {accountID}}, idempotent: true}
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	if out.Webhooks == nil {
		out.Webhooks = []Webhook{}
	}
	return out.Webhooks, nil
}

// Delete removes a webhook; Monzo stops delivering to its URL. Deleting is
// safe to repeat, so it is retried after transient failures.
func (s *WebhooksService) Delete(ctx context.Context, webhookID string) error {
	if err := requireArg("Webhooks.Delete", "webhook id", webhookID); err != nil {
		return err
	}
	return s.client.do(ctx, request{method: http.MethodDelete, path: "webhooks/" + escape(webhookID), idempotent: true, removes: true}, nil)
}

// validateWebhookURL checks rawURL is an absolute http(s) URL. The message
// never repeats the query string, which usually holds the webhook's secret.
func validateWebhookURL(rawURL string) error {
	if _, err := weburl.ParseAbsolute(rawURL); err != nil {
		return invalidf("Webhooks.Create: the webhook URL %q: %v; want e.g. https://example.com/monzo?token=…", weburl.RedactQuery(rawURL), err)
	}
	return nil
}
