package webhook

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/monzokit/monzo"
)

// EventType names a kind of webhook event. Monzo documents only
// [TransactionCreated]; other values are passed through as they come.
type EventType string

// TransactionCreated is sent whenever a transaction is created on the
// account, declined card payments included.
const TransactionCreated EventType = "transaction.created"

// Event is one webhook delivery.
type Event struct {
	// Type is the kind of event, such as [TransactionCreated].
	Type EventType `json:"type"`
	// Data is the transaction the event is about. It is decoded only for
	// [TransactionCreated] events; for other types it is zero and the payload
	// is in Raw.
	Data monzo.Transaction `json:"data"`

	// Raw is the JSON body the event was decoded from.
	Raw json.RawMessage `json:"-"`
}

// envelope is the wire shape of an event.
type envelope struct {
	Type EventType       `json:"type"`
	Data json.RawMessage `json:"data"`
}

// Parse decodes a webhook body. It fails when the body is not a JSON object
// with a "type", or when a [TransactionCreated] event carries no transaction
// with an id. Unknown fields are kept in Raw and in the transaction's Raw.
func Parse(body []byte) (*Event, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("webhook: the body is not a JSON event object: %w", err)
	}
	if env.Type == "" {
		return nil, errors.New(`webhook: the event has no "type"; want e.g. {"type":"transaction.created","data":{...}}`)
	}
	ev := &Event{Type: env.Type, Raw: append(json.RawMessage(nil), body...)}
	if env.Type != TransactionCreated {
		return ev, nil
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return nil, errors.New(`webhook: the transaction.created event has no "data"`)
	}
	if err := json.Unmarshal(env.Data, &ev.Data); err != nil {
		return nil, fmt.Errorf("webhook: decoding the transaction.created event's data: %w", err)
	}
	if ev.Data.ID == "" {
		return nil, errors.New(`webhook: the transaction.created event's data has no "id"`)
	}
	return ev, nil
}
