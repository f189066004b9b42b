package monzo

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// RetryPolicy bounds how a [Client] retries requests that are safe to
// repeat (docs/api-notes.md#retries): reads, deletes, annotations, pot moves
// carrying their dedupe id and receipt upserts, after a 429, a 5xx or a
// transient network error. Certificate and TLS handshake failures, unknown
// hosts and requests the http package refuses to send are never retried.
// Requests that are not safe to repeat (posting a feed item, registering an
// attachment or a webhook) are never retried.
//
// Delays grow exponentially from BaseDelay, capped at MaxDelay, with jitter
// (each delay is drawn from [d/2, d]). A Retry-After header is honoured;
// when it asks for longer than the remaining budget the error is returned at
// once instead.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, including the first.
	MaxAttempts int
	// BaseDelay is the delay before the first retry.
	BaseDelay time.Duration
	// MaxDelay caps any one delay.
	MaxDelay time.Duration
	// MaxWait caps the total time spent waiting between attempts.
	MaxWait time.Duration
}

// DefaultRetryPolicy makes up to 4 attempts, waiting from 250ms up to 5s
// between them and at most 20s in all.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, BaseDelay: 250 * time.Millisecond, MaxDelay: 5 * time.Second, MaxWait: 20 * time.Second}
}

// NoRetries is a policy that makes one attempt only.
func NoRetries() RetryPolicy { return RetryPolicy{MaxAttempts: 1} }

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxAttempts < 1:
		return invalidf("RetryPolicy.MaxAttempts must be at least 1, got %d", p.MaxAttempts)
	case p.BaseDelay < 0 || p.MaxDelay < 0 || p.MaxWait < 0:
		return invalidf("RetryPolicy delays must not be negative")
	case p.MaxAttempts > 1 && (p.BaseDelay == 0 || p.MaxDelay < p.BaseDelay):
		return invalidf("RetryPolicy needs BaseDelay > 0 and MaxDelay >= BaseDelay to retry")
	}
	return nil
}

// permanentError marks an error that must not be retried.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

func permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// retryable reports whether err is worth another attempt, and how long the
// server asked to wait first.
func retryable(err error) (bool, time.Duration) {
	var p permanentError
	if errors.As(err, &p) {
		return false, 0
	}
	var apiErr *Error
	if errors.As(err, &apiErr) {
		switch apiErr.StatusCode {
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			return true, apiErr.RetryAfter
		case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
			return true, 0
		}
		return false, 0
	}
	if permanentTransportError(err) {
		return false, 0
	}
	// Anything else is a transport failure that may pass: connection
	// refused or reset, a timeout, a truncated body.
	return true, 0
}

// permanentTransportError reports transport failures a second attempt
// cannot fix (docs/api-notes.md#retries): the server's certificate is not
// trusted or names another host, the TLS handshake failed, the server speaks
// plain HTTP on an https URL, the host does not exist, or the request could
// not be sent at all (an unsupported scheme or a malformed URL or header).
// Retrying those only delays the error the user must act on.
func permanentTransportError(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalidCert      x509.CertificateInvalidError
		verification     *tls.CertificateVerificationError
		recordHeader     tls.RecordHeaderError
		alert            tls.AlertError
		dns              *net.DNSError
		addr             *net.AddrError
	)
	switch {
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalidCert),
		errors.As(err, &verification), errors.As(err, &recordHeader), errors.As(err, &alert):
		return true
	case errors.Is(err, http.ErrSchemeMismatch):
		return true
	case errors.As(err, &dns) && dns.IsNotFound:
		return true
	case errors.As(err, &addr):
		return true
	}
	// The http package reports requests it refuses to send with unexported
	// error types, so only their text identifies them.
	var uerr *url.Error
	if errors.As(err, &uerr) && uerr.Err != nil {
		msg := uerr.Err.Error()
		for _, refusal := range []string{"unsupported protocol scheme", "no Host in request URL", "invalid header field", "invalid URL"} {
			if strings.Contains(msg, refusal) {
				return true
			}
		}
	}
	return false
}

// run calls attempt until it succeeds, fails permanently or the policy is
// spent. Only idempotent calls are retried.
func (p RetryPolicy) run(ctx context.Context, sleep func(context.Context, time.Duration) error, idempotent bool, attempt func(n int) error) error {
	var waited time.Duration
	for n := 1; ; n++ {
		err := attempt(n)
		if err == nil {
			return nil
		}
		again, retryAfter := retryable(err)
		if !again || !idempotent || n >= p.MaxAttempts {
			return unwrapPermanent(err)
		}
		delay := p.backoff(n)
		if retryAfter > 0 {
			delay = retryAfter
		}
		if waited+delay > p.MaxWait {
			return unwrapPermanent(err)
		}
		if serr := sleep(ctx, delay); serr != nil {
			return fmt.Errorf("%w (gave up retrying: %w)", unwrapPermanent(err), serr)
		}
		waited += delay
	}
}

// backoff returns the delay before retry n (1-based): exponential growth
// with "equal jitter": a delay drawn from [d/2, d].
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	half := d / 2
	return half + rand.N(d-half+1)
}

func unwrapPermanent(err error) error {
	var p permanentError
	if errors.As(err, &p) && err == error(p) {
		return p.err
	}
	return err
}

// sleepContext waits for d or until ctx is done. It waits on the wall
// clock even when WithClock is set: a wait is a duration (a Retry-After
// date has already been turned into one against the client's clock, see
// CheckResponseAt), and a func() time.Time cannot be slept on. Tests of
// waits use testing/synctest.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
