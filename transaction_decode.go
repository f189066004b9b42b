package monzo

import (
	"fmt"
	"strconv"
)

// This file decodes transactions, merchants and attachments by hand in one
// pass over the response (see jsonReader): decoding pages of transactions
// is the library's hot path. The field lists mirror the struct tags in
// transactions.go and merchant.go; TestDecodeMatchesEncodingJSON keeps them
// in step with encoding/json.

var transactionKeys = []string{
	"id", "amount", "created", "currency", "description", "merchant", "metadata", "notes", "is_load", "settled",
	"category", "decline_reason", "account_balance", "account_id", "user_id", "updated", "local_amount",
	"local_currency", "fees", "labels", "attachments", "international", "categories", "counterparty", "scheme",
	"dedupe_id", "originator", "include_in_spending", "can_be_excluded_from_breakdown", "can_be_made_subscription",
	"can_split_the_bill", "can_add_to_tab", "can_match_transactions_in_categorization", "amount_is_pending",
	"atm_fees_detailed", "parent_account_id", "tab",
}

// decodeTransaction reads one transaction object. Its Raw is a sub-slice
// of r's buffer, which the caller must own.
func decodeTransaction(r *jsonReader, t *Transaction) error {
	r.ws()
	start := r.pos
	if r.peek() != '{' {
		return r.mismatch("a transaction object")
	}
	var warns []DecodeWarning
	f := &fields{r: r, warns: &warns}
	err := r.members(transactionKeys, func(key []byte) (bool, error) {
		switch string(key) {
		case "id":
			return true, f.required("id", r.intoString(&t.ID))
		case "amount":
			return true, f.required("amount", r.intoInt(&t.Amount))
		case "created":
			return true, f.required("created", r.intoTimestamp(&t.Created))
		case "currency":
			return true, f.required("currency", r.intoInterned(&t.Currency))
		case "description":
			return true, f.optional("description", r.intoString(&t.Description))
		case "merchant":
			return true, f.optional("merchant", decodeMerchantRef(r, &t.Merchant, &warns))
		case "metadata":
			return true, f.optional("metadata", r.intoStringMap(&t.Metadata))
		case "notes":
			return true, f.optional("notes", r.intoString(&t.Notes))
		case "is_load":
			return true, f.optional("is_load", r.intoBool(&t.IsLoad))
		case "settled":
			return true, f.optional("settled", r.intoTimestamp(&t.Settled))
		case "category":
			return true, f.optional("category", intoEnum(r, &t.Category))
		case "decline_reason":
			return true, f.optional("decline_reason", intoEnum(r, &t.DeclineReason))
		case "account_balance":
			if null, err := r.null(); null || err != nil {
				t.AccountBalance = nil
				return true, err
			}
			var v int64
			err := r.intoInt(&v)
			if err == nil {
				t.AccountBalance = &v
			}
			return true, f.optional("account_balance", err)
		case "account_id":
			return true, f.optional("account_id", r.intoString(&t.AccountID))
		case "user_id":
			return true, f.optional("user_id", r.intoString(&t.UserID))
		case "updated":
			return true, f.optional("updated", r.intoTimestamp(&t.Updated))
		case "local_amount":
			return true, f.optional("local_amount", r.intoInt(&t.LocalAmount))
		case "local_currency":
			return true, f.optional("local_currency", r.intoInterned(&t.LocalCurrency))
		case "fees":
			return true, f.raw((*[]byte)(&t.Fees))
		case "labels":
			return true, f.raw((*[]byte)(&t.Labels))
		case "international":
			return true, f.raw((*[]byte)(&t.International))
		case "atm_fees_detailed":
			return true, f.raw((*[]byte)(&t.ATMFeesDetailed))
		case "tab":
			return true, f.raw((*[]byte)(&t.Tab))
		case "attachments":
			return true, f.optional("attachments", decodeAttachments(r, &t.Attachments, &warns))
		case "categories":
			return true, f.optional("categories", r.intoIntMap(&t.Categories))
		case "counterparty":
			return true, f.optional("counterparty", decodeCounterparty(r, &t.Counterparty, &warns))
		case "scheme":
			return true, f.optional("scheme", intoEnum(r, &t.Scheme))
		case "dedupe_id":
			return true, f.optional("dedupe_id", r.intoString(&t.DedupeID))
		case "originator":
			return true, f.optional("originator", r.intoBool(&t.Originator))
		case "include_in_spending":
			return true, f.optional("include_in_spending", r.intoBool(&t.IncludeInSpending))
		case "can_be_excluded_from_breakdown":
			return true, f.optional("can_be_excluded_from_breakdown", r.intoBool(&t.CanBeExcludedFromBreakdown))
		case "can_be_made_subscription":
			return true, f.optional("can_be_made_subscription", r.intoBool(&t.CanBeMadeSubscription))
		case "can_split_the_bill":
			return true, f.optional("can_split_the_bill", r.intoBool(&t.CanSplitTheBill))
		case "can_add_to_tab":
			return true, f.optional("can_add_to_tab", r.intoBool(&t.CanAddToTab))
		case "can_match_transactions_in_categorization":
			return true, f.optional("can_match_transactions_in_categorization", r.intoBool(&t.CanMatchTransactionsInCategorization))
		case "amount_is_pending":
			return true, f.optional("amount_is_pending", r.intoBool(&t.AmountIsPending))
		case "parent_account_id":
			return true, f.optional("parent_account_id", r.intoString(&t.ParentAccountID))
		}
		return false, nil
	})
	if err != nil {
		if t.ID != "" {
			return fmt.Errorf("transaction %q: %w", t.ID, err)
		}
		return err
	}
	t.Raw = r.buf[start:r.pos:r.pos]
	t.DecodeWarnings = warns
	return nil
}

// decodeMerchantRef reads a merchant id string, a merchant object, null or "".
func decodeMerchantRef(r *jsonReader, ref *MerchantRef, warns *[]DecodeWarning) error {
	*ref = MerchantRef{}
	switch r.peek() {
	case 'n':
		return r.literal("null")
	case '"':
		err := r.intoString(&ref.id)
		ref.emptyString = ref.id == ""
		return err
	case '{':
		m := new(Merchant)
		if err := decodeMerchant(r, m, warns, "merchant."); err != nil {
			return err
		}
		ref.id, ref.merchant = m.ID, m
		return nil
	}
	return r.mismatch("a merchant id string, a merchant object or null")
}

var merchantKeys = []string{
	"id", "group_id", "name", "logo", "emoji", "category", "created", "updated", "address", "online", "atm",
	"disable_feedback", "metadata",
}

// decodeMerchant reads a merchant object; warnings name fields under prefix.
func decodeMerchant(r *jsonReader, m *Merchant, warns *[]DecodeWarning, prefix string) error {
	r.ws()
	start := r.pos
	f := &fields{r: r, warns: warns, prefix: prefix}
	err := r.members(merchantKeys, func(key []byte) (bool, error) {
		switch string(key) {
		case "id":
			return true, f.optional("id", r.intoString(&m.ID))
		case "group_id":
			return true, f.optional("group_id", r.intoString(&m.GroupID))
		case "name":
			return true, f.optional("name", r.intoString(&m.Name))
		case "logo":
			return true, f.optional("logo", r.intoString(&m.Logo))
		case "emoji":
			return true, f.optional("emoji", r.intoString(&m.Emoji))
		case "category":
			return true, f.optional("category", intoEnum(r, &m.Category))
		case "created":
			return true, f.optional("created", r.intoTimestamp(&m.Created))
		case "updated":
			return true, f.optional("updated", r.intoTimestamp(&m.Updated))
		case "address":
			return true, f.optional("address", decodeAddress(r, &m.Address, warns, prefix+"address."))
		case "online":
			return true, f.optional("online", r.intoBool(&m.Online))
		case "atm":
			return true, f.optional("atm", r.intoBool(&m.ATM))
		case "disable_feedback":
			return true, f.optional("disable_feedback", r.intoBool(&m.DisableFeedback))
		case "metadata":
			return true, f.optional("metadata", r.intoStringMap(&m.Metadata))
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	m.Raw = r.buf[start:r.pos:r.pos]
	return nil
}

var addressKeys = []string{
	"address", "city", "country", "postcode", "region", "latitude", "longitude", "short_formatted", "formatted",
	"zoom_level", "approximate",
}

func decodeAddress(r *jsonReader, a *MerchantAddress, warns *[]DecodeWarning, prefix string) error {
	if null, err := r.expect('{', "an address object"); null || err != nil {
		return err
	}
	f := &fields{r: r, warns: warns, prefix: prefix}
	return r.members(addressKeys, func(key []byte) (bool, error) {
		switch string(key) {
		case "address":
			return true, f.optional("address", r.intoString(&a.Address))
		case "city":
			return true, f.optional("city", r.intoString(&a.City))
		case "country":
			return true, f.optional("country", r.intoInterned(&a.Country))
		case "postcode":
			return true, f.optional("postcode", r.intoString(&a.Postcode))
		case "region":
			return true, f.optional("region", r.intoString(&a.Region))
		case "latitude":
			return true, f.optional("latitude", r.intoFloat(&a.Latitude))
		case "longitude":
			return true, f.optional("longitude", r.intoFloat(&a.Longitude))
		case "short_formatted":
			return true, f.optional("short_formatted", r.intoString(&a.ShortFormatted))
		case "formatted":
			return true, f.optional("formatted", r.intoString(&a.Formatted))
		case "zoom_level":
			var z int64
			err := r.intoInt(&z)
			if err == nil && int64(int(z)) == z {
				a.ZoomLevel = int(z)
			}
			return true, f.optional("zoom_level", err)
		case "approximate":
			return true, f.optional("approximate", r.intoBool(&a.Approximate))
		}
		return false, nil
	})
}

var counterpartyKeys = []string{
	"name", "preferred_name", "account_number", "sort_code", "user_id", "account_id", "beneficiary_account_type",
}

func decodeCounterparty(r *jsonReader, c *Counterparty, warns *[]DecodeWarning) error {
	if null, err := r.expect('{', "a counterparty object"); null || err != nil {
		return err
	}
	f := &fields{r: r, warns: warns, prefix: "counterparty."}
	return r.members(counterpartyKeys, func(key []byte) (bool, error) {
		var dst *string
		k := string(key)
		switch k {
		case "name":
			dst = &c.Name
		case "preferred_name":
			dst = &c.PreferredName
		case "account_number":
			dst = &c.AccountNumber
		case "sort_code":
			dst = &c.SortCode
		case "user_id":
			dst = &c.UserID
		case "account_id":
			dst = &c.AccountID
		case "beneficiary_account_type":
			dst = &c.BeneficiaryAccountType
		default:
			return false, nil
		}
		return true, f.optional(k, r.intoString(dst))
	})
}

func decodeAttachments(r *jsonReader, dst *[]Attachment, warns *[]DecodeWarning) error {
	if null, err := r.expect('[', "an array of attachments"); null || err != nil {
		if null {
			*dst = nil
		}
		return err
	}
	out := []Attachment{}
	err := r.array(func() error {
		if null, err := r.null(); null || err != nil {
			// As encoding/json: a null element is a zero attachment.
			out = append(out, Attachment{})
			return err
		}
		var a Attachment
		err := decodeAttachment(r, &a, warns, "attachments["+strconv.Itoa(len(out))+"].")
		if te, ok := err.(*typeError); ok {
			*warns = append(*warns, DecodeWarning{Field: "attachments[" + strconv.Itoa(len(out)) + "]", Err: te})
			return nil
		}
		out = append(out, a)
		return err
	})
	if err != nil {
		return err
	}
	*dst = out
	return nil
}

var attachmentKeys = []string{"id", "user_id", "external_id", "file_url", "file_type", "created", "type", "url"}

func decodeAttachment(r *jsonReader, a *Attachment, warns *[]DecodeWarning, prefix string) error {
	r.ws()
	start := r.pos
	if r.peek() != '{' {
		return r.mismatch("an attachment object")
	}
	f := &fields{r: r, warns: warns, prefix: prefix}
	err := r.members(attachmentKeys, func(key []byte) (bool, error) {
		switch string(key) {
		case "created":
			return true, f.optional("created", r.intoTimestamp(&a.Created))
		case "file_type":
			return true, f.optional("file_type", r.intoInterned(&a.FileType))
		}
		var dst *string
		k := string(key)
		switch k {
		case "id":
			dst = &a.ID
		case "user_id":
			dst = &a.UserID
		case "external_id":
			dst = &a.ExternalID
		case "file_url":
			dst = &a.FileURL
		case "type":
			dst = &a.Type
		case "url":
			dst = &a.URL
		default:
			return false, nil
		}
		return true, f.optional(k, r.intoString(dst))
	})
	if err != nil {
		return err
	}
	a.Raw = r.buf[start:r.pos:r.pos]
	return nil
}

// readMember reads a response object for the one member named key, as
// encoding/json would into a struct with that one field: the key matches
// case-insensitively, other members are skipped, and only whitespace may
// follow the object. value is called positioned before each value of the
// member (a repeated key calls it again). what names the expected content
// for the error about a body that is not an object.
func readMember(data []byte, key, what string, value func(r *jsonReader) error) error {
	r := jsonReader{buf: data}
	if r.peek() != '{' {
		return fmt.Errorf("want an object with %s, got %s", what, r.kind())
	}
	known := []string{key}
	err := r.members(known, func(k []byte) (bool, error) {
		if string(k) != key {
			return false, nil
		}
		return true, value(&r)
	})
	if err != nil {
		return err
	}
	return r.end()
}

// readTransactionList reads the body of GET /transactions. list is called
// with null true for a null list, or before the elements of a list, and
// elem before each element, which it must consume.
func readTransactionList(data []byte, list func(null bool), elem func(r *jsonReader, i int) error) error {
	return readMember(data, "transactions", "a transactions list", func(r *jsonReader) error {
		null, err := r.expect('[', "an array")
		switch {
		case null:
			list(true)
			return err
		case err != nil:
			return fmt.Errorf("transactions: %w", err)
		}
		list(false)
		i := 0
		return r.array(func() error {
			i++
			return elem(r, i-1)
		})
	})
}

// decodeOwned decodes a page of transactions from a buffer the caller owns
// and never reuses, so raw JSON can point into it.
func (p *transactionPage) decodeOwned(data []byte) error {
	return readTransactionList(data, func(null bool) {
		p.Transactions = nil
		if !null {
			p.Transactions = make([]Transaction, 0, max(p.sizeHint, 1))
		}
	}, func(r *jsonReader, i int) error {
		p.Transactions = append(p.Transactions, Transaction{})
		if err := decodeTransaction(r, &p.Transactions[i]); err != nil {
			return fmt.Errorf("transactions[%d]: %w", i, err)
		}
		return nil
	})
}

// transactionResponse is the body of a single-transaction call.
type transactionResponse struct {
	Transaction *Transaction `json:"transaction"`
}

func (p *transactionResponse) decodeOwned(data []byte) error {
	return readMember(data, "transaction", "a transaction", func(r *jsonReader) error {
		if null, err := r.null(); null || err != nil {
			p.Transaction = nil
			return err
		}
		t := new(Transaction)
		if err := decodeTransaction(r, t); err != nil {
			return fmt.Errorf("transaction: %w", err)
		}
		p.Transaction = t
		return nil
	})
}

// ownedDecoder is a response body that decodes itself from a buffer the
// client read and will not reuse (see Client.send).
type ownedDecoder interface {
	decodeOwned(data []byte) error
}
