package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

type accountsBody struct {
	Accounts []map[string]any `json:"accounts"`
}

func listAccounts(t *testing.T, e *env, token, query string) []map[string]any {
	t.Helper()
	resp := e.get("/accounts"+query, token)
	wantStatus(t, resp, http.StatusOK)
	var b accountsBody
	if err := json.Unmarshal(resp.body, &b); err != nil {
		t.Fatal(err)
	}
	return b.Accounts
}

func TestListAccounts(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	accounts := listAccounts(t, e, tok.Access, "")
	if len(accounts) != 3 {
		t.Fatalf("primary has %d accounts, want 3", len(accounts))
	}
	byType := map[string]map[string]any{}
	for _, a := range accounts {
		for _, k := range []string{"id", "closed", "created", "description", "type", "currency", "country_code", "owners"} {
			if _, ok := a[k]; !ok {
				t.Errorf("account %v lacks %s", a["id"], k)
			}
		}
		if !strings.HasPrefix(a["id"].(string), "acc_") || a["currency"] != "GBP" || a["country_code"] != "GB" {
			t.Errorf("account basics: %v", a)
		}
		byType[a["type"].(string)] = a
	}
	prepaid, personal, joint := byType["uk_prepaid"], byType["uk_retail"], byType["uk_retail_joint"]
	if prepaid == nil || personal == nil || joint == nil {
		t.Fatalf("account types: %v", byType)
	}
	if prepaid["closed"] != true {
		t.Error("legacy prepaid account should be listed as closed")
	}
	if _, ok := prepaid["account_number"]; ok {
		t.Error("prepaid account has an account number")
	}
	if personal["closed"] != false || len(personal["account_number"].(string)) != 8 || personal["sort_code"] != "040004" {
		t.Errorf("personal account: %v", personal)
	}
	pd := personal["payment_details"].(map[string]any)["locale_uk"].(map[string]any)
	if pd["account_number"] != personal["account_number"] || pd["sort_code"] != personal["sort_code"] {
		t.Errorf("payment_details: %v", pd)
	}
	owners := joint["owners"].([]any)
	if len(owners) != 2 {
		t.Fatalf("joint owners: %v", owners)
	}
	for i, u := range []UserSummary{e.primary(), e.partner()} {
		o := owners[i].(map[string]any)
		if o["user_id"] != u.ID || o["preferred_name"] != u.Name || o["preferred_first_name"] != u.FirstName {
			t.Errorf("owner %d = %v, want %+v", i, o, u)
		}
	}
	if len(personal["owners"].([]any)) != 1 {
		t.Errorf("personal owners: %v", personal["owners"])
	}

	only := listAccounts(t, e, tok.Access, "?account_type=uk_retail_joint")
	if len(only) != 1 || only[0]["id"] != joint["id"] {
		t.Errorf("account_type filter: %v", only)
	}
	if got := listAccounts(t, e, tok.Access, "?account_type=uk_business"); len(got) != 0 {
		t.Errorf("uk_business filter: %v", got)
	}
	if strings.Contains(string(e.get("/accounts?account_type=uk_business", tok.Access).body), "null") {
		t.Error("empty account list should be [] not null")
	}

	// The partner sees only the joint account.
	ptok := e.approvedLogin(e.client, e.partner().ID)
	if got := listAccounts(t, e, ptok.Access, ""); len(got) != 1 || got[0]["id"] != joint["id"] {
		t.Errorf("partner accounts: %v", got)
	}
}
