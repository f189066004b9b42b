package monzo_test

import (
	"errors"
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
