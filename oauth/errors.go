package oauth

import (
	"errors"

	"github.com/monzokit/monzo"
)

// Sentinel errors, for [errors.Is].
var (
	// ErrStateMismatch means the state returned on the redirect is not the one
	// that was sent. The login must be aborted: the redirect may be forged.
	ErrStateMismatch = errors.New("oauth: the state returned by Monzo does not match the one sent: abort this login and start again")
	// ErrMissingCode means the redirect carried no authorization code.
	ErrMissingCode = errors.New("oauth: the redirect carried no authorization code: start the login again")
	// ErrAccessDenied means the user (or Monzo) refused the authorization
	// request; see [AuthorizationError] for Monzo's description.
	ErrAccessDenied = errors.New("oauth: access was denied")
	// ErrNoToken is returned by [Store.Load] when nothing is stored: the user
	// has not logged in, or has logged out.
	ErrNoToken = errors.New("oauth: no stored token: log in first")
	// ErrCannotRefresh means a token is expired (or was refused as expired)
	// and has no refresh token: it came from a non-confidential client or
	// the API playground. The user must log in again.
	ErrCannotRefresh = errors.New("oauth: the access token has expired and cannot be refreshed (no refresh token: non-confidential client or playground token): log in again")
	// ErrTokenNotSaved means a refresh succeeded but the rotated token could
	// not be written to the store. Monzo refresh tokens are single-use, so
	// the previous refresh token is dead and the new one may be lost.
	ErrTokenNotSaved = errors.New("oauth: refreshed the token but could not save it; the new refresh token may be lost: fix the token store and log in again")
)

// argumentError is a problem with a call's arguments or configuration,
// found before anything was sent. It matches monzo.ErrInvalidArgument with
// [errors.Is], and whatever err matches.
type argumentError struct{ err error }

func (e *argumentError) Error() string   { return e.err.Error() }
func (e *argumentError) Unwrap() []error { return []error{monzo.ErrInvalidArgument, e.err} }

// invalid marks err, whose text starts with "oauth: ", as an invalid
// argument.
func invalid(err error) error { return &argumentError{err} }
