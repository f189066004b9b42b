package monzo

import (
	"encoding/json"
	"fmt"
)

// Merchant is a shop, restaurant or service a card payment went to.
// Transactions carry one only when listed or read with ExpandMerchant;
// otherwise they carry its id (see [MerchantRef]).
type Merchant struct {
	ID string `json:"id"`
	// GroupID groups the branches of one business ("grp_…").
	GroupID  string          `json:"group_id"`
	Name     string          `json:"name"`
	Logo     string          `json:"logo"`
	Emoji    string          `json:"emoji"`
	Category Category        `json:"category"`
	Created  Timestamp       `json:"created"`
	Updated  Timestamp       `json:"updated"`
	Address  MerchantAddress `json:"address"`
	// Online is true for merchants without a physical shop.
	Online          bool `json:"online"`
	ATM             bool `json:"atm"`
	DisableFeedback bool `json:"disable_feedback"`
	// Metadata holds extra details such as "website" or "twitter_id".
	Metadata map[string]string `json:"metadata,omitempty"`

	// Raw is the JSON the merchant was decoded from.
	Raw RawJSON `json:"-"`
}

// UnmarshalJSON decodes the merchant and keeps a copy of its raw JSON. A
// value of the wrong type in any field is an error here; inside a
// transaction it becomes one of the transaction's DecodeWarnings.
func (m *Merchant) UnmarshalJSON(data []byte) error {
	r := jsonReader{buf: append([]byte(nil), data...)}
	var warns []DecodeWarning
	*m = Merchant{}
	if r.peek() != '{' {
		return fmt.Errorf("monzo: decoding merchant: %w", r.mismatch("an object"))
	}
	if err := decodeMerchant(&r, m, &warns, ""); err != nil {
		return fmt.Errorf("monzo: decoding merchant: %w", err)
	}
	if err := r.end(); err != nil {
		return err
	}
	return warningsError("merchant", warns)
}

// MerchantAddress is where a merchant is. Coordinates are degrees.
type MerchantAddress struct {
	Address string `json:"address"`
	City    string `json:"city"`
	// Country is usually an ISO code; online merchants may use "GLO".
	Country   string  `json:"country"`
	Postcode  string  `json:"postcode"`
	Region    string  `json:"region"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	// ShortFormatted and Formatted are the address on one line.
	ShortFormatted string `json:"short_formatted,omitempty"`
	Formatted      string `json:"formatted,omitempty"`
	// ZoomLevel is the map zoom the app uses to show the merchant.
	ZoomLevel int `json:"zoom_level,omitempty"`
	// Approximate is true when the location is a guess.
	Approximate bool `json:"approximate,omitempty"`
}

// MerchantRef is a transaction's merchant as the API sends it: a merchant id
// string by default, the full [Merchant] object when expansion was asked
// for, or nothing (null or "") for transactions without a merchant such as
// transfers. The zero MerchantRef is "no merchant".
type MerchantRef struct {
	id       string
	merchant *Merchant
	// emptyString remembers that the API sent "" rather than null, so the
	// value encodes back the way it arrived.
	emptyString bool
}

// MerchantRefFromID returns a reference to the merchant with this id.
func MerchantRefFromID(id string) MerchantRef { return MerchantRef{id: id} }

// MerchantRefFromMerchant returns a reference holding the expanded merchant m.
func MerchantRefFromMerchant(m *Merchant) MerchantRef {
	if m == nil {
		return MerchantRef{}
	}
	return MerchantRef{id: m.ID, merchant: m}
}

// ID returns the merchant id, whether or not the merchant was expanded, or
// "" when there is no merchant.
func (r MerchantRef) ID() string { return r.id }

// Expanded returns the full merchant and true when the API sent the object
// (the request asked for ExpandMerchant); otherwise nil and false.
func (r MerchantRef) Expanded() (*Merchant, bool) { return r.merchant, r.merchant != nil }

// IsZero reports whether the transaction has no merchant.
func (r MerchantRef) IsZero() bool { return r.id == "" && r.merchant == nil }

// String returns the merchant's name when expanded, otherwise its id.
func (r MerchantRef) String() string {
	if r.merchant != nil && r.merchant.Name != "" {
		return r.merchant.Name
	}
	return r.id
}

// UnmarshalJSON accepts a merchant id string, a merchant object, null or "".
func (r *MerchantRef) UnmarshalJSON(data []byte) error {
	rd := jsonReader{buf: append([]byte(nil), data...)}
	var warns []DecodeWarning
	if err := decodeMerchantRef(&rd, r, &warns); err != nil {
		return fmt.Errorf("monzo: decoding merchant: %w", err)
	}
	if err := rd.end(); err != nil {
		return err
	}
	return warningsError("merchant", warns)
}

// MarshalJSON writes the merchant back in the form it arrived in: the
// object when expanded, otherwise the id, "" or null.
func (r MerchantRef) MarshalJSON() ([]byte, error) {
	switch {
	case r.merchant != nil:
		return json.Marshal(r.merchant)
	case r.id != "" || r.emptyString:
		return json.Marshal(r.id)
	}
	return []byte("null"), nil
}
