package monzo_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
)

// Every resource keeps its raw JSON; printing one must show that JSON as
// text, not as a list of byte values.
func TestResourcesPrintRawAsText(t *testing.T) {
	decode := func(v any, body string) any {
		t.Helper()
		if err := json.Unmarshal([]byte(body), v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	resources := map[string]any{
		"Account":     decode(&monzo.Account{}, `{"id":"acc_1","created":"2024-01-02T03:04:05Z"}`),
		"Balance":     decode(&monzo.Balance{}, `{"balance":1}`),
		"Pot":         decode(&monzo.Pot{}, `{"id":"pot_1"}`),
		"Transaction": decode(&monzo.Transaction{}, `{"id":"tx_1","amount":-1,"currency":"GBP","created":"2024-01-02T03:04:05Z","fees":{"x":1},"labels":["a"],"tab":{"t":2}}`),
		"Attachment":  decode(&monzo.Attachment{}, `{"id":"attach_1"}`),
		"Receipt":     decode(&monzo.Receipt{}, `{"id":"receipt_1"}`),
		"WhoAmI":      decode(&monzo.WhoAmI{}, `{"authenticated":true}`),
		"Merchant":    decode(&monzo.Merchant{}, `{"id":"merch_1"}`),
	}
	for name, v := range resources {
		for _, verb := range []string{"%v", "%+v"} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, "[123 ") {
				t.Errorf("%s %s prints Raw as bytes: %s", name, verb, out)
			}
			if !strings.Contains(out, `{"`) {
				t.Errorf("%s %s does not show the raw JSON as text: %s", name, verb, out)
			}
		}
		if out := fmt.Sprintf("%#v", v); strings.Contains(out, "0x7b") {
			t.Errorf("%s %%#v prints Raw as bytes: %s", name, out)
		}
	}
}

func TestRawJSONRoundTrip(t *testing.T) {
	var v struct {
		R monzo.RawJSON `json:"r"`
	}
	if err := json.Unmarshal([]byte(`{"r":{"a":[1,2]}}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.R.String() != `{"a":[1,2]}` {
		t.Fatalf("decoded %s", v.R)
	}
	out, err := json.Marshal(v)
	if err != nil || string(out) != `{"r":{"a":[1,2]}}` {
		t.Fatalf("encoded %s, %v", out, err)
	}
	v.R = nil
	if out, _ := json.Marshal(v); string(out) != `{"r":null}` {
		t.Fatalf("empty RawJSON encoded as %s, want null", out)
	}
}
