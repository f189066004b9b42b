package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/oauth"
)

// The emulator is the library's test oracle, so it shares no wire types
// with it. This contract test is where the two meet: every kind of answer
// the emulator gives is decoded into the library's own types, with the raw
// bytes (not through the library's client), and must decode cleanly, with
// no decode warnings and with the fields that matter filled in.

type contract struct {
	t     *testing.T
	ts    *httptest.Server
	emu   *emulator.Server
	token string
}

func (c *contract) call(method, path string, form url.Values, jsonBody any) (*http.Response, []byte) {
	c.t.Helper()
	var body io.Reader
	ct := ""
	switch {
	case jsonBody != nil:
		data, _ := json.Marshal(jsonBody)
		body, ct = bytes.NewReader(data), "application/json"
	case form != nil:
		body, ct = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(method, c.ts.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.ts.Client().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	return resp, data
}

// ok calls and decodes a 2xx answer's member key (or the whole body when
// key is "") into v.
func (c *contract) ok(method, path string, form url.Values, key string, v any) {
	c.t.Helper()
	resp, data := c.call(method, path, form, nil)
	if resp.StatusCode/100 != 2 {
		c.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	decodeMember(c.t, method+" "+path, data, key, v)
}

func decodeMember(t *testing.T, what string, data []byte, key string, v any) {
	t.Helper()
	if key != "" {
		var wrapper map[string]json.RawMessage
		if err := json.Unmarshal(data, &wrapper); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		data = wrapper[key]
		if data == nil {
			t.Fatalf("%s: no %q in %s", what, key, data)
		}
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: the library cannot decode the emulator's answer: %v", what, err)
	}
}

func noWarnings(t *testing.T, what string, w []monzo.DecodeWarning) {
	t.Helper()
	if len(w) > 0 {
		t.Errorf("%s: decode warnings %v", what, w)
	}
}

func TestContractEveryResponseDecodesIntoTheLibrarysTypes(t *testing.T) {
	emu, err := emulator.New(emulator.Options{Clock: emulator.NewFakeClock(time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(emu.Handler())
	defer ts.Close()
	defer emu.Close()
	c := &contract{t: t, ts: ts, emu: emu}

	// OAuth: the token answer decodes into oauth.Token's wire shape.
	client := emu.DefaultClient()
	authURL := ts.URL + "/?" + url.Values{"client_id": {client.ID}, "redirect_uri": {client.RedirectURI},
		"response_type": {"code"}, "state": {"s"}}.Encode()
	loc, err := emulator.SubmitConsent(context.Background(), ts.Client(), authURL, emulator.Consent{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &oauth.Config{ClientID: client.ID, ClientSecret: client.Secret, RedirectURL: client.RedirectURI,
		AuthURL: ts.URL, APIBaseURL: ts.URL, HTTPClient: ts.Client(), Clock: emu.Clock().Now}
	tok, err := cfg.ExchangeCallback(context.Background(), loc.String(), "s")
	if err != nil {
		t.Fatalf("oauth exchange against the emulator: %v", err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.UserID == "" || tok.Expiry.IsZero() {
		t.Errorf("token = %v", tok)
	}
	c.token = tok.AccessToken

	// Before approval: whoami works, data is a typed 403.
	var who monzo.WhoAmI
	c.ok("GET", "/ping/whoami", nil, "", &who)
	if !who.Authenticated || who.UserID != tok.UserID {
		t.Errorf("whoami = %+v", who)
	}
	resp, _ := c.call("GET", "/accounts", nil, nil)
	if err := monzo.CheckResponse(resp); !errors.Is(err, monzo.ErrInsufficientPermissions) {
		t.Errorf("pending approval: %v, want ErrInsufficientPermissions", err)
	}
	emu.Approve("", "")

	var accounts []monzo.Account
	c.ok("GET", "/accounts", nil, "accounts", &accounts)
	var acc string
	for _, a := range accounts {
		if a.ID == "" || a.Created.IsZero() || len(a.Owners) == 0 {
			t.Errorf("account = %+v", a)
		}
		if a.Type == monzo.AccountTypeRetail {
			acc = a.ID
		}
	}

	var bal monzo.Balance
	c.ok("GET", "/balance?account_id="+acc, nil, "", &bal)
	if bal.Currency != "GBP" || bal.TotalBalance < bal.Balance || bal.LocalSpend == nil {
		t.Errorf("balance = %+v", bal)
	}

	var pots []monzo.Pot
	c.ok("GET", "/pots?current_account_id="+acc, nil, "pots", &pots)
	var pot monzo.Pot
	for _, p := range pots {
		if p.ID == "" || p.Created.IsZero() {
			t.Errorf("pot = %+v", p)
		}
		if !p.Deleted && !p.Locked {
			pot = p
		}
	}
	var moved monzo.Pot
	c.ok("PUT", "/pots/"+pot.ID+"/deposit", url.Values{"source_account_id": {acc}, "amount": {"100"}, "dedupe_id": {"c1"}}, "", &moved)
	if moved.ID != pot.ID || moved.Balance != pot.Balance+100 {
		t.Errorf("deposit answered %+v", moved)
	}
	c.ok("PUT", "/pots/"+pot.ID+"/withdraw", url.Values{"destination_account_id": {acc}, "amount": {"100"}, "dedupe_id": {"c2"}}, "", &moved)

	// Transactions, both merchant shapes, then one, then annotated.
	for _, expand := range []string{"", "&expand[]=merchant"} {
		var txs []monzo.Transaction
		c.ok("GET", "/transactions?limit=100&account_id="+acc+expand, nil, "transactions", &txs)
		if len(txs) != 100 {
			t.Fatalf("%d transactions", len(txs))
		}
		for _, tx := range txs {
			noWarnings(t, "transaction "+tx.ID, tx.DecodeWarnings)
			if tx.ID == "" || tx.Created.IsZero() || tx.Currency == "" {
				t.Errorf("transaction = %+v", tx)
			}
		}
	}
	var txs []monzo.Transaction
	c.ok("GET", "/transactions?limit=100&expand[]=merchant&account_id="+acc, nil, "transactions", &txs)
	var card monzo.Transaction
	for _, tx := range txs {
		if _, ok := tx.Merchant.Expanded(); ok && tx.DeclineReason == "" && tx.Scheme == "mastercard" {
			card = tx
		}
	}
	if card.ID == "" {
		t.Fatal("no card payment with an expanded merchant on the first page")
	}
	var one monzo.Transaction
	c.ok("GET", "/transactions/"+card.ID+"?expand[]=merchant", nil, "transaction", &one)
	noWarnings(t, "GET /transactions/{id}", one.DecodeWarnings)
	if m, ok := one.Merchant.Expanded(); !ok || m.Name == "" || m.Created.IsZero() {
		t.Errorf("merchant = %+v", one.Merchant)
	}
	c.ok("PATCH", "/transactions/"+card.ID, url.Values{"metadata[notes]": {"lunch"}}, "transaction", &one)
	if one.Notes != "lunch" {
		t.Errorf("annotated notes = %q", one.Notes)
	}

	// Attachments and receipts.
	var upload monzo.AttachmentUploadURLs
	c.ok("POST", "/attachment/upload", url.Values{"file_name": {"r.png"}, "file_type": {"image/png"}, "content_length": {"3"}}, "", &upload)
	if upload.FileURL == "" || upload.UploadURL == "" {
		t.Errorf("upload = %+v", upload)
	}
	var att monzo.Attachment
	c.ok("POST", "/attachment/register", url.Values{"external_id": {card.ID}, "file_url": {upload.FileURL}, "file_type": {"image/png"}}, "attachment", &att)
	if att.ID == "" || att.Created.IsZero() {
		t.Errorf("attachment = %+v", att)
	}
	c.ok("GET", "/transactions/"+card.ID, nil, "transaction", &one)
	noWarnings(t, "transaction with an attachment", one.DecodeWarnings)
	if len(one.Attachments) != 1 || one.Attachments[0].ID != att.ID {
		t.Errorf("attachments = %+v", one.Attachments)
	}
	receipt := map[string]any{"external_id": "r1", "transaction_id": card.ID, "total": 100, "currency": "GBP",
		"items": []any{map[string]any{"description": "Tea", "amount": 100, "currency": "GBP"}}}
	if resp, data := c.call("PUT", "/transaction-receipts", nil, receipt); resp.StatusCode != 200 {
		t.Fatalf("PUT receipt: %d %s", resp.StatusCode, data)
	}
	var rec monzo.Receipt
	c.ok("GET", "/transaction-receipts?external_id=r1", nil, "receipt", &rec)
	if rec.ID == "" || rec.TransactionID != card.ID || len(rec.Items) != 1 {
		t.Errorf("receipt = %+v", rec)
	}

	// Webhooks.
	var hook monzo.Webhook
	c.ok("POST", "/webhooks", url.Values{"account_id": {acc}, "url": {"https://example.com/hook"}}, "webhook", &hook)
	var hooks []monzo.Webhook
	c.ok("GET", "/webhooks?account_id="+acc, nil, "webhooks", &hooks)
	if hook.ID == "" || len(hooks) != 1 || hooks[0].ID != hook.ID {
		t.Errorf("webhook = %+v, list = %+v", hook, hooks)
	}

	// Errors: every family the emulator answers maps to the library's.
	for _, e := range []struct {
		method, path string
		want         error
	}{
		{"GET", "/balance", monzo.ErrBadRequest},
		{"GET", "/transactions/tx_0000nope", monzo.ErrNotFound},
		{"DELETE", "/accounts", nil}, // 405: matched by status only
	} {
		resp, _ := c.call(e.method, e.path, nil, nil)
		err := monzo.CheckResponse(resp)
		var apiErr *monzo.Error
		if !errors.As(err, &apiErr) || apiErr.Code == "" || apiErr.Message == "" || (e.want != nil && !errors.Is(err, e.want)) {
			t.Errorf("%s %s: %v, want a *monzo.Error matching %v", e.method, e.path, err, e.want)
		}
	}
	c.token = "acctok_nope"
	resp, _ = c.call("GET", "/accounts", nil, nil)
	if err := monzo.CheckResponse(resp); !errors.Is(err, monzo.ErrUnauthorized) {
		t.Errorf("bad token: %v", err)
	}
}
