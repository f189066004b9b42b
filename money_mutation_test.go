package monzo_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
)

// TestCurrencyCodesAtTheAlphabetsEdges: codes with A and Z (AUD, ZAR, NZD)
// are currencies; the characters just outside A-Z ('@' and '[') are not.
func TestCurrencyCodesAtTheAlphabetsEdges(t *testing.T) {
	for _, code := range []string{"AUD", "ZAR", "NZD", "CZK", "AZN"} {
		if exp, err := monzo.CurrencyExponent(code); err != nil || exp != 2 {
			t.Errorf("CurrencyExponent(%q) = %d, %v; want 2", code, exp, err)
		}
		if got, err := monzo.ParseAmount("1.25", code); err != nil || got != 125 {
			t.Errorf("ParseAmount(1.25, %q) = %d, %v; want 125", code, got, err)
		}
	}
	for _, code := range []string{"@UD", "ZA[", "gbp", "GB", "GBPX"} {
		if _, err := monzo.CurrencyExponent(code); !errors.Is(err, monzo.ErrInvalidArgument) {
			t.Errorf("CurrencyExponent(%q) = %v, want an invalid-argument error", code, err)
		}
	}
}

// TestFormatAmountWithAsManyDigitsAsDecimals: an amount with exactly as
// many digits as the currency has decimals still gets its leading zero.
func TestFormatAmountWithAsManyDigitsAsDecimals(t *testing.T) {
	for _, tc := range []struct {
		minor int64
		code  string
		want  string
	}{
		{12, "GBP", "0.12"},
		{-99, "GBP", "-0.99"},
		{100, "BHD", "0.100"},
		{-250, "KWD", "-0.250"},
	} {
		if got := monzo.FormatAmount(tc.minor, tc.code); got != tc.want {
			t.Errorf("FormatAmount(%d, %s) = %q, want %q", tc.minor, tc.code, got, tc.want)
		}
		if back, err := monzo.ParseAmount(tc.want, tc.code); err != nil || back != tc.minor {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d", tc.want, tc.code, back, err, tc.minor)
		}
	}
}

// TestParseAmountSaysHowManyDecimalsTheCurrencyHas: too many decimals get
// an error that says what the currency allows.
func TestParseAmountSaysHowManyDecimalsTheCurrencyHas(t *testing.T) {
	for _, tc := range []struct{ in, code, want string }{
		{"1.5", "JPY", "JPY has no minor unit, so the amount must be a whole number"},
		{"1.234", "GBP", "GBP has 2 decimal places"},
		{"1.2345", "BHD", "BHD has 3 decimal places"},
	} {
		_, err := monzo.ParseAmount(tc.in, tc.code)
		if !errors.Is(err, monzo.ErrInvalidAmount) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseAmount(%q, %s) = %v, want an invalid amount saying %q", tc.in, tc.code, err, tc.want)
		}
	}
}
