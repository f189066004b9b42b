package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// amountSite is one place a request carries an amount of money.
type amountSite struct {
	name string
	// json: the amount is a JSON number (its text reaches the rule only
	// if it is valid JSON); otherwise a form value.
	json bool
	// code is the error code of a refused amount.
	code string
	// send puts literal at the site, in an otherwise valid request.
	send func(f *potsFixture, literal string, n int) response
	// moved reports whether the request with index n changed anything.
	moved func(f *potsFixture, n int) bool
}

// amountSites lists every request parameter that is an amount of money:
// pot moves, every amount of a receipt, and injected payments.
func amountSites(f *potsFixture) []amountSite {
	hol := f.pot("Holidays")["id"].(string)
	txID := cardTx(f.env, f.personal)
	potMove := func(op string) amountSite {
		return amountSite{name: op + " amount", code: "bad_request.bad_param.amount",
			send: func(f *potsFixture, literal string, n int) response {
				return f.move(op, hol, f.personal, literal, fmt.Sprintf("%s-%d", op, n))
			},
			moved: func(f *potsFixture, n int) bool {
				for _, tx := range f.txs() {
					if tx["dedupe_id"] == fmt.Sprintf("%s-%d", op, n) {
						return true
					}
				}
				return false
			}}
	}
	receipt := func(path string, set func(b map[string]any)) amountSite {
		return amountSite{name: "receipt " + path, json: true, code: "bad_request.bad_param." + path,
			send: func(f *potsFixture, literal string, n int) response {
				b := receiptBody(fmt.Sprintf("amount-%d", n), txID)
				set(b)
				data, err := json.Marshal(b)
				if err != nil {
					f.t.Fatal(err)
				}
				data = []byte(strings.Replace(string(data), `"AMOUNT"`, literal, 1))
				return f.sendBody(http.MethodPut, "/transaction-receipts", f.token, "application/json", data)
			},
			moved: func(f *potsFixture, n int) bool {
				return f.get(receiptPath(fmt.Sprintf("amount-%d", n)), f.token).status != http.StatusNotFound
			}}
	}
	item := func(b map[string]any) map[string]any { return b["items"].([]any)[0].(map[string]any) }
	inject := func(name, body string) amountSite {
		return amountSite{name: "injected " + name, json: true, code: "bad_request.bad_param." + strings.Fields(name)[len(strings.Fields(name))-1],
			send: func(f *potsFixture, literal string, n int) response {
				return f.injectJSON(strings.Replace(fmt.Sprintf(body, f.personal, n), `"AMOUNT"`, literal, 1))
			},
			moved: func(f *potsFixture, n int) bool {
				for _, tx := range f.txs() {
					if strings.Contains(fmt.Sprint(tx), fmt.Sprintf("Payee %d", n)) {
						return true
					}
				}
				return false
			}}
	}
	return []amountSite{
		potMove("deposit"),
		potMove("withdraw"),
		receipt("total", func(b map[string]any) { b["total"] = "AMOUNT" }),
		receipt("items[0].amount", func(b map[string]any) { item(b)["amount"] = "AMOUNT" }),
		receipt("items[0].tax", func(b map[string]any) { item(b)["tax"] = "AMOUNT" }),
		receipt("items[0].sub_items[0].amount", func(b map[string]any) {
			item(b)["sub_items"].([]any)[0].(map[string]any)["amount"] = "AMOUNT"
		}),
		receipt("taxes[0].amount", func(b map[string]any) { b["taxes"].([]any)[0].(map[string]any)["amount"] = "AMOUNT" }),
		receipt("payments[0].amount", func(b map[string]any) { b["payments"].([]any)[0].(map[string]any)["amount"] = "AMOUNT" }),
		inject("card payment amount", `{"kind":"card_payment","account_id":%q,"amount":"AMOUNT","merchant_name":"Payee %d"}`),
		inject("card payment local_amount", `{"kind":"card_payment","account_id":%q,"amount":100,"local_amount":"AMOUNT","local_currency":"EUR","merchant_name":"Payee %d"}`),
		inject("faster payment amount", `{"kind":"faster_payment_in","account_id":%q,"amount":"AMOUNT","counterparty_name":"Payee %d"}`),
	}
}

// Every amount of money in a request follows one rule (amount.go): plain
// decimal digits of minor units, an optional minus sign, nothing else.
// The table runs every spelling a sloppy client might send through every
// site that takes an amount; each is refused with a 400 naming the field
// and nothing moves, and the plain spelling works everywhere.
func TestEveryAmountFollowsOneRule(t *testing.T) {
	f := newPotsFixture(t)
	// As form values every spelling reaches the rule; in JSON some are
	// not JSON at all and are refused as a bad body first.
	refusedText := map[string]string{
		" 1": "spaces", "1 ": "spaces", "+1": "plus sign", "01": "leading zeros", "-0": "minus zero",
		"1.0": "not a whole number", "1.5": "not a whole number", "1e2": "not a whole number", "1E2": "not a whole number",
		"0x10": "not written in decimal", "1_000": "not a number", "ten": "not a number", "": "empty",
		"9223372036854775808": "beyond the largest amount",
	}
	refusedJSON := map[string]string{
		"1.0": "not a whole number", "1e2": "not a whole number", "1E2": "not a whole number", "-0": "minus zero",
		"9223372036854775808": "beyond the largest amount", `"1"`: "not a string",
	}
	notJSON := []string{"+1", "01", "0x10", "1_000"}

	n := 0
	for _, site := range amountSites(f) {
		refused := refusedText
		if site.json {
			refused = refusedJSON
		}
		for literal, why := range refused {
			n++
			r := site.send(f, literal, n)
			m := wantError(t, r, http.StatusBadRequest, site.code)
			if msg, _ := m["message"].(string); !strings.Contains(msg, why) {
				t.Errorf("%s = %q: message %q does not say %q", site.name, literal, msg, why)
			}
			if site.moved(f, n) {
				t.Errorf("%s = %q was refused but changed something", site.name, literal)
			}
		}
		if site.json {
			for _, literal := range notJSON {
				n++
				wantError(t, site.send(f, literal, n), http.StatusBadRequest, "bad_request.bad_body")
				if site.moved(f, n) {
					t.Errorf("%s = %s was refused but changed something", site.name, literal)
				}
			}
		}
		n++
		if r := site.send(f, "1", n); r.status/100 != 2 {
			t.Errorf("%s = 1: status %d %s, want success", site.name, r.status, r.body)
		} else if !site.moved(f, n) {
			t.Errorf("%s = 1 succeeded but nothing changed (the moved check is blind)", site.name)
		}
	}
}

func TestPotAmountMessageKeepsMonzosWords(t *testing.T) {
	f := newPotsFixture(t)
	hol := f.pot("Holidays")["id"].(string)
	for _, amount := range []string{"0", "-5", "", "1.0"} {
		m := wantError(t, f.move("deposit", hol, f.personal, amount, "w"), http.StatusBadRequest, "bad_request.bad_param.amount")
		if msg, _ := m["message"].(string); !strings.Contains(msg, "must be greater than 0") {
			t.Errorf("amount %q: message %q lacks Monzo's \"must be greater than 0\"", amount, msg)
		}
	}
}
