package emulator

import (
	"net/http"
	"testing"
	"time"
)

func TestApprovalGate(t *testing.T) {
	e := setup(t)
	tok := e.login(e.client, e.primary().ID)
	if tok.Scope != "third_party_developer_app.pre_verification" {
		t.Errorf("scope = %q", tok.Scope)
	}
	acc := accountOf(t, e.primary(), accountTypeRetail)
	for _, path := range []string{"/accounts", "/balance?account_id=" + acc.ID} {
		m := wantError(t, e.get(path, tok.Access), http.StatusForbidden, "forbidden.insufficient_permissions")
		if m["message"] != "Access forbidden due to insufficient permissions" {
			t.Errorf("message = %v", m["message"])
		}
		params, _ := m["params"].(map[string]any)
		if params["client_id"] != e.client.ID || params["user_id"] != e.primary().ID {
			t.Errorf("params = %v", m["params"])
		}
	}
	wantStatus(t, e.get("/ping/whoami", tok.Access), http.StatusOK) // works while pending

	e.clock.Advance(42 * time.Second)
	resp := e.controlJSON(http.MethodPost, "/_emulator/approve", `{"client_id":"`+e.client.ID+`","user_id":"`+e.primary().ID+`"}`)
	wantStatus(t, resp, http.StatusOK)
	approved, _ := resp.json(t)["approved"].([]any)
	if len(approved) != 1 {
		t.Fatalf("approved %s", resp.body)
	}
	if g := approved[0].(map[string]any); g["sca_at"] != formatTime(e.clock.Now()) || g["state"] != GrantApproved {
		t.Errorf("approved grant %v", g)
	}
	// The same token now works.
	wantStatus(t, e.get("/accounts", tok.Access), http.StatusOK)
	wantStatus(t, e.get("/balance?account_id="+acc.ID, tok.Access), http.StatusOK)
}

func TestApproveFilters(t *testing.T) {
	e := setup(t)
	other := e.s.MustRegisterClient(ClientOptions{Confidential: true})
	a := e.login(e.client, e.primary().ID)
	b := e.login(other, e.primary().ID)
	c := e.login(e.client, e.partner().ID)
	if got := e.s.Approve(other.ID, ""); len(got) != 1 || got[0].ClientID != other.ID {
		t.Fatalf("Approve(other) = %+v", got)
	}
	wantStatus(t, e.get("/accounts", b.Access), http.StatusOK)
	wantStatus(t, e.get("/accounts", a.Access), http.StatusForbidden)
	if got := e.s.Approve("", e.partner().ID); len(got) != 1 {
		t.Fatalf("Approve(partner) = %+v", got)
	}
	wantStatus(t, e.get("/accounts", c.Access), http.StatusOK)
	// No ids approves everything still pending.
	resp := e.controlJSON(http.MethodPost, "/_emulator/approve", "")
	if approved := resp.json(t)["approved"].([]any); len(approved) != 1 {
		t.Fatalf("approve all: %s", resp.body)
	}
	wantStatus(t, e.get("/accounts", a.Access), http.StatusOK)
	// Approving again approves nothing new and keeps sca_at.
	if got := e.s.ApproveAll(); len(got) != 0 {
		t.Errorf("second approve-all = %+v", got)
	}
}

func TestApproveViaQueryParameters(t *testing.T) {
	e := setup(t)
	tok := e.login(e.client, e.primary().ID)
	resp := e.do(http.MethodPost, "/_emulator/approve?client_id="+e.client.ID+"&user_id="+e.primary().ID, "", nil)
	wantStatus(t, resp, http.StatusOK)
	wantStatus(t, e.get("/accounts", tok.Access), http.StatusOK)
}

func TestAutoApproveByClock(t *testing.T) {
	e := setup(t, func(o *Options) { o.AutoApproveAfter = 30 * time.Second })
	tok := e.login(e.client, e.primary().ID)
	exchangedAt := e.clock.Now()
	e.clock.Advance(29 * time.Second)
	wantError(t, e.get("/accounts", tok.Access), http.StatusForbidden, "forbidden.insufficient_permissions")
	e.clock.Advance(5 * time.Second)
	wantStatus(t, e.get("/accounts", tok.Access), http.StatusOK)
	g := e.s.Grants()[0]
	if g.SCAAt != formatTime(exchangedAt.Add(30*time.Second)) {
		t.Errorf("sca_at = %s, want exchange + 30s", g.SCAAt)
	}
	// A refresh after auto-approval reports the approved scope.
	if tok2 := e.mustTokens(e.refresh(e.client, tok.Refresh)); tok2.Scope != "third_party_developer_app.verified.ext" {
		t.Errorf("scope = %q", tok2.Scope)
	}
}

func TestGrantFullHistoryWindow(t *testing.T) {
	sca := testNow
	g := &grant{State: GrantApproved, SCAAt: sca}
	if !g.fullHistoryOpen(sca) || !g.fullHistoryOpen(sca.Add(5*time.Minute-time.Millisecond)) {
		t.Error("window should be open for five minutes after approval")
	}
	if g.fullHistoryOpen(sca.Add(5 * time.Minute)) {
		t.Error("window should close after five minutes")
	}
	if got := g.oldestReadable(sca.Add(time.Hour)); !got.Equal(sca.Add(time.Hour - 90*24*time.Hour)) {
		t.Errorf("oldestReadable = %s", got)
	}
	if !g.oldestReadable(sca).IsZero() {
		t.Error("full history readable inside the window")
	}
	if (&grant{State: GrantPending}).fullHistoryOpen(sca) {
		t.Error("pending grant has an open window")
	}
}
