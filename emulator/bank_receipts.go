package emulator

import (
	"encoding/json"
	"slices"
	"strings"
)

// receiptOfLocked finds the caller's receipt. Call with b.mu held.
func (b *bank) receiptOfLocked(c caller, externalID string) (receiptKey, *storedReceipt, *apiError) {
	key := receiptKey{ClientID: c.ClientID, UserID: c.UserID, ExternalID: externalID}
	rec := b.receipts.byKey[key]
	if rec == nil {
		return key, nil, notFound("receipt", "Receipt not found", map[string]string{"external_id": externalID})
	}
	return key, rec, nil
}

// receipt returns the caller's receipt externalID.
func (b *bank) receipt(c caller, externalID string) (receiptJSON, *apiError) {
	return locked(b, func() (receiptJSON, *apiError) {
		_, rec, apiErr := b.receiptOfLocked(c, externalID)
		if apiErr != nil {
			return receiptJSON{}, apiErr
		}
		return rec.Receipt, nil
	})
}

// deleteReceipt deletes the caller's receipt externalID.
func (b *bank) deleteReceipt(c caller, externalID string) *apiError {
	b.mu.Lock()
	defer b.unlock()
	key, _, apiErr := b.receiptOfLocked(c, externalID)
	if apiErr == nil {
		delete(b.receipts.byKey, key)
	}
	return apiErr
}

// Receipts is the operation behind [Server.Receipts].
func (b *bank) Receipts() []ReceiptRecord {
	b.mu.Lock()
	defer b.unlock()
	recs := make([]*storedReceipt, 0, len(b.receipts.byKey))
	keys := make(map[*storedReceipt]receiptKey, len(b.receipts.byKey))
	for k, rec := range b.receipts.byKey {
		recs = append(recs, rec)
		keys[rec] = k
	}
	slices.SortFunc(recs, func(a, b *storedReceipt) int { return strings.Compare(a.Receipt.ID, b.Receipt.ID) })
	out := make([]ReceiptRecord, 0, len(recs))
	for _, rec := range recs {
		data, _ := json.Marshal(rec.Receipt)
		out = append(out, ReceiptRecord{ClientID: keys[rec].ClientID, UserID: keys[rec].UserID, Receipt: data,
			Warnings: slices.Clone(rec.Warnings)})
	}
	return out
}

// putReceipt stores (or replaces) the caller's receipt rec, keyed by its
// external id, on one of the caller's purchases, with warnings about its
// sums. It returns the warnings, plus one if the total is not the
// transaction's amount.
func (b *bank) putReceipt(c caller, rec receiptJSON, warnings []string) ([]string, *apiError) {
	b.mu.Lock()
	defer b.unlock()
	tx, apiErr := b.annotatableTxLocked(c.UserID, rec.TransactionID)
	if apiErr != nil {
		return nil, apiErr
	}
	// Receipts belong on purchases the user made: not pot transfers,
	// interest, fees, or the zero-amount 3-D Secure check before a
	// payment.
	if tx.Scheme == schemePot || tx.Scheme == schemeAccountInterest || tx.Scheme == scheme3DSecure || tx.Category == "fees" {
		return nil, errInsufficientPermissions(map[string]string{"transaction_id": tx.ID,
			"reason": "receipts can only be attached to purchases the user made, not pot transfers, interest, fees or 3-D Secure checks"})
	}
	if w := rec.transactionWarning(tx); w != "" {
		warnings = append(slices.Clip(warnings), w)
	}
	if b.receipts.byKey == nil {
		b.receipts.byKey = map[receiptKey]*storedReceipt{}
	}
	key := receiptKey{ClientID: c.ClientID, UserID: c.UserID, ExternalID: rec.ExternalID}
	if old := b.receipts.byKey[key]; old != nil {
		rec.ID = old.Receipt.ID
	} else {
		rec.ID = b.newReceiptID(b.now())
	}
	b.receipts.byKey[key] = &storedReceipt{Receipt: rec, Warnings: warnings}
	return warnings, nil
}
