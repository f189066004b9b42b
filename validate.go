package monzo

import (
	"fmt"
	"strings"
)

// argumentError is a problem with a call's arguments, found before anything
// was sent. It matches [ErrInvalidArgument] (and any more precise sentinel it
// carries, such as [ErrInvalidAmount]) with [errors.Is].
type argumentError struct {
	msg  string
	also error
}

func (e *argumentError) Error() string { return e.msg }

func (e *argumentError) Unwrap() []error {
	if e.also != nil {
		return []error{ErrInvalidArgument, e.also}
	}
	return []error{ErrInvalidArgument}
}

// invalidf returns an error matching [ErrInvalidArgument]. The text gets the
// package prefix, so format starts with what was wrong.
func invalidf(format string, args ...any) error {
	return &argumentError{msg: "monzo: " + fmt.Sprintf(format, args...)}
}

// requireArg reports a missing identifier argument of call, e.g.
// requireArg("Balance.Get", "account id", accountID).
func requireArg(call, name, value string) error {
	if strings.TrimSpace(value) == "" {
		return invalidf("%s: the %s is required", call, name)
	}
	return nil
}

// problems collects every validation failure of one argument, so the caller
// learns about all of them at once.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p *problems) required(field, value string) {
	if strings.TrimSpace(value) == "" {
		p.add("%s is required", field)
	}
}

// requiredAs is required with a hint saying what the value is.
func (p *problems) requiredAs(field, value, hint string) {
	if strings.TrimSpace(value) == "" {
		p.add("%s is required (%s)", field, hint)
	}
}

func (p *problems) currency(field, value string) {
	switch {
	case value == "":
		p.add("%s is required", field)
	case !isCurrencyCode(value):
		p.add("%s %q is not an ISO 4217 code such as GBP", field, value)
	}
}

// err returns nil when nothing was wrong, else one [ErrInvalidArgument]
// error listing every problem of what.
func (p problems) err(what string) error {
	if len(p) == 0 {
		return nil
	}
	return invalidf("invalid %s: %s", what, strings.Join(p, "; "))
}
