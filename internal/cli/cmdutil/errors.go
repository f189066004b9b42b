package cmdutil

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"syscall"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/authstore"
	"github.com/monzokit/monzo/internal/cli/config"
	"github.com/monzokit/monzo/oauth"
)

// Exit codes. Scripts can tell a typo from a login problem from Monzo
// saying no.
const (
	ExitOK     = 0
	ExitError  = 1   // anything else (network, local files)
	ExitUsage  = 2   // bad flags, arguments or input; nothing was sent
	ExitAPI    = 3   // Monzo answered with an error
	ExitAuth   = 4   // not logged in, token refused, approval pending
	ExitCancel = 130 // interrupted (Ctrl-C), as shells report SIGINT
)

// UsageError is bad input: an unknown flag, a malformed amount or date, an
// unknown pot. It exits with ExitUsage.
type UsageError struct {
	Err  error
	Hint string
}

// Error is the wrapped error's text.
func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a UsageError with a formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// WithHint wraps err with a hint telling the user what to do next.
func WithHint(err error, hint string) error {
	if err == nil {
		return nil
	}
	var ue *UsageError
	if errors.As(err, &ue) && ue.Hint == "" {
		ue.Hint = hint
		return err
	}
	return &hintError{err: err, hint: hint}
}

type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() }
func (e *hintError) Unwrap() error { return e.err }

// Classify returns the exit code for err and a hint saying what to do,
// or "" when there is nothing useful to add.
func Classify(err error) (code int, hint string) {
	if err == nil {
		return ExitOK, ""
	}
	var he *hintError
	if errors.As(err, &he) {
		hint = he.hint
	}
	var ue *UsageError
	switch {
	case errors.Is(err, context.Canceled):
		return ExitCancel, hint
	case errors.As(err, &ue):
		return ExitUsage, cmp.Or(hint, ue.Hint)
	case errors.Is(err, monzo.ErrInvalidArgument):
		// The library refused the input before sending anything.
		return ExitUsage, hint
	case errors.Is(err, authstore.ErrNotLoggedIn), errors.Is(err, oauth.ErrNoToken):
		return ExitAuth, cmp.Or(hint, loginHint(err))
	case isClientRefused(err):
		return ExitAuth, cmp.Or(hint, "Monzo refused the client id or secret: check MONZO_CLIENT_ID and MONZO_CLIENT_SECRET (or --client-id, --client-secret) against your client at https://developers.monzo.com")
	case monzo.IsApprovalPending(err):
		return ExitAuth, cmp.Or(hint, "open the Monzo app and approve access for this client, then run the command again")
	case errors.Is(err, monzo.ErrVerificationRequired):
		return ExitAuth, cmp.Or(hint, "Monzo serves history older than 90 days only in the 5 minutes after you approve a login: run `monzo login` again and fetch it within 5 minutes, or stay within the last 90 days (e.g. `--since 89d`)")
	case errors.Is(err, oauth.ErrCannotRefresh), errors.Is(err, monzo.ErrBadRefreshToken), errors.Is(err, oauth.ErrTokenNotSaved):
		return ExitAuth, cmp.Or(hint, "run `monzo login` again")
	case errors.Is(err, monzo.ErrUnauthorized):
		return ExitAuth, cmp.Or(hint, "the token was refused: run `monzo login` again")
	}
	var apiErr *monzo.Error
	if errors.As(err, &apiErr) {
		return ExitAPI, hint
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return ExitError, cmp.Or(hint, "nothing answers at the API address: if this profile uses an emulator, start it (`monzo emulator`); `monzo auth status` shows the profile's address")
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return ExitError, cmp.Or(hint, "the API could not be reached: check your network connection and try again")
	}
	return ExitError, hint
}

// loginHint names the profile to log in with, so that the command to type
// is right there.
func loginHint(err error) string {
	var nl *authstore.NotLoggedInError
	if errors.As(err, &nl) && nl.Profile != "" && nl.Profile != config.DefaultProfile {
		return fmt.Sprintf("run `monzo login --profile %s` first", nl.Profile)
	}
	return "run `monzo login` first (add --profile NAME for another profile)"
}

// isClientRefused reports whether the token endpoint refused the OAuth
// client itself (a wrong secret or client id), not a token: any 401 from
// it other than a refused refresh token.
func isClientRefused(err error) bool {
	var apiErr *monzo.Error
	return errors.As(err, &apiErr) && apiErr.Path == "/oauth2/token" &&
		apiErr.StatusCode == http.StatusUnauthorized && !errors.Is(err, monzo.ErrBadRefreshToken)
}

// NotFoundHint adds hint to err when Monzo answered 404: the id the user
// typed names nothing, and hint says where to find the right one.
func NotFoundHint(err error, hint string) error {
	if errors.Is(err, monzo.ErrNotFound) {
		return WithHint(err, hint)
	}
	return err
}
