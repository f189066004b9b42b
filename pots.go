package monzo

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// PotsService lists pots and moves money in and out of them.
type PotsService service

// PotType is the kind of a pot. The API adds kinds over time, so any string
// may appear; the constants name the known ones.
type PotType string

// Known pot types.
const (
	PotTypeDefault         PotType = "default"
	PotTypeFlexibleSavings PotType = "flexible_savings"
	PotTypeFixedSavings    PotType = "fixed_savings"
	PotTypeInstantAccess   PotType = "instant_access"
)

// Pot is a savings pot attached to a current account. Amounts are in minor
// units of Currency.
//
// Deleted pots are still listed by the API: check Deleted.
type Pot struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Style names the pot's background image, e.g. "beach_ball".
	Style    string    `json:"style"`
	Balance  int64     `json:"balance"`
	Currency string    `json:"currency"`
	Created  Timestamp `json:"created"`
	Updated  Timestamp `json:"updated"`
	// Deleted marks a pot the user has deleted; such pots are still listed.
	Deleted bool `json:"deleted"`

	// The fields below are not in Monzo's documentation but appear in real
	// responses; they may be missing, in which case they hold zero values.

	// GoalAmount is the savings target, or nil when the pot has none.
	GoalAmount *int64 `json:"goal_amount"`
	// Type is the kind of pot; flexible-savings pots count towards
	// [Balance.BalanceIncludingFlexibleSavings].
	Type PotType `json:"type"`
	// ProductID identifies the savings product behind the pot.
	ProductID string `json:"product_id"`
	// CurrentAccountID is the account the pot belongs to.
	CurrentAccountID string `json:"current_account_id"`
	// CoverImageURL is the pot's cover picture.
	CoverImageURL string `json:"cover_image_url"`
	// ISAWrapper names the ISA wrapper of an ISA pot; "" otherwise.
	ISAWrapper string `json:"isa_wrapper"`
	// RoundUp reports whether card payments are rounded up into this pot.
	RoundUp bool `json:"round_up"`
	// RoundUpMultiplier multiplies the round-up, or is nil when unset.
	RoundUpMultiplier *int `json:"round_up_multiplier"`
	// IsTaxPot marks a business tax pot.
	IsTaxPot bool `json:"is_tax_pot"`
	// Locked marks a pot protected by "added security": withdrawals must be
	// made in the Monzo app, and [PotsService.Withdraw] fails with [ErrForbidden].
	Locked bool `json:"locked"`
	// AvailableForBills reports whether bills can be paid from the pot.
	AvailableForBills bool `json:"available_for_bills"`
	// HasVirtualCards reports whether virtual cards draw on the pot.
	HasVirtualCards bool `json:"has_virtual_cards"`
	// CharityID is set on pots linked to a charity.
	CharityID string `json:"charity_id,omitempty"`

	// Raw is the JSON the pot was decoded from, fields unknown to this
	// package included.
	Raw RawJSON `json:"-"`
}

// UnmarshalJSON decodes the pot and keeps its raw JSON.
func (p *Pot) UnmarshalJSON(data []byte) error {
	type plain Pot
	return decodeKeepingRaw(data, (*plain)(p), &p.Raw)
}

// Money returns the pot's balance as [Money].
func (p *Pot) Money() Money { return Money{Amount: p.Balance, Currency: p.Currency} }

// List returns the pots of a current account. Deleted pots are included
// (Monzo still returns them): skip those with Deleted set unless you want
// them.
func (s *PotsService) List(ctx context.Context, currentAccountID string) ([]Pot, error) {
	if err := requireArg("Pots.List", "current account id", currentAccountID); err != nil {
		return nil, err
	}
	var out struct {
		Pots []Pot `json:"pots"`
	}
	req := request{method: http.MethodGet, path: "pots", query: url.Values{"current_account_id": {currentAccountID}}, idempotent: true}
	if err := s.client.do(ctx, req, &out); err != nil {
		return nil, err
	}
	return out.Pots, nil
}

// PotDeposit moves money from an account into a pot; see [PotsService.Deposit].
type PotDeposit struct {
	// SourceAccountID is the account the money leaves (the pot's current account).
	SourceAccountID string
	// Amount is in minor units and must be positive.
	Amount int64
	// DedupeID makes the deposit idempotent: Monzo moves money once per pot
	// and dedupe id. It is required. Create it with [NewDedupeID] once per
	// intended deposit and reuse it on every retry.
	DedupeID string
}

// PotWithdrawal moves money from a pot into an account; see [PotsService.Withdraw].
type PotWithdrawal struct {
	// DestinationAccountID is the account the money goes to (the pot's current account).
	DestinationAccountID string
	// Amount is in minor units and must be positive.
	Amount int64
	// DedupeID makes the withdrawal idempotent: Monzo moves money once per
	// pot and dedupe id. It is required. Create it with [NewDedupeID] once
	// per intended withdrawal and reuse it on every retry.
	DedupeID string
}

// Deposit moves d.Amount from d.SourceAccountID into the pot and returns the
// pot with its new balance.
//
// The call is retried after network errors, 429s and 5xx answers, always
// with the same d.DedupeID, so the money moves at most once even when an
// attempt succeeded but its answer was lost. If you retry yourself (after
// Deposit returns an error, or after a restart) reuse the same PotDeposit.
func (s *PotsService) Deposit(ctx context.Context, potID string, d PotDeposit) (*Pot, error) {
	if err := validatePotMove("Pots.Deposit", "PotDeposit", potID, "SourceAccountID", d.SourceAccountID, d.Amount, d.DedupeID); err != nil {
		return nil, err
	}
	form := url.Values{
		"source_account_id": {d.SourceAccountID},
		"amount":            {strconv.FormatInt(d.Amount, 10)},
		"dedupe_id":         {d.DedupeID},
	}
	return s.move(ctx, potID, "deposit", form)
}

// Withdraw moves w.Amount from the pot into w.DestinationAccountID and
// returns the pot with its new balance.
//
// Pots protected by "added security" (Locked) cannot be withdrawn from
// through the API; the error matches [ErrForbidden] and the user must make
// the withdrawal in the Monzo app. Retries behave as for [PotsService.Deposit].
func (s *PotsService) Withdraw(ctx context.Context, potID string, w PotWithdrawal) (*Pot, error) {
	if err := validatePotMove("Pots.Withdraw", "PotWithdrawal", potID, "DestinationAccountID", w.DestinationAccountID, w.Amount, w.DedupeID); err != nil {
		return nil, err
	}
	form := url.Values{
		"destination_account_id": {w.DestinationAccountID},
		"amount":                 {strconv.FormatInt(w.Amount, 10)},
		"dedupe_id":              {w.DedupeID},
	}
	return s.move(ctx, potID, "withdraw", form)
}

// move sends a deposit or withdrawal. The arguments go in a form body: Monzo
// ignores them in the query string (and then complains the amount is not
// greater than 0; docs/api-notes.md#requests). The dedupe id in form was chosen by the caller before this
// call, so every retry attempt carries it and the request is idempotent.
func (s *PotsService) move(ctx context.Context, potID, op string, form url.Values) (*Pot, error) {
	var p Pot
	req := request{method: http.MethodPut, path: "pots/" + escape(potID) + "/" + op, form: form, idempotent: true}
	if err := s.client.do(ctx, req, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// validatePotMove checks a deposit or withdrawal before anything is sent.
func validatePotMove(call, kind, potID, accountField, accountID string, amount int64, dedupeID string) error {
	if err := requireArg(call, "pot id", potID); err != nil {
		return err
	}
	if strings.TrimSpace(accountID) == "" {
		return invalidf("%s: %s.%s is required: name the current account the pot belongs to", call, kind, accountField)
	}
	if amount <= 0 {
		return invalidf("%s: %s.Amount must be greater than 0 (minor units, e.g. 1050 for £10.50), got %d", call, kind, amount)
	}
	if strings.TrimSpace(dedupeID) == "" {
		return invalidf("%s: %s.DedupeID is required: create one with monzo.NewDedupeID() before the first attempt, store it, and reuse it on every retry so the money moves only once", call, kind)
	}
	return nil
}
