package monzo

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// Money is an amount in a currency's minor units (pence for GBP, yen for
// JPY, fils for BHD). A negative amount is a debit.
type Money struct {
	// Amount is in minor units.
	Amount int64
	// Currency is an ISO 4217 alphabetic code such as "GBP".
	Currency string
}

// String formats the amount with its currency, e.g. "-12.34 GBP".
func (m Money) String() string {
	return FormatAmount(m.Amount, m.Currency) + " " + m.Currency
}

// CurrencyExponent returns the number of minor-unit digits of an ISO 4217
// currency: 2 for GBP, 0 for JPY, 3 for BHD. Unknown but well-formed codes
// use the ISO default of 2.
func CurrencyExponent(code string) (int, error) {
	if !isCurrencyCode(code) {
		return 0, invalidf("%q is not an ISO 4217 currency code (want three letters such as GBP)", code)
	}
	unit, err := currency.ParseISO(code)
	if err != nil {
		return 2, nil
	}
	scale, _ := currency.Standard.Rounding(unit)
	return scale, nil
}

func isCurrencyCode(code string) bool {
	if len(code) != 3 {
		return false
	}
	for _, r := range code {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// FormatAmount formats minor units as a decimal string with the currency's
// exponent: FormatAmount(-1234, "GBP") is "-12.34", FormatAmount(500, "JPY")
// is "500", FormatAmount(1005, "BHD") is "1.005". A malformed currency code is
// formatted with two decimals.
func FormatAmount(minor int64, code string) string {
	exp, err := CurrencyExponent(code)
	if err != nil {
		exp = 2
	}
	neg := minor < 0
	// Work on the magnitude as uint64 so math.MinInt64 formats correctly.
	mag := uint64(minor)
	if neg {
		mag = -mag
	}
	digits := strconv.FormatUint(mag, 10)
	if exp > 0 {
		if len(digits) <= exp {
			digits = strings.Repeat("0", exp-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-exp] + "." + digits[len(digits)-exp:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// ErrInvalidAmount is wrapped by every error [ParseAmount] returns for a
// malformed amount; those errors also match [ErrInvalidArgument].
var ErrInvalidAmount = errors.New("invalid amount")

// ParseAmount parses a decimal amount typed by a person into minor units of
// the currency: "12.34" GBP is 1234, "12" is 1200, "-0.5" is -50, "500" JPY
// is 500. It refuses anything ambiguous rather than guess: more decimals than
// the currency has ("12.345" GBP), exponents ("1e3"), thousands or decimal
// commas ("1,000", "12,34"), currency symbols, spaces, an empty string and
// values that overflow int64.
func ParseAmount(s, code string) (int64, error) {
	exp, err := CurrencyExponent(code)
	if err != nil {
		return 0, err
	}
	bad := func(why string) error {
		return &argumentError{msg: fmt.Sprintf("monzo: %s %q for %s: %s", ErrInvalidAmount, s, code, why), also: ErrInvalidAmount}
	}
	if s == "" {
		return 0, bad("it is empty; write a number such as 12.34")
	}
	body := s
	neg := false
	switch body[0] {
	case '-':
		neg, body = true, body[1:]
	case '+':
		body = body[1:]
	}
	whole, frac, hasPoint := strings.Cut(body, ".")
	if whole == "" && frac == "" {
		return 0, bad("there are no digits")
	}
	if whole == "" {
		whole = "0"
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, bad("use digits and at most one '.', with no commas, spaces, symbols or exponents")
			}
		}
	}
	if hasPoint && frac == "" {
		return 0, bad("digits must follow the decimal point")
	}
	if len(frac) > exp {
		if exp == 0 {
			return 0, bad(code + " has no minor unit, so the amount must be a whole number")
		}
		return 0, bad(fmt.Sprintf("%s has %d decimal places", code, exp))
	}
	frac += strings.Repeat("0", exp-len(frac))
	mag, err := strconv.ParseUint(whole+frac, 10, 64)
	if err != nil || (!neg && mag > math.MaxInt64) || (neg && mag > 1<<63) {
		return 0, bad("it is too large")
	}
	if neg {
		return -int64(mag), nil
	}
	return int64(mag), nil
}
