package monzo

import (
	"errors"
	"math"
	"testing"
)

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		minor    int64
		currency string
		want     string
	}{
		{1234, "GBP", "12.34"},
		{-1234, "GBP", "-12.34"},
		{5, "GBP", "0.05"},
		{-5, "GBP", "-0.05"},
		{0, "GBP", "0.00"},
		{100, "EUR", "1.00"},
		{500, "JPY", "500"},
		{-500, "JPY", "-500"},
		{1005, "BHD", "1.005"},
		{-1, "BHD", "-0.001"},
		{1234, "KWD", "1.234"},
		{42, "ISK", "42"},
		{math.MaxInt64, "GBP", "92233720368547758.07"},
		{math.MinInt64, "GBP", "-92233720368547758.08"},
		{1234, "gbp", "12.34"}, // malformed code: two decimals
	}
	for _, tt := range tests {
		if got := FormatAmount(tt.minor, tt.currency); got != tt.want {
			t.Errorf("FormatAmount(%d, %q) = %q, want %q", tt.minor, tt.currency, got, tt.want)
		}
	}
}

func TestMoneyString(t *testing.T) {
	if got, want := (Money{Amount: -250, Currency: "GBP"}).String(), "-2.50 GBP"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in       string
		currency string
		want     int64
	}{
		{"12.34", "GBP", 1234},
		{"12", "GBP", 1200},
		{"12.3", "GBP", 1230},
		{"0.01", "GBP", 1},
		{".5", "GBP", 50},
		{"-0.5", "GBP", -50},
		{"+3", "GBP", 300},
		{"500", "JPY", 500},
		{"1.005", "BHD", 1005},
		{"92233720368547758.07", "GBP", math.MaxInt64},
		{"-92233720368547758.08", "GBP", math.MinInt64},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in, tt.currency)
		if err != nil || got != tt.want {
			t.Errorf("ParseAmount(%q, %q) = %d, %v; want %d", tt.in, tt.currency, got, err, tt.want)
		}
	}
}

func TestParseAmountRejects(t *testing.T) {
	tests := []struct{ in, currency string }{
		{"", "GBP"},
		{"12.345", "GBP"},
		{"1e3", "GBP"},
		{"12,34", "GBP"},
		{"1,000", "GBP"},
		{"£12", "GBP"},
		{" 12", "GBP"},
		{"12.", "GBP"},
		{".", "GBP"},
		{"-", "GBP"},
		{"1.2.3", "GBP"},
		{"0x10", "GBP"},
		{"NaN", "GBP"},
		{"Inf", "GBP"},
		{"92233720368547758.08", "GBP"},
		{"99999999999999999999999", "GBP"},
		{"1.5", "JPY"},
		{"1.0001", "BHD"},
		{"12", "pounds"},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in, tt.currency)
		if err == nil {
			t.Errorf("ParseAmount(%q, %q) = %d, want an error", tt.in, tt.currency, got)
			continue
		}
		if tt.currency == "GBP" && !errors.Is(err, ErrInvalidAmount) {
			t.Errorf("ParseAmount(%q) error %v does not wrap ErrInvalidAmount", tt.in, err)
		}
	}
}

func TestParseFormatRoundTrip(t *testing.T) {
	for _, cur := range []string{"GBP", "JPY", "BHD"} {
		for _, v := range []int64{0, 1, -1, 99, 100, 12345, -987654321} {
			got, err := ParseAmount(FormatAmount(v, cur), cur)
			if err != nil || got != v {
				t.Errorf("round trip %d %s: got %d, %v", v, cur, got, err)
			}
		}
	}
}
