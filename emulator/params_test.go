package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A parameter sent twice with different values is refused on every kind
// of route (form body, query string, token endpoint) and moves no money;
// the same value twice and repeated list parameters are fine.
func TestConflictingDuplicateParamsAreRefused(t *testing.T) {
	f := newPotsFixture(t)
	hol := f.pot("Holidays")["id"].(string)
	b0 := potsNum(f.balance(f.personal)["balance"])

	m := wantError(t, f.do(http.MethodPut, "/pots/"+hol+"/deposit", f.token, url.Values{
		"source_account_id": {f.personal}, "amount": {"1", "100000"}, "dedupe_id": {"dup"}}),
		http.StatusBadRequest, "bad_request.bad_param.amount")
	if msg, _ := m["message"].(string); !strings.Contains(msg, "more than once") {
		t.Errorf("message = %q", msg)
	}
	if got := potsNum(f.balance(f.personal)["balance"]); got != b0 || len(f.txs()) != 0 {
		t.Fatalf("a refused move moved money: balance %d → %d, %d transactions", b0, got, len(f.txs()))
	}
	wantStatus(t, f.do(http.MethodPut, "/pots/"+hol+"/deposit", f.token, url.Values{
		"source_account_id": {f.personal, f.personal}, "amount": {"7", "7"}, "dedupe_id": {"same"}}), http.StatusOK)
	if got := potsNum(f.balance(f.personal)["balance"]); got != b0-7 {
		t.Errorf("balance after a repeated identical amount = %d, want %d", got, b0-7)
	}

	wantError(t, f.get("/transactions?account_id="+f.personal+"&account_id="+f.joint, f.token),
		http.StatusBadRequest, "bad_request.bad_param.account_id")
	wantStatus(t, f.get("/transactions?account_id="+f.personal+"&expand[]=merchant&expand[]=other", f.token), http.StatusOK)
	wantError(t, f.do(http.MethodDelete, "/transaction-receipts?external_id=a&external_id=b", f.token, nil),
		http.StatusBadRequest, "bad_request.bad_param.external_id")
	wantError(t, f.do(http.MethodPost, "/oauth2/token", "", url.Values{"grant_type": {"refresh_token", "authorization_code"}}),
		http.StatusBadRequest, "bad_request.bad_param.grant_type")
}

// A form body over the cap gets a clear error, not Go's "http: POST too
// large" (which also named the wrong method for PUT).
func TestOversizedFormBodyIsRefusedClearly(t *testing.T) {
	f := newPotsFixture(t)
	hol := f.pot("Holidays")["id"].(string)
	body := "source_account_id=" + f.personal + "&amount=1&dedupe_id=big&pad=" + strings.Repeat("x", maxFormBody)
	req, err := http.NewRequest(http.MethodPut, f.ts.URL+"/pots/"+hol+"/deposit", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+f.token)
	m := wantError(t, f.send(req), http.StatusBadRequest, "bad_request.bad_body")
	if msg, _ := m["message"].(string); !strings.Contains(msg, "larger than 10 MiB") {
		t.Errorf("message = %q", msg)
	}
	if len(f.txs()) != 0 {
		t.Error("an oversized request moved money")
	}
}
