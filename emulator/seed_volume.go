package emulator

import (
	"slices"
	"time"
)

// fillTo makes the personal account hold n planned transactions (see
// SeedData.Transactions); n == 0 leaves the natural volume. It runs after
// plan and draws from the generator only after everything plan drew, so the
// natural part of the history is the same with and without it.
func (g *seeder) fillTo(n int) {
	if n <= 0 {
		return
	}
	var personal int
	for _, sp := range g.specs {
		if sp.acc == g.personal {
			personal++
		}
	}
	switch {
	case personal < n:
		g.addFillers(n - personal)
	case personal > n:
		g.dropOldestCards(personal - n)
	}
}

// fillerMerchants are the everyday GBP merchants fillers pay.
var fillerMerchants = []string{"tfl", "pret", "costa", "tesco", "sainsburys", "boots", "deliveroo", "amazon", "uber"}

// addFillers spreads extra transactions evenly over the personal account's
// history in groups of ten: a Faster Payment from a friend, then nine card
// payments spending exactly what it brought in. The money comes first, so
// the fillers never leave the account short for the planned history.
func (g *seeder) addFillers(extra int) {
	from := g.at(0, 0, 0, 0)
	step := g.now.Sub(from) / time.Duration(extra+1)
	g.specs = slices.Grow(g.specs, extra)
	for i := 0; i < extra; i += 10 {
		cards := min(9, extra-i-1)
		amounts := make([]int64, cards)
		var total int64
		for j := range amounts {
			amounts[j] = g.between(150, 1500)
			total += amounts[j]
		}
		at := func(k int) time.Time { return from.Add(step * time.Duration(i+k+1)) }
		g.specs = append(g.specs, &txSpec{at: at(0), acc: g.personal, user: g.primary, kind: kindFPSIn,
			amount: max(total, 100), payee: g.payees["friend"], category: "income", notes: "Paying you back"})
		for j, amount := range amounts {
			m := g.merchants[fillerMerchants[g.rng.IntN(len(fillerMerchants))]]
			g.specs = append(g.specs, &txSpec{at: at(j + 1), acc: g.personal, user: g.primary, kind: kindCard,
				amount: -amount, local: -amount, merchant: m, category: m.Category})
		}
	}
}

// topUp runs after materialise: planned transactions the account could not
// afford, or pot withdrawals from an empty pot, were dropped, so the
// account may hold fewer than n. Incoming Faster Payments, which never
// leave a balance short, make up the difference, spread over the history.
func (g *seeder) topUp(n int) {
	short := n - len(g.personal.Transactions)
	if n <= 0 || short <= 0 {
		return
	}
	from := g.at(0, 0, 0, 0)
	step := g.now.Sub(from) / time.Duration(short+1)
	for i := range short {
		sp := &txSpec{at: msTime(from.Add(step*time.Duration(i+1) + 500*time.Millisecond)), acc: g.personal, user: g.primary,
			kind: kindFPSIn, amount: g.between(500, 5000), payee: g.payees["friend"], category: "income", notes: "Thanks!"}
		if tx := g.build(sp); tx != nil {
			g.st.insertTransactionLocked(sp.acc, tx)
		}
	}
}

// dropOldestCards removes the personal account's oldest plain card
// payments (not those a 3-D Secure row belongs to), at most drop of them.
func (g *seeder) dropOldestCards(drop int) {
	slices.SortStableFunc(g.specs, func(a, b *txSpec) int { return a.at.Compare(b.at) })
	g.specs = slices.DeleteFunc(g.specs, func(sp *txSpec) bool {
		if drop > 0 && sp.acc == g.personal && sp.kind == kindCard && !sp.secured {
			drop--
			return true
		}
		return false
	})
}
