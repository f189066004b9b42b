package emulator

import (
	"fmt"
	"strings"
	"time"
)

// merchantSeed describes one seeded merchant. Amounts are in the merchant's
// local currency's minor units.
type merchantSeed struct {
	key, name, category, emoji, mcc, twitter string
	address, city, region, postcode, country string // country: ISO alpha-3, "GLO" online
	lat, lng                                 float64
	online, atm                              bool
	currency                                 string // "" = GBP
	website                                  string
	tags                                     string
	min, max                                 int64
}

var merchantSeeds = []merchantSeed{
	{key: "pret", name: "Pret A Manger", category: "eating_out", emoji: "🥪", mcc: "5814", twitter: "Pret", address: "10 Kingsway", city: "London", region: "Greater London", postcode: "WC2B 6LH", country: "GBR", lat: 51.5151, lng: -0.1196, website: "pret.co.uk", tags: "#coffee #lunch", min: 310, max: 1150},
	{key: "costa", name: "Costa Coffee", category: "eating_out", emoji: "☕", mcc: "5814", twitter: "CostaCoffee", address: "32 Moorgate", city: "London", region: "Greater London", postcode: "EC2R 6DA", country: "GBR", lat: 51.5163, lng: -0.0897, website: "costa.co.uk", tags: "#coffee", min: 285, max: 690},
	{key: "tesco", name: "Tesco", category: "groceries", emoji: "🍏", mcc: "5411", twitter: "Tesco", address: "22 Goswell Road", city: "London", region: "Greater London", postcode: "EC1M 7AA", country: "GBR", lat: 51.5226, lng: -0.0994, website: "tesco.com", tags: "#groceries #food", min: 650, max: 6400},
	{key: "sainsburys", name: "Sainsbury's", category: "groceries", emoji: "🛒", mcc: "5411", twitter: "sainsburys", address: "1 Ludgate Hill", city: "London", region: "Greater London", postcode: "EC4M 7AA", country: "GBR", lat: 51.5139, lng: -0.1030, website: "sainsburys.co.uk", tags: "#groceries", min: 1100, max: 8200},
	{key: "tfl", name: "Transport for London", category: "transport", emoji: "🚇", mcc: "4111", twitter: "TfL", address: "55 Broadway", city: "London", region: "Greater London", postcode: "SW1H 0BD", country: "GBR", lat: 51.4995, lng: -0.1337, website: "tfl.gov.uk", tags: "#travel #commute", min: 175, max: 880},
	{key: "shell", name: "Shell", category: "transport", emoji: "⛽", mcc: "5541", twitter: "Shell_UK", address: "200 Holloway Road", city: "London", region: "Greater London", postcode: "N7 8DD", country: "GBR", lat: 51.5530, lng: -0.1130, website: "shell.co.uk", tags: "#fuel", min: 3000, max: 7800},
	{key: "boots", name: "Boots", category: "shopping", emoji: "💊", mcc: "5912", twitter: "BootsUK", address: "44 Strand", city: "London", region: "Greater London", postcode: "WC2N 5LR", country: "GBR", lat: 51.5090, lng: -0.1240, website: "boots.com", tags: "#pharmacy", min: 350, max: 2600},
	{key: "odeon", name: "Odeon Cinemas", category: "entertainment", emoji: "🍿", mcc: "7832", twitter: "ODEONCinemas", address: "Leicester Square", city: "London", region: "Greater London", postcode: "WC2H 7LQ", country: "GBR", lat: 51.5103, lng: -0.1301, website: "odeon.co.uk", tags: "#cinema", min: 1150, max: 2900},
	{key: "postoffice", name: "Post Office", category: "general", emoji: "📮", mcc: "9402", twitter: "PostOffice", address: "24 William IV Street", city: "London", region: "Greater London", postcode: "WC2N 4DL", country: "GBR", lat: 51.5094, lng: -0.1257, website: "postoffice.co.uk", tags: "#post", min: 150, max: 950},
	{key: "atm", name: "Notemachine", category: "cash", emoji: "💵", mcc: "6011", address: "120 Upper Street", city: "London", region: "Greater London", postcode: "N1 1QP", country: "GBR", lat: 51.5390, lng: -0.1030, atm: true, website: "notemachine.com", tags: "#cash", min: 2000, max: 10000},
	{key: "amazon", name: "Amazon", category: "shopping", emoji: "📦", mcc: "5942", twitter: "AmazonUK", country: "GLO", online: true, website: "amazon.co.uk", tags: "#shopping #online", min: 799, max: 6200},
	{key: "netflix", name: "Netflix", category: "entertainment", emoji: "🎬", mcc: "4899", twitter: "NetflixUK", country: "GLO", online: true, website: "netflix.com", tags: "#subscription", min: 1099, max: 1099},
	{key: "spotify", name: "Spotify", category: "entertainment", emoji: "🎵", mcc: "5815", twitter: "SpotifyUK", country: "GLO", online: true, website: "spotify.com", tags: "#music #subscription", min: 1199, max: 1199},
	{key: "uber", name: "Uber", category: "transport", emoji: "🚕", mcc: "4121", twitter: "Uber_UK", country: "GLO", online: true, website: "uber.com", tags: "#taxi", min: 690, max: 2600},
	{key: "deliveroo", name: "Deliveroo", category: "eating_out", emoji: "🍔", mcc: "5812", twitter: "Deliveroo", country: "GLO", online: true, website: "deliveroo.co.uk", tags: "#takeaway", min: 1450, max: 3600},
	{key: "airbnb", name: "Airbnb", category: "holidays", emoji: "🏠", mcc: "7011", twitter: "Airbnb", country: "GLO", online: true, website: "airbnb.co.uk", tags: "#travel #holiday", min: 38000, max: 92000},
	{key: "ba", name: "British Airways", category: "holidays", emoji: "✈️", mcc: "3005", twitter: "British_Airways", country: "GLO", online: true, website: "britishairways.com", tags: "#flights #holiday", min: 16000, max: 48000},
	{key: "flore", name: "Café de Flore", category: "eating_out", emoji: "🥐", mcc: "5814", address: "172 Boulevard Saint-Germain", city: "Paris", region: "Île-de-France", postcode: "75006", country: "FRA", lat: 48.8541, lng: 2.3326, currency: "EUR", website: "cafedeflore.fr", tags: "#coffee #paris", min: 750, max: 4600},
	{key: "monoprix", name: "Monoprix", category: "groceries", emoji: "🥖", mcc: "5411", twitter: "Monoprix", address: "50 Rue de Rennes", city: "Paris", region: "Île-de-France", postcode: "75006", country: "FRA", lat: 48.8510, lng: 2.3310, currency: "EUR", website: "monoprix.fr", tags: "#groceries", min: 480, max: 3600},
	{key: "wholefoods", name: "Whole Foods Market", category: "groceries", emoji: "🥑", mcc: "5411", twitter: "WholeFoods", address: "270 Greenwich Street", city: "New York", region: "NY", postcode: "10007", country: "USA", lat: 40.7150, lng: -74.0110, currency: "USD", website: "wholefoodsmarket.com", tags: "#groceries", min: 1200, max: 6100},
	{key: "joes", name: "Joe's Pizza", category: "eating_out", emoji: "🍕", mcc: "5814", address: "7 Carmine Street", city: "New York", region: "NY", postcode: "10014", country: "USA", lat: 40.7306, lng: -74.0021, currency: "USD", website: "joespizzanyc.com", tags: "#pizza", min: 600, max: 2600},
	{key: "mta", name: "MTA New York City Transit", category: "transport", emoji: "🚇", mcc: "4111", twitter: "MTA", address: "2 Broadway", city: "New York", region: "NY", postcode: "10004", country: "USA", lat: 40.7033, lng: -74.0123, currency: "USD", website: "mta.info", tags: "#subway", min: 290, max: 3400},
	{key: "timhortons", name: "Tim Hortons", category: "eating_out", emoji: "🍩", mcc: "5814", twitter: "TimHortons", address: "130 King Street West", city: "Toronto", region: "ON", postcode: "M5X 1E1", country: "CAN", lat: 43.6487, lng: -79.3817, currency: "CAD", website: "timhortons.ca", tags: "#coffee", min: 250, max: 1800},
	{key: "ttc", name: "Toronto Transit Commission", category: "transport", emoji: "🚋", mcc: "4111", twitter: "TTCnotices", address: "1900 Yonge Street", city: "Toronto", region: "ON", postcode: "M4S 1Z2", country: "CAN", lat: 43.6982, lng: -79.3975, currency: "CAD", website: "ttc.ca", tags: "#transit", min: 335, max: 1300},
}

// countryNames for formatted addresses.
var countryNames = map[string]string{"GBR": "United Kingdom", "FRA": "France", "USA": "United States", "CAN": "Canada"}

// newMerchant builds a merchant from its seed description.
func newMerchant(st *state, ms merchantSeed, created time.Time) *merchant {
	handle := ms.twitter
	if handle == "" {
		handle = strings.ReplaceAll(strings.ToLower(ms.name), " ", "")
	}
	m := &merchant{
		ID:       st.newID("merch", created),
		GroupID:  st.newID("grp", created),
		Name:     ms.name,
		Logo:     fmt.Sprintf("https://mondo-logo-cache.appspot.com/twitter/%s/?size=large", handle),
		Emoji:    ms.emoji,
		Category: ms.category,
		Created:  created,
		Updated:  created.AddDate(1, 2, 3),
		Online:   ms.online,
		ATM:      ms.atm,
		Metadata: map[string]string{
			"website":        "https://www." + ms.website,
			"twitter_id":     ms.twitter,
			"suggested_tags": ms.tags,
			"provider":       "user",
		},
		mcc:      ms.mcc,
		currency: ms.currency,
	}
	if ms.atm {
		m.DisableFeedback = true
	}
	if ms.online {
		m.Address = merchantAddress{ShortFormatted: "Online", Formatted: "Online", Country: "GLO", ZoomLevel: 3, Approximate: true}
	} else {
		short := fmt.Sprintf("%s, %s %s", ms.address, ms.city, ms.postcode)
		m.Address = merchantAddress{
			ShortFormatted: short,
			Formatted:      short + ", " + countryNames[ms.country],
			Address:        ms.address,
			City:           ms.city,
			Region:         ms.region,
			Country:        ms.country,
			Postcode:       ms.postcode,
			Latitude:       ms.lat,
			Longitude:      ms.lng,
			ZoomLevel:      17,
		}
	}
	return m
}

// cardDescription renders the raw statement text of a card payment, e.g.
// "PRET A MANGER          LONDON        GBR".
func cardDescription(m *merchant) string {
	if m.cardDescription != "" {
		return m.cardDescription
	}
	m.cardDescription = formatCardDescription(m)
	return m.cardDescription
}

// formatCardDescription builds a card payment's description: the name
// and city as a card terminal sends them.
func formatCardDescription(m *merchant) string {
	city, country := m.Address.City, m.Address.Country
	if m.Online {
		city, country = strings.TrimPrefix(m.Metadata["website"], "https://www."), "GBR"
	}
	return fmt.Sprintf("%-22.22s %-13.13s %s", strings.ToUpper(m.Name), strings.ToUpper(city), country)
}
