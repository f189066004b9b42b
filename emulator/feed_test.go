package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

// approvedPrimary logs the primary user in with the default client and
// approves the grant; it returns the access token and the personal account.
func approvedPrimary(e *env) (token, accountID string) {
	e.t.Helper()
	tok := e.approvedLogin(e.client, e.primary().ID)
	return tok.Access, accountOf(e.t, e.primary(), "uk_retail").ID
}

// txWhere returns the id of the newest transaction of accountID matching ok.
func txWhere(e *env, accountID string, ok func(*transaction) bool) string {
	e.t.Helper()
	e.s.bank.mu.Lock()
	defer e.s.bank.unlock()
	txs := e.s.bank.accounts[accountID].Transactions
	for i := len(txs) - 1; i >= 0; i-- {
		if ok(txs[i]) {
			return txs[i].ID
		}
	}
	e.t.Fatalf("no matching transaction on %s", accountID)
	return ""
}

// renderedTx renders a transaction as the default client sees it.
func renderedTx(e *env, txID string) transactionJSON {
	e.t.Helper()
	e.s.bank.mu.Lock()
	defer e.s.bank.unlock()
	return e.s.bank.renderTransactionLocked(e.s.bank.transactions[txID], e.client.ID, false)
}

// sendJSON sends a raw body with a bearer token and a Content-Type.
func (e *env) sendBody(method, path, token, contentType string, body []byte) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.send(req)
}

func feedForm(accountID string) url.Values {
	return url.Values{
		"account_id":        {accountID},
		"type":              {"basic"},
		"params[title]":     {"Spent £20 on coffee"},
		"params[image_url]": {"https://example.com/coffee.gif"},
	}
}

func TestFeedCreateStoresTheItem(t *testing.T) {
	e := setup(t)
	token, acc := approvedPrimary(e)
	form := feedForm(acc)
	form.Set("params[body]", "That's a lot of coffee")
	form.Set("params[background_color]", "#FCF1EE")
	form.Set("params[title_color]", "#333333")
	form.Set("params[body_color]", "#abcdef")
	form.Set("url", "https://example.com/coffee")
	r := e.do(http.MethodPost, "/feed", token, form)
	wantStatus(t, r, http.StatusOK)
	if string(bytes.TrimSpace(r.body)) != "{}" {
		t.Errorf("body = %s, want {}", r.body)
	}

	items := e.s.FeedItems(acc)
	if len(items) != 1 {
		t.Fatalf("FeedItems = %d items, want 1", len(items))
	}
	got := items[0]
	want := map[string]string{"title": "Spent £20 on coffee", "image_url": "https://example.com/coffee.gif",
		"body": "That's a lot of coffee", "background_color": "#FCF1EE", "title_color": "#333333", "body_color": "#abcdef"}
	for k, v := range want {
		if got.Params[k] != v {
			t.Errorf("Params[%s] = %q, want %q", k, got.Params[k], v)
		}
	}
	if got.Type != "basic" || got.URL != "https://example.com/coffee" || got.ClientID != e.client.ID ||
		got.UserID != e.primary().ID || !got.Created.Equal(e.clock.Now()) {
		t.Errorf("item = %+v", got)
	}
	if other := e.s.FeedItems(accountOf(t, e.primary(), "uk_retail_joint").ID); len(other) != 0 {
		t.Errorf("the joint account has %d items, want 0", len(other))
	}

	ctl := e.get("/_emulator/feed?account_id="+url.QueryEscape(acc), "")
	wantStatus(t, ctl, http.StatusOK)
	var listed struct {
		FeedItems []struct {
			AccountID string            `json:"account_id"`
			ClientID  string            `json:"client_id"`
			Params    map[string]string `json:"params"`
			Created   string            `json:"created"`
		} `json:"feed_items"`
	}
	if err := json.Unmarshal(ctl.body, &listed); err != nil {
		t.Fatal(err)
	}
	if len(listed.FeedItems) != 1 || listed.FeedItems[0].Params["title"] != "Spent £20 on coffee" ||
		listed.FeedItems[0].Created != formatTime(e.clock.Now()) || listed.FeedItems[0].ClientID != e.client.ID {
		t.Errorf("GET /_emulator/feed = %s", ctl.body)
	}

	// Reset forgets feed items.
	e.s.Reset()
	if n := len(e.s.FeedItems("")); n != 0 {
		t.Errorf("after Reset: %d items", n)
	}
}

func TestFeedValidation(t *testing.T) {
	e := setup(t)
	token, acc := approvedPrimary(e)
	tests := []struct {
		name   string
		edit   func(url.Values)
		status int
		code   string
	}{
		{"no account", func(f url.Values) { f.Del("account_id") }, 400, "bad_request.missing_param.account_id"},
		{"no type", func(f url.Values) { f.Del("type") }, 400, "bad_request.missing_param.type"},
		{"other type", func(f url.Values) { f.Set("type", "image") }, 400, "bad_request.bad_param.type"},
		{"no title", func(f url.Values) { f.Del("params[title]") }, 400, "bad_request.missing_param.params[title]"},
		{"no image", func(f url.Values) { f.Del("params[image_url]") }, 400, "bad_request.missing_param.params[image_url]"},
		{"short colour", func(f url.Values) { f.Set("params[background_color]", "#FFF") }, 400, "bad_request.bad_param.params[background_color]"},
		{"named colour", func(f url.Values) { f.Set("params[title_color]", "red") }, 400, "bad_request.bad_param.params[title_color]"},
		{"not hex", func(f url.Values) { f.Set("params[body_color]", "#GG0000") }, 400, "bad_request.bad_param.params[body_color]"},
		{"relative url", func(f url.Values) { f.Set("url", "/coffee") }, 400, "bad_request.bad_param.url"},
		{"unknown account", func(f url.Values) { f.Set("account_id", "acc_nope") }, 404, "not_found.account"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := feedForm(acc)
			tt.edit(form)
			wantError(t, e.do(http.MethodPost, "/feed", token, form), tt.status, tt.code)
		})
	}
	// The partner shares the joint account but not the personal one.
	partnerTok := e.approvedLogin(e.client, e.partner().ID)
	wantError(t, e.do(http.MethodPost, "/feed", partnerTok.Access, feedForm(acc)), 404, "not_found.account")
	if n := len(e.s.FeedItems("")); n != 0 {
		t.Errorf("refused items were stored: %d", n)
	}
	joint := accountOf(t, e.partner(), "uk_retail_joint").ID
	wantStatus(t, e.do(http.MethodPost, "/feed", partnerTok.Access, feedForm(joint)), http.StatusOK)
	// Arguments in the query string are not read (POST takes a form body).
	wantError(t, e.do(http.MethodPost, "/feed?"+feedForm(acc).Encode(), token, url.Values{}), 400, "bad_request.missing_param.account_id")
}

func TestFeedNeedsApproval(t *testing.T) {
	e := setup(t)
	tok := e.login(e.client, e.primary().ID)
	acc := accountOf(t, e.primary(), "uk_retail").ID
	wantError(t, e.do(http.MethodPost, "/feed", tok.Access, feedForm(acc)), 403, "forbidden.insufficient_permissions")
	wantError(t, e.do(http.MethodPost, "/feed", "", feedForm(acc)), 401, "unauthorized.bad_access_token")
	if n := len(e.s.FeedItems("")); n != 0 {
		t.Errorf("%d items stored", n)
	}
}
