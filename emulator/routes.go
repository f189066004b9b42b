package emulator

import "net/http"

// The routing table: every route the emulator serves, in one place.
//
// Paths use http.ServeMux syntax ({name} wildcards, read with r.PathValue;
// {$} for an exact "/"). Every API route also answers with one trailing
// slash (router.go, acceptsTrailingSlash). Data endpoints are wrapped in
// requireApproved (a valid token whose grant passed the in-app SCA step),
// the few that work before approval in requireAuth; both count the request
// against the caller's client for rate limiting (ratelimit.go). Everything
// else is counted by remote address, except the control plane.

// routes builds the router with the whole table.
func (s *Server) routes() http.Handler {
	r := newRouter()
	r.limit = s.limitByAddress
	s.registerRoutes(r)
	return r
}

// registerRoutes registers every route on r.
func (s *Server) registerRoutes(r *router) {
	// The auth host: the consent page (consent.go) and what browsers ask
	// for there.
	r.HandleFunc("GET /{$}", s.handleConsent)
	r.HandleFunc("POST /oauth2/authorize", s.handleAuthorize)
	r.HandleFunc("GET /oauth2/authorize", handleAuthorizeGet)
	r.HandleFunc("GET /favicon.ico", handleFavicon)

	// OAuth (tokens.go, oauth.go). The token endpoint authenticates the
	// client itself, so it applies its own rate-limit bucket.
	r.Handle("POST /oauth2/token", selfLimiting{http.HandlerFunc(s.handleToken)})
	r.Handle("POST /oauth2/logout", s.requireAuth(s.handleLogout))
	r.Handle("GET /ping/whoami", s.requireAuth(s.handleWhoAmI))

	// The API (docs/api-notes.md#endpoints), one area per file.
	r.Handle("GET /accounts", s.requireApproved(s.handleListAccounts))
	r.Handle("GET /balance", s.requireApproved(s.handleBalance))
	r.Handle("GET /pots", s.requireApproved(s.handleListPots))
	r.Handle("PUT /pots/{id}/deposit", s.requireApproved(s.handlePotDeposit))
	r.Handle("PUT /pots/{id}/withdraw", s.requireApproved(s.handlePotWithdraw))
	r.Handle("GET /transactions", s.requireApproved(s.handleListTransactions))
	r.Handle("GET /transactions/{id}", s.requireApproved(s.handleGetTransaction))
	r.Handle("PATCH /transactions/{id}", s.requireApproved(s.handleAnnotateTransaction))
	r.Handle("POST /feed", s.requireApproved(s.handleCreateFeedItem))
	r.Handle("POST /attachment/upload", s.requireApproved(s.handleAttachmentUpload))
	r.Handle("POST /attachment/register", s.requireApproved(s.handleAttachmentRegister))
	r.Handle("POST /attachment/deregister", s.requireApproved(s.handleAttachmentDeregister))
	r.Handle("PUT /transaction-receipts", s.requireApproved(s.handlePutReceipt))
	r.Handle("GET /transaction-receipts", s.requireApproved(s.handleGetReceipt))
	r.Handle("DELETE /transaction-receipts", s.requireApproved(s.handleDeleteReceipt))
	r.Handle("POST /webhooks", s.requireApproved(s.handleCreateWebhook))
	r.Handle("GET /webhooks", s.requireApproved(s.handleListWebhooks))
	r.Handle("DELETE /webhooks/{id}", s.requireApproved(s.handleDeleteWebhook))

	// The storage host that upload URLs point at (attachments.go): S3's
	// rules, no bearer token.
	r.HandleFunc("PUT "+storageUploadPath+"{key}", s.handleStorageUpload)
	r.HandleFunc("POST "+storageUploadPath+"{key}", s.handleStorageUpload)
	r.HandleFunc("GET "+storageFilesPath+"{key}/{name}", s.handleStorageFile)

	// The control plane: JSON in and out, no bearer token, never rate
	// limited or faulted; every action is also a Go method on *Server
	// (doc.go lists them).
	r.HandleFunc("GET /_emulator/health", s.handleHealth)
	r.HandleFunc("POST /_emulator/reset", s.handleReset)
	r.HandleFunc("POST /_emulator/seed", s.handleSeed)
	r.HandleFunc("GET /_emulator/state/users", s.handleStateUsers)
	r.HandleFunc("GET /_emulator/clock", s.handleGetClock)
	r.HandleFunc("POST /_emulator/clock", s.handleSetClock)
	r.HandleFunc("GET /_emulator/clients", s.handleListClients)
	r.HandleFunc("POST /_emulator/clients", s.handleRegisterClient)
	r.HandleFunc("POST /_emulator/approve", s.handleApprove)
	r.HandleFunc("GET /_emulator/grants", s.handleGrants)
	r.HandleFunc("POST /_emulator/transactions", s.handleInjectTransaction)
	r.HandleFunc("GET /_emulator/webhooks", s.handleControlWebhooks)
	r.HandleFunc("GET /_emulator/webhooks/deliveries", s.handleControlDeliveries)
	r.HandleFunc("GET /_emulator/feed", s.handleControlFeed)
	r.HandleFunc("GET /_emulator/uploads", s.handleControlUploads)
	r.HandleFunc("GET /_emulator/faults", s.handleListFaults)
	r.HandleFunc("POST /_emulator/faults", s.handleAddFault)
	r.HandleFunc("DELETE /_emulator/faults", s.handleClearFaults)
}
