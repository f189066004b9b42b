package emulator

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func balanceOf(t *testing.T, s *Server, acc string) int64 {
	t.Helper()
	for _, u := range s.Users() {
		for _, a := range u.Accounts {
			if a.ID == acc {
				return a.Balance
			}
		}
	}
	t.Fatalf("no account %s", acc)
	return 0
}

func TestInjectedKindsAreDeliveredInFull(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	rc := newReceiver(t)
	e.hook(tok.Access, acc, rc.ts.URL+"/monzo?token=x")
	start := balanceOf(t, e.s, acc)

	settled, err := e.s.InjectCardPayment(CardPayment{AccountID: acc, Amount: 450, MerchantName: "Pret A Manger"})
	if err != nil {
		t.Fatal(err)
	}
	pending, err := e.s.InjectCardPayment(CardPayment{AccountID: acc, Amount: 1200, MerchantName: "Brand New Bistro", Category: "eating_out", Pending: true})
	if err != nil {
		t.Fatal(err)
	}
	declined, err := e.s.InjectCardPayment(CardPayment{AccountID: acc, Amount: 999, MerchantName: "Pret A Manger", DeclineReason: "CARD_BLOCKED"})
	if err != nil {
		t.Fatal(err)
	}
	fpsIn, err := e.s.InjectFasterPaymentIn(FasterPayment{AccountID: acc, Amount: 250000, CounterpartyName: "ACME PAYROLL",
		CounterpartySortCode: "200000", CounterpartyAccountNumber: "12345678", Reference: "SALARY MARCH"})
	if err != nil {
		t.Fatal(err)
	}
	fpsOut, err := e.s.InjectFasterPaymentOut(FasterPayment{AccountID: acc, Amount: 5000, CounterpartyName: "J SMITH",
		CounterpartySortCode: "309634", CounterpartyAccountNumber: "87654321", Reference: "Rent share"})
	if err != nil {
		t.Fatal(err)
	}

	// Money moves for everything but the decline.
	if got, want := balanceOf(t, e.s, acc), start-450-1200+250000-5000; got != want {
		t.Errorf("balance = %d, want %d", got, want)
	}

	d := waitDeliveries(t, e.s, 5)
	events := map[string]deliveredEvent{}
	for _, rec := range d {
		if !rec.Succeeded {
			t.Errorf("delivery failed: %+v", rec)
		}
		ev := decodeEvent(t, rec.Body)
		if ev.Type != "transaction.created" {
			t.Errorf("type = %q", ev.Type)
		}
		events[ev.Data["id"].(string)] = ev
	}
	rc.mu.Lock()
	for _, h := range rc.headers {
		if h.Get("Content-Type") != "application/json" {
			t.Errorf("Content-Type = %q", h.Get("Content-Type"))
		}
	}
	rc.mu.Unlock()

	// The full transaction: every field of a real one is present.
	for _, id := range []string{settled, pending, declined, fpsIn, fpsOut} {
		data := events[id].Data
		for _, k := range []string{"id", "account_id", "amount", "created", "currency", "description", "category", "is_load",
			"settled", "merchant", "metadata", "counterparty", "scheme", "dedupe_id", "updated", "local_amount", "include_in_spending", "labels", "attachments"} {
			if _, ok := data[k]; !ok {
				t.Errorf("%s: event data lacks %q", id, k)
			}
		}
		if data["account_id"] != acc {
			t.Errorf("%s: account_id = %v", id, data["account_id"])
		}
	}

	card := events[settled].Data
	m, ok := card["merchant"].(map[string]any)
	if !ok || m["name"] != "Pret A Manger" || !strings.HasPrefix(m["id"].(string), "merch_") || m["address"] == nil {
		t.Errorf("merchant not expanded: %v", card["merchant"])
	}
	if card["amount"] != -450.0 || card["settled"] == "" || card["scheme"] != "mastercard" || card["category"] != "eating_out" {
		t.Errorf("settled card payment = %v", card)
	}
	if md := card["metadata"].(map[string]any); md["mcc"] != "5814" || md["mastercard_card_id"] == nil {
		t.Errorf("card metadata = %v", md)
	}
	if _, has := card["decline_reason"]; has {
		t.Errorf("a settled payment carries decline_reason")
	}

	p := events[pending].Data
	if p["settled"] != "" || p["merchant"].(map[string]any)["name"] != "Brand New Bistro" || p["category"] != "eating_out" {
		t.Errorf("pending card payment = %v", p)
	}

	dec := events[declined].Data
	if dec["decline_reason"] != "CARD_BLOCKED" || dec["settled"] != "" || dec["include_in_spending"] != false {
		t.Errorf("declined payment = %v", dec)
	}

	in := events[fpsIn].Data
	cp := in["counterparty"].(map[string]any)
	if in["amount"] != 250000.0 || in["scheme"] != "payport_faster_payments" || cp["name"] != "ACME PAYROLL" || cp["sort_code"] != "200000" || cp["account_number"] != "12345678" || in["merchant"] != nil {
		t.Errorf("incoming FPS = %v", in)
	}
	md := in["metadata"].(map[string]any)
	for _, k := range []string{"faster_payment", "fps_fpid", "fps_payment_id", "insertion", "trn"} {
		if md[k] == nil || md[k] == "" {
			t.Errorf("incoming FPS metadata lacks %s: %v", k, md)
		}
	}
	if md["notes"] != "SALARY MARCH" {
		t.Errorf("reference = %v", md["notes"])
	}
	out := events[fpsOut].Data
	if out["amount"] != -5000.0 || out["originator"] != true || out["counterparty"].(map[string]any)["name"] != "J SMITH" {
		t.Errorf("outgoing FPS = %v", out)
	}

	// The API shows the same transaction.
	r := e.get("/transactions/"+fpsIn+"?expand[]=merchant", tok.Access)
	if r.status == http.StatusOK {
		if got := r.json(t)["transaction"].(map[string]any); got["amount"] != 250000.0 {
			t.Errorf("GET /transactions/%s = %v", fpsIn, got)
		}
	}
}

func TestInjectCardPaymentInsufficientFunds(t *testing.T) {
	e := setup(t)
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	start := balanceOf(t, e.s, acc)
	id, err := e.s.InjectCardPayment(CardPayment{AccountID: acc, Amount: start + 1, MerchantName: "Apple Store"})
	if err != nil {
		t.Fatal(err)
	}
	e.s.bank.mu.Lock()
	reason := e.s.bank.transactions[id].DeclineReason
	e.s.bank.unlock()
	if reason != "INSUFFICIENT_FUNDS" || balanceOf(t, e.s, acc) != start {
		t.Fatalf("decline reason %q, balance %d (was %d)", reason, balanceOf(t, e.s, acc), start)
	}
	if _, err := e.s.InjectFasterPaymentOut(FasterPayment{AccountID: acc, Amount: start + 1, CounterpartyName: "X"}); !errors.Is(err, ErrInject) {
		t.Fatalf("unaffordable transfer: err = %v", err)
	}
}

func TestInjectValidation(t *testing.T) {
	e := setup(t)
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	for name, p := range map[string]CardPayment{
		"no account":      {Amount: 1, MerchantName: "X"},
		"unknown account": {AccountID: "acc_nope", Amount: 1, MerchantName: "X"},
		"zero amount":     {AccountID: acc, MerchantName: "X"},
		"negative amount": {AccountID: acc, Amount: -5, MerchantName: "X"},
		"no merchant":     {AccountID: acc, Amount: 1},
		"unknown merch":   {AccountID: acc, Amount: 1, MerchantID: "merch_nope"},
		"half local":      {AccountID: acc, Amount: 1, MerchantName: "X", LocalCurrency: "EUR"},
	} {
		if _, err := e.s.InjectCardPayment(p); !errors.Is(err, ErrInject) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := e.s.InjectFasterPaymentIn(FasterPayment{AccountID: acc, Amount: 1}); !errors.Is(err, ErrInject) {
		t.Errorf("no counterparty: err = %v", err)
	}

	wantError(t, e.controlJSON(http.MethodPost, "/_emulator/transactions", `{"account_id":"`+acc+`","amount":1}`), http.StatusBadRequest, "bad_request.missing_param.kind")
	wantError(t, e.controlJSON(http.MethodPost, "/_emulator/transactions", `{"kind":"refund","account_id":"`+acc+`","amount":1}`), http.StatusBadRequest, "bad_request.bad_param.kind")
	wantError(t, e.controlJSON(http.MethodPost, "/_emulator/transactions", `{"kind":"card_payment","account_id":"acc_nope","amount":1,"merchant_name":"X"}`), http.StatusBadRequest, "bad_request.bad_param.transaction")
	wantError(t, e.controlJSON(http.MethodPost, "/_emulator/transactions", `{"kind":"card_payment","amount_gbp":1}`), http.StatusBadRequest, "bad_request.bad_body")

	r := e.controlJSON(http.MethodPost, "/_emulator/transactions", `{"kind":"faster_payment_out","account_id":"`+acc+`","amount":700,"counterparty_name":"Mum","reference":"thanks"}`)
	wantStatus(t, r, http.StatusCreated)
	tx := r.json(t)["transaction"].(map[string]any)
	if tx["amount"] != -700.0 || tx["description"] != "Mum" || tx["metadata"].(map[string]any)["notes"] != "thanks" {
		t.Fatalf("injected = %v", tx)
	}
}

func TestInjectReusesSeededMerchantAndCard(t *testing.T) {
	e := setup(t)
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	a, _ := e.s.InjectCardPayment(CardPayment{AccountID: acc, Amount: 100, MerchantName: "tesco"})
	b, _ := e.s.InjectCardPayment(CardPayment{AccountID: acc, Amount: 100, MerchantName: "Tesco"})
	e.s.bank.mu.Lock()
	defer e.s.bank.unlock()
	ta, tb := e.s.bank.transactions[a], e.s.bank.transactions[b]
	if ta.MerchantID == "" || ta.MerchantID != tb.MerchantID || e.s.bank.merchants[ta.MerchantID].Name != "Tesco" {
		t.Fatalf("merchants %q %q", ta.MerchantID, tb.MerchantID)
	}
	if ta.Metadata["mastercard_card_id"] == "" || ta.Metadata["mastercard_card_id"] != tb.Metadata["mastercard_card_id"] {
		t.Fatalf("card ids %q %q", ta.Metadata["mastercard_card_id"], tb.Metadata["mastercard_card_id"])
	}
}
