package monzo_test

import (
	"encoding/json"
	"errors"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
)

// A card payment in the shape of real 2019–2024 responses (docs/api-notes.md#transactions).
const cardTransactionJSON = `{
	"id": "tx_0000A1b2C3d4E5f6G7h8I9",
	"created": "2024-03-01T12:34:56.789Z",
	"description": "THE DE BEAUVOIR DELI C LONDON        GBR",
	"amount": -510,
	"fees": {},
	"currency": "GBP",
	"merchant": "merch_00008zIcpbAKe8shBxXUtl",
	"notes": "lunch",
	"metadata": {"mcc": "5812", "notes": "lunch"},
	"labels": null,
	"attachments": [{"id": "attach_1", "user_id": "user_1", "external_id": "tx_0000A1b2C3d4E5f6G7h8I9",
		"file_url": "https://example.com/r.png", "file_type": "image/png", "created": "2024-03-01T13:00:00Z",
		"type": "image/png", "url": "https://example.com/r.png"}],
	"international": null,
	"category": "eating_out",
	"categories": {"eating_out": -510},
	"is_load": false,
	"settled": "",
	"local_amount": -600,
	"local_currency": "EUR",
	"updated": "2024-03-01T12:35:00Z",
	"account_id": "acc_00009237aqC8c5umZmrRdh",
	"user_id": "",
	"counterparty": {},
	"scheme": "mastercard",
	"dedupe_id": "mclifecycle:abc",
	"originator": false,
	"include_in_spending": true,
	"can_be_excluded_from_breakdown": true,
	"can_be_made_subscription": false,
	"can_split_the_bill": true,
	"can_add_to_tab": true,
	"can_match_transactions_in_categorization": true,
	"amount_is_pending": true,
	"atm_fees_detailed": null,
	"parent_account_id": "",
	"tab": null,
	"some_future_field": {"x": 1}
}`

func TestTransactionDecodesRealShape(t *testing.T) {
	var tx monzo.Transaction
	if err := json.Unmarshal([]byte(cardTransactionJSON), &tx); err != nil {
		t.Fatal(err)
	}
	if tx.ID != "tx_0000A1b2C3d4E5f6G7h8I9" || tx.Amount != -510 || tx.Category != monzo.CategoryEatingOut || tx.Scheme != monzo.SchemeMastercard {
		t.Errorf("basic fields: %+v", tx)
	}
	if tx.Created.Nanosecond() != 789_000_000 || tx.Updated.IsZero() {
		t.Errorf("timestamps: created %v updated %v", tx.Created, tx.Updated)
	}
	if !tx.IsPending() || tx.IsDeclined() || !tx.Settled.IsZero() {
		t.Errorf("pending %v declined %v settled %v; want a pending, not declined transaction", tx.IsPending(), tx.IsDeclined(), tx.Settled)
	}
	if got := tx.Money(); got != (monzo.Money{Amount: -510, Currency: "GBP"}) {
		t.Errorf("Money() = %v", got)
	}
	if got := tx.LocalMoney(); got != (monzo.Money{Amount: -600, Currency: "EUR"}) {
		t.Errorf("LocalMoney() = %v", got)
	}
	if tx.Merchant.ID() != "merch_00008zIcpbAKe8shBxXUtl" {
		t.Errorf("merchant = %q", tx.Merchant.ID())
	}
	if tx.Metadata["mcc"] != "5812" || tx.Notes != "lunch" || tx.Categories["eating_out"] != -510 {
		t.Errorf("metadata %v notes %q categories %v", tx.Metadata, tx.Notes, tx.Categories)
	}
	if len(tx.Attachments) != 1 || tx.Attachments[0].URL == "" || tx.Attachments[0].Created.IsZero() || len(tx.Attachments[0].Raw) == 0 {
		t.Errorf("attachments = %+v", tx.Attachments)
	}
	if !tx.IncludeInSpending || !tx.CanSplitTheBill || !tx.AmountIsPending || !tx.CanMatchTransactionsInCategorization || tx.DedupeID == "" {
		t.Errorf("flags: %+v", tx)
	}
	if tx.AccountBalance != nil {
		t.Errorf("AccountBalance = %d, want nil when absent", *tx.AccountBalance)
	}
	if !strings.Contains(string(tx.Raw), "some_future_field") {
		t.Error("Raw lost an unknown field")
	}
	// Encoding and decoding again keeps the modelled fields.
	out, err := json.Marshal(&tx)
	if err != nil {
		t.Fatal(err)
	}
	var again monzo.Transaction
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatalf("decoding %s: %v", out, err)
	}
	if again.ID != tx.ID || again.Merchant.ID() != tx.Merchant.ID() || !again.Settled.IsZero() || again.Created != tx.Created {
		t.Errorf("round trip changed the transaction: %s", out)
	}
}

func TestTransactionDeclinedAndLegacyFields(t *testing.T) {
	var tx monzo.Transaction
	body := `{"id":"tx_2","amount":-2000,"currency":"GBP","settled":"","merchant":null,
		"decline_reason":"INSUFFICIENT_FUNDS","account_balance":1234,"counterparty":{"name":"Alice","sort_code":"040004","account_number":"12345678","user_id":"anonuser_0eee785003f4df1e8747b5"},
		"scheme":"some_new_scheme","category":"my_custom_category"}`
	if err := json.Unmarshal([]byte(body), &tx); err != nil {
		t.Fatal(err)
	}
	if !tx.IsDeclined() || tx.IsPending() || tx.DeclineReason != monzo.DeclineInsufficientFunds {
		t.Errorf("declined %v pending %v reason %q", tx.IsDeclined(), tx.IsPending(), tx.DeclineReason)
	}
	if tx.AccountBalance == nil || *tx.AccountBalance != 1234 {
		t.Errorf("AccountBalance = %v", tx.AccountBalance)
	}
	if tx.Counterparty.Name != "Alice" || tx.Counterparty.UserID == "" {
		t.Errorf("counterparty = %+v", tx.Counterparty)
	}
	if tx.Scheme != "some_new_scheme" || tx.Category != "my_custom_category" || !tx.Merchant.IsZero() {
		t.Errorf("open enums or merchant: %+v", tx)
	}
	var settled monzo.Transaction
	if err := json.Unmarshal([]byte(`{"id":"tx_3","settled":"2024-03-02T00:00:00Z"}`), &settled); err != nil {
		t.Fatal(err)
	}
	if settled.IsPending() {
		t.Error("a settled transaction reports pending")
	}
}

func TestTransactionListOptionsValidation(t *testing.T) {
	c, err := monzo.NewClient(monzo.WithBaseURL("http://127.0.0.1:1"), monzo.WithAccessToken("t"), monzo.WithRetryPolicy(monzo.NoRetries()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := c.Transactions.List(ctx, " ", nil); err == nil || !strings.Contains(err.Error(), "monzo:") {
		t.Errorf("no account: err = %v, want a validation error", err)
	}
	bad := map[string]*monzo.TransactionListOptions{
		"since and since id": {Since: time.Now(), SinceID: "tx_1"},
		"limit too big":      {Limit: 101},
		"negative limit":     {Limit: -1},
		"since after before": {Since: time.Now(), Before: time.Now().Add(-time.Hour)},
		"before past 9999":   {Before: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		"since before 0000":  {Since: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for name, opts := range bad {
		if _, err := c.Transactions.List(ctx, "acc_1", opts); err == nil || !strings.Contains(err.Error(), "monzo:") {
			t.Errorf("%s: err = %v, want a validation error", name, err)
		}
	}
	if _, err := c.Transactions.Get(ctx, " ", nil); err == nil {
		t.Error("Get with an empty id: want an error")
	}
	if _, err := c.Transactions.Annotate(ctx, "tx_1", nil); err == nil {
		t.Error("Annotate with no metadata: want an error")
	}
	if _, err := c.Transactions.Annotate(ctx, "tx_1", map[string]string{"a]b": "x"}); err == nil {
		t.Error("Annotate with a bracket in a key: want an error")
	}
}

// txEnv is the emulator (monzotest) with a client logged in as the primary
// seeded user and approved at the fake clock's start, so the 5-minute
// full-history window is open. Clients do not retry, so the tests see each
// answer as the emulator gave it.
type txEnv struct {
	t        *testing.T
	srv      *monzotest.Server
	clock    *emulator.FakeClock
	client   *monzo.Client
	personal string // the primary user's current account
}

func newTxEnv(t *testing.T) *txEnv {
	t.Helper()
	srv := monzotest.NewServer(t, monzotest.WithClientOptions(monzo.WithRetryPolicy(monzo.NoRetries())))
	return &txEnv{t: t, srv: srv, clock: srv.Clock, client: srv.Client, personal: srv.AccountID(monzo.AccountTypeRetail)}
}

// login logs the primary user in with another (or the same) OAuth client,
// approves it in the "app" and returns a client using it.
func (e *txEnv) login(c emulator.OAuthClient) *monzo.Client {
	e.t.Helper()
	l := e.srv.LogIn(c, "")
	e.srv.Approve(l)
	return e.srv.NewClient(l)
}

// refresh forces the default login's token to be refreshed through the
// oauth package, as if the API had rejected it as expired.
func (e *txEnv) refresh() {
	e.t.Helper()
	ctx := e.t.Context()
	tok, err := e.srv.Login.Token(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	fresh, err := e.srv.Login.Tokens.RefreshExpired(ctx, tok.AccessToken)
	if err != nil {
		e.t.Fatalf("refreshing: %v", err)
	}
	if fresh == tok.AccessToken {
		e.t.Fatal("refreshing returned the same access token")
	}
}

// collect drains an All iterator.
func collect(t *testing.T, seq iter.Seq2[*monzo.Transaction, error]) []*monzo.Transaction {
	t.Helper()
	var out []*monzo.Transaction
	for tx, err := range seq {
		if err != nil {
			t.Fatalf("after %d transactions: %v", len(out), err)
		}
		out = append(out, tx)
	}
	return out
}

func TestTransactionsListPagingParameters(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()

	def, err := e.client.Transactions.List(ctx, e.personal, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(def) != 30 {
		t.Errorf("default page has %d transactions, want 30", len(def))
	}
	page, err := e.client.Transactions.List(ctx, e.personal, &monzo.TransactionListOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 100 {
		t.Fatalf("limit 100 page has %d transactions", len(page))
	}
	for i := range def {
		if def[i].ID != page[i].ID {
			t.Fatalf("default page and limit-100 page differ at %d: %s vs %s", i, def[i].ID, page[i].ID)
		}
	}
	for i := 1; i < len(page); i++ {
		a, b := page[i-1], page[i]
		if b.Created.Before(a.Created.Time) || (b.Created.Equal(a.Created.Time) && b.ID <= a.ID) {
			t.Fatalf("page not ascending at %d: %s %s then %s %s", i, a.Created, a.ID, b.Created, b.ID)
		}
		if b.AccountID != e.personal {
			t.Fatalf("transaction %s belongs to %s", b.ID, b.AccountID)
		}
	}

	k := page[50]
	// since as a time is inclusive.
	got, err := e.client.Transactions.List(ctx, e.personal, &monzo.TransactionListOptions{Since: k.Created.Time, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !containsTx(got, k.ID) {
		t.Errorf("since=%s (time) does not include the transaction created then (%s)", k.Created, k.ID)
	}
	for _, tx := range got {
		if tx.Created.Before(k.Created.Time) {
			t.Errorf("since=%s returned %s created %s", k.Created, tx.ID, tx.Created)
		}
	}
	// since as an id is exclusive: the page starts right after it.
	got, err = e.client.Transactions.List(ctx, e.personal, &monzo.TransactionListOptions{SinceID: k.ID, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 || got[0].ID != page[51].ID || got[9].ID != page[60].ID {
		t.Errorf("since=%s (id) returned %v, want page[51:61]", k.ID, ids(got))
	}
	// before is exclusive.
	got, err = e.client.Transactions.List(ctx, e.personal, &monzo.TransactionListOptions{Since: page[0].Created.Time, Before: k.Created.Time, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if containsTx(got, k.ID) {
		t.Errorf("before=%s includes the transaction created then", k.Created)
	}
	if len(got) == 0 || !got[len(got)-1].Created.Before(k.Created.Time) || len(got) > 50 || got[len(got)-1].ID != lastCreatedBefore(page, k.Created.Time).ID {
		t.Errorf("before=%s returned %d transactions ending %v", k.Created, len(got), ids(got[max(len(got)-1, 0):]))
	}
}

func TestTransactionsListRejectsBadArguments(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()
	_, err := e.client.Transactions.List(ctx, "acc_doesnotexist", nil)
	if !errors.Is(err, monzo.ErrNotFound) {
		t.Errorf("unknown account: err = %v, want not found", err)
	}
	_, err = e.client.Transactions.List(ctx, e.personal, &monzo.TransactionListOptions{SinceID: "tx_doesnotexist"})
	var apiErr *monzo.Error
	if !errors.As(err, &apiErr) || apiErr.Code != "bad_request.bad_param.since" {
		t.Errorf("unknown since id: err = %v, want bad_request.bad_param.since", err)
	}
}

func TestTransactionsMerchantExpansion(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()
	plain, err := e.client.Transactions.List(ctx, e.personal, &monzo.TransactionListOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	expanded, err := e.client.Transactions.List(ctx, e.personal, &monzo.TransactionListOptions{Limit: 100, ExpandMerchant: true})
	if err != nil {
		t.Fatal(err)
	}
	var withMerchant, without string
	for i, tx := range plain {
		x := expanded[i]
		if x.ID != tx.ID || x.Merchant.ID() != tx.Merchant.ID() {
			t.Fatalf("expanded page differs at %d: %s/%q vs %s/%q", i, tx.ID, tx.Merchant.ID(), x.ID, x.Merchant.ID())
		}
		if _, ok := tx.Merchant.Expanded(); ok {
			t.Fatalf("%s: merchant expanded without ExpandMerchant", tx.ID)
		}
		if tx.Merchant.IsZero() {
			without = tx.ID
			if _, ok := x.Merchant.Expanded(); ok || !x.Merchant.IsZero() {
				t.Errorf("%s has no merchant but the expanded form has one", tx.ID)
			}
			continue
		}
		withMerchant = tx.ID
		m, ok := x.Merchant.Expanded()
		if !ok || m.ID != tx.Merchant.ID() || m.Name == "" || m.GroupID == "" || m.Created.IsZero() {
			t.Errorf("%s: expanded merchant = %+v", tx.ID, m)
		}
		if !strings.HasPrefix(string(tx.Raw), "{") || !strings.Contains(string(tx.Raw), `"merchant":"merch_`) {
			t.Errorf("%s: unexpanded merchant is not an id string in %s", tx.ID, tx.Raw)
		}
	}
	if withMerchant == "" || without == "" {
		t.Fatalf("the first 100 seeded transactions need both kinds (with merchant %q, without %q)", withMerchant, without)
	}

	got, err := e.client.Transactions.Get(ctx, withMerchant, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.Merchant.Expanded(); ok || !strings.HasPrefix(got.Merchant.ID(), "merch_") {
		t.Errorf("Get without expand: merchant %+v", got.Merchant)
	}
	got, err = e.client.Transactions.Get(ctx, withMerchant, &monzo.TransactionGetOptions{ExpandMerchant: true})
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := got.Merchant.Expanded(); !ok || m.Address.City == "" && !m.Online {
		t.Errorf("Get with expand: merchant %+v", m)
	}
	got, err = e.client.Transactions.Get(ctx, without, &monzo.TransactionGetOptions{ExpandMerchant: true})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Merchant.IsZero() {
		t.Errorf("%s: merchant %+v, want none", without, got.Merchant)
	}
	if _, err := e.client.Transactions.Get(ctx, "tx_doesnotexist", nil); !errors.Is(err, monzo.ErrNotFound) {
		t.Errorf("Get unknown: err = %v, want ErrNotFound", err)
	}
}

func TestTransactionsAnnotate(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()
	page, err := e.client.Transactions.List(ctx, e.personal, &monzo.TransactionListOptions{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	id := page[0].ID
	seeded := page[0].Metadata

	tx, err := e.client.Transactions.Annotate(ctx, id, map[string]string{"project": "kitchen", "receipt": "yes"})
	if err != nil {
		t.Fatal(err)
	}
	if tx.ID != id || tx.Metadata["project"] != "kitchen" || tx.Metadata["receipt"] != "yes" {
		t.Errorf("after set: metadata %v", tx.Metadata)
	}
	for k, v := range seeded {
		if tx.Metadata[k] != v {
			t.Errorf("seeded metadata %s=%q became %q", k, v, tx.Metadata[k])
		}
	}
	if _, ok := tx.Merchant.Expanded(); ok {
		t.Error("Annotate returned an expanded merchant")
	}
	// Setting again is idempotent; an empty value deletes.
	tx, err = e.client.Transactions.Annotate(ctx, id, map[string]string{"project": "kitchen", "receipt": ""})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tx.Metadata["receipt"]; ok || tx.Metadata["project"] != "kitchen" {
		t.Errorf("after delete: metadata %v", tx.Metadata)
	}
	tx, err = e.client.Transactions.Annotate(ctx, id, map[string]string{"notes": "Paid back by Sam"})
	if err != nil {
		t.Fatal(err)
	}
	if tx.Notes != "Paid back by Sam" {
		t.Errorf("notes = %q", tx.Notes)
	}
	got, err := e.client.Transactions.Get(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Metadata["project"] != "kitchen" || got.Notes != "Paid back by Sam" {
		t.Errorf("Get after annotating: metadata %v notes %q", got.Metadata, got.Notes)
	}

	// A second app logged in as the same user sees none of the first app's
	// metadata, and what it writes stays its own.
	second := e.login(e.srv.RegisterClient("Other app", true))
	theirs, err := second.Transactions.Get(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := theirs.Metadata["project"]; ok {
		t.Errorf("second client sees the first client's metadata: %v", theirs.Metadata)
	}
	for k, v := range seeded {
		if theirs.Metadata[k] != v {
			t.Errorf("second client misses seeded metadata %s=%q", k, v)
		}
	}
	if _, err := second.Transactions.Annotate(ctx, id, map[string]string{"budget": "home"}); err != nil {
		t.Fatal(err)
	}
	mine, err := e.client.Transactions.Get(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := mine.Metadata["budget"]; ok || mine.Metadata["project"] != "kitchen" {
		t.Errorf("first client's metadata after the second wrote: %v", mine.Metadata)
	}

	if _, err := e.client.Transactions.Annotate(ctx, "tx_doesnotexist", map[string]string{"a": "b"}); !errors.Is(err, monzo.ErrNotFound) {
		t.Errorf("Annotate unknown: err = %v, want ErrNotFound", err)
	}
}

func TestTransactionsHistoryRule(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()
	list := func(c *monzo.Client, opts monzo.TransactionListOptions) error {
		_, err := c.Transactions.List(ctx, e.personal, &opts)
		return err
	}
	oldest, err := e.client.Transactions.List(ctx, e.personal, &monzo.TransactionListOptions{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if e.clock.Now().Sub(oldest[0].Created.Time) < 100*24*time.Hour {
		t.Fatalf("seeded history starts at %s: too recent for this test", oldest[0].Created)
	}

	e.clock.Advance(4*time.Minute + 59*time.Second)
	if err := list(e.client, monzo.TransactionListOptions{}); err != nil {
		t.Fatalf("inside the 5-minute window, no since: %v", err)
	}

	e.clock.Advance(time.Minute + time.Second) // 6 minutes after approval
	err = list(e.client, monzo.TransactionListOptions{})
	if !errors.Is(err, monzo.ErrVerificationRequired) {
		t.Fatalf("after 6 minutes, no since: err = %v, want ErrVerificationRequired", err)
	}
	var apiErr *monzo.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden || !strings.Contains(apiErr.Message, "erification required") {
		t.Errorf("error = %#v", apiErr)
	}
	now := e.clock.Now()
	if err := list(e.client, monzo.TransactionListOptions{Since: now.Add(-89 * 24 * time.Hour)}); err != nil {
		t.Errorf("since 89 days ago: %v", err)
	}
	if err := list(e.client, monzo.TransactionListOptions{Since: now.Add(-91 * 24 * time.Hour)}); !errors.Is(err, monzo.ErrVerificationRequired) {
		t.Errorf("since 91 days ago: err = %v, want ErrVerificationRequired", err)
	}
	if err := list(e.client, monzo.TransactionListOptions{SinceID: oldest[0].ID}); !errors.Is(err, monzo.ErrVerificationRequired) {
		t.Errorf("since the id of a 400-day-old transaction: err = %v, want ErrVerificationRequired", err)
	}
	// Reading one old transaction by id, balance and accounts still work.
	if _, err := e.client.Transactions.Get(ctx, oldest[0].ID, nil); err != nil {
		t.Errorf("Get of an old transaction: %v", err)
	}
	if _, err := e.client.Balance.Get(ctx, e.personal); err != nil {
		t.Errorf("balance: %v", err)
	}
	if _, err := e.client.Accounts.List(ctx, nil); err != nil {
		t.Errorf("accounts: %v", err)
	}

	// Refreshing does not reopen the window.
	e.refresh()
	if err := list(e.client, monzo.TransactionListOptions{}); !errors.Is(err, monzo.ErrVerificationRequired) {
		t.Errorf("after refreshing: err = %v, want ErrVerificationRequired", err)
	}
	// Logging in again and approving does.
	if err := list(e.login(e.srv.Emulator.DefaultClient()), monzo.TransactionListOptions{}); err != nil {
		t.Errorf("after a fresh login: %v", err)
	}
}

func containsTx(txs []monzo.Transaction, id string) bool {
	for _, tx := range txs {
		if tx.ID == id {
			return true
		}
	}
	return false
}

func ids(txs []monzo.Transaction) []string {
	out := make([]string, len(txs))
	for i, tx := range txs {
		out[i] = tx.ID
	}
	return out
}

func lastCreatedBefore(txs []monzo.Transaction, t time.Time) monzo.Transaction {
	var last monzo.Transaction
	for _, tx := range txs {
		if tx.Created.Before(t) {
			last = tx
		}
	}
	return last
}

// TestListDecodesLikeEncodingJSON fetches the emulator's pages, merchants
// expanded and not, and checks the client's one-pass decoding against
// encoding/json on the same bytes.
func TestListDecodesLikeEncodingJSON(t *testing.T) {
	e := newTxEnv(t)
	ctx := t.Context()
	tok, err := e.srv.Login.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, expand := range []bool{false, true} {
		q := url.Values{"account_id": {e.personal}, "limit": {"100"}}
		if expand {
			q.Set("expand[]", "merchant")
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL+"/transactions?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := e.srv.HTTPClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		want, err := monzo.RefDecodePage(body)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.client.Transactions.List(ctx, e.personal, &monzo.TransactionListOptions{Limit: 100, ExpandMerchant: expand})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(got) != 100 {
			t.Fatalf("expand %v: %d transactions, want %d", expand, len(got), len(want))
		}
		for i := range want {
			if diff := monzo.SameTransaction(got[i], want[i]); diff != "" {
				t.Fatalf("expand %v: transaction %d: %s", expand, i, diff)
			}
		}
	}
}
