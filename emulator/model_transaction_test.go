package emulator

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

// firstTx returns the first personal-account transaction matching f.
func firstTx(t *testing.T, s *Server, f func(*transaction) bool) *transaction {
	t.Helper()
	for _, id := range s.bank.accountOrder {
		for _, tx := range s.bank.accounts[id].Transactions {
			if f(tx) {
				return tx
			}
		}
	}
	t.Fatal("no matching transaction")
	return nil
}

func renderMap(t *testing.T, s *Server, tx *transaction, clientID string, expand bool) map[string]any {
	t.Helper()
	b, err := json.Marshal(s.bank.renderTransactionLocked(tx, clientID, expand))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTransactionRendering(t *testing.T) {
	s := newTestServer(t, 1, testNow)
	s.bank.mu.Lock()
	defer s.bank.unlock()

	card := firstTx(t, s, func(tx *transaction) bool { return tx.Scheme == schemeMastercard && !tx.declined() && !tx.pending() })
	m := renderMap(t, s, card, "", false)
	for _, k := range []string{"id", "created", "description", "amount", "fees", "currency", "merchant", "notes", "metadata",
		"labels", "attachments", "international", "category", "categories", "is_load", "settled", "local_amount",
		"local_currency", "updated", "account_id", "user_id", "counterparty", "scheme", "dedupe_id", "originator",
		"include_in_spending", "can_be_excluded_from_breakdown", "can_be_made_subscription", "can_split_the_bill",
		"can_add_to_tab", "can_match_transactions_in_categorization", "amount_is_pending", "atm_fees_detailed",
		"parent_account_id", "tab"} {
		if _, ok := m[k]; !ok {
			t.Errorf("transaction lacks %s", k)
		}
	}
	if _, ok := m["decline_reason"]; ok {
		t.Error("decline_reason present on an accepted transaction")
	}
	if m["merchant"] != card.MerchantID || m["labels"] != nil || m["attachments"] != nil || m["international"] != nil ||
		m["atm_fees_detailed"] != nil || m["tab"] != nil {
		t.Errorf("unexpanded card transaction: %v", m)
	}
	md := m["metadata"].(map[string]any)
	if md["mcc"] == "" || md["mastercard_card_id"] == nil {
		t.Errorf("card metadata: %v", md)
	}
	expanded := renderMap(t, s, card, "", true)
	merch, ok := expanded["merchant"].(map[string]any)
	if !ok || merch["id"] != card.MerchantID || merch["address"] == nil || merch["group_id"] == nil || merch["emoji"] == "" {
		t.Errorf("expanded merchant: %v", expanded["merchant"])
	}

	pot := firstTx(t, s, func(tx *transaction) bool { return tx.Scheme == schemePot })
	pm := renderMap(t, s, pot, "", true)
	if pm["merchant"] != nil || pm["categories"] != nil || pm["metadata"].(map[string]any)["pot_id"] == nil {
		t.Errorf("pot transaction: %v", pm)
	}
	if c, ok := pm["counterparty"].(map[string]any); !ok || len(c) != 0 {
		t.Errorf("counterparty should be {}: %v", pm["counterparty"])
	}

	pending := firstTx(t, s, func(tx *transaction) bool { return tx.pending() && !tx.declined() })
	if renderMap(t, s, pending, "", false)["settled"] != "" {
		t.Error("pending transaction has a settled time")
	}
	declined := firstTx(t, s, func(tx *transaction) bool { return tx.declined() })
	if dm := renderMap(t, s, declined, "", false); dm["decline_reason"] == "" || dm["settled"] != "" {
		t.Errorf("declined transaction: %v", dm)
	}
	fps := firstTx(t, s, func(tx *transaction) bool { return tx.Scheme == schemeFasterPayments })
	if c := renderMap(t, s, fps, "", false)["counterparty"].(map[string]any); c["sort_code"] == nil || c["name"] == nil {
		t.Errorf("fps counterparty: %v", c)
	}
	if !strings.HasSuffix(formatTime(card.Created), "Z") {
		t.Errorf("created %s not UTC", formatTime(card.Created))
	}
}

func TestClientMetadataIsPrivate(t *testing.T) {
	s := newTestServer(t, 1, testNow)
	s.bank.mu.Lock()
	defer s.bank.unlock()
	tx := firstTx(t, s, func(tx *transaction) bool { return tx.Scheme == schemeMastercard })
	s.bank.setClientMetadataLocked(tx, "oauth2client_A", "tag", "coffee")
	s.bank.setClientMetadataLocked(tx, "oauth2client_A", "notes", "flat white")

	a := renderMap(t, s, tx, "oauth2client_A", false)
	b := renderMap(t, s, tx, "oauth2client_B", false)
	if a["metadata"].(map[string]any)["tag"] != "coffee" {
		t.Errorf("client A does not see its metadata: %v", a["metadata"])
	}
	if _, ok := b["metadata"].(map[string]any)["tag"]; ok {
		t.Errorf("client B sees client A's metadata: %v", b["metadata"])
	}
	if b["metadata"].(map[string]any)["mcc"] == nil {
		t.Error("shared metadata hidden from client B")
	}
	if a["notes"] != "flat white" || b["notes"] != "flat white" {
		t.Errorf("notes: %v / %v", a["notes"], b["notes"])
	}
	// An empty value deletes the key.
	s.bank.setClientMetadataLocked(tx, "oauth2client_A", "tag", "")
	if _, ok := renderMap(t, s, tx, "oauth2client_A", false)["metadata"].(map[string]any)["tag"]; ok {
		t.Error("empty value did not delete the key")
	}
}

func TestAddTransactionFiresHooksAndMovesBalance(t *testing.T) {
	e := setup(t)
	var mu sync.Mutex
	var events []TransactionEvent
	e.s.OnTransactionCreated(func(ev TransactionEvent) {
		// Hooks run outside the lock, so calling back in is fine.
		_ = e.s.Users()
		mu.Lock()
		events = append(events, ev)
		mu.Unlock()
	})
	acc := accountOf(t, e.primary(), accountTypeRetail)
	merchantID := func() string {
		e.s.bank.mu.Lock()
		defer e.s.bank.unlock()
		return e.s.bank.accounts[acc.ID].Transactions[1].MerchantID
	}()

	e.s.bank.mu.Lock()
	before := e.s.bank.accounts[acc.ID].Balance
	ok := &transaction{AccountID: acc.ID, Amount: -1234, Scheme: schemeMastercard, Category: "eating_out",
		MerchantID: merchantID, Description: "TEST", IncludeInSpending: true}
	no := &transaction{AccountID: acc.ID, Amount: -99999, Scheme: schemeMastercard, Category: "shopping",
		DeclineReason: "INSUFFICIENT_FUNDS"}
	e.s.bank.addTransactionLocked(ok)
	e.s.bank.addTransactionLocked(no)
	after := e.s.bank.accounts[acc.ID].Balance
	last := e.s.bank.accounts[acc.ID].Transactions
	e.s.bank.unlock()

	if after != before-1234 {
		t.Errorf("balance %d → %d; a declined transaction must not move money", before, after)
	}
	if last[len(last)-1] != no || last[len(last)-2] != ok || ok.ID >= no.ID || !idPattern.MatchString(ok.ID) {
		t.Errorf("new transactions not appended in order: %s %s", ok.ID, no.ID)
	}
	if ok.Created != e.clock.Now() || ok.LocalCurrency != "GBP" || ok.LocalAmount != -1234 || ok.Metadata == nil {
		t.Errorf("defaults not filled: %+v", ok)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(events) != 2 || events[0].TransactionID != ok.ID || events[0].AccountID != acc.ID {
		t.Fatalf("events: %+v", events)
	}
	var data map[string]any
	if err := json.Unmarshal(events[0].Transaction, &data); err != nil {
		t.Fatal(err)
	}
	if m, _ := data["merchant"].(map[string]any); m["id"] != merchantID {
		t.Errorf("event merchant not expanded: %v", data["merchant"])
	}
	var declined map[string]any
	_ = json.Unmarshal(events[1].Transaction, &declined)
	if declined["decline_reason"] != "INSUFFICIENT_FUNDS" || declined["merchant"] != nil {
		t.Errorf("declined event: %s", events[1].Transaction)
	}
}

func TestCloseRunsOnCloseOnce(t *testing.T) {
	s := newTestServer(t, 1, testNow)
	n := 0
	s.OnClose(func() { n++ })
	_ = s.Close()
	_ = s.Close()
	if n != 1 {
		t.Errorf("OnClose ran %d times", n)
	}
}
