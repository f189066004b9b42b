package emulator

import (
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/monzokit/monzo/internal/weburl"
)

// webhookState is the webhook area's part of the state: registrations and
// the delivery log. Reset clears both.
type webhookState struct {
	byID  map[string]*webhookReg
	order []string // registration order

	// deliveries records every delivery attempt, in the order they ended.
	deliveries []WebhookDelivery
	// grew is closed (and replaced) whenever deliveries grows, waking
	// WaitDeliveries.
	grew chan struct{}
}

func newWebhookState() *webhookState {
	return &webhookState{byID: map[string]*webhookReg{}, grew: make(chan struct{})}
}

// webhookReg is one registered webhook. Webhooks belong to the OAuth client
// that registered them: other clients neither see nor delete them.
type webhookReg struct {
	ID        string
	AccountID string
	URL       string
	ClientID  string
	Created   time.Time
}

// WebhookRecord describes a registered webhook, for tests and the control plane
// (GET /_emulator/webhooks).
type WebhookRecord struct {
	ID        string    `json:"id"`
	AccountID string    `json:"account_id"`
	URL       string    `json:"url"`
	ClientID  string    `json:"client_id"`
	Created   time.Time `json:"created"`
}

// webhookJSON is the API shape of a webhook (docs/api-notes.md#webhooks).
type webhookJSON struct {
	AccountID string `json:"account_id"`
	ID        string `json:"id"`
	URL       string `json:"url"`
}

func (h *webhookReg) render() webhookJSON {
	return webhookJSON{AccountID: h.AccountID, ID: h.ID, URL: h.URL}
}

// handleCreateWebhook serves POST /webhooks (form: account_id, url) →
// {"webhook":{account_id,id,url}}.
func (s *Server) handleCreateWebhook(w http.ResponseWriter, r *http.Request, c caller) {
	p, apiErr := requestParams(r)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	if apiErr := requireParams(p, "account_id", "url"); apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	accountID, rawURL := p.Get("account_id"), p.Get("url")
	if !weburl.Valid(rawURL) {
		writeAPIError(w, badParam("url", "The url must be an absolute http or https URL"))
		return
	}
	h, apiErr := s.bank.createWebhook(c, accountID, rawURL)
	respond(w, map[string]any{"webhook": h}, apiErr)
}

// handleListWebhooks serves GET /webhooks?account_id= →
// {"webhooks":[…]}: only the calling client's webhooks on that account.
// account_id is read from the query string or, as the docs showed it for a
// while (docs/api-notes.md#webhooks), from a form body.
func (s *Server) handleListWebhooks(w http.ResponseWriter, r *http.Request, c caller) {
	accountID := r.URL.Query().Get("account_id")
	if accountID == "" && r.Body != nil {
		if body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20)); err == nil {
			if form, err := url.ParseQuery(string(body)); err == nil {
				accountID = form.Get("account_id")
			}
		}
	}
	if accountID == "" {
		writeAPIError(w, missingParam("account_id"))
		return
	}
	hooks, apiErr := s.bank.listWebhooks(c, accountID)
	respond(w, map[string]any{"webhooks": hooks}, apiErr)
}

// handleDeleteWebhook serves DELETE /webhooks/{id} → {}. Another client's
// webhook, or one on an account the user cannot see, is not found.
func (s *Server) handleDeleteWebhook(w http.ResponseWriter, r *http.Request, c caller) {
	id := r.PathValue("id")
	respond(w, map[string]any{}, s.bank.deleteWebhook(c, id))
}

// Webhooks lists every registered webhook, of every client, in registration
// order.
func (s *Server) Webhooks() []WebhookRecord { return s.bank.Webhooks() }
