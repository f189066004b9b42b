package emulator

import "net/http"

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

// handleAuthorizeGet sends a browser that opened the consent form's target
// to the consent page itself, with the same query.
func handleAuthorizeGet(w http.ResponseWriter, r *http.Request) {
	target := "../"
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, target, http.StatusFound)
}

// handleFavicon answers the browser's icon request with no content.
func handleFavicon(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "max-age=86400")
	w.WriteHeader(http.StatusNoContent)
}
