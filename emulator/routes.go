package emulator

import "net/http"

// routes builds the router. Each API area registers itself with ONE line
// here; the area's routes live in its own file, in a method named
// register<Area>Routes(r *router) that calls r.Handle("METHOD /path", h)
// with h wrapped in s.requireApproved (data endpoints) or s.requireAuth
// (endpoints that work before SCA approval).
func (s *Server) routes() http.Handler {
	r := newRouter()
	r.limit = s.limitByAddress
	s.registerAuthRoutes(r)     // consent page, /oauth2/*, /ping/whoami (oauth.go)
	s.registerAccountsRoutes(r) // /accounts (accounts.go)
	s.registerBalanceRoutes(r)  // /balance (balance.go)
	s.registerControlRoutes(r)  // /_emulator/* (control.go)
	s.registerPotsRoutes(r)     // /pots (pots.go)
	s.registerFaultRoutes(r)    // /_emulator/faults (faults.go)
	s.registerWebhooksRoutes(r) // /webhooks, delivery, /_emulator/webhooks, /_emulator/transactions (webhooks.go)

	s.registerFeedRoutes(r)        // /feed, /_emulator/feed (feed.go)
	s.registerAttachmentsRoutes(r) // /attachment/*, /_storage/*, /_emulator/uploads (attachments.go)
	s.registerReceiptsRoutes(r)    // /transaction-receipts (receipts.go)

	s.registerTransactionsRoutes(r) // /transactions (transactions.go, history.go)
	// Teammates: add one line per area below, e.g.
	//   s.registerPotsRoutes(r)
	//   s.registerTransactionsRoutes(r)
	return r
}
