package emulator

import (
	"fmt"
	"net/http"
	"strings"
)

// Receipt totals (docs/api-notes.md#receipts).
//
// Monzo documents how a receipt's amounts relate: the sub-items of an item
// add up to its amount, the items plus the taxes add up to the total, the
// payments add up to the total, and the total is the transaction's amount.
// It says "should", and its own examples break every one of these rules
// (a burger of 539 whose sub-items are 100 and -100; items of 70 under a
// total of 1299), so Monzo cannot be refusing such receipts. Neither does
// the emulator [E]: it stores them, and tells the client what does not add
// up, so that a mistake is caught in tests and not by a user reading the
// receipt in the app:
//
//   - each problem is a Warning header on the PUT's answer (code 299,
//     agent monzo-emulator), which clients and proxies ignore unless they
//     look;
//   - the same text is kept with the receipt ([ReceiptRecord].Warnings)
//     and logged when the server has a logger.
//
// What is checked: each item with sub-items against their sum; the items
// against the total, with or without the taxes added (UK receipts often
// print prices with VAT included and list the VAT apart, and that is not a
// mistake); the payments, if any, against the total; every currency
// against the receipt's; and the total against the transaction's amount
// (or its local amount, for a payment abroad). A sum that would overflow
// an int64 is refused with 400 bad_request.bad_param.<field>, as every
// money sum in the emulator is (bank_money.go).

// receiptWarningAgent names the emulator in Warning headers.
const receiptWarningAgent = "monzo-emulator"

// totalsWarnings checks rec's own sums and currencies.
func (rec receiptJSON) totalsWarnings() ([]string, *apiError) {
	var warnings []string
	warnf := func(format string, args ...any) { warnings = append(warnings, fmt.Sprintf(format, args...)) }
	currency := func(field, c string) {
		if c != rec.Currency {
			warnf("%s is %s, but the receipt is in %s", field, c, rec.Currency)
		}
	}
	var items, taxes, payments int64
	for i, item := range rec.Items {
		field := fmt.Sprintf("items[%d]", i)
		currency(field+".currency", item.Currency)
		if len(item.SubItems) > 0 {
			var subs int64
			for j, sub := range item.SubItems {
				subField := fmt.Sprintf("%s.sub_items[%d]", field, j)
				currency(subField+".currency", sub.Currency)
				var ok bool
				if subs, ok = addMoney(subs, sub.Amount); !ok {
					return nil, receiptSumOverflow(field + ".sub_items")
				}
			}
			if subs != item.Amount {
				warnf("%s.amount is %d, but its sub-items add up to %d", field, item.Amount, subs)
			}
		}
		var ok bool
		if items, ok = addMoney(items, item.Amount); !ok {
			return nil, receiptSumOverflow("items")
		}
	}
	for i, tax := range rec.Taxes {
		currency(fmt.Sprintf("taxes[%d].currency", i), tax.Currency)
		var ok bool
		if taxes, ok = addMoney(taxes, tax.Amount); !ok {
			return nil, receiptSumOverflow("taxes")
		}
	}
	withTaxes, ok := addMoney(items, taxes)
	if !ok {
		return nil, receiptSumOverflow("taxes")
	}
	switch {
	case len(rec.Taxes) == 0 && items != rec.Total:
		warnf("the items add up to %d, but the total is %d", items, rec.Total)
	case len(rec.Taxes) > 0 && items != rec.Total && withTaxes != rec.Total:
		warnf("the items add up to %d (%d with the taxes), but the total is %d", items, withTaxes, rec.Total)
	}
	for i, p := range rec.Payments {
		currency(fmt.Sprintf("payments[%d].currency", i), p.Currency)
		if payments, ok = addMoney(payments, p.Amount); !ok {
			return nil, receiptSumOverflow("payments")
		}
	}
	if len(rec.Payments) > 0 && payments != rec.Total {
		warnf("the payments add up to %d, but the total is %d", payments, rec.Total)
	}
	return warnings, nil
}

// transactionWarning compares rec's total with the amount of tx, the
// transaction it is attached to, in the transaction's currency or, for a
// payment abroad, its local currency. It returns "" when they agree.
func (rec receiptJSON) transactionWarning(tx *transaction) string {
	abs := func(v int64) int64 {
		if v < 0 {
			return -v
		}
		return v
	}
	switch {
	case rec.Currency == tx.Currency && rec.Total == abs(tx.Amount):
		return ""
	case rec.Currency == tx.LocalCurrency && rec.Total == abs(tx.LocalAmount):
		return ""
	case rec.Currency == tx.Currency || tx.LocalCurrency == "" || tx.LocalCurrency == tx.Currency:
		return fmt.Sprintf("the total is %d %s, but transaction %s is for %d %s", rec.Total, rec.Currency, tx.ID, abs(tx.Amount), tx.Currency)
	}
	return fmt.Sprintf("the total is %d %s, but transaction %s is for %d %s (%d %s)",
		rec.Total, rec.Currency, tx.ID, abs(tx.Amount), tx.Currency, abs(tx.LocalAmount), tx.LocalCurrency)
}

func receiptSumOverflow(field string) *apiError {
	return badParam(field, "The amounts of '"+field+"' add up to more than a 64-bit integer of minor units can hold: check them")
}

// setReceiptWarnings adds one Warning header per warning: RFC 7234's
// field, code 299 (a persistent warning). RFC 9111 has since deprecated
// it, but it remains the standard place for advice that changes nothing,
// and no client acts on it by accident.
func setReceiptWarnings(h http.Header, warnings []string) {
	for _, w := range warnings {
		quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(w)
		h.Add("Warning", fmt.Sprintf(`299 %s "receipt: %s"`, receiptWarningAgent, quoted))
	}
}
