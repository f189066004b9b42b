package oauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/monzokit/monzo"
)

// DefaultRefreshLeeway is how long before its expiry [TokenSource] replaces
// an access token. Monzo tokens live about 30 hours, so five minutes costs
// nothing and absorbs clock skew and slow requests.
const DefaultRefreshLeeway = 5 * time.Minute

// TokenSource hands out access tokens from a [Store], refreshing them when
// needed. It implements [monzo.TokenSource] and [monzo.ExpiredTokenRefresher],
// so a monzo.Client built with monzo.WithTokenSource(ts) refreshes and
// retries once when the API reports an expired token. It is safe for
// concurrent use.
//
// The store is the source of truth: every call reads it, so a token
// refreshed (or deleted by a logout) in another process is picked up at
// once. A refresh runs like this:
//
//  1. Callers in this process queue behind one another, so they share a
//     single refresh.
//  2. If the store is a [Locker] ([FileStore] and [MemoryStore] are), its
//     lock is taken, excluding other processes.
//  3. The token is read again. If another process has already replaced it
//     with a usable one, that token is used and nothing is refreshed.
//  4. Otherwise the stored refresh token is spent, and the new token (with
//     its new refresh token) is saved to the store before the new access
//     token is returned. If the save fails, the error matches
//     [ErrTokenNotSaved]; the next call tries to save it again.
//
// A caller whose context ends during a refresh gets the context's error at
// once, but the refresh itself carries on (for up to a minute) until the
// rotated token is saved: a spent refresh token is never abandoned.
//
// A token without a refresh token (a playground token, or any token of a
// non-confidential client) is used until it expires; then calls fail with
// [ErrCannotRefresh].
type TokenSource struct {
	cfg      *Config
	noConfig bool // made without a Config: never refreshes
	store    Store
	leeway   time.Duration
	logger   *slog.Logger

	// mu is a context-aware mutex serialising every call, so that
	// concurrent callers share one refresh.
	mu chan struct{}
	// unsaved is a refreshed token the store refused; guarded by mu.
	unsaved *unsavedToken
}

// unsavedToken is a refreshed token that could not be saved, and the
// refresh token it replaced.
type unsavedToken struct {
	tok      *Token
	replaces string
}

// TokenSourceOption configures a [TokenSource].
type TokenSourceOption func(*TokenSource) error

// WithRefreshLeeway sets how long before expiry a token is refreshed
// (default [DefaultRefreshLeeway]). It must not be negative.
func WithRefreshLeeway(d time.Duration) TokenSourceOption {
	return func(ts *TokenSource) error {
		if d < 0 {
			return invalid(fmt.Errorf("oauth: WithRefreshLeeway: negative leeway %s", d))
		}
		ts.leeway = d
		return nil
	}
}

// WithLogger logs refreshes (user, expiry; never tokens) to l. By default
// nothing is logged.
func WithLogger(l *slog.Logger) TokenSourceOption {
	return func(ts *TokenSource) error {
		if l == nil {
			return invalid(errors.New("oauth: WithLogger: nil logger"))
		}
		ts.logger = l
		return nil
	}
}

// NewTokenSource returns a TokenSource serving the token in store and
// refreshing it with cfg. Save the token from [Config.Exchange] (or a
// [BareToken]) in the store first. cfg supplies the client credentials,
// hosts, HTTP client and clock; it may be nil for a token that is never
// refreshed.
func NewTokenSource(cfg *Config, store Store, opts ...TokenSourceOption) (*TokenSource, error) {
	if store == nil {
		return nil, invalid(errors.New("oauth: NewTokenSource: nil Store (use NewFileStore or NewMemoryStore)"))
	}
	noConfig := cfg == nil
	if noConfig {
		cfg = &Config{}
	}
	ts := &TokenSource{
		cfg:      cfg,
		noConfig: noConfig,
		store:    store,
		leeway:   DefaultRefreshLeeway,
		logger:   slog.New(slog.DiscardHandler),
		mu:       make(chan struct{}, 1),
	}
	for _, opt := range opts {
		if err := opt(ts); err != nil {
			return nil, err
		}
	}
	return ts, nil
}

var (
	_ monzo.TokenSource           = (*TokenSource)(nil)
	_ monzo.ExpiredTokenRefresher = (*TokenSource)(nil)
	_ monzo.APIHostReporter       = (*TokenSource)(nil)
)

// APIBaseURL returns the API host the source refreshes tokens at (the
// Config's APIBaseURL, or [DefaultAPIBaseURL]), or "" when it was made
// without a Config and so never sends anything. monzo.NewClient refuses to
// pair the source with a client whose base URL differs, so that a refresh
// token and client secret never go to a host other than the one the
// client talks to.
func (ts *TokenSource) APIBaseURL() string {
	if ts.noConfig {
		return ""
	}
	return ts.cfg.apiBaseURL()
}

// AccessToken returns an access token valid for at least the refresh
// leeway, refreshing it first if needed.
func (ts *TokenSource) AccessToken(ctx context.Context) (string, error) {
	tok, err := ts.Token(ctx)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// Token returns a copy of the current token, refreshing it first if it
// expires within the leeway.
func (ts *TokenSource) Token(ctx context.Context) (*Token, error) {
	if err := acquire(ctx, ts.mu); err != nil {
		return nil, err
	}
	locked := true
	defer func() {
		if locked {
			<-ts.mu
		}
	}()
	if err := ts.saveUnsaved(ctx); err != nil {
		return nil, err
	}
	tok, err := ts.store.Load(ctx)
	if err != nil {
		return nil, err
	}
	if tok.AccessToken == "" {
		return nil, fmt.Errorf("%w (the stored token is empty)", ErrNoToken)
	}
	now := ts.cfg.now()
	if !tok.expiresWithin(now, ts.leeway) {
		return tok.clone(), nil
	}
	if !tok.CanRefresh() {
		if tok.Expired(now) {
			return nil, fmt.Errorf("%w (it expired at %s)", ErrCannotRefresh, tok.Expiry.UTC().Format(time.RFC3339))
		}
		return tok.clone(), nil
	}
	locked = false // refreshDetached releases ts.mu
	return ts.refreshDetached(ctx, func(cur *Token) bool {
		return cur.AccessToken != "" && !cur.expiresWithin(ts.cfg.now(), ts.leeway)
	})
}

// RefreshExpired is called by monzo.Client when the API refused rejected
// with a code of the unauthorized.bad_access_token family (expired although
// its known expiry has not passed, from clock skew or an expiry that was
// never known; or the bare code, which the real API answers for expired
// tokens). If the stored token is no longer rejected,
// someone has already refreshed and the stored token is returned;
// otherwise the token is refreshed once, as [TokenSource] describes. The
// same rule makes it safe to call for a token refused as evicted by a
// refresh that raced the request: the stored, newer token comes back.
func (ts *TokenSource) RefreshExpired(ctx context.Context, rejected string) (string, error) {
	if err := acquire(ctx, ts.mu); err != nil {
		return "", err
	}
	locked := true
	defer func() {
		if locked {
			<-ts.mu
		}
	}()
	if err := ts.saveUnsaved(ctx); err != nil {
		return "", err
	}
	usable := func(cur *Token) bool {
		return cur.AccessToken != "" && cur.AccessToken != rejected && !cur.Expired(ts.cfg.now())
	}
	tok, err := ts.store.Load(ctx)
	if err != nil {
		return "", err
	}
	if usable(tok) {
		return tok.AccessToken, nil
	}
	locked = false // refreshDetached releases ts.mu
	fresh, err := ts.refreshDetached(ctx, usable)
	if err != nil {
		return "", err
	}
	return fresh.AccessToken, nil
}

// refreshTimeout bounds a refresh that the caller has stopped waiting for.
const refreshTimeout = time.Minute

// refreshDetached runs refresh in a goroutine whose context ignores the
// caller's cancellation (but not a generous timeout): once a single-use
// refresh token has been sent, the response must be read and saved, or the
// chain is lost. The caller may stop waiting; later callers queue on ts.mu
// behind the refresh and then read the saved token. The goroutine owns
// ts.mu, which the caller has acquired, and releases it.
func (ts *TokenSource) refreshDetached(ctx context.Context, usable func(*Token) bool) (*Token, error) {
	type result struct {
		tok *Token
		err error
	}
	done := make(chan result, 1)
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshTimeout)
	go func() {
		defer func() { <-ts.mu }()
		defer cancel()
		tok, err := ts.refresh(rctx, usable)
		done <- result{tok, err}
	}()
	select {
	case r := <-done:
		return r.tok, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// refresh replaces the stored token under the store's lock, unless usable
// says the token stored by then (by another process) will do. ts.mu is held.
func (ts *TokenSource) refresh(ctx context.Context, usable func(*Token) bool) (*Token, error) {
	if locker, ok := ts.store.(Locker); ok {
		unlock, err := locker.Lock(ctx)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	cur, err := ts.store.Load(ctx)
	if err != nil {
		return nil, err
	}
	if usable(cur) {
		ts.logger.LogAttrs(ctx, slog.LevelDebug, "oauth: using the token another process refreshed", slog.String("user_id", cur.UserID))
		return cur.clone(), nil
	}
	if !cur.CanRefresh() {
		return nil, ErrCannotRefresh
	}
	fresh, err := ts.cfg.Refresh(ctx, cur.RefreshToken)
	if err != nil {
		return nil, fmt.Errorf("oauth: refreshing the access token: %w", err)
	}
	if err := ts.store.Save(ctx, fresh); err != nil {
		ts.unsaved = &unsavedToken{tok: fresh, replaces: cur.RefreshToken}
		ts.logger.LogAttrs(ctx, slog.LevelError, "oauth: could not save the refreshed token", slog.String("user_id", fresh.UserID), slog.String("error", err.Error()))
		return nil, fmt.Errorf("%w: %w", ErrTokenNotSaved, err)
	}
	ts.logger.LogAttrs(ctx, slog.LevelInfo, "oauth: refreshed the access token", slog.String("user_id", fresh.UserID), slog.Time("expiry", fresh.Expiry), slog.Bool("can_refresh", fresh.CanRefresh()))
	return fresh.clone(), nil
}

// saveUnsaved retries saving a refreshed token the store refused earlier,
// unless the stored token has changed since (a new login, a logout), in
// which case the unsaved one is obsolete. ts.mu is held.
func (ts *TokenSource) saveUnsaved(ctx context.Context) error {
	u := ts.unsaved
	if u == nil {
		return nil
	}
	if locker, ok := ts.store.(Locker); ok {
		unlock, err := locker.Lock(ctx)
		if err != nil {
			return err
		}
		defer unlock()
	}
	cur, err := ts.store.Load(ctx)
	switch {
	case errors.Is(err, ErrNoToken):
		ts.unsaved = nil // logged out meanwhile
		return nil
	case err != nil:
		return fmt.Errorf("%w: %w", ErrTokenNotSaved, err)
	case cur.RefreshToken != u.replaces:
		ts.unsaved = nil // replaced by a new login
		return nil
	}
	if err := ts.store.Save(ctx, u.tok); err != nil {
		return fmt.Errorf("%w: %w", ErrTokenNotSaved, err)
	}
	ts.unsaved = nil
	return nil
}

// Logout revokes the stored token (POST /oauth2/logout, see
// [Config.Logout]) and deletes it from the store.
//
// The stored token is deleted when Monzo confirms the logout and also when
// Monzo answers 401 (the token had already expired, been evicted or been
// revoked): nothing is left to revoke, and keeping a dead token helps no
// one. On any other failure (network, 5xx) the token is kept, so that the
// logout can be retried, and the error is returned; delete the store's file
// yourself to forget the token anyway. Logging out with nothing stored is
// not an error.
func (ts *TokenSource) Logout(ctx context.Context) error {
	if err := acquire(ctx, ts.mu); err != nil {
		return err
	}
	defer func() { <-ts.mu }()
	if locker, ok := ts.store.(Locker); ok {
		unlock, err := locker.Lock(ctx)
		if err != nil {
			return err
		}
		defer unlock()
	}
	ts.unsaved = nil
	tok, err := ts.store.Load(ctx)
	if errors.Is(err, ErrNoToken) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := ts.cfg.Logout(ctx, tok.AccessToken); err != nil && !errors.Is(err, monzo.ErrUnauthorized) {
		return err
	}
	return ts.store.Delete(ctx)
}

// Logout revokes accessToken (POST /oauth2/logout with the bearer token).
// Afterwards the token, and its refresh token, are refused; the user must
// log in again. Monzo's refusal comes back as an [*monzo.Error] (a 401
// matching monzo.ErrUnauthorized when the token was already invalid). It
// does not touch any store; see [TokenSource.Logout].
func (c *Config) Logout(ctx context.Context, accessToken string) error {
	if accessToken == "" {
		return invalid(errors.New("oauth: Logout: empty access token"))
	}
	resp, err := c.post(ctx, "oauth2/logout", nil, accessToken)
	if err != nil {
		return fmt.Errorf("oauth: logout: %w", err)
	}
	defer resp.Body.Close()
	return scrubError(c.checkResponse(resp), accessToken, c.ClientSecret)
}
