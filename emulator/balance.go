package emulator

import (
	"net/http"
	"slices"
	"sort"
	"time"
)

// balanceJSON is the bare balance object (docs/api-notes.md#balance, with the [O]
// extras).
type balanceJSON struct {
	Balance                         int64            `json:"balance"`
	TotalBalance                    int64            `json:"total_balance"`
	BalanceIncludingFlexibleSavings int64            `json:"balance_including_flexible_savings"`
	Currency                        string           `json:"currency"`
	SpendToday                      int64            `json:"spend_today"`
	LocalCurrency                   string           `json:"local_currency"`
	LocalExchangeRate               float64          `json:"local_exchange_rate"`
	LocalSpend                      []localSpendJSON `json:"local_spend"`
}

type localSpendJSON struct {
	SpendToday int64  `json:"spend_today"`
	Currency   string `json:"currency"`
}

// handleBalance serves GET /balance?account_id=.
func (s *Server) handleBalance(w http.ResponseWriter, r *http.Request, c caller) {
	id, apiErr := accountParam(r, "account_id")
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	bal, apiErr := s.bank.balance(c.UserID, id)
	respond(w, bal, apiErr)
}

// daySpend sums one spending day of an account's ledger: the figures behind
// spend_today and local_spend.
type daySpend struct {
	dayStart time.Time
	// first is the index of the day's first transaction in the ledger;
	// [first, upTo) have been summed.
	first, upTo   int
	spend         int64
	local         []localSpendJSON // in order of first use
	latestForeign *transaction
	ok            bool // no sum overflowed
}

// add counts tx if it counts in spending.
func (d *daySpend) add(tx *transaction, currency string) {
	if !tx.countsInSpending() {
		return
	}
	var fits bool
	d.spend, fits = addMoney(d.spend, tx.Amount)
	d.ok = d.ok && fits
	if tx.LocalCurrency == "" || tx.LocalCurrency == currency {
		return
	}
	d.latestForeign = tx
	i := slices.IndexFunc(d.local, func(ls localSpendJSON) bool { return ls.Currency == tx.LocalCurrency })
	if i < 0 {
		d.local = append(d.local, localSpendJSON{Currency: tx.LocalCurrency})
		i = len(d.local) - 1
	}
	d.local[i].SpendToday, fits = addMoney(d.local[i].SpendToday, tx.LocalAmount)
	d.ok = d.ok && fits
}

// spendTodayLocked returns the spending of the day starting at dayStart,
// up to now. It keeps the running sums on the account and only adds what
// was appended since, so a day with many transactions (bulk injection on a
// stopped clock) costs nothing per call; an insertion before the end of
// the ledger drops the sums (insertTransactionLocked). Call with b.mu held.
func (a *account) spendTodayLocked(dayStart, now time.Time) daySpend {
	ledger := a.Transactions
	if n := len(ledger); n > 0 && ledger[n-1].Created.After(now) {
		// The clock was moved back behind the ledger: sum afresh, leaving
		// out what has not happened yet.
		d := daySpend{dayStart: dayStart, ok: true}
		for _, tx := range ledger[firstOfDay(ledger, dayStart):] {
			if !tx.Created.After(now) {
				d.add(tx, a.Currency)
			}
		}
		return d.copy()
	}
	d := a.spend
	if d == nil || !d.dayStart.Equal(dayStart) || d.upTo > len(ledger) {
		first := firstOfDay(ledger, dayStart)
		d = &daySpend{dayStart: dayStart, first: first, upTo: first, ok: true}
		a.spend = d
	}
	for _, tx := range ledger[d.upTo:] {
		d.add(tx, a.Currency)
	}
	d.upTo = len(ledger)
	return d.copy()
}

// copy returns d with its own local slice, safe to hand out.
func (d *daySpend) copy() daySpend {
	c := *d
	c.local = slices.Clone(d.local)
	return c
}

// firstOfDay is the index of the ledger's first transaction at or after
// dayStart (binary search).
func firstOfDay(ledger []*transaction, dayStart time.Time) int {
	return sort.Search(len(ledger), func(i int) bool { return !ledger[i].Created.Before(dayStart) })
}
