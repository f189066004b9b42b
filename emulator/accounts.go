package emulator

import "net/http"

// handleListAccounts serves GET /accounts[?account_type=]: the caller's
// accounts in creation order, closed ones included (as on the real API).
func (s *Server) handleListAccounts(w http.ResponseWriter, r *http.Request, c caller) {
	q, _ := requestParams(r)
	typ := q.Get("account_type")
	s.mu.Lock()
	out := []accountJSON{}
	for _, a := range s.accountsOfUserLocked(c.UserID) {
		if typ == "" || a.Type == typ {
			out = append(out, s.renderAccountLocked(a))
		}
	}
	s.unlock()
	writeJSON(w, http.StatusOK, map[string]any{"accounts": out})
}
