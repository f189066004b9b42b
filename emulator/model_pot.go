package emulator

import "time"

// Pot types. The Open Banking docs list more; treat as an open enum.
const (
	potTypeDefault         = "default"
	potTypeFlexibleSavings = "flexible_savings"
)

// pot is a savings pot attached to one current account.
type pot struct {
	ID                string
	Name              string
	Style             string // background image name, e.g. "beach_ball"
	Balance           int64
	Currency          string
	Created           time.Time
	Updated           time.Time
	Deleted           bool
	GoalAmount        *int64 // nil renders as null
	Type              string
	ProductID         string
	CurrentAccountID  string
	CoverImageURL     string
	ISAWrapper        string
	RoundUp           bool
	RoundUpMultiplier *int64 // nil renders as null
	IsTaxPot          bool
	// Locked marks a pot protected by "added security": the API must refuse
	// withdrawals from it.
	Locked            bool
	AvailableForBills bool
	HasVirtualCards   bool
	CharityID         string // optional; omitted when ""
}

// potJSON is the pot object of GET /pots and the pot transfer endpoints
// (docs/api-notes.md#pots, including the [O] extras).
type potJSON struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Style             string `json:"style"`
	Balance           int64  `json:"balance"`
	Currency          string `json:"currency"`
	GoalAmount        *int64 `json:"goal_amount"`
	Type              string `json:"type"`
	ProductID         string `json:"product_id"`
	CurrentAccountID  string `json:"current_account_id"`
	CoverImageURL     string `json:"cover_image_url"`
	ISAWrapper        string `json:"isa_wrapper"`
	RoundUp           bool   `json:"round_up"`
	RoundUpMultiplier *int64 `json:"round_up_multiplier"`
	IsTaxPot          bool   `json:"is_tax_pot"`
	Created           string `json:"created"`
	Updated           string `json:"updated"`
	Deleted           bool   `json:"deleted"`
	Locked            bool   `json:"locked"`
	AvailableForBills bool   `json:"available_for_bills"`
	HasVirtualCards   bool   `json:"has_virtual_cards"`
	CharityID         string `json:"charity_id,omitempty"`
}

// render builds the API shape of p. Call with b.mu held.
func (p *pot) render() potJSON {
	return potJSON{
		ID:                p.ID,
		Name:              p.Name,
		Style:             p.Style,
		Balance:           p.Balance,
		Currency:          p.Currency,
		GoalAmount:        clonePtr(p.GoalAmount),
		Type:              p.Type,
		ProductID:         p.ProductID,
		CurrentAccountID:  p.CurrentAccountID,
		CoverImageURL:     p.CoverImageURL,
		ISAWrapper:        p.ISAWrapper,
		RoundUp:           p.RoundUp,
		RoundUpMultiplier: clonePtr(p.RoundUpMultiplier),
		IsTaxPot:          p.IsTaxPot,
		Created:           formatTime(p.Created),
		Updated:           formatTime(p.Updated),
		Deleted:           p.Deleted,
		Locked:            p.Locked,
		AvailableForBills: p.AvailableForBills,
		HasVirtualCards:   p.HasVirtualCards,
		CharityID:         p.CharityID,
	}
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
