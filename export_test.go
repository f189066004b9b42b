package monzo

import (
	"context"
	"time"
)

// SetSleep replaces the client's retry sleep, so tests record backoff
// delays instead of waiting them out.
func SetSleep(c *Client, sleep func(context.Context, time.Duration) error) { c.sleep = sleep }

// RefDecodePage decodes a page of transactions with encoding/json alone,
// as a reference for the hand-written decoder.
var RefDecodePage = refDecodePage

// SameTransaction describes how two transactions differ ("" if they do not).
var SameTransaction = sameTransaction

// DecodePage decodes a GET /transactions body as the client does.
func DecodePage(body []byte) ([]Transaction, error) {
	var p transactionPage
	err := p.decodeOwned(body)
	return p.Transactions, err
}
