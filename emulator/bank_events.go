package emulator

import "slices"

// OnTransactionCreated is the operation behind [Server.OnTransactionCreated].
func (b *bank) OnTransactionCreated(f func(TransactionEvent)) {
	b.mu.Lock()
	defer b.unlock()
	// Copy on write: unlock hands the current slice to running hooks.
	b.onTransactionCreated = append(slices.Clip(b.onTransactionCreated), f)
}

// addInternalHook registers a hook of the server's own (webhook delivery):
// one that needs no event for an account without webhooks.
func (b *bank) addInternalHook(f func(TransactionEvent)) {
	b.mu.Lock()
	defer b.unlock()
	b.onTransactionCreated = append(slices.Clip(b.onTransactionCreated), f)
	b.internalHooks++
}

// addTransactionLocked is the single way a transaction is created at
// runtime. It:
//
//   - fills in defaults: an id minted from tx.Created (now if zero), Updated,
//     LocalAmount/LocalCurrency (= Amount/Currency), non-nil Metadata and
//     Fees, the account's currency;
//   - inserts tx into its account's ledger in (Created, ID) order and into
//     the global index;
//   - moves the account balance by tx.Amount unless tx is declined (pot
//     balances are the caller's business);
//   - queues a TransactionEvent, encoded and delivered to the
//     OnTransactionCreated hooks when the caller releases the lock with
//     s.unlock() (and only if someone listens).
//
// tx.AccountID must name an existing account. Call with b.mu held.
func (b *bank) addTransactionLocked(tx *transaction) {
	a := b.accounts[tx.AccountID]
	if a == nil {
		panic("emulator: addTransactionLocked: unknown account " + tx.AccountID)
	}
	if tx.Created.IsZero() {
		tx.Created = b.now()
	}
	b.insertTransactionLocked(a, tx)
	// Encode the event only if someone will read it: a hook registered
	// with OnTransactionCreated, or a webhook on the account. Injecting
	// in bulk with nobody listening then costs no JSON at all.
	if len(b.onTransactionCreated) == b.internalHooks && len(b.webhooksOfAccountLocked(a.ID)) == 0 {
		return
	}
	// Encoded by unlock, once the lock is released.
	b.pendingEvents = append(b.pendingEvents, b.viewLocked(tx))
}
