package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/monzokit/monzo"
)

// NewTestEvent returns the body Monzo would POST for a transaction.created
// event about tx, for testing a handler. When tx was decoded from JSON (its
// Raw is set) that JSON is sent as is; otherwise tx is encoded.
func NewTestEvent(tx monzo.Transaction) []byte {
	data := json.RawMessage(tx.Raw)
	if len(data) == 0 {
		var err error
		data, err = json.Marshal(tx)
		if err != nil {
			panic(fmt.Sprintf("webhook: NewTestEvent: encoding the transaction: %v", err))
		}
	}
	body, err := json.Marshal(envelope{Type: TransactionCreated, Data: data})
	if err != nil {
		panic(fmt.Sprintf("webhook: NewTestEvent: encoding the event: %v", err))
	}
	return body
}

// NewTestRequest returns an incoming POST of event (a body from
// [NewTestEvent]) to url, as Monzo would send it, for passing straight to a
// handler's ServeHTTP with an [httptest.ResponseRecorder]. url is typically
// the handler's URL with its secret ([Handler.URL], [URLWithSecret]). To send
// the event over the network instead, use http.Post with the same body.
func NewTestRequest(url string, event []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, url, bytes.NewReader(event))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("User-Agent", "monzokit-webhook-test")
	return r
}
