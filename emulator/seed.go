package emulator

import (
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"time"
)

// Seeded history length: by default the personal account's history starts
// this many days before the clock's now (Options.HistoryDays changes it).
const (
	DefaultHistoryDays = 430
	// MinHistoryDays leaves room for the joint account (opened on day 35)
	// and the pots; MaxHistoryDays is about ten years.
	MinHistoryDays = 45
	MaxHistoryDays = 3660
	// MaxTransactions bounds Options.Transactions.
	MaxTransactions = 2_000_000
)

// SeedData selects the generated bank data. The zero value of each field
// means its default (or, for Reseed, the current value).
type SeedData struct {
	// Seed selects users, names, amounts and ids; 0 means DefaultSeed.
	Seed int64 `json:"seed,omitempty"`
	// HistoryDays is how many days of history end at the clock's now,
	// MinHistoryDays to MaxHistoryDays; 0 means DefaultHistoryDays.
	HistoryDays int `json:"history_days,omitempty"`
	// Transactions, when positive, sets the personal account's number of
	// transactions: everyday card payments (with a repayment now and then,
	// so the balance holds) are added evenly across the history until it
	// holds that many, or, below the natural volume, the oldest card
	// payments are dropped (a history keeps its salary, bills and pot
	// moves, so a very small number is reached only as near as that
	// allows). The other accounts keep their natural volume. 0 keeps the
	// natural volume (about 3 a day).
	Transactions int `json:"transactions,omitempty"`
}

// withDefaults fills zero fields from base.
func (d SeedData) withDefaults(base SeedData) SeedData {
	if d.Seed == 0 {
		d.Seed = base.Seed
	}
	if d.HistoryDays == 0 {
		d.HistoryDays = base.HistoryDays
	}
	if d.Transactions == 0 {
		d.Transactions = base.Transactions
	}
	return d
}

// validate checks the ranges, naming the field as the caller spells it.
func (d SeedData) validate() error {
	if d.HistoryDays != 0 && (d.HistoryDays < MinHistoryDays || d.HistoryDays > MaxHistoryDays) {
		return fmt.Errorf("history days is %d; it must be %d to %d (0 for the default, %d)", d.HistoryDays,
			MinHistoryDays, MaxHistoryDays, DefaultHistoryDays)
	}
	if d.Transactions < 0 || d.Transactions > MaxTransactions {
		return fmt.Errorf("transactions is %d; it must be 0 (the natural volume) to %d", d.Transactions, MaxTransactions)
	}
	return nil
}

// defaultSeedData is what the zero SeedData means.
var defaultSeedData = SeedData{Seed: DefaultSeed, HistoryDays: DefaultHistoryDays}

// Exchange rates used for seeded foreign card spends (GBP per unit).
var fxToGBP = map[string]float64{"EUR": 0.85, "USD": 0.79, "CAD": 0.58}

// declineReasons are the reasons seeded declines cycle through: the
// documented ones and those seen in the wild (docs/api-notes.md#transactions), so clients
// meet more than the common INSUFFICIENT_FUNDS.
var declineReasons = []string{"INSUFFICIENT_FUNDS", "INVALID_PIN", "SCA_NOT_AUTHENTICATED_CARD_NOT_PRESENT", "OTHER",
	"CARD_INACTIVE", "CARD_BLOCKED", "INVALID_CVC", "STRONG_CUSTOMER_AUTHENTICATION_REQUIRED", "CARD_EXPIRED"}

var primaryNames = [][2]string{{"Alex", "Morgan"}, {"Jamie", "Carter"}, {"Priya", "Shah"}, {"Tom", "Okafor"}, {"Hannah", "Lewis"}}
var partnerNames = [][2]string{{"Sam", "Patel"}, {"Chris", "Evans"}, {"Maya", "Khan"}, {"Olu", "Adeyemi"}, {"Ellie", "Brooks"}}

// txKind is what a seeded transaction spec turns into.
type txKind int

const (
	kindCard txKind = iota
	kindCardRefund
	kindFPSIn
	kindFPSOut
	kindBacsIn
	kindDirectDebit
	kindP2PIn
	kindP2POut
	kindPotDeposit
	kindPotWithdraw
	kindTopup
	kindInterest
	kind3DSecure
)

// dropsWhenUnaffordable reports whether a spec of kind k that the account
// cannot afford is left out of the history: money the user sends (a
// transfer, a Direct Debit, a pot deposit) is not sent. Card payments are
// declined instead (seed_ledger.go).
func (k txKind) dropsWhenUnaffordable() bool {
	switch k {
	case kindFPSOut, kindDirectDebit, kindP2POut, kindPotDeposit:
		return true
	}
	return false
}

// txSpec is a planned seeded transaction, materialised in time order.
type txSpec struct {
	at       time.Time
	acc      *account
	user     *user
	kind     txKind
	amount   int64 // GBP minor units, signed (negative = debit); pot withdraw-all: 0
	local    int64 // local currency amount for foreign card spends
	merchant *merchant
	category string
	payee    *payee
	pot      *pot
	notes    string
	decline  string
	deletes  bool // pot withdrawal that empties and deletes the pot
	secured  bool // card payment preceded by a 3-D Secure row
	spending bool // include_in_spending for transfers
}

// payee is a bank-transfer counterparty.
type payee struct {
	name, accountNumber, sortCode, userID, kind string
	ddInstruction                               string
}

// counterparty is p as a bank transfer's counterparty.
func (p *payee) counterparty() counterparty {
	return counterparty{AccountNumber: p.accountNumber, SortCode: p.sortCode, Name: p.name, UserID: p.userID}
}

// seeder generates the seeded bank data.
type seeder struct {
	st    *state
	data  SeedData
	rng   *mrand.Rand
	now   time.Time
	loc   *time.Location
	start time.Time // London midnight at the start of the history

	primary, partner            *user
	personal, joint, prepaid    *account
	merchants                   map[string]*merchant
	holiday, rainy, house, xmas *pot
	oldCar, home                *pot
	payees                      map[string]*payee
	specs                       []*txSpec
	slab                        []transaction // materialise's preallocated transactions
	declines                    int           // seeded declines so far: picks the next reason
}

// seedBankData fills st with deterministic users, accounts, pots, merchants
// and d.HistoryDays of history ending at now. The same data options and now
// give identical data and ids. Users, the prepaid account and merchants have
// creation times (and so ids) that depend on the seed only.
func seedBankData(st *state, d SeedData, now time.Time, loc *time.Location) {
	d = d.withDefaults(defaultSeedData)
	g := &seeder{
		st:        st,
		data:      d,
		rng:       mrand.New(mrand.NewPCG(uint64(d.Seed), 0x9e3779b97f4a7c15)),
		now:       now,
		loc:       loc,
		merchants: map[string]*merchant{},
		payees:    map[string]*payee{},
	}
	st.seededAt = now
	l := now.In(loc)
	g.start = time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, -d.HistoryDays)
	g.people()
	g.shops()
	g.accountsAndPots()
	g.plan()
	g.fillTo(d.Transactions)
	g.materialise()
	g.topUp(d.Transactions)
}

// between returns a uniform int64 in [lo, hi].
func (g *seeder) between(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + g.rng.Int64N(hi-lo+1)
}

func (g *seeder) chance(p float64) bool { return g.rng.Float64() < p }

func (g *seeder) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.rng.IntN(10))
	}
	return string(b)
}

func (g *seeder) hex(n int) string {
	const hexDigits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = hexDigits[g.rng.IntN(16)]
	}
	return string(b)
}

// fixedTime is a seed-only time: base plus up to spreadDays, kept at least
// a month before the history starts (for clocks set in the past).
func (g *seeder) fixedTime(base time.Time, spreadDays int) time.Time {
	t := base.Add(time.Duration(g.rng.Int64N(int64(spreadDays)*86400)) * time.Second).Add(time.Duration(g.rng.IntN(1000)) * time.Millisecond)
	if limit := g.start.AddDate(0, -1, 0); !t.Before(limit) {
		t = limit.Add(-time.Duration(spreadDays) * 24 * time.Hour)
	}
	return msTime(t)
}

// at returns London local time on day d (0 = history start) at h:m plus a
// random number of seconds below spread.
func (g *seeder) at(d, h, m int, spread time.Duration) time.Time {
	t := time.Date(g.start.Year(), g.start.Month(), g.start.Day()+d, h, m, 0, 0, g.loc)
	if spread > 0 {
		t = t.Add(time.Duration(g.rng.Int64N(int64(spread/time.Millisecond))) * time.Millisecond)
	}
	return t
}

func (g *seeder) people() {
	pn, qn := primaryNames[g.rng.IntN(len(primaryNames))], partnerNames[g.rng.IntN(len(partnerNames))]
	mk := func(n [2]string, created time.Time) *user {
		u := &user{ID: g.st.newID("user", created), Name: n[0] + " " + n[1], FirstName: n[0], Created: created,
			Email: fmt.Sprintf("%s.%s@example.com", lower(n[0]), lower(n[1]))}
		g.st.users[u.ID] = u
		g.st.userOrder = append(g.st.userOrder, u.ID)
		return u
	}
	g.primary = mk(pn, g.fixedTime(time.Date(2016, 2, 1, 0, 0, 0, 0, time.UTC), 300))
	g.partner = mk(qn, g.fixedTime(time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC), 300))
}

func (g *seeder) shops() {
	for _, ms := range merchantSeeds {
		m := newMerchant(g.st, ms, g.fixedTime(time.Date(2015, 6, 1, 0, 0, 0, 0, time.UTC), 1500))
		g.merchants[ms.key] = m
		g.st.merchants[m.ID] = m
	}
}

func (g *seeder) addAccount(a *account) *account {
	a.ID = g.st.newID("acc", a.Created)
	a.Currency, a.CountryCode = "GBP", "GB"
	g.st.accounts[a.ID] = a
	g.st.accountOrder = append(g.st.accountOrder, a.ID)
	return a
}

func (g *seeder) accountsAndPots() {
	g.prepaid = g.addAccount(&account{Type: accountTypePrepaid, Created: g.primary.Created.Add(90 * time.Second),
		Closed: true, OwnerIDs: []string{g.primary.ID}})
	g.prepaid.Description = g.primary.ID
	g.personal = g.addAccount(&account{Type: accountTypeRetail, Created: msTime(g.at(-2, 10, 12, time.Hour)),
		OwnerIDs: []string{g.primary.ID}, AccountNumber: g.digits(8), SortCode: "040004"})
	g.personal.Description = g.primary.ID
	g.joint = g.addAccount(&account{Type: accountTypeRetailJoint, Created: msTime(g.at(35, 19, 30, time.Hour)),
		OwnerIDs: []string{g.primary.ID, g.partner.ID}, AccountNumber: g.digits(8), SortCode: "040004",
		Description: g.primary.FirstName + " & " + g.partner.FirstName})
	// Keep the account order by creation (the prepaid account is older).
	slices.SortFunc(g.st.accountOrder, func(a, b string) int {
		return g.st.accounts[a].Created.Compare(g.st.accounts[b].Created)
	})

	goal := func(v int64) *int64 { return &v }
	mkPot := func(acc *account, day int, p *pot) *pot {
		p.Created = msTime(g.at(day, 12, 0, 8*time.Hour))
		p.Updated = p.Created
		p.ID = g.st.newID("pot", p.Created)
		p.Currency = "GBP"
		p.CurrentAccountID = acc.ID
		if p.Type == "" {
			p.Type, p.ProductID = potTypeDefault, "default"
		}
		p.CoverImageURL = "https://images.monzo.com/pots/" + p.Style + ".png"
		g.st.pots[p.ID] = p
		g.st.potOrder = append(g.st.potOrder, p.ID)
		return p
	}
	g.oldCar = mkPot(g.personal, 3, &pot{Name: "Car fund", Style: "teal", GoalAmount: goal(300000)})
	g.holiday = mkPot(g.personal, 5, &pot{Name: "Holidays", Style: "beach_ball", GoalAmount: goal(150000)})
	g.rainy = mkPot(g.personal, 10, &pot{Name: "Rainy day", Style: "blue", Type: potTypeFlexibleSavings,
		ProductID: "savings_flexible_interest_1"})
	g.house = mkPot(g.personal, 20, &pot{Name: "House deposit", Style: "piggy_bank", GoalAmount: goal(2500000),
		Locked: true})
	two := int64(2)
	g.xmas = mkPot(g.personal, 40, &pot{Name: "Christmas", Style: "yellow", GoalAmount: goal(60000),
		RoundUp: true, RoundUpMultiplier: &two, HasVirtualCards: true})
	g.home = mkPot(g.joint, 40, &pot{Name: "Bills", Style: "cactus", AvailableForBills: true})

	g.payees = map[string]*payee{
		"employer": {name: "ACME WIDGETS LTD", accountNumber: g.digits(8), sortCode: "200000", kind: "Business"},
		"landlord": {name: "Hartley Lettings", accountNumber: g.digits(8), sortCode: "309634", kind: "Business"},
		"friend":   {name: "Jordan Reid", accountNumber: g.digits(8), sortCode: "601613", kind: "Personal"},
		"oldbank":  {name: g.primary.Name, accountNumber: g.digits(8), sortCode: "110001", kind: "Personal"},
		"partnerx": {name: g.partner.Name, accountNumber: g.digits(8), sortCode: "070116", kind: "Personal"},
		"ee":       {name: "EE LIMITED", accountNumber: g.digits(8), sortCode: "400515", kind: "Business"},
		"bt":       {name: "BT GROUP PLC", accountNumber: g.digits(8), sortCode: "400530", kind: "Business"},
		"council":  {name: "ISLINGTON COUNCIL", accountNumber: g.digits(8), sortCode: "309634", kind: "Business"},
		"energy":   {name: "OCTOPUS ENERGY", accountNumber: g.digits(8), sortCode: "608371", kind: "Business"},
		"water":    {name: "THAMES WATER", accountNumber: g.digits(8), sortCode: "200000", kind: "Business"},
	}
	for _, k := range []string{"employer", "landlord", "friend", "oldbank", "partnerx", "ee", "bt", "council", "energy", "water"} {
		p := g.payees[k]
		p.userID = "anonuser_" + g.hex(22)
		p.ddInstruction = "bacsddi_" + seededString(g.rng, 22)
	}
}

// add plans a transaction if it falls inside the history (not in the
// future) and reports whether it did.
func (g *seeder) add(sp *txSpec) bool {
	if sp.at.After(g.now) || sp.at.Before(sp.acc.Created) {
		return false
	}
	if sp.user == nil {
		sp.user = g.primary
	}
	g.specs = append(g.specs, sp)
	return true
}

// card plans a card payment and returns its spec, or nil if it falls
// outside the history.
func (g *seeder) card(d int, acc *account, u *user, key string, h, hSpread int) *txSpec {
	m := g.merchants[key]
	ms := seedFor(key)
	local := g.between(ms.min, ms.max)
	if m.ATM {
		local = local / 1000 * 1000
	}
	amount := local
	if rate, ok := fxToGBP[m.currency]; ok {
		amount = int64(float64(local)*rate + 0.5)
	}
	category := m.Category
	if m.currency != "" {
		category = "holidays" // Monzo files spending abroad under holidays
	}
	sp := &txSpec{at: g.at(d, h, 0, time.Duration(hSpread)*time.Hour), acc: acc, user: u, kind: kindCard,
		amount: -amount, local: -local, merchant: m, category: category}
	if !g.add(sp) {
		return nil
	}
	return sp
}

// threeDSecure plans the 3-D Secure check that precedes an online card
// payment (nil: none). Monzo shows the check as a row of its own with the
// "3dsecure" scheme (docs/api-notes.md#transactions); the emulator gives it amount 0, so it
// moves no money and never counts in spending, and puts it 20–59 seconds
// (the time to approve in the app) before the card authorisation, which
// carries the money [E]. It uses no randomness, so adding these rows leaves
// every seeded amount and balance as it was.
func (g *seeder) threeDSecure(card *txSpec) {
	if card == nil {
		return
	}
	card.secured = true
	wait := time.Duration(20+(-card.local)%40) * time.Second
	g.add(&txSpec{at: card.at.Add(-wait), acc: card.acc, user: card.user, kind: kind3DSecure,
		merchant: card.merchant, category: card.category})
}

func seedFor(key string) merchantSeed {
	for _, ms := range merchantSeeds {
		if ms.key == key {
			return ms
		}
	}
	panic("emulator: no merchant seed " + key)
}

// plan lays out the whole history as specs.
func (g *seeder) plan() {
	days := int(g.now.Sub(g.start).Hours()/24) + 1
	// Trips abroad are placed from the end of the history, so shorter
	// histories keep the recent ones (with the default 430 days: days
	// 150, 300 and 400).
	parisTrip, nyTrip, torontoTrip := days-281, days-131, days-31
	everyday := []string{"amazon", "boots", "uber", "deliveroo", "odeon", "postoffice", "shell", "deliveroo", "amazon"}

	g.add(&txSpec{at: g.at(-1, 9, 0, time.Hour), acc: g.personal, kind: kindFPSIn, amount: 180000,
		payee: g.payees["oldbank"], category: "transfers", notes: "Moving to Monzo"})
	g.add(&txSpec{at: g.at(36, 9, 0, time.Hour), acc: g.joint, user: g.partner, kind: kindFPSIn, amount: 60000,
		payee: g.payees["partnerx"], category: "transfers", notes: "Joint account float"})

	for d := range days {
		day := g.at(d, 12, 0, 0)
		dom, wd := day.Day(), day.Weekday()
		weekday := wd != time.Saturday && wd != time.Sunday
		inParis := d >= parisTrip && d < parisTrip+5
		inNY := d >= nyTrip && d < nyTrip+6
		inToronto := d >= torontoTrip && d < torontoTrip+4

		// Personal card spending.
		switch {
		case inParis, inNY, inToronto:
			keys := []string{"flore", "monoprix", "flore"}
			if inNY {
				keys = []string{"joes", "wholefoods", "mta", "mta"}
			}
			if inToronto {
				keys = []string{"timhortons", "ttc", "timhortons"}
			}
			for range 2 + g.rng.IntN(3) {
				g.card(d, g.personal, nil, keys[g.rng.IntN(len(keys))], 9, 13)
			}
		case weekday:
			for _, h := range []int{7, 17} {
				if g.chance(0.8) {
					g.card(d, g.personal, nil, "tfl", h, 2)
				}
			}
			if g.chance(0.6) {
				g.card(d, g.personal, nil, []string{"pret", "costa"}[g.rng.IntN(2)], 8, 2)
			}
			if g.chance(0.5) {
				g.card(d, g.personal, nil, "pret", 12, 2)
			}
			if g.chance(0.5) {
				g.card(d, g.personal, nil, everyday[g.rng.IntN(len(everyday))], 18, 4)
			}
			if g.chance(0.3) {
				g.card(d, g.personal, nil, []string{"tesco", "sainsburys"}[g.rng.IntN(2)], 18, 3)
			}
		default:
			for range 1 + g.rng.IntN(3) {
				g.card(d, g.personal, nil, everyday[g.rng.IntN(len(everyday))], 10, 12)
			}
			if g.chance(0.5) {
				g.card(d, g.personal, nil, []string{"tesco", "sainsburys"}[g.rng.IntN(2)], 10, 8)
			}
		}
		if d >= days-2 { // a morning coffee on the last two days: pending, and in spend_today
			g.card(d, g.personal, nil, "costa", 7, 1)
		}
		if g.chance(0.05) { // a declined card payment every few weeks
			m := g.merchants[everyday[g.rng.IntN(len(everyday))]]
			g.add(&txSpec{at: g.at(d, 11, 0, 10*time.Hour), acc: g.personal, kind: kindCard,
				amount: -g.between(500, 4000), merchant: m, category: m.Category,
				decline: declineReasons[g.declines%len(declineReasons)]})
			g.declines++
		}
		if g.chance(0.015) {
			g.add(&txSpec{at: g.at(d, 14, 0, 6*time.Hour), acc: g.personal, kind: kindCardRefund,
				amount: g.between(799, 4000), merchant: g.merchants["amazon"], category: "shopping"})
		}
		if d%16 == 7 {
			g.card(d, g.personal, nil, "atm", 11, 8)
		}
		if d%9 == 4 {
			if g.chance(0.7) {
				g.add(&txSpec{at: g.at(d, 20, 0, 3*time.Hour), acc: g.personal, kind: kindP2POut,
					amount: -g.between(1200, 4500), category: "general", notes: []string{"🍝 dinner", "🎟️ tickets", "🍻", "Groceries"}[g.rng.IntN(4)], spending: true})
			} else {
				g.add(&txSpec{at: g.at(d, 20, 0, 3*time.Hour), acc: g.personal, kind: kindP2PIn,
					amount: g.between(1000, 3000), category: "general", notes: "Thanks!"})
			}
		}
		if d%31 == 12 {
			g.add(&txSpec{at: g.at(d, 19, 0, 3*time.Hour), acc: g.personal, kind: kindFPSIn, amount: g.between(1500, 6000),
				payee: g.payees["friend"], category: "transfers", notes: "Cheers for the tickets"})
		}
		if d%43 == 20 {
			g.add(&txSpec{at: g.at(d, 19, 0, 3*time.Hour), acc: g.personal, kind: kindFPSOut, amount: -g.between(2000, 8000),
				payee: g.payees["friend"], category: "general", notes: "Birthday present", spending: true})
		}
		if d < 100 && d%30 == 15 {
			g.add(&txSpec{at: g.at(d, 10, 0, 8*time.Hour), acc: g.personal, kind: kindTopup, amount: 5000, category: "general"})
		}

		// Monthly personal money flows.
		if dom == 1 {
			g.add(&txSpec{at: g.at(d, 5, 0, time.Hour), acc: g.personal, kind: kindInterest, amount: g.between(40, 160), category: "income"})
		}
		if dom == 12 {
			g.card(d, g.personal, nil, "netflix", 3, 2)
		}
		if dom == 20 {
			g.card(d, g.personal, nil, "spotify", 3, 2)
		}
		if dom == 15 {
			g.dd(d, g.personal, "ee", 2500)
		}
		if dom == 18 {
			g.dd(d, g.personal, "bt", 3200)
		}
		if isPayday(day) {
			g.add(&txSpec{at: g.at(d, 6, 0, time.Hour), acc: g.personal, kind: kindBacsIn, amount: g.between(340000, 352000),
				payee: g.payees["employer"], category: "income", notes: "SALARY"})
			g.transferToJoint(d)
			g.pot(d, g.rainy, -20000)
			g.pot(d, g.house, -30000)
			g.pot(d, g.xmas, -5000)
			if d > 120 && (d/30)%4 == 1 {
				g.pot(d+3, g.rainy, 15000) // dip into savings now and then
			}
		}
		if wd == time.Monday {
			g.pot(d, g.holiday, -2500)
			if d < 130 {
				g.pot(d, g.oldCar, -5000)
			}
		}
		if d == 140 {
			g.add(&txSpec{at: g.at(d, 13, 0, time.Hour), acc: g.personal, kind: kindPotWithdraw, pot: g.oldCar,
				category: "savings", deletes: true})
		}
		for _, trip := range []struct{ day int }{{parisTrip}, {nyTrip}, {torontoTrip}} {
			switch d {
			case trip.day - 35: // big online bookings: always challenged by 3-D Secure
				g.threeDSecure(g.card(d, g.personal, nil, "ba", 21, 2))
			case trip.day - 28:
				g.threeDSecure(g.card(d, g.personal, nil, "airbnb", 21, 2))
			case trip.day - 2:
				g.pot(d, g.holiday, 40000)
			}
		}

		// Joint account: shared bills and groceries.
		if d >= 36 {
			if g.chance(0.25) {
				u := []*user{g.primary, g.partner}[g.rng.IntN(2)]
				g.card(d, g.joint, u, []string{"tesco", "sainsburys"}[g.rng.IntN(2)], 17, 4)
			}
			switch dom {
			case 1:
				g.add(&txSpec{at: g.at(d, 8, 0, time.Hour), acc: g.joint, kind: kindFPSOut, amount: -135000,
					payee: g.payees["landlord"], category: "bills", notes: "Rent " + day.Format("Jan 2006"), spending: true})
				g.dd(d, g.joint, "council", 16500)
			case 5:
				g.dd(d, g.joint, "energy", g.between(8500, 11500))
			case 10:
				g.dd(d, g.joint, "water", 3800)
			case 26:
				g.pot(d, g.home, -5000)
			}
			if isPayday(day) {
				g.add(&txSpec{at: g.at(d, 9, 0, 2*time.Hour), acc: g.joint, user: g.partner, kind: kindFPSIn, amount: 110000,
					payee: g.payees["partnerx"], category: "transfers", notes: "Joint"})
			}
		}
	}
}

// isPayday reports whether day is the 25th, or the Friday before it when it
// falls on a weekend.
func isPayday(day time.Time) bool {
	switch day.Weekday() {
	case time.Friday:
		return day.Day() >= 23 && day.Day() <= 25
	case time.Saturday, time.Sunday:
		return false
	default:
		return day.Day() == 25
	}
}

func (g *seeder) dd(d int, acc *account, payeeKey string, amount int64) {
	g.add(&txSpec{at: g.at(d, 4, 0, 2*time.Hour), acc: acc, kind: kindDirectDebit, amount: -amount,
		payee: g.payees[payeeKey], category: "bills", spending: true})
}

// pot plans a pot transfer: amount < 0 deposits, > 0 withdraws.
func (g *seeder) pot(d int, p *pot, amount int64) {
	kind := kindPotDeposit
	if amount > 0 {
		kind = kindPotWithdraw
	}
	acc := g.st.accounts[p.CurrentAccountID]
	at := g.at(d, 7, 0, 2*time.Hour)
	if at.Before(p.Created) {
		return
	}
	g.add(&txSpec{at: at, acc: acc, kind: kind, amount: amount, pot: p, category: "savings"})
}

// transferToJoint plans the monthly move from the personal to the joint
// account: an FPS out on one side, an FPS in on the other.
func (g *seeder) transferToJoint(d int) {
	if d < 36 {
		return
	}
	at := g.at(d, 9, 0, time.Hour)
	jp := &payee{name: g.joint.Description, accountNumber: g.joint.AccountNumber, sortCode: g.joint.SortCode, kind: "Personal"}
	pp := &payee{name: g.primary.Name, accountNumber: g.personal.AccountNumber, sortCode: g.personal.SortCode, kind: "Personal", userID: g.primary.ID}
	jp.userID = g.primary.ID
	g.add(&txSpec{at: at, acc: g.personal, kind: kindFPSOut, amount: -110000, payee: jp, category: "transfers", notes: "Joint"})
	g.add(&txSpec{at: at.Add(1500 * time.Millisecond), acc: g.joint, kind: kindFPSIn, amount: 110000, payee: pp, category: "transfers", notes: "Joint"})
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
