package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Amounts (docs/api-notes.md#money).
//
// Every amount of money the emulator reads from a request goes through
// parseAmount: the amount of a pot deposit or withdrawal (a form field),
// the total and every amount and tax of a receipt (JSON numbers), and the
// amounts of payments injected through the control plane (JSON numbers).
// Handlers then apply their own range rule (a pot move and a receipt's
// total must be positive, for instance).
//
// The rule [E]: an amount is an integer of minor units written as
// strconv.FormatInt writes it, which is also how JSON writes an integer:
// an optional minus sign, then digits without leading zeros ("0",
// "150", "-42"). Refused, with 400 bad_request.bad_param.<field> saying
// what is wrong: spaces around it (" 1"), a plus sign ("+1"), leading
// zeros ("01"), a fraction or an exponent ("1.0", "1e2"), another base
// ("0x10"), anything else that is not a number, and numbers beyond int64.
//
// Monzo documents amounts as 64-bit integers of minor units and is
// observed to refuse non-numeric ones; what it makes of "+1" or "01" is
// not known. Refusing every spelling but the plain one means an amount the
// emulator takes is one Monzo takes too, and it catches the client that
// formats a float ("1e+06", "1.0") or pads a number, which, with money,
// is a bug even where it happens to parse.

// What an amount must be, as error messages say it.
const (
	mustBeAmount         = "a whole number of minor units in plain digits, such as 150 for 1.50"
	mustBePositiveAmount = "greater than 0, a whole number of minor units in plain digits, such as 150 for 1.50"
)

// parseAmount reads the amount text of field (a form value or a JSON
// number's literal text).
func parseAmount(field, text string) (int64, *apiError) {
	v, problem := readAmount(text)
	if problem != "" {
		return 0, amountError(field, text, mustBeAmount, problem)
	}
	return v, nil
}

// parsePositiveAmount is parseAmount for amounts that must be above zero
// (a pot move, a receipt's total). Its message keeps the words Monzo is
// observed to answer a bad pot amount with: "must be greater than 0".
func parsePositiveAmount(field, text string) (int64, *apiError) {
	v, problem := readAmount(text)
	if problem == "" && v <= 0 {
		problem = "it is not greater than 0"
	}
	if problem != "" {
		return 0, amountError(field, text, mustBePositiveAmount, problem)
	}
	return v, nil
}

func amountError(field, text, must, problem string) *apiError {
	e := badParam(field, fmt.Sprintf("The field '%s' must be %s; got %q: %s", field, must, text, problem))
	e.Params = map[string]string{field: text}
	return e
}

// readAmount applies the rule, returning the amount or what is wrong.
func readAmount(text string) (int64, string) {
	v, err := strconv.ParseInt(text, 10, 64)
	digits := strings.TrimPrefix(text, "-")
	switch {
	case text == "":
		return 0, "it is empty"
	case strings.TrimSpace(text) != text:
		return 0, "it has spaces around it"
	case text[0] == '+':
		return 0, "it has a plus sign"
	case strings.HasPrefix(digits, "0x"), strings.HasPrefix(digits, "0X"):
		return 0, "it is not written in decimal"
	case strings.ContainsAny(text, ".eE") && isFloat(text):
		return 0, "it is not a whole number: minor units have no fraction or exponent"
	case err != nil && isIntOverflow(err):
		return 0, fmt.Sprintf("it is beyond the largest amount (±%d minor units)", int64(math.MaxInt64))
	case err != nil:
		return 0, "it is not a number"
	case text == "-0":
		return 0, "it is minus zero"
	case len(digits) > 1 && digits[0] == '0':
		return 0, "it has leading zeros"
	}
	return v, ""
}

// isFloat reports whether text is a floating-point number.
func isFloat(text string) bool {
	_, err := strconv.ParseFloat(text, 64)
	return err == nil || isIntOverflow(err)
}

func isIntOverflow(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// parseJSONAmount reads an amount field kept as raw JSON (so that its
// literal text reaches the rule). A missing field or null reports present
// false; a string is refused, as the amount must be a JSON number. parse,
// parseAmount or parsePositiveAmount, reads the number's text.
func parseJSONAmount(field string, raw json.RawMessage, parse func(field, text string) (int64, *apiError)) (v int64, present bool, apiErr *apiError) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false, nil
	}
	if raw[0] == '"' {
		return 0, true, badParam(field, fmt.Sprintf("The field '%s' must be a JSON number (%s), not a string: got %s", field, mustBeAmount, raw))
	}
	v, apiErr = parse(field, string(raw))
	return v, true, apiErr
}
