// Package emulator is a faithful, stateful fake of the Monzo developer API.
//
// One [Server] serves the auth pages (the consent screen at "/"), the OAuth
// token endpoints, the data API and a control plane under "/_emulator/", all
// on one host. Its state (users, accounts, pots, merchants, transactions,
// clients, tokens and grants) lives under a single lock, its ids are
// deterministic for a given seed, and its notion of "now" comes from an
// injectable [Clock], so tests can cross token expiry and the SCA windows
// without sleeping.
//
// Use it in-process from Go tests:
//
//	s, err := emulator.New(emulator.Options{Clock: emulator.NewFakeClock(time.Now())})
//	ts := httptest.NewServer(s.Handler())
//
// or as a standalone server with [Start] (see cmd/monzo-emulator).
//
// # Extending the emulator
//
// The package is built to be extended one API area at a time:
//
//   - State lives in the state struct (state.go); add your area's maps there
//     and initialise them in newState, so Reset clears them too.
//   - Register routes with one line per area in routes.go, e.g.
//     s.registerPotsRoutes(r). Inside, use r.Handle("PUT /pots/{id}/deposit",
//     s.requireApproved(s.handlePotDeposit)).
//   - Lock with s.mu.Lock() and release with defer s.unlock() (not
//     s.mu.Unlock()), so transaction hooks queued while locked run after the
//     lock is released.
//   - Create every runtime transaction with s.addTransactionLocked, which
//     assigns the id, keeps the account balance consistent and fires
//     s.onTransactionCreated hooks (webhook delivery hangs off these).
//   - Answer errors with writeError / writeAPIError, success with writeJSON,
//     and read arguments with requestParams (form body for POST/PUT/PATCH,
//     query for GET/DELETE).
package emulator
