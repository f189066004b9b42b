package monzo_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
)

const expandedMerchantJSON = `{
	"id": "merch_00008zIcpbAKe8shBxXUtl",
	"group_id": "grp_00008zIcpbBOaAr7TTP3sv",
	"name": "The De Beauvoir Deli Co.",
	"logo": "https://example.com/logo.png",
	"emoji": "🍞",
	"category": "eating_out",
	"created": "2015-08-22T12:20:18Z",
	"updated": "2024-01-02T03:04:05.6Z",
	"online": false,
	"atm": false,
	"disable_feedback": false,
	"address": {
		"address": "98 Southgate Road",
		"city": "London",
		"country": "GB",
		"latitude": 51.54151,
		"longitude": -0.08482400000002599,
		"postcode": "N1 3JD",
		"region": "Greater London",
		"short_formatted": "98 Southgate Road, London N1 3JD",
		"formatted": "98 Southgate Road, London N1 3JD, United Kingdom",
		"zoom_level": 17,
		"approximate": false
	},
	"metadata": {"website": "https://example.com", "twitter_id": ""},
	"future_field": 42
}`

func TestMerchantRefDecodesEveryForm(t *testing.T) {
	tests := []struct {
		name         string
		json         string
		wantID       string
		wantExpanded bool
		wantZero     bool
	}{
		{name: "id string", json: `"merch_00008zIcpbAKe8shBxXUtl"`, wantID: "merch_00008zIcpbAKe8shBxXUtl"},
		{name: "expanded object", json: expandedMerchantJSON, wantID: "merch_00008zIcpbAKe8shBxXUtl", wantExpanded: true},
		{name: "null", json: `null`, wantZero: true},
		{name: "empty string", json: `""`, wantZero: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tx monzo.Transaction
			if err := json.Unmarshal([]byte(`{"id":"tx_1","merchant":`+tt.json+`}`), &tx); err != nil {
				t.Fatalf("decode: %v", err)
			}
			r := tx.Merchant
			if r.ID() != tt.wantID || r.IsZero() != tt.wantZero {
				t.Errorf("ID() = %q, IsZero() = %v; want %q, %v", r.ID(), r.IsZero(), tt.wantID, tt.wantZero)
			}
			m, ok := r.Expanded()
			if ok != tt.wantExpanded || (m != nil) != tt.wantExpanded {
				t.Fatalf("Expanded() = %v, %v; want expanded=%v", m, ok, tt.wantExpanded)
			}
			// Encoding gives back the same form.
			out, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var again monzo.MerchantRef
			if err := json.Unmarshal(out, &again); err != nil {
				t.Fatalf("decoding %s again: %v", out, err)
			}
			if again.ID() != r.ID() || again.IsZero() != r.IsZero() {
				t.Errorf("round trip %s: got ID %q zero %v", out, again.ID(), again.IsZero())
			}
			if _, ok := again.Expanded(); ok != tt.wantExpanded {
				t.Errorf("round trip %s lost the expansion", out)
			}
			if !tt.wantExpanded && string(out) != strings.TrimSpace(tt.json) {
				t.Errorf("Marshal = %s, want %s", out, tt.json)
			}
		})
	}
}

func TestMerchantDecodesAllFields(t *testing.T) {
	var r monzo.MerchantRef
	if err := json.Unmarshal([]byte(expandedMerchantJSON), &r); err != nil {
		t.Fatal(err)
	}
	m, _ := r.Expanded()
	if m.GroupID != "grp_00008zIcpbBOaAr7TTP3sv" || m.Category != monzo.CategoryEatingOut || m.Emoji != "🍞" {
		t.Errorf("merchant = %+v", m)
	}
	if m.Created.IsZero() || m.Updated.Nanosecond() != 600_000_000 {
		t.Errorf("timestamps: created %v updated %v", m.Created, m.Updated)
	}
	a := m.Address
	if a.City != "London" || a.Latitude != 51.54151 || a.Longitude >= 0 || a.ZoomLevel != 17 || a.ShortFormatted == "" || a.Formatted == "" || a.Approximate {
		t.Errorf("address = %+v", a)
	}
	if m.Metadata["website"] != "https://example.com" {
		t.Errorf("metadata = %v", m.Metadata)
	}
	if !strings.Contains(string(m.Raw), "future_field") {
		t.Errorf("Raw lost an unknown field: %s", m.Raw)
	}
	if r.String() != "The De Beauvoir Deli Co." {
		t.Errorf("String() = %q", r.String())
	}
}

func TestMerchantRefRejectsOtherJSON(t *testing.T) {
	for _, bad := range []string{`42`, `true`, `["merch_1"]`} {
		var r monzo.MerchantRef
		if err := json.Unmarshal([]byte(bad), &r); err == nil {
			t.Errorf("decoding %s: want an error", bad)
		}
	}
}

func TestMerchantRefConstructors(t *testing.T) {
	if r := monzo.MerchantRefFromID("merch_1"); r.ID() != "merch_1" || r.IsZero() {
		t.Errorf("MerchantRefFromID: %+v", r)
	}
	r := monzo.MerchantRefFromMerchant(&monzo.Merchant{ID: "merch_2", Name: "Shop"})
	if m, ok := r.Expanded(); !ok || m.Name != "Shop" || r.ID() != "merch_2" {
		t.Errorf("MerchantRefFromMerchant: %+v", r)
	}
	if !monzo.MerchantRefFromMerchant(nil).IsZero() {
		t.Error("MerchantRefFromMerchant(nil) is not zero")
	}
	var zero monzo.MerchantRef
	if out, _ := json.Marshal(zero); string(out) != "null" {
		t.Errorf("zero MerchantRef marshals to %s, want null", out)
	}
}
