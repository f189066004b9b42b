package emulator

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test asserted.

import (
	"net/http"
	"testing"
)

// TestNewLoginSupersedesOnlyItsOwnLiveGrants: a new login of a client and
// user supersedes that pair's pending and approved grants, and nothing
// else: a grant already revoked by logging out stays revoked, and other
// users' and other clients' grants keep their state.
func TestNewLoginSupersedesOnlyItsOwnLiveGrants(t *testing.T) {
	e := setup(t)
	other := e.s.MustRegisterClient(ClientOptions{Confidential: true})
	loggedOut := e.approvedLogin(e.client, e.primary().ID)
	wantStatus(t, e.do(http.MethodPost, "/oauth2/logout", loggedOut.Access, nil), http.StatusOK)
	e.approvedLogin(e.client, e.primary().ID) // approved, then superseded
	e.login(e.client, e.primary().ID)         // pending, then superseded
	e.approvedLogin(e.client, e.partner().ID)
	e.login(other, e.primary().ID)

	e.login(e.client, e.primary().ID) // the new login

	want := []string{GrantRevoked, GrantSuperseded, GrantSuperseded, GrantApproved, GrantPending, GrantPending}
	grants := e.s.Grants()
	if len(grants) != len(want) {
		t.Fatalf("%d grants, want %d: %+v", len(grants), len(want), grants)
	}
	for i, g := range grants {
		if g.State != want[i] {
			t.Errorf("grant %d (%s, %s): state %s, want %s", i, g.ClientID, g.UserID, g.State, want[i])
		}
	}
}

// TestNewLoginEvictsOnlyItsOwnRefreshTokens: the refresh tokens a new
// login evicts are its own client and user's; another user's (same
// client) and another client's (same user) still refresh.
func TestNewLoginEvictsOnlyItsOwnRefreshTokens(t *testing.T) {
	e := setup(t)
	other := e.s.MustRegisterClient(ClientOptions{Confidential: true})
	partner := e.approvedLogin(e.client, e.partner().ID)
	otherClient := e.approvedLogin(other, e.primary().ID)
	old := e.approvedLogin(e.client, e.primary().ID)

	e.login(e.client, e.primary().ID)

	wantError(t, e.refresh(e.client, old.Refresh), http.StatusUnauthorized, "unauthorized.bad_refresh_token.evicted")
	e.mustTokens(e.refresh(e.client, partner.Refresh))
	e.mustTokens(e.refresh(other, otherClient.Refresh))
}

// TestRevokingAFamilyRevokesItsEvictedRefreshToken: a refresh token
// evicted by a newer login is revoked with the rest of its family when its
// code is replayed, so it then answers as revoked, not as evicted (which
// would tell the client that a newer login merely replaced it).
func TestRevokingAFamilyRevokesItsEvictedRefreshToken(t *testing.T) {
	e := setup(t)
	code := e.authorize(e.client, e.primary().ID, "st")
	first := e.mustTokens(e.exchange(e.client, code))
	second := e.login(e.client, e.primary().ID)
	wantError(t, e.refresh(e.client, first.Refresh), http.StatusUnauthorized, "unauthorized.bad_refresh_token.evicted")

	wantError(t, e.exchange(e.client, code), http.StatusBadRequest, "bad_request.bad_authorization_code.used")

	wantError(t, e.refresh(e.client, first.Refresh), http.StatusUnauthorized, "unauthorized.bad_refresh_token")
	e.mustTokens(e.refresh(e.client, second.Refresh)) // the newer login is another family
}
