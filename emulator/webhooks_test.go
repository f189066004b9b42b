package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestWebhooksRegisterListDelete(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	joint := accountOf(t, e.primary(), accountTypeRetailJoint).ID

	resp := e.do(http.MethodPost, "/webhooks", tok.Access, url.Values{"account_id": {acc}, "url": {"https://example.com/hook?token=abc"}})
	wantStatus(t, resp, http.StatusOK)
	wh, _ := resp.json(t)["webhook"].(map[string]any)
	id, _ := wh["id"].(string)
	if !strings.HasPrefix(id, "webhook_") || len(id) != len("webhook_")+22 || wh["account_id"] != acc || wh["url"] != "https://example.com/hook?token=abc" {
		t.Fatalf("webhook = %v", wh)
	}
	if len(wh) != 3 {
		t.Errorf("webhook has fields %v, want account_id, id, url", wh)
	}
	e.do(http.MethodPost, "/webhooks", tok.Access, url.Values{"account_id": {joint}, "url": {"http://example.com/joint"}})

	// Another client of the same user registers its own webhook on the account.
	other := e.s.MustRegisterClient(ClientOptions{Name: "other", Confidential: true})
	otherTok := e.approvedLogin(other, e.primary().ID)
	wantStatus(t, e.do(http.MethodPost, "/webhooks", otherTok.Access, url.Values{"account_id": {acc}, "url": {"https://other.example.com/"}}), http.StatusOK)

	list := func(token string) []any {
		t.Helper()
		r := e.get("/webhooks?account_id="+acc, token)
		wantStatus(t, r, http.StatusOK)
		hooks, _ := r.json(t)["webhooks"].([]any)
		return hooks
	}
	if hooks := list(tok.Access); len(hooks) != 1 || hooks[0].(map[string]any)["id"] != id {
		t.Fatalf("list = %v, want only this client's webhook on this account", hooks)
	}
	if hooks := list(otherTok.Access); len(hooks) != 1 || hooks[0].(map[string]any)["url"] != "https://other.example.com/" {
		t.Fatalf("other client's list = %v", hooks)
	}

	// account_id in a form body, as the docs showed it after 2019.
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/webhooks", strings.NewReader(url.Values{"account_id": {acc}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+tok.Access)
	r := e.send(req)
	wantStatus(t, r, http.StatusOK)
	if hooks, _ := r.json(t)["webhooks"].([]any); len(hooks) != 1 {
		t.Fatalf("list with body = %s", r.body)
	}

	// Another client cannot delete it.
	wantError(t, e.do(http.MethodDelete, "/webhooks/"+id, otherTok.Access, nil), http.StatusNotFound, "not_found.webhook")
	r = e.do(http.MethodDelete, "/webhooks/"+id, tok.Access, nil)
	wantStatus(t, r, http.StatusOK)
	if strings.TrimSpace(string(r.body)) != "{}" {
		t.Errorf("delete body = %s, want {}", r.body)
	}
	if hooks := list(tok.Access); len(hooks) != 0 {
		t.Fatalf("after delete: %v", hooks)
	}
	wantError(t, e.do(http.MethodDelete, "/webhooks/"+id, tok.Access, nil), http.StatusNotFound, "not_found.webhook")
	if n := len(e.s.Webhooks()); n != 2 {
		t.Errorf("Webhooks() has %d, want 2 (joint + other client's)", n)
	}
}

func TestWebhooksValidation(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	post := func(v url.Values) response { return e.do(http.MethodPost, "/webhooks", tok.Access, v) }

	wantError(t, post(url.Values{"url": {"https://example.com/"}}), http.StatusBadRequest, "bad_request.missing_param.account_id")
	wantError(t, post(url.Values{"account_id": {acc}}), http.StatusBadRequest, "bad_request.missing_param.url")
	for _, bad := range []string{"/relative", "example.com/x", "ftp://example.com/", "https://", "javascript:alert(1)"} {
		wantError(t, post(url.Values{"account_id": {acc}, "url": {bad}}), http.StatusBadRequest, "bad_request.bad_param.url")
	}
	// An account the user cannot see.
	partnerAcc := "acc_0000NotTheUsersAccount0"
	wantError(t, post(url.Values{"account_id": {partnerAcc}, "url": {"https://example.com/"}}), http.StatusNotFound, "not_found.account")
	wantError(t, e.get("/webhooks?account_id="+partnerAcc, tok.Access), http.StatusNotFound, "not_found.account")
	wantError(t, e.get("/webhooks", tok.Access), http.StatusBadRequest, "bad_request.missing_param.account_id")

	// Arguments in the query string of a POST are ignored, as on the real API.
	wantError(t, e.do(http.MethodPost, "/webhooks?account_id="+acc+"&url=https://example.com/", tok.Access, url.Values{}), http.StatusBadRequest, "bad_request.missing_param.account_id")

	// Unauthenticated and unapproved callers are refused.
	wantError(t, e.get("/webhooks?account_id="+acc, ""), http.StatusUnauthorized, "unauthorized.bad_access_token")
	pending := e.login(e.s.MustRegisterClient(ClientOptions{Name: "pending", Confidential: true}), e.primary().ID)
	wantError(t, e.get("/webhooks?account_id="+acc, pending.Access), http.StatusForbidden, "forbidden.insufficient_permissions")
}

func TestReseedDropsWebhooksAndFeedButKeepsLogins(t *testing.T) {
	e := setup(t)
	tok, acc := approvedPrimary(e)
	wantStatus(t, e.do(http.MethodPost, "/webhooks", tok, url.Values{"account_id": {acc}, "url": {"https://example.com/"}}), http.StatusOK)
	wantStatus(t, e.do(http.MethodPost, "/feed", tok, feedForm(acc)), http.StatusOK)
	if len(e.s.Webhooks()) != 1 || len(e.s.FeedItems("")) != 1 {
		t.Fatalf("before Reseed: %d webhooks, %d feed items", len(e.s.Webhooks()), len(e.s.FeedItems("")))
	}
	_ = e.s.Reseed(SeedData{})
	if n, m := len(e.s.Webhooks()), len(e.s.FeedItems("")); n != 0 || m != 0 {
		t.Errorf("after Reseed: %d webhooks, %d feed items survived", n, m)
	}
	// Same seed, same user: the login survives and sees no webhooks.
	r := e.get("/webhooks?account_id="+acc, tok)
	wantStatus(t, r, http.StatusOK)
	if hooks, _ := r.json(t)["webhooks"].([]any); len(hooks) != 0 {
		t.Errorf("GET /webhooks after Reseed = %s", r.body)
	}
}

func TestWebhooksClearedByReset(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	acc := accountOf(t, e.primary(), accountTypeRetail).ID
	wantStatus(t, e.do(http.MethodPost, "/webhooks", tok.Access, url.Values{"account_id": {acc}, "url": {"https://example.com/"}}), http.StatusOK)
	e.s.Reset()
	if n := len(e.s.Webhooks()); n != 0 {
		t.Fatalf("%d webhooks survived Reset", n)
	}
}
