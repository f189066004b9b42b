package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// txPage lists transactions with a raw query and decodes the page.
func txPage(t *testing.T, e *env, token, query string) []map[string]any {
	t.Helper()
	r := e.get("/transactions?"+query, token)
	wantStatus(t, r, http.StatusOK)
	list, ok := r.json(t)["transactions"].([]any)
	if !ok {
		t.Fatalf("no transactions array in %s", r.body)
	}
	out := make([]map[string]any, len(list))
	for i, v := range list {
		out[i] = v.(map[string]any)
	}
	return out
}

func pageIDs(page []map[string]any) []string {
	out := make([]string, len(page))
	for i, tx := range page {
		out[i] = tx["id"].(string)
	}
	return out
}

// personalLedger returns the primary user's current account and its ledger
// as the emulator holds it (ascending, the order the API must use).
func personalLedger(t *testing.T, e *env) (string, []*transaction) {
	t.Helper()
	acc := accountOf(t, e.primary(), accountTypeRetail)
	e.s.bank.mu.Lock()
	defer e.s.bank.unlock()
	return acc.ID, append([]*transaction(nil), e.s.bank.accounts[acc.ID].Transactions...)
}

func TestListTransactionsPaging(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	acc, ledger := personalLedger(t, e)
	if len(ledger) <= 1000 {
		t.Fatalf("the personal account has %d transactions, want more than 1,000", len(ledger))
	}
	q := "account_id=" + acc

	def := txPage(t, e, tok.Access, q)
	if len(def) != defaultTransactionLimit {
		t.Errorf("default page: %d transactions, want %d", len(def), defaultTransactionLimit)
	}
	for i, id := range pageIDs(def) {
		if id != ledger[i].ID {
			t.Fatalf("default page[%d] = %s, want the ledger's %s (ascending)", i, id, ledger[i].ID)
		}
	}
	// limit > 100 is clamped to 100 (the documented choice).
	if got := txPage(t, e, tok.Access, q+"&limit=500"); len(got) != maxTransactionLimit {
		t.Errorf("limit=500: %d transactions, want %d", len(got), maxTransactionLimit)
	}
	if got := txPage(t, e, tok.Access, q+"&limit=100"); len(got) != 100 {
		t.Errorf("limit=100: %d transactions", len(got))
	}
	if got := txPage(t, e, tok.Access, q+"&limit=1"); len(got) != 1 || got[0]["id"] != ledger[0].ID {
		t.Errorf("limit=1: %v", pageIDs(got))
	}
	for _, bad := range []string{"0", "-5", "ten", "1.5"} {
		wantError(t, e.get("/transactions?"+q+"&limit="+bad, tok.Access), http.StatusBadRequest, "bad_request.bad_param.limit")
	}

	// Walk the whole ledger with since=<last id> and an odd page size: no
	// gaps, no duplicates.
	var walked []string
	cursor := ""
	for {
		query := q + "&limit=37"
		if cursor != "" {
			query += "&since=" + cursor
		}
		page := pageIDs(txPage(t, e, tok.Access, query))
		walked = append(walked, page...)
		if len(page) < 37 {
			break
		}
		cursor = page[len(page)-1]
	}
	if len(walked) != len(ledger) {
		t.Fatalf("walked %d transactions, the ledger has %d", len(walked), len(ledger))
	}
	for i := range ledger {
		if walked[i] != ledger[i].ID {
			t.Fatalf("walk differs from the ledger at %d: %s vs %s", i, walked[i], ledger[i].ID)
		}
	}

	// since as a time is inclusive; as an id exclusive; before exclusive.
	k := ledger[500]
	at := url.QueryEscape(formatTime(k.Created))
	got := txPage(t, e, tok.Access, q+"&limit=5&since="+at)
	first := 500
	for first > 0 && ledger[first-1].Created.Equal(k.Created) {
		first--
	}
	if got[0]["id"] != ledger[first].ID {
		t.Errorf("since=%s: first %v, want %s", formatTime(k.Created), got[0]["id"], ledger[first].ID)
	}
	got = txPage(t, e, tok.Access, q+"&limit=5&since="+k.ID)
	if got[0]["id"] != ledger[501].ID {
		t.Errorf("since=%s (id): first %v, want %s", k.ID, got[0]["id"], ledger[501].ID)
	}
	got = txPage(t, e, tok.Access, q+"&limit=100&since="+ledger[450].ID+"&before="+at)
	last := got[len(got)-1]["id"]
	if last != ledger[first-1].ID {
		t.Errorf("before=%s: last %v, want %s", formatTime(k.Created), last, ledger[first-1].ID)
	}
	// A before without fractional seconds and a since with an offset parse too.
	txPage(t, e, tok.Access, q+"&since="+url.QueryEscape("2025-06-01T01:00:00+01:00")+"&before=2026-01-01T00:00:00Z")
}

func TestListTransactionsValidation(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	acc, ledger := personalLedger(t, e)
	q := "account_id=" + acc

	wantError(t, e.get("/transactions", tok.Access), http.StatusBadRequest, "bad_request.missing_param.account_id")
	wantError(t, e.get("/transactions?"+q+"&since=yesterday", tok.Access), http.StatusBadRequest, "bad_request.bad_param.since")
	wantError(t, e.get("/transactions?"+q+"&since=tx_0000unknown", tok.Access), http.StatusBadRequest, "bad_request.bad_param.since")
	wantError(t, e.get("/transactions?"+q+"&before=2024-13-01", tok.Access), http.StatusBadRequest, "bad_request.bad_param.before")
	wantError(t, e.get("/transactions?"+q+"&before="+ledger[3].ID, tok.Access), http.StatusBadRequest, "bad_request.bad_param.before")

	// Another user's account is not found; so is a since id from another
	// account.
	partnerOnly := ""
	for _, a := range e.partner().Accounts {
		if len(a.OwnerIDs) == 1 {
			partnerOnly = a.ID
		}
	}
	if partnerOnly != "" {
		wantError(t, e.get("/transactions?account_id="+partnerOnly, tok.Access), http.StatusNotFound, "not_found.account")
	}
	wantError(t, e.get("/transactions?account_id=acc_0000nope", tok.Access), http.StatusNotFound, "not_found.account")
	joint := accountOf(t, e.primary(), accountTypeRetailJoint)
	wantError(t, e.get("/transactions?account_id="+joint.ID+"&since="+ledger[3].ID, tok.Access), http.StatusBadRequest, "bad_request.bad_param.since")
	// Joint account transactions are listed for its owner, and only them.
	for _, tx := range txPage(t, e, tok.Access, "account_id="+joint.ID+"&limit=100") {
		if tx["account_id"] != joint.ID {
			t.Fatalf("joint listing holds %v of %v", tx["id"], tx["account_id"])
		}
	}

	// Pending approval and bad tokens are refused before anything else.
	pending := e.login(e.s.MustRegisterClient(ClientOptions{Confidential: true}), e.primary().ID)
	wantError(t, e.get("/transactions?"+q, pending.Access), http.StatusForbidden, "forbidden.insufficient_permissions")
	wantError(t, e.get("/transactions?"+q, "nope"), http.StatusUnauthorized, "unauthorized.bad_access_token")
}

func TestListTransactionsMerchantExpansion(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	acc, _ := personalLedger(t, e)
	q := "account_id=" + acc + "&limit=100"
	plain := txPage(t, e, tok.Access, q)
	for _, expand := range []string{"expand%5B%5D=merchant", "expand[]=merchant", "expand=merchant"} {
		expanded := txPage(t, e, tok.Access, q+"&"+expand)
		var objects, nulls int
		for i, tx := range plain {
			switch m := tx["merchant"].(type) {
			case string:
				obj, ok := expanded[i]["merchant"].(map[string]any)
				if !ok || obj["id"] != m || obj["name"] == "" {
					t.Fatalf("%s: %s: merchant %q expanded to %v", expand, tx["id"], m, expanded[i]["merchant"])
				}
				if _, ok := obj["address"].(map[string]any); !ok {
					t.Fatalf("expanded merchant has no address object: %v", obj)
				}
				objects++
			case nil:
				if expanded[i]["merchant"] != nil {
					t.Fatalf("%s: no merchant became %v", tx["id"], expanded[i]["merchant"])
				}
				nulls++
			default:
				t.Fatalf("%s: unexpanded merchant is %T", tx["id"], m)
			}
		}
		if objects == 0 || nulls == 0 {
			t.Fatalf("want both merchant and merchant-less transactions in the first page (got %d, %d)", objects, nulls)
		}
	}
}

func TestGetTransaction(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	_, ledger := personalLedger(t, e)
	var withMerchant *transaction
	for _, tx := range ledger {
		if tx.MerchantID != "" {
			withMerchant = tx
			break
		}
	}
	r := e.get("/transactions/"+withMerchant.ID, tok.Access)
	wantStatus(t, r, http.StatusOK)
	tx := r.json(t)["transaction"].(map[string]any)
	if tx["id"] != withMerchant.ID || tx["merchant"] != withMerchant.MerchantID {
		t.Errorf("GET: %v", tx)
	}
	r = e.get("/transactions/"+withMerchant.ID+"?expand[]=merchant", tok.Access)
	wantStatus(t, r, http.StatusOK)
	if m, ok := r.json(t)["transaction"].(map[string]any)["merchant"].(map[string]any); !ok || m["id"] != withMerchant.MerchantID {
		t.Errorf("GET expanded: merchant %v", m)
	}
	wantError(t, e.get("/transactions/tx_0000nope", tok.Access), http.StatusNotFound, "not_found.transaction")

	// A transaction on an account the caller does not own is not found.
	partnerID := e.partner().ID
	partnerTok := e.approvedLogin(e.client, partnerID)
	var foreign string
	e.s.bank.mu.Lock()
	for _, a := range e.s.bank.accounts {
		if !a.ownedBy(partnerID) && len(a.Transactions) > 0 {
			foreign = a.Transactions[0].ID
		}
	}
	e.s.bank.unlock()
	wantError(t, e.get("/transactions/"+foreign, partnerTok.Access), http.StatusNotFound, "not_found.transaction")
}

func TestAnnotateTransaction(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	_, ledger := personalLedger(t, e)
	id := ledger[10].ID
	patch := func(token string, form url.Values) response {
		return e.do(http.MethodPatch, "/transactions/"+id, token, form)
	}
	meta := func(r response) (map[string]any, map[string]any) {
		t.Helper()
		wantStatus(t, r, http.StatusOK)
		tx := r.json(t)["transaction"].(map[string]any)
		return tx["metadata"].(map[string]any), tx
	}

	md, tx := meta(patch(tok.Access, url.Values{"metadata[colour]": {"blue"}, "metadata[size]": {"L"}, "expand[]": {"merchant"}}))
	if md["colour"] != "blue" || md["size"] != "L" {
		t.Errorf("after set: %v", md)
	}
	if _, isObject := tx["merchant"].(map[string]any); isObject {
		t.Error("PATCH returned an expanded merchant")
	}
	md, _ = meta(patch(tok.Access, url.Values{"metadata[size]": {""}}))
	if _, ok := md["size"]; ok || md["colour"] != "blue" {
		t.Errorf("after deleting size: %v", md)
	}
	md, tx = meta(patch(tok.Access, url.Values{"metadata[notes]": {"Birthday present"}}))
	if tx["notes"] != "Birthday present" || md["notes"] != "Birthday present" {
		t.Errorf("notes: top-level %v, metadata %v", tx["notes"], md["notes"])
	}
	if tx["updated"] != formatTime(e.clock.Now()) {
		t.Errorf("updated = %v, want the clock's now", tx["updated"])
	}

	// Metadata in the query string is not read: PATCH takes a form body.
	wantError(t, e.do(http.MethodPatch, "/transactions/"+id+"?metadata[x]=y", tok.Access, url.Values{}), http.StatusBadRequest, "bad_request.missing_param.metadata")
	wantError(t, patch(tok.Access, url.Values{"notes": {"x"}}), http.StatusBadRequest, "bad_request.missing_param.metadata")
	wantError(t, patch(tok.Access, url.Values{"metadata[]": {"x"}}), http.StatusBadRequest, "bad_request.bad_param.metadata")
	wantError(t, e.do(http.MethodPatch, "/transactions/tx_0000nope", tok.Access, url.Values{"metadata[a]": {"b"}}), http.StatusNotFound, "not_found.transaction")

	// Another client of the same user sees only shared metadata and the notes.
	other := e.s.MustRegisterClient(ClientOptions{Confidential: true})
	otherTok := e.approvedLogin(other, e.primary().ID)
	r := e.get("/transactions/"+id, otherTok.Access)
	wantStatus(t, r, http.StatusOK)
	theirs := r.json(t)["transaction"].(map[string]any)
	if _, ok := theirs["metadata"].(map[string]any)["colour"]; ok {
		t.Errorf("the other client sees the first client's metadata: %v", theirs["metadata"])
	}
	if theirs["notes"] != "Birthday present" {
		t.Errorf("notes are shown in the app, so every client sees them; got %v", theirs["notes"])
	}
	// The list shows per-client metadata too.
	acc := accountOf(t, e.primary(), accountTypeRetail)
	for _, tx := range txPage(t, e, tok.Access, "account_id="+acc.ID+"&limit=20") {
		if tx["id"] == id && tx["metadata"].(map[string]any)["colour"] != "blue" {
			t.Errorf("listing misses the client's metadata: %v", tx["metadata"])
		}
	}
}

func TestHistoryRule(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	acc, ledger := personalLedger(t, e)
	q := "account_id=" + acc
	since := func(d time.Duration) string {
		return q + "&since=" + url.QueryEscape(formatTime(e.clock.Now().Add(-d)))
	}
	const day = 24 * time.Hour
	if e.clock.Now().Sub(ledger[0].Created) < 120*day {
		t.Fatalf("seeded history starts %s: too recent", formatTime(ledger[0].Created))
	}

	// Inside the window anything goes.
	e.clock.Advance(4*time.Minute + 59*time.Second)
	txPage(t, e, tok.Access, q)
	txPage(t, e, tok.Access, since(300*day))
	txPage(t, e, tok.Access, q+"&since="+ledger[0].ID)

	e.clock.Advance(2 * time.Second) // 5 minutes and 1 second after approval
	m := wantError(t, e.get("/transactions?"+q, tok.Access), http.StatusForbidden, "forbidden.verification_required")
	if !strings.Contains(strings.ToLower(m["message"].(string)), "verification required") {
		t.Errorf("message = %v", m["message"])
	}
	wantError(t, e.get("/transactions?"+q+"&before="+url.QueryEscape(formatTime(e.clock.Now())), tok.Access), http.StatusForbidden, "forbidden.verification_required")
	txPage(t, e, tok.Access, since(89*day))
	txPage(t, e, tok.Access, since(90*day))
	wantError(t, e.get("/transactions?"+since(90*day+time.Second), tok.Access), http.StatusForbidden, "forbidden.verification_required")
	wantError(t, e.get("/transactions?"+since(91*day), tok.Access), http.StatusForbidden, "forbidden.verification_required")
	// An id cursor counts by its created time.
	var old, recent *transaction
	for _, tx := range ledger {
		age := e.clock.Now().Sub(tx.Created)
		if age > 91*day {
			old = tx
		}
		if recent == nil && age < 89*day {
			recent = tx
		}
	}
	wantError(t, e.get("/transactions?"+q+"&since="+old.ID, tok.Access), http.StatusForbidden, "forbidden.verification_required")
	txPage(t, e, tok.Access, q+"&since="+recent.ID)

	// Single reads, annotations, balance and accounts are not gated.
	wantStatus(t, e.get("/transactions/"+old.ID, tok.Access), http.StatusOK)
	wantStatus(t, e.do(http.MethodPatch, "/transactions/"+old.ID, tok.Access, url.Values{"metadata[a]": {"b"}}), http.StatusOK)
	wantStatus(t, e.get("/balance?"+q, tok.Access), http.StatusOK)
	wantStatus(t, e.get("/accounts", tok.Access), http.StatusOK)

	// Refreshing does not reopen the window; a new login and approval does.
	refreshed := e.mustTokens(e.refresh(e.client, tok.Refresh))
	wantError(t, e.get("/transactions?"+q, refreshed.Access), http.StatusForbidden, "forbidden.verification_required")
	fresh := e.approvedLogin(e.client, e.primary().ID)
	txPage(t, e, fresh.Access, q)
	// The new window closes five minutes after the new approval.
	e.clock.Advance(5 * time.Minute)
	wantError(t, e.get("/transactions?"+q, fresh.Access), http.StatusForbidden, "forbidden.verification_required")
}

func TestHistoryRuleAppliesToEachGrantSeparately(t *testing.T) {
	e := setup(t)
	first := e.approvedLogin(e.client, e.primary().ID)
	acc, _ := personalLedger(t, e)
	e.clock.Advance(10 * time.Minute)
	other := e.s.MustRegisterClient(ClientOptions{Confidential: true})
	second := e.approvedLogin(other, e.primary().ID)
	q := "account_id=" + acc
	wantError(t, e.get("/transactions?"+q, first.Access), http.StatusForbidden, "forbidden.verification_required")
	txPage(t, e, second.Access, q)
}

// Lists are served from per-transaction caches; every change to a
// transaction must show at once, to the right clients only: notes and
// attachments to everyone, private metadata to its writer.
func TestListedTransactionsShowChangesAtOnce(t *testing.T) {
	e := setup(t)
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	other := e.s.MustRegisterClient(ClientOptions{Name: "other", Confidential: true})
	mine := e.approvedLogin(e.client, e.primary().ID).Access
	theirs := e.approvedLogin(other, e.primary().ID).Access
	path := "/transactions?limit=100&expand[]=merchant&account_id=" + acc
	find := func(token, txID string) map[string]any {
		t.Helper()
		r := e.get(path, token)
		wantStatus(t, r, http.StatusOK)
		for _, tx := range r.json(t)["transactions"].([]any) {
			if m := tx.(map[string]any); m["id"] == txID {
				return m
			}
		}
		t.Fatalf("%s not in the first page", txID)
		return nil
	}
	first := e.get(path, mine).json(t)["transactions"].([]any)[0].(map[string]any)
	txID := first["id"].(string)
	_ = find(theirs, txID) // fill the caches

	patch := e.do(http.MethodPatch, "/transactions/"+txID, mine, url.Values{"metadata[notes]": {"lunch"}, "metadata[mine]": {"secret"}})
	wantStatus(t, patch, http.StatusOK)
	for _, c := range []struct {
		token    string
		wantMine any
	}{{mine, "secret"}, {theirs, nil}} {
		m := find(c.token, txID)
		md := m["metadata"].(map[string]any)
		if m["notes"] != "lunch" || md["mine"] != c.wantMine {
			t.Errorf("after PATCH: notes %v, metadata.mine %v (want lunch, %v)", m["notes"], md["mine"], c.wantMine)
		}
	}
	reg := e.do(http.MethodPost, "/attachment/register", mine, url.Values{"external_id": {txID},
		"file_url": {"https://example.com/r.png"}, "file_type": {"image/png"}})
	wantStatus(t, reg, http.StatusOK)
	if atts, _ := find(theirs, txID)["attachments"].([]any); len(atts) != 1 {
		t.Errorf("after register: attachments %v", atts)
	}
	id := reg.json(t)["attachment"].(map[string]any)["id"].(string)
	wantStatus(t, e.do(http.MethodPost, "/attachment/deregister", mine, url.Values{"id": {id}}), http.StatusOK)
	if atts := find(theirs, txID)["attachments"]; atts != nil {
		t.Errorf("after deregister: attachments %v, want null", atts)
	}
}
