package emulator

import (
	"maps"
	"time"
)

// merchant is a shared merchant record, referenced by transactions.
type merchant struct {
	ID      string
	GroupID string
	// cardDescription caches the description card payments at this
	// merchant carry (seed_merchants.go).
	cardDescription string
	Name            string
	Logo            string
	Emoji           string
	Category        string
	Created         time.Time
	Updated         time.Time
	Online          bool
	ATM             bool
	DisableFeedback bool
	Address         merchantAddress
	Metadata        map[string]string

	// Seeding hints, not rendered.
	mcc      string
	currency string // local currency of card spends here ("" = GBP)
}

// merchantAddress is the merchant's address object. Online merchants use
// country "GLO".
type merchantAddress struct {
	ShortFormatted string  `json:"short_formatted"`
	Formatted      string  `json:"formatted"`
	Address        string  `json:"address"`
	City           string  `json:"city"`
	Region         string  `json:"region"`
	Country        string  `json:"country"`
	Postcode       string  `json:"postcode"`
	Latitude       float64 `json:"latitude"`
	Longitude      float64 `json:"longitude"`
	ZoomLevel      int     `json:"zoom_level"`
	Approximate    bool    `json:"approximate"`
}

// merchantJSON is the expanded merchant object (docs/api-notes.md#transactions).
type merchantJSON struct {
	ID              string            `json:"id"`
	GroupID         string            `json:"group_id"`
	Name            string            `json:"name"`
	Logo            string            `json:"logo"`
	Emoji           string            `json:"emoji"`
	Category        string            `json:"category"`
	Online          bool              `json:"online"`
	ATM             bool              `json:"atm"`
	Address         merchantAddress   `json:"address"`
	Created         string            `json:"created"`
	Updated         string            `json:"updated"`
	DisableFeedback bool              `json:"disable_feedback"`
	Metadata        map[string]string `json:"metadata"`
}

func (m *merchant) render() merchantJSON {
	md := maps.Clone(m.Metadata)
	if md == nil {
		md = map[string]string{}
	}
	return merchantJSON{
		ID:              m.ID,
		GroupID:         m.GroupID,
		Name:            m.Name,
		Logo:            m.Logo,
		Emoji:           m.Emoji,
		Category:        m.Category,
		Online:          m.Online,
		ATM:             m.ATM,
		Address:         m.Address,
		Created:         formatTime(m.Created),
		Updated:         formatTime(m.Updated),
		DisableFeedback: m.DisableFeedback,
		Metadata:        md,
	}
}
