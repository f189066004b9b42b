package emulator

import (
	"context"
	"slices"
)

// createWebhook registers a webhook of the caller's client on the caller's
// account.
func (b *bank) createWebhook(c caller, accountID, rawURL string) (webhookJSON, *apiError) {
	return locked(b, func() (webhookJSON, *apiError) {
		if _, apiErr := b.accountForUser(c.UserID, accountID); apiErr != nil {
			return webhookJSON{}, apiErr
		}
		now := b.now()
		h := &webhookReg{ID: b.newID("webhook", now), AccountID: accountID, URL: rawURL, ClientID: c.ClientID, Created: now}
		b.webhooks.byID[h.ID] = h
		b.webhooks.order = append(b.webhooks.order, h.ID)
		return h.render(), nil
	})
}

// listWebhooks lists the caller's client's webhooks on the caller's
// account.
func (b *bank) listWebhooks(c caller, accountID string) ([]webhookJSON, *apiError) {
	return locked(b, func() ([]webhookJSON, *apiError) {
		if _, apiErr := b.accountForUser(c.UserID, accountID); apiErr != nil {
			return nil, apiErr
		}
		out := []webhookJSON{}
		for _, id := range b.webhooks.order {
			if h := b.webhooks.byID[id]; h.AccountID == accountID && h.ClientID == c.ClientID {
				out = append(out, h.render())
			}
		}
		return out, nil
	})
}

// deleteWebhook removes the caller's client's webhook id, if it is on one
// of the caller's accounts.
func (b *bank) deleteWebhook(c caller, id string) *apiError {
	b.mu.Lock()
	defer b.unlock()
	h := b.webhooks.byID[id]
	visible := h != nil && h.ClientID == c.ClientID
	if visible {
		_, apiErr := b.accountForUser(c.UserID, h.AccountID)
		visible = apiErr == nil
	}
	if !visible {
		return notFound("webhook", "Webhook not found", map[string]string{"webhook_id": id})
	}
	delete(b.webhooks.byID, id)
	b.webhooks.order = slices.DeleteFunc(b.webhooks.order, func(x string) bool { return x == id })
	return nil
}

// Webhooks is the operation behind [Server.Webhooks].
func (b *bank) Webhooks() []WebhookRecord {
	b.mu.Lock()
	defer b.unlock()
	out := make([]WebhookRecord, 0, len(b.webhooks.order))
	for _, id := range b.webhooks.order {
		h := b.webhooks.byID[id]
		out = append(out, WebhookRecord{ID: h.ID, AccountID: h.AccountID, URL: h.URL, ClientID: h.ClientID, Created: h.Created})
	}
	return out
}

// webhooksOfAccount snapshots the webhooks registered on an account.
func (b *bank) webhooksOfAccount(accountID string) []webhookReg {
	b.mu.Lock()
	defer b.unlock()
	return b.webhooksOfAccountLocked(accountID)
}

// webhooksOfAccountLocked returns copies of the webhooks registered on an
// account, of every client. Call with b.mu held.
func (b *bank) webhooksOfAccountLocked(accountID string) []webhookReg {
	var out []webhookReg
	for _, id := range b.webhooks.order {
		if h := b.webhooks.byID[id]; h.AccountID == accountID {
			out = append(out, *h)
		}
	}
	return out
}

// recordDelivery appends to the delivery log and wakes WaitDeliveries.
func (b *bank) recordDelivery(rec WebhookDelivery) {
	b.mu.Lock()
	defer b.unlock()
	st := b.webhooks
	st.deliveries = append(st.deliveries, rec)
	close(st.grew)
	st.grew = make(chan struct{})
}

// Deliveries is the operation behind [Server.Deliveries].
func (b *bank) Deliveries() []WebhookDelivery {
	b.mu.Lock()
	defer b.unlock()
	return append([]WebhookDelivery(nil), b.webhooks.deliveries...)
}

// WaitDeliveries is the operation behind [Server.WaitDeliveries].
func (b *bank) WaitDeliveries(ctx context.Context, n int) ([]WebhookDelivery, error) {
	for {
		b.mu.Lock()
		st := b.webhooks
		got := append([]WebhookDelivery(nil), st.deliveries...)
		grew := st.grew
		b.unlock()
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-grew:
		case <-ctx.Done():
			return got, ctx.Err()
		}
	}
}
