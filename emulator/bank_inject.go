package emulator

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// injectCardPayment creates a card payment; see Server.InjectCardPayment.
func (b *bank) injectCardPayment(p CardPayment) (*transactionJSON, error) {
	return b.inject(func() (*transaction, error) { return b.cardPaymentLocked(p) })
}

// injectFasterPayment creates an incoming or outgoing Faster Payment; see
// Server.InjectFasterPaymentIn and Server.InjectFasterPaymentOut.
func (b *bank) injectFasterPayment(p FasterPayment, incoming bool) (*transactionJSON, error) {
	return b.inject(func() (*transaction, error) { return b.fasterPaymentLocked(p, incoming) })
}

// inject runs build under the lock, adds the transaction through the single
// creation path and returns its rendering (merchant expanded, shared
// metadata). Hooks fire when the lock is released.
func (b *bank) inject(build func() (*transaction, error)) (*transactionJSON, error) {
	b.mu.Lock()
	view, err := b.injectLocked(build)
	b.unlock() // runs the hooks; then render without the lock
	if err != nil {
		return nil, err
	}
	out := view.render("", true)
	return &out, nil
}

// injectLocked adds the transaction build makes. Call with b.mu held.
func (b *bank) injectLocked(build func() (*transaction, error)) (txView, error) {
	tx, err := build()
	if err != nil {
		return txView{}, err
	}
	if apiErr := b.checkMoveLocked(b.accounts[tx.AccountID], tx); apiErr != nil {
		return txView{}, injectError("%s", apiErr.Message)
	}
	b.addTransactionLocked(tx)
	return b.viewLocked(tx), nil
}

// injectAccountLocked finds the account to inject into. Call with b.mu held.
func (b *bank) injectAccountLocked(id string, amount int64) (*account, error) {
	if id == "" {
		return nil, injectError("account_id is required")
	}
	a := b.accounts[id]
	if a == nil {
		return nil, injectError("no account %q (list them with GET /_emulator/state/users)", id)
	}
	if a.Closed {
		return nil, injectError("account %s is closed", id)
	}
	if amount <= 0 {
		return nil, injectError("amount must be positive minor units (e.g. 450 for 4.50), got %d", amount)
	}
	return a, nil
}

// cardPaymentLocked builds a card payment the way seeded ones look. Call
// with b.mu held.
func (b *bank) cardPaymentLocked(p CardPayment) (*transaction, error) {
	a, err := b.injectAccountLocked(p.AccountID, p.Amount)
	if err != nil {
		return nil, err
	}
	m, err := b.injectMerchantLocked(p)
	if err != nil {
		return nil, err
	}
	now := b.now()
	tx := &transaction{
		AccountID:   a.ID,
		UserID:      firstOwner(a),
		Amount:      -p.Amount,
		Currency:    a.Currency,
		Created:     now,
		Settled:     now,
		Description: cardDescription(m),
		MerchantID:  m.ID,
		Category:    cmp.Or(p.Category, m.Category),
		Scheme:      schemeMastercard,
		Metadata:    map[string]string{},
	}
	if p.LocalCurrency != "" || p.LocalAmount != 0 {
		if p.LocalAmount <= 0 || p.LocalCurrency == "" {
			return nil, injectError("give both local_amount (positive) and local_currency, or neither")
		}
		tx.LocalAmount, tx.LocalCurrency = -p.LocalAmount, p.LocalCurrency
	}
	lifecycle, auth := b.newID("mclifecycle", now), b.newID("mcauthmsg", now)
	tx.DedupeID = "mclifecycle:" + lifecycle + ":" + auth
	tx.Metadata["mastercard_approval_type"] = "full"
	tx.Metadata["mastercard_auth_message_id"] = auth
	tx.Metadata["mastercard_card_id"] = b.cardIDLocked(a, tx.UserID, now)
	tx.Metadata["mastercard_lifecycle_id"] = lifecycle
	tx.Metadata["mcc"] = cmp.Or(m.mcc, "5999")
	decline := p.DeclineReason
	if decline == "" && a.Balance < p.Amount { // not a.Balance-p.Amount < 0, which can overflow
		decline = "INSUFFICIENT_FUNDS"
	}
	if decline != "" {
		tx.DeclineReason = decline
		tx.Settled = time.Time{}
		tx.Metadata["mastercard_approval_type"] = "declined"
		return tx, nil
	}
	tx.Metadata["ledger_insertion_id"] = b.newID("entryset", now)
	tx.Categories = map[string]int64{tx.Category: tx.Amount}
	tx.IncludeInSpending = true
	tx.CanBeExcludedFromBreakdown = true
	tx.CanSplitTheBill = !m.ATM
	tx.CanAddToTab = !m.ATM
	tx.CanBeMadeSubscription = !m.ATM
	tx.CanMatchTransactionsInCategorization = true
	if p.Pending {
		tx.Settled = time.Time{}
	}
	return tx, nil
}

// cardIDLocked returns the user's card on the account (the seeded one, or
// one minted on first use), so injected payments look made with the same
// card: a map lookup, never a scan of the ledger. Call with b.mu held.
func (b *bank) cardIDLocked(a *account, userID string, now time.Time) string {
	key := a.ID + "/" + userID
	id := b.cards[key]
	if id == "" {
		id = b.newID("mccard", now)
		b.cards[key] = id
	}
	return id
}

// injectMerchantLocked resolves a card payment's merchant by id or name,
// creating a merchant for an unknown name. Call with b.mu held.
func (b *bank) injectMerchantLocked(p CardPayment) (*merchant, error) {
	if p.MerchantID != "" {
		m := b.merchants[p.MerchantID]
		if m == nil {
			return nil, injectError("no merchant %q; give merchant_name to create one", p.MerchantID)
		}
		return m, nil
	}
	name := strings.TrimSpace(p.MerchantName)
	if name == "" {
		return nil, injectError("give merchant_id or merchant_name (e.g. \"Pret A Manger\")")
	}
	var found *merchant
	for _, m := range b.merchants {
		if strings.EqualFold(m.Name, name) && (found == nil || m.ID < found.ID) {
			found = m
		}
	}
	if found != nil {
		return found, nil
	}
	now := b.now()
	m := &merchant{
		ID:       b.newID("merch", now),
		GroupID:  b.newID("grp", now),
		Name:     name,
		Category: cmp.Or(p.Category, "general"),
		Created:  now,
		Updated:  now,
		Address: merchantAddress{ShortFormatted: "London", Formatted: "London, United Kingdom",
			City: "London", Region: "Greater London", Country: "GBR", ZoomLevel: 10, Approximate: true},
		Metadata: map[string]string{"provider": "user"},
		mcc:      "5999",
	}
	b.merchants[m.ID] = m
	return m, nil
}

// fasterPaymentLocked builds a Faster Payment the way seeded ones look.
// Call with b.mu held.
func (b *bank) fasterPaymentLocked(p FasterPayment, incoming bool) (*transaction, error) {
	a, err := b.injectAccountLocked(p.AccountID, p.Amount)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(p.CounterpartyName) == "" {
		return nil, injectError("counterparty_name is required")
	}
	amount, category := p.Amount, cmp.Or(p.Category, "income")
	if !incoming {
		amount, category = -p.Amount, cmp.Or(p.Category, "transfers")
		if a.Balance < p.Amount { // not a.Balance+amount < 0, which can overflow
			return nil, injectError("account %s cannot afford %d (balance %d)", a.ID, p.Amount, a.Balance)
		}
	}
	now := b.now()
	fpid := b.newID("fpid", now)[len("fpid_"):]
	tx := &transaction{
		AccountID:   a.ID,
		UserID:      firstOwner(a),
		Amount:      amount,
		Currency:    a.Currency,
		Created:     now,
		Settled:     now,
		Description: p.CounterpartyName,
		Category:    category,
		Scheme:      schemeFasterPayments,
		Counterparty: counterparty{Name: p.CounterpartyName, SortCode: p.CounterpartySortCode,
			AccountNumber: p.CounterpartyAccountNumber, BeneficiaryAccountType: "Personal",
			UserID: b.counterpartyUserIDLocked(p)},
		Metadata: map[string]string{
			"faster_payment": "true",
			"fps_fpid":       fpid,
			"fps_payment_id": "FP" + fpid[4:],
			"insertion":      b.newID("entryset", now),
			"notes":          p.Reference,
			"trn":            fpid[len(fpid)-14:],
		},
		DedupeID:                             "fps:" + fpid,
		Originator:                           !incoming,
		IncludeInSpending:                    !incoming,
		CanBeExcludedFromBreakdown:           true,
		CanSplitTheBill:                      !incoming,
		CanMatchTransactionsInCategorization: true,
	}
	tx.Categories = map[string]int64{category: amount}
	if incoming {
		tx.UserID = "" // incoming bank transfers carry no Monzo user
	}
	return tx, nil
}

// counterpartyUserIDLocked gives a bank-transfer counterparty the
// "anonuser_" id real transfers carry (docs/api-notes.md#transactions), as seeded ones do:
// derived from the seed and the counterparty's details, so the same
// counterparty always gets the same id. Call with b.mu held.
func (b *bank) counterpartyUserIDLocked(p FasterPayment) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%d\x00%s\x00%s\x00%s", b.seed,
		strings.ToUpper(strings.TrimSpace(p.CounterpartyName)), p.CounterpartySortCode, p.CounterpartyAccountNumber))
	return "anonuser_" + hex.EncodeToString(sum[:])[:22]
}
