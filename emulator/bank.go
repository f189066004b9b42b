package emulator

import (
	"sync"
	"time"
)

// bank is the emulator's state apart from its HTTP: users, accounts, pots,
// the ledger, clients, grants and tokens, receipts, webhooks, feed items and
// uploads, behind one lock it owns.
//
// Its operations take the lock, do one step and return values (snapshots,
// never pointers into the state) or an *apiError; they never see an
// *http.Request or write a response. Handlers parse the request, call one
// operation and write its result after it has returned, so nothing is
// encoded or written while the lock is held. Methods whose names end in
// Locked are the operations' building blocks: they expect b.mu held and are
// only called from inside the bank.
type bank struct {
	clock Clock
	loc   *time.Location // Europe/London, for spend_today
	cfg   bankConfig

	// mu guards the embedded state and everything below it. Release it with
	// b.unlock() so queued transaction hooks run.
	mu sync.Mutex
	*state
	// onTransactionCreated hooks run, outside the lock, once for every
	// transaction created by addTransactionLocked. Register with
	// OnTransactionCreated. They survive Reset.
	onTransactionCreated []func(TransactionEvent)
	// internalHooks counts the hooks the server registers itself (webhook
	// delivery), which need no event for an account without webhooks.
	internalHooks int
	pendingEvents []txView
}

// bankConfig is the part of Options the bank's rules depend on.
type bankConfig struct {
	accessTokenTTL   time.Duration
	autoApproveAfter time.Duration
	redirectURI      string
}

// newBank returns a bank with fresh data generated from d.
func newBank(clock Clock, cfg bankConfig, d SeedData) *bank {
	b := &bank{clock: clock, loc: londonLocation(), cfg: cfg}
	b.state = b.freshState(d)
	return b
}

// unlock releases b.mu and then runs the transaction hooks for the
// transactions created while it was held. Always pair b.mu.Lock() with
// b.unlock().
func (b *bank) unlock() {
	pending := b.pendingEvents
	b.pendingEvents = nil
	hooks := b.onTransactionCreated
	b.mu.Unlock()
	for _, v := range pending {
		ev := v.event()
		for _, h := range hooks {
			h(ev)
		}
	}
}

// locked runs op with b.mu held and returns its result. Bank operations are
// built on it; handlers call the operations and write once they return.
func locked[T any](b *bank, op func() (T, *apiError)) (T, *apiError) {
	b.mu.Lock()
	defer b.unlock()
	return op()
}

// now returns the clock's time truncated to the API's millisecond precision.
func (b *bank) now() time.Time { return msTime(b.clock.Now()) }

// freshState builds a new seeded state: bank data ending at the clock's now
// and the default client.
func (b *bank) freshState(d SeedData) *state {
	d = d.withDefaults(defaultSeedData)
	st := newState(d.Seed)
	st.data = d
	seedBankData(st, d, b.now(), b.loc)
	addDefaultClient(st, d.Seed, b.cfg.redirectURI)
	return st
}

// reset replaces the whole state with fresh data generated from d, zero
// fields of d keeping the current values: clients, codes, tokens, grants,
// webhooks, receipts, feed items and uploads all go.
func (b *bank) reset(d SeedData) {
	b.mu.Lock()
	defer b.unlock()
	b.state = b.freshState(d.withDefaults(b.data))
}

// reseed regenerates the bank data from d (zero fields keep the current
// values), keeping the clients and the codes, tokens and grants of users
// that still exist. See Server.Reseed.
func (b *bank) reseed(d SeedData) {
	b.mu.Lock()
	defer b.unlock()
	old := b.state
	st := b.freshState(d.withDefaults(old.data))
	st.clients, st.clientOrder, st.defaultClientID = old.clients, old.clientOrder, old.defaultClientID
	keep := func(userID string) bool { return st.users[userID] != nil }
	for k, v := range old.codes {
		if keep(v.UserID) {
			st.codes[k] = v
		}
	}
	for k, v := range old.accessTokens {
		if keep(v.UserID) {
			st.accessTokens[k] = v
		}
	}
	for k, v := range old.refreshTokens {
		if keep(v.UserID) {
			st.refreshTokens[k] = v
		}
	}
	for _, id := range old.grantOrder {
		if g := old.grants[id]; keep(g.UserID) {
			st.grants[id] = g
			st.grantOrder = append(st.grantOrder, id)
		}
	}
	for k, v := range old.liveAccess {
		if keep(k.UserID) {
			st.liveAccess[k] = v
		}
	}
	b.state = st
}

// Seed returns the seed of the current data.
func (b *bank) Seed() int64 {
	b.mu.Lock()
	defer b.unlock()
	return b.seed
}

// SeedData returns the options the current bank data was generated with,
// defaults filled in.
func (b *bank) SeedData() SeedData {
	b.mu.Lock()
	defer b.unlock()
	return b.data
}

// Users summarises the seeded users and their accounts, primary user first.
func (b *bank) Users() []UserSummary {
	b.mu.Lock()
	defer b.unlock()
	out := make([]UserSummary, 0, len(b.userOrder))
	for _, id := range b.userOrder {
		u := b.users[id]
		sum := UserSummary{ID: u.ID, Name: u.Name, FirstName: u.FirstName, Email: u.Email, Accounts: []AccountSummary{}}
		for _, a := range b.accountsOfUserLocked(u.ID) {
			as := AccountSummary{ID: a.ID, Type: a.Type, Description: a.Description, Closed: a.Closed,
				OwnerIDs: append([]string(nil), a.OwnerIDs...), Balance: a.Balance, PotIDs: []string{}}
			for _, p := range b.potsOfAccountLocked(a.ID) {
				as.PotIDs = append(as.PotIDs, p.ID)
			}
			sum.Accounts = append(sum.Accounts, as)
		}
		out = append(out, sum)
	}
	return out
}
