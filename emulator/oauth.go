package emulator

import "net/http"

// registerAuthRoutes registers the auth host pages, the OAuth endpoints and
// /ping/whoami.
func (s *Server) registerAuthRoutes(r *router) {
	r.HandleFunc("GET /{$}", s.handleConsent)
	r.HandleFunc("POST /oauth2/authorize", s.handleAuthorize)
	r.Handle("POST /oauth2/token", selfLimiting{http.HandlerFunc(s.handleToken)})
	r.Handle("POST /oauth2/logout", s.requireAuth(s.handleLogout))
	r.Handle("GET /ping/whoami", s.requireAuth(s.handleWhoAmI))
}

type whoAmIResponse struct {
	Authenticated bool   `json:"authenticated"`
	ClientID      string `json:"client_id"`
	UserID        string `json:"user_id"`
}

// handleWhoAmI serves GET /ping/whoami. It works while SCA approval is
// pending, so clients can tell "valid token, not yet approved" (403 on data
// endpoints) from "bad token" (401).
func (s *Server) handleWhoAmI(w http.ResponseWriter, r *http.Request, c caller) {
	writeJSON(w, http.StatusOK, whoAmIResponse{Authenticated: true, ClientID: c.ClientID, UserID: c.UserID})
}
