package emulator

import "time"

// state is everything Reset throws away. Fields are guarded by bank.mu.
//
// Teammates adding an API area put their maps here and initialise them in
// newState, so that Reset and Reseed clear them as well.
type state struct {
	seed int64
	// data is what the bank data was generated from, defaults filled in.
	data SeedData
	ids  *idGen
	// seededAt is the clock's time when the data was generated: the end of
	// the seeded history.
	seededAt time.Time

	users        map[string]*user
	userOrder    []string
	accounts     map[string]*account
	accountOrder []string
	pots         map[string]*pot
	potOrder     []string
	merchants    map[string]*merchant
	transactions map[string]*transaction
	// cards maps "account id/user id" to the user's card on the account
	// (its mastercard_card_id), so injected payments use the same card.
	cards map[string]string
	// txSeq numbers stored transactions in the order they were stored.
	txSeq uint64
	// potMoves indexes the API's pot transfers by dedupe key (pots.go).
	potMoves map[potMoveKey]struct{}

	clients         map[string]*OAuthClient
	clientOrder     []string
	defaultClientID string

	codes         map[string]*authCode
	accessTokens  map[string]*accessToken
	refreshTokens map[string]*refreshToken
	grants        map[string]*grant
	grantOrder    []string
	// liveAccess is the single live access token per (client, user).
	liveAccess map[clientUser]*accessToken

	// webhooks holds registered webhooks and the delivery log (webhooks.go).
	webhooks *webhookState
	// feed, attachments and receipts hold feed items, uploads with the
	// attachment index, and receipts (feed.go, attachments.go,
	// receipts.go); their zero values are ready to use.
	feed        feedState
	attachments attachmentState
	receipts    receiptState
}

// clientUser keys the one-live-token-per-(client, user) rule.
type clientUser struct{ ClientID, UserID string }

// newState returns an empty state whose ids derive from seed.
func newState(seed int64) *state {
	return &state{
		seed:          seed,
		ids:           newIDGen(seed),
		users:         map[string]*user{},
		accounts:      map[string]*account{},
		pots:          map[string]*pot{},
		merchants:     map[string]*merchant{},
		transactions:  map[string]*transaction{},
		potMoves:      map[potMoveKey]struct{}{},
		cards:         map[string]string{},
		clients:       map[string]*OAuthClient{},
		codes:         map[string]*authCode{},
		accessTokens:  map[string]*accessToken{},
		refreshTokens: map[string]*refreshToken{},
		grants:        map[string]*grant{},
		liveAccess:    map[clientUser]*accessToken{},
		webhooks:      newWebhookState(),
	}
}

// newID mints a deterministic "<prefix>_<22-char body>" id for an object
// created at t. Ids minted later for a later t sort after earlier ones.
// Call with b.mu held.
func (st *state) newID(prefix string, t time.Time) string { return st.ids.newID(prefix, t) }

// newReceiptID mints a "receipt_" id (18-char body). Call with b.mu held.
func (st *state) newReceiptID(t time.Time) string { return st.ids.newReceiptID(t) }
