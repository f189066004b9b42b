// Package emulator is a faithful, stateful fake of the Monzo developer API.
//
// One [Server] serves, on one host, what Monzo splits across two:
//
//   - the auth pages: GET / is the consent screen (a plain HTML form naming
//     the client), POST /oauth2/authorize redirects back with code and state
//     or error=access_denied; an unknown client or a redirect URI that does
//     not match exactly gets an error page, never a redirect;
//   - the API: /oauth2/token (authorization_code and refresh_token grants;
//     client credentials in the form or in a Basic Authorization header),
//     /oauth2/logout, /ping/whoami, /accounts, /balance, /pots and pot
//     deposits and withdrawals, /transactions (list, get, annotate), /feed,
//     /attachment/upload|register|deregister (with upload and file URLs it
//     hosts itself under /_storage/), /transaction-receipts and /webhooks,
//     each also with one trailing slash, as the real API answers them;
//   - a control plane under /_emulator/ for tests and demos.
//
// The routing table is routes.go; the control plane's handlers are
// control.go.
//
// It enforces the rules real clients trip over (see
// docs/api-notes.md): single-use authorization codes that expire
// after 10 minutes; rotating single-use refresh tokens; one live access token
// per client and user (older ones answer unauthorized.bad_access_token.evicted);
// the in-app approval gate (data endpoints answer 403
// forbidden.insufficient_permissions until the grant is approved); the
// 5-minute / 90-day transaction history rule (403
// forbidden.verification_required); form bodies for POST, PUT and PATCH
// (parameters in the query string are not honoured; a parameter repeated
// with different values is refused); one rule for every amount of money,
// plain decimal minor units (amount.go); per-client transaction metadata
// and receipts (accepted when their sums do not add up, as Monzo accepts
// them, with a Warning header naming what does not); idempotent pot moves
// by dedupe id; and webhook delivery of transaction.created with up to 5
// attempts and exponential backoff. Paths are matched as written: a
// doubled slash or a "." or ".." segment is an unknown path, never a
// redirect. Every error is Monzo's JSON error body.
//
// Its ids are deterministic for a seed (a primary user with a personal, a
// joint and a closed prepaid account, pots, merchants and, by default, 430
// days of transactions of every scheme; [Options.HistoryDays] and
// [Options.Transactions] make it longer or larger, up to millions), and its
// notion of "now" comes from an injectable [Clock]: with a [FakeClock], tests
// cross token expiry, the approval windows and webhook backoff without
// sleeping.
//
// # Use
//
// In-process from Go tests, package monzotest wraps it with a logged-in
// client; directly:
//
//	s, err := emulator.New(emulator.Options{Clock: emulator.NewFakeClock(time.Now())})
//	ts := httptest.NewServer(s.Handler())
//
// Standalone, [Start] serves it on a loopback port; cmd/monzo-emulator is
// the command (it prints the export lines the examples read). Background
// work (webhook delivery) starts in [New] and stops in [Server.Close].
//
// [Server.Reset] goes back to a fresh server: new bank data, and no
// registered clients (but the default one), logins, webhooks, receipts,
// feed items or uploads; the clock, hooks and faults stay.
// [Server.Reseed] regenerates only the bank data (webhooks, receipts, feed
// items and uploads go with it) and keeps clients and the logins of users
// that still exist.
//
// # Control plane
//
// JSON in and out, no authentication, never rate limited or faulted:
//
//	GET    /_emulator/health                 liveness and the seed
//	POST   /_emulator/reset                  fresh state [{"seed", "history_days", "transactions"}]
//	POST   /_emulator/seed                   regenerate bank data, keep clients and logins [same body]
//	POST   /_emulator/approve                approve grants {"client_id", "user_id"} (none: all pending)
//	GET    /_emulator/grants                 grants and their approval state
//	GET    /_emulator/clock                  the current time
//	POST   /_emulator/clock                  {"advance": "5m"} or {"set": RFC 3339} (fake clock only)
//	GET    /_emulator/clients                registered OAuth clients
//	POST   /_emulator/clients                register one {"name", "redirect_uri", "confidential"}
//	GET    /_emulator/state/users            users and their accounts
//	POST   /_emulator/transactions           inject a card payment or a Faster Payment
//	GET    /_emulator/feed                   feed items posted (?account_id=)
//	GET    /_emulator/uploads                requests made to upload URLs
//	GET    /_emulator/webhooks               every registered webhook
//	GET    /_emulator/webhooks/deliveries    delivery attempts (?min=N&timeout=10s waits)
//	GET    /_emulator/faults                 faults in force, how often each fired, the seed
//	POST   /_emulator/faults                 add a latency or a fault ([Fault]), e.g. {"latency_ms":100}
//	DELETE /_emulator/faults                 remove every fault and rewind the fault seed
//
// Each has a Go method on [Server] as well.
//
// # Latency and faults
//
// The lab slows down or breaks API requests, globally or per route, so a
// client can be tried against the real network's conditions without a
// proxy. Latency is wall-clock time by default, so benchmarks see it even
// when the server runs on a [FakeClock]:
//
//	emulator.New(emulator.Options{Latency: 100 * time.Millisecond})            // every request 100 ms slower
//	monzotest.NewServer(b, monzotest.WithLatency(100*time.Millisecond))       // the same, in tests and benchmarks
//	curl -X POST $URL/_emulator/faults -d '{"latency_ms":100,"jitter_ms":20}' // at run time
//	monzo-emulator --latency 100ms --jitter 20ms                              // standalone
//
// A [Fault] can also answer with a status (429 with Retry-After, 500, 503,
// 504, or any 4xx/5xx, optionally with a proxy's HTML page), reset the
// connection, truncate or garble the body, each after handling the request
// for real if asked (a lost response). It fires once, a number of times, or
// with a probability on every matching request:
//
//	{"path":"/transactions","status":503,"probability":0.05}
//	{"method":"PUT","path":"/pots/{id}/deposit","kind":"reset","after_handling":true}
//	{"status":429,"retry_after":"2","times":3}
//	{"kind":"garble","probability":0.01}
//
// Random choices come from one generator seeded with [Options.FaultSeed]
// (default: the data seed), so the same seed and faults replay a failing run
// request for request. Tests that must not wait set [Options.LatencyClock]
// to their FakeClock and advance it.
//
// Registered webhooks, receipts, feed items and uploads belong to the bank
// data: Reset and Reseed drop them.
//
// The emulator shares no wire types with the library it tests (it is the
// oracle); its contract test decodes every kind of answer it gives into the
// library's types.
//
// # Architecture and the lock
//
// The package has two rooms, and arrows point one way: handlers → bank →
// model.
//
//   - The HTTP side ([Server]): the routing table (routes.go), middleware
//     (authentication, rate limit, faults), one handler per endpoint in a
//     file per API area (accounts.go, pots.go, …), and the control plane
//     (control.go). A handler parses the request, calls one bank operation
//     and writes what it returns. Handlers never take a lock and never
//     write while one is held.
//   - The bank (bank.go and bank_*.go): the state (users, accounts, pots,
//     the ledger, merchants, clients, codes, grants and tokens, receipts,
//     webhooks and their delivery log, feed items, uploads) behind the one
//     lock it owns. Each operation takes the lock, does one step and
//     returns values (snapshots, never pointers into the state) or an API
//     error; none sees an http.Request. Methods named …Locked are the
//     operations' building blocks and expect the lock held. The model types
//     (model_*.go) and the seeded history (seed*.go) sit under the bank.
//
// Transactions are snapshotted under the lock and encoded outside it; each
// version of a transaction is encoded at most once (per expansion) and
// cached, and every change to a stored transaction goes through the bank's
// one mutate helper, which drops that cache. Hooks registered with
// [Server.OnTransactionCreated] run after the lock is released.
// TestBankIsApartFromHTTP checks these rules on the source, and
// TestNoHandlerWritesUnderTheLock on every route.
//
// A few independent parts keep small locks of their own: the fault lab,
// the rate limiter, the webhook deliverer and a FakeClock.
package emulator
