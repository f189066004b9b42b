package emulator

import "net/http"

// handleListAccounts serves GET /accounts[?account_type=]: the caller's
// accounts in creation order, closed ones included (as on the real API).
func (s *Server) handleListAccounts(w http.ResponseWriter, r *http.Request, c caller) {
	q, _ := requestParams(r)
	typ := q.Get("account_type")
	s.respondLocked(w, func() (any, *apiError) {
		out := []accountJSON{}
		for _, a := range s.accountsOfUserLocked(c.UserID) {
			if typ == "" || a.Type == typ {
				out = append(out, s.renderAccountLocked(a))
			}
		}
		return map[string]any{"accounts": out}, nil
	})
}

// respondForAccount reads the required account parameter param, finds the
// caller's account and answers what op makes of it (op runs with s.mu
// held; the answer is written after it is released).
func (s *Server) respondForAccount(w http.ResponseWriter, r *http.Request, c caller, param string, op func(*account) (any, *apiError)) {
	q, _ := requestParams(r)
	id := q.Get(param)
	if id == "" {
		writeAPIError(w, missingParam(param))
		return
	}
	s.respondLocked(w, func() (any, *apiError) {
		a, apiErr := s.accountForUser(c.UserID, id)
		if apiErr != nil {
			return nil, apiErr
		}
		return op(a)
	})
}
