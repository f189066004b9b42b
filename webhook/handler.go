package webhook

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// Defaults for [Options].
const (
	// DefaultMaxBodyBytes is the default Options.MaxBodyBytes (1 MiB).
	DefaultMaxBodyBytes = 1 << 20
	// DefaultTimeout is the default Options.Timeout. It is deliberately well
	// below how long a sender waits for one delivery attempt (Monzo does not
	// publish its timeout; the emulator waits 10s): a handler must answer
	// before the sender gives up on the attempt, or the sender counts it as
	// failed and retries while the first run may still be going. Monzo
	// retries any non-2xx answer, so answering 500 in time is always safe.
	DefaultTimeout = 5 * time.Second
	// DefaultDedupeSize is the default Options.DedupeSize.
	DefaultDedupeSize = 10_000
	// DefaultDedupeWindow is the default Options.DedupeWindow.
	DefaultDedupeWindow = 24 * time.Hour
)

// HandleFunc handles one event. Returning an error makes the [Handler]
// answer 500, so Monzo delivers the event again (up to 5 attempts in all).
type HandleFunc func(ctx context.Context, ev *Event) error

// Options configure a [Handler]. Only Secret is required.
type Options struct {
	// Secret is the value the webhook URL's query string must carry (see
	// [GenerateSecret] and [URLWithSecret]). Required.
	Secret string
	// SecretParam names the query parameter holding the secret; default
	// [DefaultSecretParam] ("token").
	SecretParam string
	// MaxBodyBytes caps the body; larger deliveries get 413. Default 1 MiB.
	MaxBodyBytes int64
	// Timeout is the deadline of the context given to Verify and to the
	// user's function; default [DefaultTimeout] (5s), so the answer reaches
	// the sender well within its own per-attempt timeout. The function
	// should return (with the context's error, so the handler answers 500 and
	// Monzo retries) when its context is done: the handler waits for it, it
	// does not abandon it. Keep any larger value below the sender's timeout.
	Timeout time.Duration
	// Verify, when set, re-fetches each event's transaction from a trusted
	// source and the user's function receives that copy instead of the
	// posted one. See [VerifyWithClient] and [VerifyFunc].
	Verify VerifyFunc
	// DedupeSize bounds how many handled transactions are remembered to
	// ignore redeliveries; default 10,000. Events still being handled are
	// tracked on top of it and never forgotten, so a redelivery never runs
	// the function twice at once. A negative value turns deduplication off.
	DedupeSize int
	// DedupeWindow is how long a handled transaction is remembered;
	// default 24h.
	DedupeWindow time.Duration
	// Clock returns the current time, which dates handled events for
	// DedupeWindow; nil means [time.Now]. Tests pass a fake clock to cross
	// the window without waiting. (Timeout is a deadline on running work,
	// so it runs on the wall clock whatever Clock says.)
	Clock func() time.Time
	// Logger receives one line per rejected or failed delivery (never the
	// secret or the body); default: discard.
	Logger *slog.Logger
}

// Handler is an [http.Handler] that receives Monzo webhook deliveries.
//
// For each request it, in order:
//   - answers 405 to anything but POST;
//   - answers 401, without reading the body, when the secret query parameter
//     is missing or wrong (compared in constant time);
//   - answers 413 when the body is larger than MaxBodyBytes;
//   - answers 400 when the body is not a well-formed event;
//   - answers 200 at once to a redelivery of a transaction it has already
//     handled (a concurrent redelivery waits for the first one's outcome);
//   - with Verify, fetches the transaction; when the fetch says it does not
//     exist ([ErrUnverified]) it answers 200 and drops the event, since
//     retrying cannot help; any other Verify error answers 500;
//   - calls the user's function synchronously, with a context that ends
//     after Timeout, and answers 200 when it returns nil, 500 when it
//     returns an error or panics, so that Monzo delivers again.
//
// Handling synchronously keeps failures visible to Monzo's retries; a
// function with slow work should hand it to a queue of its own and return.
type Handler struct {
	secret  string
	param   string
	maxBody int64
	timeout time.Duration
	verify  VerifyFunc
	seen    *seenSet // nil when deduplication is off
	logger  *slog.Logger
	fn      HandleFunc
}

// NewHandler returns a handler that passes each verified, new event to fn.
// It fails when Secret is empty or fn is nil.
func NewHandler(opts Options, fn HandleFunc) (*Handler, error) {
	if opts.Secret == "" {
		return nil, invalid("webhook: Options.Secret is empty; Monzo does not sign webhooks, so the URL's secret is the only proof a delivery is genuine (make one with GenerateSecret)")
	}
	if fn == nil {
		return nil, invalid("webhook: NewHandler needs a non-nil HandleFunc")
	}
	if opts.MaxBodyBytes < 0 || opts.Timeout < 0 || opts.DedupeWindow < 0 {
		return nil, invalid("webhook: Options.MaxBodyBytes, Timeout and DedupeWindow must not be negative")
	}
	h := &Handler{
		secret:  opts.Secret,
		param:   cmp.Or(opts.SecretParam, DefaultSecretParam),
		maxBody: cmp.Or(opts.MaxBodyBytes, DefaultMaxBodyBytes),
		timeout: cmp.Or(opts.Timeout, DefaultTimeout),
		verify:  opts.Verify,
		logger:  opts.Logger,
		fn:      fn,
	}
	if h.logger == nil {
		h.logger = slog.New(slog.DiscardHandler)
	}
	if opts.DedupeSize >= 0 {
		now := opts.Clock
		if now == nil {
			now = time.Now
		}
		h.seen = newSeenSet(cmp.Or(opts.DedupeSize, DefaultDedupeSize), cmp.Or(opts.DedupeWindow, DefaultDedupeWindow), now)
	}
	return h, nil
}

// URL returns base with this handler's secret added under its parameter
// name: the URL to register with monzo.WebhooksService.Create.
func (h *Handler) URL(base string) (string, error) {
	return urlWithSecret(base, h.param, h.secret)
}

// ServeHTTP handles one delivery as described on [Handler].
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		reply(w, http.StatusMethodNotAllowed, "webhook deliveries are POSTed")
		return
	}
	if !secretsEqual(r.URL.Query().Get(h.param), h.secret) {
		h.logger.LogAttrs(ctx, slog.LevelWarn, "webhook: rejected a delivery with a missing or wrong secret", slog.String("remote", r.RemoteAddr))
		reply(w, http.StatusUnauthorized, "missing or wrong secret")
		return
	}
	if r.ContentLength > h.maxBody {
		h.tooLarge(w, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.tooLarge(w, r)
			return
		}
		reply(w, http.StatusBadRequest, "could not read the body")
		return
	}
	ev, err := Parse(body)
	if err != nil {
		h.logger.LogAttrs(ctx, slog.LevelWarn, "webhook: rejected a malformed delivery", slog.String("error", err.Error()))
		reply(w, http.StatusBadRequest, err.Error())
		return
	}
	status, msg := h.handle(ctx, ev)
	reply(w, status, msg)
}

func (h *Handler) tooLarge(w http.ResponseWriter, r *http.Request) {
	h.logger.LogAttrs(r.Context(), slog.LevelWarn, "webhook: rejected an oversized delivery", slog.Int64("limit", h.maxBody), slog.Int64("content_length", r.ContentLength))
	reply(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", h.maxBody))
}

// handle deduplicates, verifies and dispatches a parsed event.
func (h *Handler) handle(ctx context.Context, ev *Event) (int, string) {
	id := ev.Data.ID
	if h.seen != nil && id != "" {
		entry, fresh := h.seen.begin(string(ev.Type) + "/" + id)
		if !fresh {
			select {
			case <-entry.done:
			case <-ctx.Done():
				return http.StatusServiceUnavailable, "gave up waiting for an earlier delivery of this event"
			}
			if entry.ok {
				return http.StatusOK, "already handled"
			}
			return http.StatusInternalServerError, "an earlier delivery of this event failed; deliver it again"
		}
		ok := false
		defer func() { h.seen.finish(entry, ok) }()
		status, msg := h.dispatch(ctx, ev)
		ok = status < 300
		return status, msg
	}
	return h.dispatch(ctx, ev)
}

// dispatch verifies the event, when configured to, and calls the user's
// function under the timeout.
func (h *Handler) dispatch(ctx context.Context, ev *Event) (status int, msg string) {
	// A real deadline, on the wall clock: it bounds work that is actually
	// running, and the sender's own timeout is on the wall clock too.
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	attrs := []slog.Attr{slog.String("type", string(ev.Type)), slog.String("transaction_id", ev.Data.ID)}
	if h.verify != nil {
		if ev.Type != TransactionCreated {
			h.logger.LogAttrs(ctx, slog.LevelWarn, "webhook: dropped an event of a type that cannot be verified", attrs...)
			return http.StatusOK, "ignored: events of this type cannot be verified"
		}
		tx, err := h.verify(ctx, ev)
		switch {
		case errors.Is(err, ErrUnverified):
			h.logger.LogAttrs(ctx, slog.LevelWarn, "webhook: dropped an event whose transaction could not be verified", append(attrs, slog.String("error", err.Error()))...)
			return http.StatusOK, "ignored: the transaction could not be verified"
		case err != nil:
			h.logger.LogAttrs(ctx, slog.LevelError, "webhook: verifying the transaction failed; Monzo will retry", append(attrs, slog.String("error", err.Error()))...)
			return http.StatusInternalServerError, "verifying the transaction failed"
		case tx == nil:
			h.logger.LogAttrs(ctx, slog.LevelError, "webhook: Verify returned no transaction and no error", attrs...)
			return http.StatusInternalServerError, "verifying the transaction failed"
		}
		ev.Data = *tx
	}
	defer func() {
		if p := recover(); p != nil {
			h.logger.LogAttrs(ctx, slog.LevelError, "webhook: the handler panicked; Monzo will retry", append(attrs, slog.Any("panic", p))...)
			status, msg = http.StatusInternalServerError, "the handler failed"
		}
	}()
	if err := h.fn(ctx, ev); err != nil {
		h.logger.LogAttrs(ctx, slog.LevelError, "webhook: the handler failed; Monzo will retry", append(attrs, slog.String("error", err.Error()))...)
		return http.StatusInternalServerError, "the handler failed"
	}
	return http.StatusOK, "ok"
}

// reply writes a short plain-text answer; Monzo only looks at the status.
func reply(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg+"\n")
}
