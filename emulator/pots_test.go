package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// potsFixture is an env with the primary user logged in and approved, and
// every runtime transaction event recorded.
type potsFixture struct {
	*env
	token    string
	personal string
	joint    string

	mu     sync.Mutex
	events []TransactionEvent
}

func newPotsFixture(t *testing.T) *potsFixture {
	t.Helper()
	e := setup(t)
	f := &potsFixture{env: e, personal: accountOf(t, e.primary(), accountTypeRetail).ID,
		joint: accountOf(t, e.primary(), accountTypeRetailJoint).ID}
	f.token = e.approvedLogin(e.client, e.primary().ID).Access
	e.s.OnTransactionCreated(func(ev TransactionEvent) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.events = append(f.events, ev)
	})
	return f
}

// txs returns the transactions created so far, decoded.
func (f *potsFixture) txs() []map[string]any {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []map[string]any
	for _, ev := range f.events {
		var m map[string]any
		if err := json.Unmarshal(ev.Transaction, &m); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// pots lists the pots of an account as the given token sees them.
func (f *potsFixture) pots(accountID string) map[string]map[string]any {
	f.t.Helper()
	resp := f.get("/pots?current_account_id="+url.QueryEscape(accountID), f.token)
	wantStatus(f.t, resp, http.StatusOK)
	list, ok := resp.json(f.t)["pots"].([]any)
	if !ok {
		f.t.Fatalf("GET /pots: no pots list: %s", resp.body)
	}
	out := map[string]map[string]any{}
	for _, p := range list {
		m := p.(map[string]any)
		out[m["name"].(string)] = m
	}
	return out
}

func (f *potsFixture) pot(name string) map[string]any {
	f.t.Helper()
	p, ok := f.pots(f.personal)[name]
	if !ok {
		f.t.Fatalf("no pot named %q", name)
	}
	return p
}

func (f *potsFixture) balance(accountID string) map[string]any {
	f.t.Helper()
	resp := f.get("/balance?account_id="+accountID, f.token)
	wantStatus(f.t, resp, http.StatusOK)
	return resp.json(f.t)
}

// move sends a deposit ("deposit") or withdrawal ("withdraw") with a form body.
func (f *potsFixture) move(op, potID, accountID string, amount, dedupeID string) response {
	f.t.Helper()
	param := "source_account_id"
	if op == "withdraw" {
		param = "destination_account_id"
	}
	return f.do(http.MethodPut, "/pots/"+potID+"/"+op, f.token, url.Values{param: {accountID}, "amount": {amount}, "dedupe_id": {dedupeID}})
}

// potsNum reads a JSON number.
func potsNum(v any) int64 { n, _ := v.(float64); return int64(n) }

func TestListPots(t *testing.T) {
	f := newPotsFixture(t)
	resp := f.get("/pots?current_account_id="+f.personal, f.token)
	wantStatus(t, resp, http.StatusOK)
	var body struct {
		Pots []map[string]json.RawMessage `json:"pots"`
	}
	if err := json.Unmarshal(resp.body, &body); err != nil {
		t.Fatal(err)
	}
	fields := []string{"id", "name", "style", "balance", "currency", "created", "updated", "deleted", "goal_amount", "type",
		"product_id", "current_account_id", "cover_image_url", "isa_wrapper", "round_up", "round_up_multiplier", "is_tax_pot",
		"locked", "available_for_bills", "has_virtual_cards"}
	if len(body.Pots) < 5 {
		t.Fatalf("%d pots listed, want the 5 seeded on the personal account", len(body.Pots))
	}
	deleted := 0
	for _, p := range body.Pots {
		for _, k := range fields {
			if _, ok := p[k]; !ok {
				t.Errorf("pot %s has no %q", p["id"], k)
			}
		}
		if string(p["current_account_id"]) != `"`+f.personal+`"` {
			t.Errorf("pot %s belongs to %s", p["id"], p["current_account_id"])
		}
		if string(p["deleted"]) == "true" {
			deleted++
		}
	}
	if deleted == 0 {
		t.Error("the deleted seeded pot is not listed")
	}
	rainy := f.pot("Rainy day")
	if rainy["goal_amount"] != nil || rainy["type"] != potTypeFlexibleSavings {
		t.Errorf("Rainy day = %v", rainy)
	}
	if joint := f.pots(f.joint); len(joint) != 1 || joint["Bills"] == nil {
		t.Errorf("joint pots = %v", joint)
	}
}

func TestListPotsErrors(t *testing.T) {
	f := newPotsFixture(t)
	m := wantError(t, f.get("/pots", f.token), http.StatusBadRequest, "bad_request.missing_param.current_account_id")
	if m["message"] != "The field 'current_account_id' is required" {
		t.Errorf("message = %v", m["message"])
	}
	wantError(t, f.get("/pots?current_account_id=acc_nope", f.token), http.StatusNotFound, "not_found.account")
	partner := f.approvedLogin(f.client, f.partner().ID).Access
	wantError(t, f.get("/pots?current_account_id="+f.personal, partner), http.StatusNotFound, "not_found.account")
	wantStatus(t, f.get("/pots?current_account_id="+f.joint, partner), http.StatusOK)
	wantError(t, f.get("/pots?current_account_id="+f.personal, ""), http.StatusUnauthorized, "unauthorized.bad_access_token")
}

func TestPotMoveValidation(t *testing.T) {
	f := newPotsFixture(t)
	hol, rainyID := f.pot("Holidays")["id"].(string), f.pot("Rainy day")["id"].(string)
	car := f.pot("Car fund")
	bills := f.pots(f.joint)["Bills"]["id"].(string)
	path := func(id, op string) string { return "/pots/" + id + "/" + op }
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	src, dst := "source_account_id", "destination_account_id"
	cases := []struct {
		name   string
		path   string
		form   url.Values
		status int
		code   string
	}{
		{"missing amount", path(hol, "deposit"), form(src, f.personal, "dedupe_id", "d"), 400, "bad_request.bad_param.amount"},
		{"zero amount", path(hol, "deposit"), form(src, f.personal, "amount", "0", "dedupe_id", "d"), 400, "bad_request.bad_param.amount"},
		{"negative amount", path(hol, "withdraw"), form(dst, f.personal, "amount", "-100", "dedupe_id", "d"), 400, "bad_request.bad_param.amount"},
		{"non-numeric amount", path(hol, "deposit"), form(src, f.personal, "amount", "ten", "dedupe_id", "d"), 400, "bad_request.bad_param.amount"},
		{"decimal amount", path(hol, "deposit"), form(src, f.personal, "amount", "10.50", "dedupe_id", "d"), 400, "bad_request.bad_param.amount"},
		{"missing source", path(hol, "deposit"), form("amount", "1", "dedupe_id", "d"), 400, "bad_request.missing_param.source_account_id"},
		{"destination given to deposit", path(hol, "deposit"), form(dst, f.personal, "amount", "1", "dedupe_id", "d"), 400, "bad_request.missing_param.source_account_id"},
		{"missing destination", path(hol, "withdraw"), form("amount", "1", "dedupe_id", "d"), 400, "bad_request.missing_param.destination_account_id"},
		{"missing dedupe id", path(hol, "deposit"), form(src, f.personal, "amount", "1"), 400, "bad_request.missing_param.dedupe_id"},
		{"unknown pot", path("pot_nope", "deposit"), form(src, f.personal, "amount", "1", "dedupe_id", "d"), 404, "not_found.pot"},
		{"unknown account", path(hol, "deposit"), form(src, "acc_nope", "amount", "1", "dedupe_id", "d"), 404, "not_found.account"},
		{"pot of another account", path(bills, "deposit"), form(src, f.personal, "amount", "1", "dedupe_id", "d"), 400, "bad_request.bad_param.source_account_id"},
		{"account of another pot", path(rainyID, "withdraw"), form(dst, f.joint, "amount", "1", "dedupe_id", "d"), 400, "bad_request.bad_param.destination_account_id"},
		{"deleted pot", path(car["id"].(string), "deposit"), form(src, f.personal, "amount", "1", "dedupe_id", "d"), 400, "bad_request.pot_deleted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := wantError(t, f.do(http.MethodPut, tc.path, f.token, tc.form), tc.status, tc.code)
			if strings.HasSuffix(tc.code, "bad_param.amount") && !strings.Contains(m["message"].(string), "must be greater than 0") {
				t.Errorf("message = %v", m["message"])
			}
		})
	}
	// Arguments in the query string are not read (as on the real API).
	q := form(src, f.personal, "amount", "100", "dedupe_id", "q").Encode()
	wantError(t, f.do(http.MethodPut, path(hol, "deposit")+"?"+q, f.token, nil), 400, "bad_request.bad_param.amount")
	wantError(t, f.do(http.MethodPut, path(hol, "deposit")+"?"+q, f.token, url.Values{}), 400, "bad_request.bad_param.amount")
	// The partner may not touch the primary user's personal pots.
	partner := f.approvedLogin(f.client, f.partner().ID).Access
	wantError(t, f.do(http.MethodPut, path(hol, "deposit"), partner, form(src, f.personal, "amount", "1", "dedupe_id", "p")), 404, "not_found.pot")
	// Wrong method.
	wantStatus(t, f.do(http.MethodPost, path(hol, "deposit"), f.token, form(src, f.personal, "amount", "1", "dedupe_id", "m")), http.StatusMethodNotAllowed)

	if n := len(f.txs()); n != 0 {
		t.Errorf("rejected requests created %d transactions", n)
	}
}

func TestPotDepositAndWithdraw(t *testing.T) {
	f := newPotsFixture(t)
	rainy := f.pot("Rainy day")
	id := rainy["id"].(string)
	b0 := f.balance(f.personal)
	f.clock.Advance(time.Hour)
	now := formatTime(f.clock.Now())

	resp := f.move("deposit", id, f.personal, "2500", "dep-1")
	wantStatus(t, resp, http.StatusOK)
	pot := resp.json(t)
	if pot["id"] != id || potsNum(pot["balance"]) != potsNum(rainy["balance"])+2500 || pot["updated"] != now || pot["created"] != rainy["created"] {
		t.Errorf("deposit answered %v; want the bare pot with balance +2500 and updated %s", pot, now)
	}
	b1 := f.balance(f.personal)
	if potsNum(b1["balance"]) != potsNum(b0["balance"])-2500 || potsNum(b1["total_balance"]) != potsNum(b0["total_balance"]) ||
		potsNum(b1["balance_including_flexible_savings"]) != potsNum(b0["balance_including_flexible_savings"]) {
		t.Errorf("after a flexible-savings deposit: %v, before %v", b1, b0)
	}

	f.clock.Advance(time.Minute)
	resp = f.move("withdraw", id, f.personal, "1000", "wdr-1")
	wantStatus(t, resp, http.StatusOK)
	if got := potsNum(resp.json(t)["balance"]); got != potsNum(rainy["balance"])+1500 {
		t.Errorf("pot balance after withdrawal = %d", got)
	}
	if b2 := f.balance(f.personal); potsNum(b2["balance"]) != potsNum(b0["balance"])-1500 || potsNum(b2["total_balance"]) != potsNum(b0["total_balance"]) {
		t.Errorf("after the withdrawal: %v, before %v", b2, b0)
	}

	txs := f.txs()
	if len(txs) != 2 {
		t.Fatalf("%d transactions created, want 2", len(txs))
	}
	for i, want := range []int64{-2500, 1000} {
		tx := txs[i]
		md, _ := tx["metadata"].(map[string]any)
		if potsNum(tx["amount"]) != want || tx["account_id"] != f.personal || tx["scheme"] != schemePot || tx["category"] != "savings" ||
			tx["include_in_spending"] != false || md["pot_id"] != id || tx["description"] != "Rainy day" ||
			tx["settled"] == "" || tx["settled"] != tx["created"] || tx["user_id"] != f.primary().ID {
			t.Errorf("transaction %d = %v", i, tx)
		}
	}
	if md := txs[0]["metadata"].(map[string]any); md["pot_deposit_id"] == nil {
		t.Errorf("deposit metadata = %v", md)
	}
	if md := txs[1]["metadata"].(map[string]any); md["pot_withdrawal_id"] == nil {
		t.Errorf("withdrawal metadata = %v", md)
	}

	// A default pot moves total_balance's parts but not
	// balance_including_flexible_savings's pot share.
	hol := f.pot("Holidays")
	b3 := f.balance(f.personal)
	wantStatus(t, f.move("deposit", hol["id"].(string), f.personal, "300", "dep-2"), http.StatusOK)
	b4 := f.balance(f.personal)
	if potsNum(b4["balance_including_flexible_savings"]) != potsNum(b3["balance_including_flexible_savings"])-300 || potsNum(b4["total_balance"]) != potsNum(b3["total_balance"]) {
		t.Errorf("after a default-pot deposit: %v, before %v", b4, b3)
	}
}

func TestPotMovesAreIdempotent(t *testing.T) {
	f := newPotsFixture(t)
	hol, xmas := f.pot("Holidays"), f.pot("Christmas")
	id := hol["id"].(string)
	b0 := f.balance(f.personal)

	first := f.move("deposit", id, f.personal, "500", "same")
	wantStatus(t, first, http.StatusOK)
	f.clock.Advance(time.Minute)
	replay := f.move("deposit", id, f.personal, "500", "same")
	wantStatus(t, replay, http.StatusOK)
	if string(first.body) != string(replay.body) {
		t.Errorf("replay answered %s, want the unchanged pot %s", replay.body, first.body)
	}
	if potsNum(f.balance(f.personal)["balance"]) != potsNum(b0["balance"])-500 || len(f.txs()) != 1 {
		t.Fatal("the replay moved money")
	}
	// A replay is recognised even when funds have since run out.
	f.clock.Advance(time.Minute)
	wantStatus(t, f.move("withdraw", id, f.personal, "100", "w"), http.StatusOK)
	wantStatus(t, f.move("withdraw", id, f.personal, "100", "w"), http.StatusOK)
	// The same dedupe id on another operation or another pot is a new move.
	wantStatus(t, f.move("withdraw", id, f.personal, "500", "same"), http.StatusOK)
	wantStatus(t, f.move("deposit", xmas["id"].(string), f.personal, "500", "same"), http.StatusOK)
	if n := len(f.txs()); n != 4 {
		t.Errorf("%d transactions, want 4", n)
	}
	if got := potsNum(f.pot("Holidays")["balance"]); got != potsNum(hol["balance"])-100 {
		t.Errorf("Holidays balance = %d, want %d", got, potsNum(hol["balance"])-100)
	}
	if got := potsNum(f.balance(f.personal)["balance"]); got != potsNum(b0["balance"])-500+100+500-500 {
		t.Errorf("account balance = %d", got)
	}
}

func TestPotMoveRefusals(t *testing.T) {
	f := newPotsFixture(t)
	house, hol := f.pot("House deposit"), f.pot("Holidays")
	b0 := f.balance(f.personal)

	// Locked pots take deposits but refuse withdrawals.
	wantStatus(t, f.move("deposit", house["id"].(string), f.personal, "100", "lock-in"), http.StatusOK)
	m := wantError(t, f.move("withdraw", house["id"].(string), f.personal, "1", "lock-out"), http.StatusForbidden, "forbidden.pot_locked")
	if !strings.Contains(m["message"].(string), "Monzo app") {
		t.Errorf("locked message = %v", m["message"])
	}

	wantError(t, f.move("withdraw", hol["id"].(string), f.personal, strconv.FormatInt(potsNum(hol["balance"])+1, 10), "too-much"), http.StatusBadRequest, "bad_request.insufficient_funds")
	wantError(t, f.move("deposit", hol["id"].(string), f.personal, strconv.FormatInt(potsNum(f.balance(f.personal)["balance"])+1, 10), "too-much"), http.StatusBadRequest, "bad_request.insufficient_funds")
	if n := len(f.txs()); n != 1 {
		t.Errorf("%d transactions, want only the locked pot's deposit", n)
	}
	if got := potsNum(f.balance(f.personal)["balance"]); got != potsNum(b0["balance"])-100 {
		t.Errorf("refused moves changed the balance: %d, want %d", got, potsNum(b0["balance"])-100)
	}
	// A refused dedupe id can be used again once the move is possible.
	wantStatus(t, f.move("withdraw", hol["id"].(string), f.personal, strconv.FormatInt(potsNum(hol["balance"]), 10), "too-much"), http.StatusOK)
	if got := potsNum(f.pot("Holidays")["balance"]); got != 0 {
		t.Errorf("Holidays balance = %d, want 0", got)
	}
}

func TestJointPotMovesByEitherOwner(t *testing.T) {
	f := newPotsFixture(t)
	partner := f.approvedLogin(f.client, f.partner().ID).Access
	bills := f.pots(f.joint)["Bills"]
	resp := f.do(http.MethodPut, "/pots/"+bills["id"].(string)+"/deposit", partner,
		url.Values{"source_account_id": {f.joint}, "amount": {"1"}, "dedupe_id": {"j"}})
	wantStatus(t, resp, http.StatusOK)
	txs := f.txs()
	if len(txs) != 1 || txs[0]["user_id"] != f.partner().ID || txs[0]["account_id"] != f.joint {
		t.Errorf("joint deposit transactions = %v", txs)
	}
}
