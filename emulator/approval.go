package emulator

import (
	"time"
)

// SCA windows (docs/api-notes.md#history-window).
const (
	// fullHistoryWindow is how long after SCA approval a client may read a
	// user's full transaction history.
	fullHistoryWindow = 5 * time.Minute
	// recentHistoryWindow is how far back a client may read after that.
	recentHistoryWindow = 90 * 24 * time.Hour
)

// Grant states.
const (
	// GrantPending: the code was exchanged but the user has not approved
	// the access in the app yet; data endpoints answer 403.
	GrantPending = "pending"
	// GrantApproved: the user approved in the app (at SCAAt).
	GrantApproved = "approved"
	// GrantSuperseded: a newer login for the same client and user replaced
	// this grant.
	GrantSuperseded = "superseded"
	// GrantRevoked: the client logged out.
	GrantRevoked = "revoked"
)

// grant is one authorisation of a client by a user: created by each code
// exchange, kept (with its approval and sca_at) across refreshes, ended by a
// newer login or a logout.
type grant struct {
	ID       string
	ClientID string
	UserID   string
	// Created is when the authorization code was exchanged.
	Created time.Time
	State   string
	// SCAAt is when the user approved the access in the app; zero while
	// pending. Refreshing does not move it.
	SCAAt time.Time
}

// fullHistoryOpen reports whether, at now, the grant may read the user's
// entire transaction history: only during the five minutes after SCA
// approval (docs/api-notes.md#history-window). Afterwards /transactions must stay within
// recentHistoryWindow (90 days) of now, else 403
// forbidden.verification_required. Refreshing never reopens the window;
// only a new login plus approval does.
func (g *grant) fullHistoryOpen(now time.Time) bool {
	return g.State == GrantApproved && !g.SCAAt.IsZero() && now.Before(g.SCAAt.Add(fullHistoryWindow))
}

// oldestReadable returns the earliest created time the grant may read at
// now: the zero time while the full-history window is open, else now minus
// 90 days.
func (g *grant) oldestReadable(now time.Time) time.Time {
	if g.fullHistoryOpen(now) {
		return time.Time{}
	}
	return now.Add(-recentHistoryWindow)
}

// scope is the token response's scope for this grant.
func (g *grant) scope() string {
	if g.State == GrantApproved {
		return "third_party_developer_app.verified.ext"
	}
	return "third_party_developer_app.pre_verification"
}

// Grant describes an authorisation, for tests and the control plane.
type Grant struct {
	ID       string `json:"id"`
	ClientID string `json:"client_id"`
	UserID   string `json:"user_id"`
	// State is GrantPending, GrantApproved, GrantSuperseded or
	// GrantRevoked.
	State   string `json:"state"`
	Created string `json:"created"`
	// SCAAt is the approval time, "" while pending.
	SCAAt string `json:"sca_at"`
}

func (g *grant) summary() Grant {
	return Grant{ID: g.ID, ClientID: g.ClientID, UserID: g.UserID, State: g.State,
		Created: formatTime(g.Created), SCAAt: formatTime(g.SCAAt)}
}

// Approve performs the in-app approval (SCA) for pending grants matching
// clientID and userID; an empty string matches any. Approve("", "")
// approves every pending grant. The same access tokens start working at
// once. It returns the grants it approved.
func (s *Server) Approve(clientID, userID string) []Grant { return s.bank.Approve(clientID, userID) }

// ApproveAll approves every pending grant; see [Server.Approve].
func (s *Server) ApproveAll() []Grant { return s.Approve("", "") }

// Grants lists every grant, oldest first.
func (s *Server) Grants() []Grant { return s.bank.Grants() }
