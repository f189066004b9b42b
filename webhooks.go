package monzo

// WebhooksService registers URLs that receive transaction events.
type WebhooksService service
