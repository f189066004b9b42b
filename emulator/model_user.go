package emulator

import "time"

// user is a Monzo customer who can sign in on the consent page.
type user struct {
	ID        string
	Name      string // preferred_name, e.g. "Alex Morgan"
	FirstName string // preferred_first_name, e.g. "Alex"
	Email     string
	Created   time.Time
}

// ownerJSON is one entry of an account's owners list.
type ownerJSON struct {
	UserID             string `json:"user_id"`
	PreferredName      string `json:"preferred_name"`
	PreferredFirstName string `json:"preferred_first_name"`
}

// UserSummary describes a seeded user and their accounts, for tests, demos
// and the control plane (GET /_emulator/state/users).
type UserSummary struct {
	ID        string           `json:"id"`
	Name      string           `json:"name"`
	FirstName string           `json:"first_name"`
	Email     string           `json:"email"`
	Accounts  []AccountSummary `json:"accounts"`
}

// AccountSummary describes one account of a [UserSummary].
type AccountSummary struct {
	ID          string   `json:"id"`
	Type        string   `json:"type"`
	Description string   `json:"description"`
	Closed      bool     `json:"closed"`
	OwnerIDs    []string `json:"owner_ids"`
	Balance     int64    `json:"balance"`
	PotIDs      []string `json:"pot_ids"`
}
