package emulator

import (
	"slices"
	"time"
)

// materialise turns the planned specs into transactions in time order,
// keeping every balance consistent: debits that the account cannot afford
// become INSUFFICIENT_FUNDS declines (card) or are dropped (transfers), and
// pot withdrawals never exceed the pot.
func (g *seeder) materialise() {
	slices.SortStableFunc(g.specs, func(a, b *txSpec) int { return a.at.Compare(b.at) })
	// Large histories: allocate the transactions in one block and size
	// the indexes up front, so seeding 100,000 transactions is not
	// dominated by allocator and map-growth work.
	g.slab = make([]transaction, len(g.specs))
	g.st.transactions = make(map[string]*transaction, len(g.specs)+len(g.st.transactions))
	perAccount := map[*account]int{}
	for _, sp := range g.specs {
		perAccount[sp.acc]++
	}
	for a, n := range perAccount {
		a.Transactions = slices.Grow(a.Transactions, n)
	}
	for _, sp := range g.specs {
		sp.at = msTime(sp.at)
		if tx := g.build(sp); tx != nil {
			g.st.insertTransactionLocked(sp.acc, tx)
		}
	}
}

// cardID returns the stable mastercard_card_id of a user's card on an
// account.
func (g *seeder) cardID(acc *account, u *user) string {
	key := acc.ID + "/" + u.ID
	if id, ok := g.st.cards[key]; ok {
		return id
	}
	id := g.st.newID("mccard", acc.Created)
	g.st.cards[key] = id
	return id
}

func (g *seeder) build(sp *txSpec) *transaction {
	st, at := g.st, sp.at
	var tx *transaction
	if len(g.slab) > 0 {
		tx, g.slab = &g.slab[0], g.slab[1:]
	} else {
		tx = new(transaction)
	}
	*tx = transaction{
		AccountID: sp.acc.ID,
		UserID:    sp.user.ID,
		Amount:    sp.amount,
		Currency:  "GBP",
		Created:   at,
		Settled:   at,
		Category:  sp.category,
		Notes:     sp.notes,
		Metadata:  make(map[string]string, 8),
	}
	tx.ID = st.newID("tx", at)
	ledger := func() { tx.Metadata["ledger_insertion_id"] = st.newID("entryset", at) }
	affordable := sp.acc.Balance+sp.amount >= 0
	if sp.kind.dropsWhenUnaffordable() && !affordable {
		return nil
	}

	switch sp.kind {
	case kindCard, kindCardRefund:
		m := sp.merchant
		tx.Scheme = schemeMastercard
		tx.MerchantID = m.ID
		tx.Description = cardDescription(m)
		tx.LocalAmount, tx.LocalCurrency = sp.amount, "GBP"
		if m.currency != "" {
			tx.LocalAmount, tx.LocalCurrency = sp.local, m.currency
		}
		lifecycle, auth := st.newID("mclifecycle", at), st.newID("mcauthmsg", at)
		tx.DedupeID = "mclifecycle:" + lifecycle + ":" + auth
		tx.Metadata["mastercard_approval_type"] = "full"
		tx.Metadata["mastercard_auth_message_id"] = auth
		tx.Metadata["mastercard_card_id"] = g.cardID(sp.acc, sp.user)
		tx.Metadata["mastercard_lifecycle_id"] = lifecycle
		tx.Metadata["mcc"] = m.mcc
		if sp.decline == "" && !affordable {
			sp.decline = "INSUFFICIENT_FUNDS"
		}
		if sp.decline != "" {
			tx.DeclineReason = sp.decline
			tx.Settled = time.Time{}
			tx.Metadata["mastercard_approval_type"] = "declined"
			return tx
		}
		ledger()
		tx.Categories = map[string]int64{tx.Category: tx.Amount}
		tx.IncludeInSpending = true
		tx.CanBeExcludedFromBreakdown = true
		tx.CanSplitTheBill = sp.amount < 0
		tx.CanAddToTab = sp.amount < 0
		tx.CanBeMadeSubscription = sp.amount < 0 && !m.ATM
		tx.CanMatchTransactionsInCategorization = true
		settle := at.Add(time.Duration(g.between(20*3600, 44*3600)) * time.Second)
		if settle.After(g.now) {
			tx.Settled = time.Time{} // still pending
			tx.AmountIsPending = m.mcc == "5541"
		} else {
			tx.Settled = msTime(settle)
		}
		if m.ATM {
			tx.CanSplitTheBill, tx.CanAddToTab = false, false
		}

	case kindFPSIn, kindFPSOut:
		p := sp.payee
		tx.Scheme = schemeFasterPayments
		tx.Description = p.name
		tx.Counterparty = p.counterparty()
		tx.Counterparty.BeneficiaryAccountType = p.kind
		fpid := seededString(g.rng, 18)
		tx.Metadata["faster_payment"] = "true"
		tx.Metadata["fps_fpid"] = fpid
		tx.Metadata["fps_payment_id"] = "FP" + seededString(g.rng, 16)
		tx.Metadata["insertion"] = st.newID("entryset", at)
		tx.Metadata["notes"] = sp.notes
		tx.Metadata["trn"] = seededString(g.rng, 14)
		tx.DedupeID = "fps:" + fpid
		tx.Originator = sp.kind == kindFPSOut
		tx.IncludeInSpending = sp.spending
		tx.CanBeExcludedFromBreakdown = true
		tx.Categories = map[string]int64{tx.Category: tx.Amount}
		tx.CanSplitTheBill = sp.kind == kindFPSOut
		tx.CanMatchTransactionsInCategorization = true
		if sp.kind == kindFPSIn {
			tx.UserID = "" // incoming bank transfers carry no Monzo user
		}

	case kindBacsIn, kindDirectDebit:
		p := sp.payee
		tx.Scheme = schemeBacs
		tx.Description = p.name
		tx.Counterparty = p.counterparty()
		tx.Metadata["bacs_record_id"] = st.newID("bacsrecord", at)
		if sp.kind == kindDirectDebit {
			tx.Metadata["bacs_direct_debit_instruction_id"] = p.ddInstruction
			tx.CanBeMadeSubscription = true
		}
		ledger()
		tx.DedupeID = "bacs:" + tx.Metadata["bacs_record_id"]
		tx.IncludeInSpending = sp.spending
		tx.CanBeExcludedFromBreakdown = true
		tx.Categories = map[string]int64{tx.Category: tx.Amount}
		tx.CanMatchTransactionsInCategorization = true
		tx.Notes = ""

	case kindP2PIn, kindP2POut:
		other := g.partner
		tx.Scheme = schemeP2P
		tx.Description = other.Name
		tx.Counterparty = counterparty{UserID: other.ID, PreferredName: other.Name, Name: other.Name}
		p2pID := st.newID("p2p", at)
		tx.Metadata["p2p_transfer_id"] = p2pID
		tx.Metadata["p2p_initiator"] = "user"
		ledger()
		tx.DedupeID = "p2p:" + p2pID
		tx.Originator = sp.kind == kindP2POut
		tx.IncludeInSpending = sp.spending
		tx.CanBeExcludedFromBreakdown = true
		tx.Categories = map[string]int64{tx.Category: tx.Amount}
		tx.CanSplitTheBill = sp.kind == kindP2POut

	case kindPotDeposit, kindPotWithdraw:
		p := sp.pot
		if sp.kind == kindPotWithdraw {
			amount := sp.amount
			if sp.deletes || amount > p.Balance {
				amount = p.Balance
			}
			if amount <= 0 {
				return nil
			}
			tx.Amount = amount
		}
		p.Balance -= tx.Amount
		p.Updated = at
		if sp.deletes {
			p.Deleted = true
		}
		tx.Scheme = schemePot
		tx.Description = p.Name
		tx.Metadata["pot_id"] = p.ID
		tx.Metadata["pot_account_id"] = p.CurrentAccountID
		tx.Metadata["trigger"] = "user"
		tx.Metadata["user_id"] = sp.user.ID
		if sp.kind == kindPotDeposit {
			tx.Metadata["pot_deposit_id"] = st.newID("potdep", at)
			tx.DedupeID = "potdep:" + tx.Metadata["pot_deposit_id"]
		} else {
			tx.Metadata["pot_withdrawal_id"] = st.newID("potwdr", at)
			tx.DedupeID = "potwdr:" + tx.Metadata["pot_withdrawal_id"]
		}
		ledger()
		tx.Originator = true

	case kindTopup:
		tx.Scheme = schemeTopup
		tx.Description = "Top up"
		tx.IsLoad = true
		tx.Metadata["topup_id"] = st.newID("topup", at)
		ledger()
		tx.DedupeID = "topup:" + tx.Metadata["topup_id"]

	case kind3DSecure:
		// The check itself: no money, no ledger entry, nothing to settle.
		m := sp.merchant
		tx.Scheme = scheme3DSecure
		tx.MerchantID = m.ID
		tx.Description = cardDescription(m)
		tx.Metadata["mastercard_card_id"] = g.cardID(sp.acc, sp.user)
		tx.Metadata["mcc"] = m.mcc
		tx.DedupeID = "3dsecure:" + st.newID("threedsauth", at)

	case kindInterest:
		tx.Scheme = schemeAccountInterest
		tx.Description = "Interest"
		tx.Metadata["interest_payout_id"] = st.newID("interestpayout", at)
		ledger()
		tx.DedupeID = "interest:" + tx.Metadata["interest_payout_id"]
		tx.Categories = map[string]int64{"income": tx.Amount}
	}
	return tx
}
