package emulator

import "fmt"

// SettleTransaction settles a pending card payment at the clock's now, as
// the card network does a day or two after the payment: settled and
// updated are set and the amount is no longer pending. Local history's
// re-read picks such changes up, so its tests need a way to make them.
func (s *Server) SettleTransaction(id string) error { return s.bank.SettleTransaction(id) }

// SettleTransaction is the operation behind [Server.SettleTransaction].
func (b *bank) SettleTransaction(id string) error {
	b.mu.Lock()
	defer b.unlock()
	tx := b.transactions[id]
	switch {
	case tx == nil:
		return fmt.Errorf("emulator: no transaction %q", id)
	case tx.declined():
		return fmt.Errorf("emulator: transaction %s was declined; declined payments never settle", id)
	case !tx.pending():
		return fmt.Errorf("emulator: transaction %s is already settled", id)
	}
	now := b.now()
	b.updateTransactionLocked(tx, func(tx *transaction) {
		tx.Settled, tx.Updated, tx.AmountIsPending = now, now, false
	})
	return nil
}
