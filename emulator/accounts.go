package emulator

import "net/http"

// handleListAccounts serves GET /accounts[?account_type=]: the caller's
// accounts in creation order, closed ones included (as on the real API).
func (s *Server) handleListAccounts(w http.ResponseWriter, r *http.Request, c caller) {
	q, _ := requestParams(r)
	accounts := s.bank.listAccounts(c.UserID, q.Get("account_type"))
	writeJSON(w, http.StatusOK, map[string]any{"accounts": accounts})
}

// accountParam reads the required account id parameter param.
func accountParam(r *http.Request, param string) (string, *apiError) {
	q, _ := requestParams(r)
	id := q.Get(param)
	if id == "" {
		return "", missingParam(param)
	}
	return id, nil
}
