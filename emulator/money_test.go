package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// exactBalance reads GET /balance with numbers kept exact (float64 would
// round near 2^63 and hide a wrapped sum).
func (f *potsFixture) exactBalance(accountID string) map[string]int64 {
	f.t.Helper()
	resp := f.get("/balance?account_id="+accountID, f.token)
	wantStatus(f.t, resp, http.StatusOK)
	dec := json.NewDecoder(bytes.NewReader(resp.body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		f.t.Fatal(err)
	}
	out := map[string]int64{}
	for _, k := range []string{"balance", "total_balance", "balance_including_flexible_savings", "spend_today"} {
		n, err := m[k].(json.Number).Int64()
		if err != nil {
			f.t.Fatalf("%s = %v: %v", k, m[k], err)
		}
		out[k] = n
	}
	return out
}

// injectJSON posts to POST /_emulator/transactions.
func (f *potsFixture) injectJSON(body string) response {
	f.t.Helper()
	return f.controlJSON(http.MethodPost, "/_emulator/transactions", body)
}

// Every money sum is overflow-checked (issue 6 item 9): the balance, the
// total with pots, today's spending and today's local spending are refused
// with a clear 400 instead of wrapping, and nothing moves.
func TestMoneySumsNeverWrap(t *testing.T) {
	f := newPotsFixture(t)
	acc := f.personal
	start := f.exactBalance(acc)
	fp := func(amount int64) string {
		return fmt.Sprintf(`{"kind":"faster_payment_in","account_id":%q,"amount":%d,"counterparty_name":"ACME"}`, acc, amount)
	}
	card := func(amount int64, extra string) string {
		return fmt.Sprintf(`{"kind":"card_payment","account_id":%q,"amount":%d,"merchant_name":"Big Spender"%s}`, acc, amount, extra)
	}
	refused := func(name string, r response) {
		t.Helper()
		m := wantError(t, r, http.StatusBadRequest, "bad_request.bad_param.transaction")
		if msg, _ := m["message"].(string); !strings.Contains(msg, "beyond the largest") {
			t.Errorf("%s: message %q does not say the sum would overflow", name, msg)
		}
	}

	// 1. A Faster Payment that would wrap the balance.
	refused("balance", f.injectJSON(fp(math.MaxInt64)))
	if got := f.exactBalance(acc); !maps.Equal(got, start) {
		t.Fatalf("after a refused payment the balance is %v, want %v", got, start)
	}

	// 2. Fill the account up to the largest total it can hold, then move
	// it all into a pot: the pot must not wrap, and no more may come in.
	room := math.MaxInt64 - start["total_balance"]
	wantStatus(t, f.injectJSON(fp(room)), http.StatusCreated)
	if got := f.exactBalance(acc)["total_balance"]; got != math.MaxInt64 {
		t.Fatalf("total_balance = %d, want MaxInt64", got)
	}
	potID := f.pot("Holidays")["id"].(string)
	all := f.exactBalance(acc)["balance"]
	wantStatus(t, f.move("deposit", potID, acc, strconv.FormatInt(all, 10), "all-in"), http.StatusOK)
	if got := f.exactBalance(acc); got["total_balance"] != math.MaxInt64 || got["balance"] != 0 {
		t.Fatalf("after depositing everything: %v", got)
	}
	refused("total_balance", f.injectJSON(fp(1)))

	// 3. Today's spending: two huge card payments (with the money to pay
	// for them in between) would take spend_today below MinInt64.
	wantStatus(t, f.move("withdraw", potID, acc, strconv.FormatInt(all, 10), "all-out"), http.StatusOK)
	huge := f.exactBalance(acc)["balance"] - 1
	wantStatus(t, f.injectJSON(card(huge, "")), http.StatusCreated)
	wantStatus(t, f.injectJSON(fp(huge)), http.StatusCreated)
	refused("spend_today", f.injectJSON(card(huge, "")))

	// 4. Local spending abroad is a separate sum in another currency.
	wantStatus(t, f.injectJSON(card(1, `,"local_amount":9223372036854775000,"local_currency":"EUR"`)), http.StatusCreated)
	refused("local_spend", f.injectJSON(card(1, `,"local_amount":9223372036854775000,"local_currency":"EUR"`)))

	// 5. The API answers every balance figure without wrapping.
	got := f.exactBalance(acc)
	if got["balance"] < 0 || got["total_balance"] < got["balance"] || got["spend_today"] > 0 {
		t.Errorf("balance after the refusals looks wrapped: %v", got)
	}
}

func TestAddMoney(t *testing.T) {
	for _, c := range []struct {
		a, b int64
		ok   bool
	}{
		{1, 2, true}, {math.MaxInt64, 0, true}, {math.MaxInt64, 1, false}, {math.MaxInt64 - 1, 1, true},
		{math.MinInt64, -1, false}, {math.MinInt64, 1, true}, {math.MinInt64 + 1, -1, true}, {-1, math.MinInt64, false},
		{math.MaxInt64, math.MinInt64, true},
	} {
		sum, ok := addMoney(c.a, c.b)
		if ok != c.ok || (ok && sum != c.a+c.b) {
			t.Errorf("addMoney(%d, %d) = %d, %v; want ok=%v", c.a, c.b, sum, ok, c.ok)
		}
	}
}
