package emulator

import (
	"encoding/json"
	"slices"
)

// TransactionEvent describes a transaction created at runtime (a pot
// transfer, an injected card payment, …). Seeded history fires no events.
type TransactionEvent struct {
	// AccountID is the account the transaction belongs to.
	AccountID string
	// TransactionID is the new transaction's id.
	TransactionID string
	// Transaction is the full transaction object as JSON, merchant expanded
	// (or null) and shared metadata only: exactly the "data" of a
	// transaction.created webhook.
	Transaction json.RawMessage
}

// OnTransactionCreated registers f to run after every runtime transaction is
// created. f runs on the goroutine that created the transaction, after the
// server's lock is released, so it may call back into the Server; it should
// not block for long (deliver webhooks from another goroutine). Hooks survive
// Reset.
func (s *Server) OnTransactionCreated(f func(TransactionEvent)) { s.bank.OnTransactionCreated(f) }

// OnClose registers f to run once when the Server is closed (stop
// background workers here).
func (s *Server) OnClose(f func()) {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	s.onClose = append(s.onClose, f)
}

// event encodes a pending transaction's TransactionEvent.
func (v txView) event() TransactionEvent {
	body, err := json.Marshal(v.render("", true))
	if err != nil {
		panic("emulator: encoding transaction: " + err.Error())
	}
	return TransactionEvent{AccountID: v.tx.AccountID, TransactionID: v.tx.ID, Transaction: body}
}

// insertTransactionLocked does addTransactionLocked's bookkeeping without
// firing hooks; seeding uses it directly.
func (st *state) insertTransactionLocked(a *account, tx *transaction) {
	tx.Created = msTime(tx.Created)
	if tx.ID == "" {
		tx.ID = st.newID("tx", tx.Created)
	}
	if tx.Updated.IsZero() {
		tx.Updated = tx.Created
		if tx.Settled.After(tx.Created) {
			tx.Updated = tx.Settled
		}
	}
	if tx.Currency == "" {
		tx.Currency = a.Currency
	}
	if tx.LocalCurrency == "" {
		tx.LocalAmount, tx.LocalCurrency = tx.Amount, tx.Currency
	}
	if tx.Metadata == nil {
		tx.Metadata = map[string]string{}
	}
	if tx.Fees == nil {
		tx.Fees = map[string]any{}
	}
	st.txSeq++
	tx.seq = st.txSeq
	// Append, or insert (found by binary search, never a scan of the
	// ledger) if the clock was moved backwards.
	i := len(a.Transactions)
	if i > 0 && txLess(tx, a.Transactions[i-1]) {
		i, _ = slices.BinarySearchFunc(a.Transactions, tx, func(e, t *transaction) int {
			if txLess(e, t) {
				return -1
			}
			return 1
		})
	}
	if i < len(a.Transactions) {
		a.spend = nil // running sums cover only appends
	}
	a.Transactions = slices.Insert(a.Transactions, i, tx)
	st.transactions[tx.ID] = tx
	if !tx.declined() {
		a.Balance += tx.Amount
	}
}

// txLess orders transactions by Created, the API's list order, and
// transactions created in the same millisecond in the order they were
// stored. (That is also their id order, except after the id counter wraps,
// which takes hundreds of thousands of ids in one millisecond of a stopped
// clock; ordering by id there would turn bulk injection into inserts in the
// middle of the ledger.)
func txLess(a, b *transaction) bool {
	if !a.Created.Equal(b.Created) {
		return a.Created.Before(b.Created)
	}
	return a.seq < b.seq
}
