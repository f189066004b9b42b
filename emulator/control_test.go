package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestControlHealth(t *testing.T) {
	e := setup(t)
	m := e.get("/_emulator/health", "").json(t)
	if m["status"] != "ok" || m["seed"] != float64(1) || m["fake_clock"] != true || m["now"] != formatTime(testNow) {
		t.Errorf("health: %v", m)
	}
}

func TestControlClock(t *testing.T) {
	e := setup(t)
	if m := e.get("/_emulator/clock", "").json(t); m["now"] != formatTime(testNow) || m["fake"] != true {
		t.Errorf("clock: %v", m)
	}
	m := e.controlJSON(http.MethodPost, "/_emulator/clock", `{"advance":"5m"}`).json(t)
	if m["now"] != formatTime(testNow.Add(5*time.Minute)) || !e.clock.Now().Equal(testNow.Add(5*time.Minute)) {
		t.Errorf("advance: %v", m)
	}
	m = e.controlJSON(http.MethodPost, "/_emulator/clock", `{"set":"2027-01-02T03:04:05.5Z"}`).json(t)
	if m["now"] != "2027-01-02T03:04:05.5Z" {
		t.Errorf("set: %v", m)
	}
	wantError(t, e.controlJSON(http.MethodPost, "/_emulator/clock", `{"advance":"soon"}`), http.StatusBadRequest, "bad_request.bad_param.advance")
	wantError(t, e.controlJSON(http.MethodPost, "/_emulator/clock", `{"set":"tomorrow"}`), http.StatusBadRequest, "bad_request.bad_param.set")
	wantError(t, e.controlJSON(http.MethodPost, "/_emulator/clock", `{}`), http.StatusBadRequest, "bad_request.missing_param.advance")
	wantError(t, e.controlJSON(http.MethodPost, "/_emulator/clock", `{"jump":"1h"}`), http.StatusBadRequest, "bad_request.bad_body")
}

func TestControlClockNeedsFakeClock(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AdvanceClock(time.Minute); err != ErrNoFakeClock {
		t.Errorf("AdvanceClock = %v", err)
	}
	e := &env{t: t, s: s}
	run := httptestServer(t, s)
	e.ts = run
	e.http = http.DefaultClient
	resp := e.controlJSON(http.MethodPost, "/_emulator/clock", `{"advance":"1m"}`)
	m := wantError(t, resp, http.StatusConflict, "conflict.real_clock")
	if !strings.Contains(m["message"].(string), "FakeClock") {
		t.Errorf("message: %v", m["message"])
	}
	if m := e.get("/_emulator/clock", "").json(t); m["fake"] != false {
		t.Errorf("clock: %v", m)
	}
}

func TestControlResetDropsTokensAndClients(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	extra := e.s.MustRegisterClient(ClientOptions{Name: "extra"})
	before := e.primary()

	resp := e.controlJSON(http.MethodPost, "/_emulator/reset", "")
	wantStatus(t, resp, http.StatusOK)
	wantError(t, e.get("/accounts", tok.Access), http.StatusUnauthorized, "unauthorized.bad_access_token")
	if len(e.s.Clients()) != 1 || e.s.DefaultClient() != e.client {
		t.Errorf("clients after reset: %+v", e.s.Clients())
	}
	if got := e.get(authQuery(extra, extra.RedirectURI, "code", "s"), ""); got.status != http.StatusBadRequest {
		t.Errorf("registered client survived reset: %d", got.status)
	}
	if e.primary().ID != before.ID {
		t.Error("same seed gave a different user after reset")
	}

	// A new seed gives new data and a new default client.
	m := e.controlJSON(http.MethodPost, "/_emulator/reset", `{"seed":99}`).json(t)
	if m["seed"] != float64(99) || e.s.Seed() != 99 || e.s.DefaultClient().ID == e.client.ID || e.primary().ID == before.ID {
		t.Errorf("reset to seed 99: %v", m)
	}
}

func TestControlSeedKeepsLogins(t *testing.T) {
	e := setup(t)
	tok := e.approvedLogin(e.client, e.primary().ID)
	e.clock.Advance(2 * time.Hour)
	wantStatus(t, e.controlJSON(http.MethodPost, "/_emulator/seed", ""), http.StatusOK)
	// Same seed: same users, so the login survives and sees regenerated data.
	wantStatus(t, e.get("/accounts", tok.Access), http.StatusOK)

	wantStatus(t, e.controlJSON(http.MethodPost, "/_emulator/seed", `{"seed":5}`), http.StatusOK)
	wantError(t, e.get("/accounts", tok.Access), http.StatusUnauthorized, "unauthorized.bad_access_token")
	if e.s.DefaultClient() != e.client {
		t.Error("reseeding replaced the registered clients")
	}
	wantError(t, e.controlJSON(http.MethodPost, "/_emulator/seed", `{"seed":"x"}`), http.StatusBadRequest, "bad_request.bad_body")
}

func TestControlClients(t *testing.T) {
	e := setup(t)
	resp := e.controlJSON(http.MethodPost, "/_emulator/clients", `{"name":"My app","redirect_uri":"http://localhost:9999/cb"}`)
	wantStatus(t, resp, http.StatusCreated)
	var body struct{ Client OAuthClient }
	if err := json.Unmarshal(resp.body, &body); err != nil {
		t.Fatal(err)
	}
	c := body.Client
	if c.Name != "My app" || c.RedirectURI != "http://localhost:9999/cb" || c.Confidential || !strings.HasPrefix(c.Secret, "mnzpub.") {
		t.Errorf("registered %+v", c)
	}
	page := e.get(authQuery(c, c.RedirectURI, "code", "s"), "")
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(string(page.body), "My app") {
		t.Error("consent page does not name the new client")
	}
	list := e.get("/_emulator/clients", "").json(t)["clients"].([]any)
	if len(list) != 2 || list[0].(map[string]any)["client_id"] != e.client.ID {
		t.Errorf("clients: %v", list)
	}
	wantError(t, e.controlJSON(http.MethodPost, "/_emulator/clients", `{"redirect_uri":"not a url"}`), http.StatusBadRequest, "bad_request.bad_param.redirect_uri")
}

func TestControlStateUsersAndGrants(t *testing.T) {
	e := setup(t)
	var body struct{ Users []UserSummary }
	if err := json.Unmarshal(e.get("/_emulator/state/users", "").body, &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Users) != 2 || len(body.Users[0].Accounts) != 3 || len(body.Users[1].Accounts) != 1 {
		t.Fatalf("users: %+v", body.Users)
	}
	if body.Users[1].Accounts[0].ID != accountOf(t, body.Users[0], accountTypeRetailJoint).ID {
		t.Error("partner's account is not the joint account")
	}
	if len(accountOf(t, body.Users[0], accountTypeRetail).PotIDs) < 5 {
		t.Error("pot ids missing from the summary")
	}
	e.login(e.client, e.primary().ID)
	grants := e.get("/_emulator/grants", "").json(t)["grants"].([]any)
	if len(grants) != 1 || grants[0].(map[string]any)["state"] != GrantPending {
		t.Errorf("grants: %v", grants)
	}
}

func TestStartServesOnLoopback(t *testing.T) {
	run, err := Start("", Options{Clock: NewFakeClock(testNow)})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	if !strings.HasPrefix(run.URL, "http://127.0.0.1:") || strings.HasSuffix(run.URL, ":0") {
		t.Errorf("URL = %s", run.URL)
	}
	resp, err := http.Get(run.URL + "/_emulator/health")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"status":"ok"`) {
		t.Errorf("health: %d %s", resp.StatusCode, b)
	}
	if err := run.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestNewValidatesOptions(t *testing.T) {
	for name, o := range map[string]Options{
		"negative ttl":      {AccessTokenTTL: -time.Second},
		"sub-second ttl":    {AccessTokenTTL: 999 * time.Millisecond},
		"relative redirect": {RedirectURI: "/callback"},
		"bad base url":      {BaseURL: "example.com"},
		"negative limit":    {RateLimit: -1},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("%s: New accepted %+v", name, o)
		}
	}
	s, err := New(Options{RedirectURI: "http://localhost:1234/cb"})
	if err != nil || s.DefaultClient().RedirectURI != "http://localhost:1234/cb" {
		t.Errorf("RedirectURI option: %v %+v", err, s.DefaultClient())
	}
}
