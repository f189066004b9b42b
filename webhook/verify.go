package webhook

import (
	"context"
	"errors"
	"fmt"

	"github.com/monzokit/monzo"
)

// ErrUnverified is returned (wrapped) by a [VerifyFunc] when the event's
// transaction does not exist for the verifying credentials. The [Handler]
// then answers 200 and drops the event: retrying could not change the
// answer, and a forged event must never reach the user's function.
var ErrUnverified = errors.New("webhook: the event's transaction could not be verified")

// VerifyFunc fetches the transaction an event is about from a trusted source
// and returns it; the [Handler] passes that copy, not the posted one, to the
// user's function. Return an error wrapping [ErrUnverified] when the
// transaction does not exist; any other error makes the handler answer 500
// so that Monzo delivers again.
type VerifyFunc func(ctx context.Context, ev *Event) (*monzo.Transaction, error)

// VerifyWithClient returns a [VerifyFunc] that reads the transaction back
// through the Monzo API with client (merchant expanded, like the event). The
// client's token must belong to the account's owner. A transaction the API
// does not know (404), or one on another account than the event claims, is
// [ErrUnverified]. Note that the copy read back carries only this client's
// metadata, and that a token still awaiting approval in the Monzo app makes
// every verification fail with 500 until the user approves.
func VerifyWithClient(client *monzo.Client) VerifyFunc {
	return func(ctx context.Context, ev *Event) (*monzo.Transaction, error) {
		tx, err := client.Transactions.Get(ctx, ev.Data.ID, &monzo.TransactionGetOptions{ExpandMerchant: true})
		if errors.Is(err, monzo.ErrNotFound) {
			return nil, fmt.Errorf("%w: %s: %w", ErrUnverified, ev.Data.ID, err)
		}
		if err != nil {
			return nil, err
		}
		if tx.ID != ev.Data.ID {
			return nil, fmt.Errorf("%w: asked for %s, the API answered %s", ErrUnverified, ev.Data.ID, tx.ID)
		}
		if ev.Data.AccountID != "" && tx.AccountID != "" && tx.AccountID != ev.Data.AccountID {
			return nil, fmt.Errorf("%w: %s is on account %s, not %s as the event claims", ErrUnverified, tx.ID, tx.AccountID, ev.Data.AccountID)
		}
		return tx, nil
	}
}

// argumentError is a problem with a call's arguments or options, found
// before anything was done. It matches monzo.ErrInvalidArgument with
// [errors.Is].
type argumentError struct{ msg string }

func (e *argumentError) Error() string { return e.msg }
func (e *argumentError) Unwrap() error { return monzo.ErrInvalidArgument }

// invalid returns an invalid-argument error; format starts with "webhook: ".
func invalid(format string, args ...any) error {
	return &argumentError{fmt.Sprintf(format, args...)}
}
