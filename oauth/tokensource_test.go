package oauth_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/oauth"
)

// hammer calls f from n goroutines at once and returns their results.
func hammer(n int, f func() (string, error)) ([]string, []error) {
	out, errs := make([]string, n), make([]error, n)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-gate
			out[i], errs[i] = f()
		})
	}
	close(gate)
	wg.Wait()
	return out, errs
}

func TestTokenSourceConcurrentExpiryRefreshesOnce(t *testing.T) {
	for name, newStore := range map[string]func(t *testing.T) oauth.Store{
		"memory": func(*testing.T) oauth.Store { return oauth.NewMemoryStore(nil) },
		"file": func(t *testing.T) oauth.Store {
			s, err := oauth.NewFileStore(filepath.Join(t.TempDir(), "token.json"))
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			cfg := e.config(e.client)
			store := newStore(t)
			old := e.login(cfg)
			if err := store.Save(ctx, old); err != nil {
				t.Fatal(err)
			}
			ts, err := oauth.NewTokenSource(cfg, store)
			if err != nil {
				t.Fatal(err)
			}
			client := e.apiClient(ts)

			e.clock.Advance(ttl + time.Minute) // past expiry, on both clocks
			toks, errs := hammer(20, func() (string, error) {
				if _, err := client.WhoAmI(ctx); err != nil {
					return "", err
				}
				return ts.AccessToken(ctx)
			})
			for i, err := range errs {
				if err != nil {
					t.Fatalf("goroutine %d: %v", i, err)
				}
				if toks[i] != toks[0] || toks[i] == old.AccessToken {
					t.Fatalf("goroutine %d got a different or stale token", i)
				}
			}
			if n := e.transport.get("refresh_token"); n != 1 {
				t.Fatalf("%d refresh requests sent, want exactly 1", n)
			}
			saved, _ := store.Load(ctx)
			if saved.AccessToken != toks[0] || saved.RefreshToken == old.RefreshToken || !saved.Expiry.Equal(e.clock.Now().Add(ttl)) {
				t.Fatalf("stored token %v is not the refreshed one", saved)
			}
		})
	}
}

func TestTokenSourceRefreshesWithinLeeway(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cfg := e.config(e.client)
	old := e.login(cfg)
	ts, _ := oauth.NewTokenSource(cfg, oauth.NewMemoryStore(old), oauth.WithRefreshLeeway(10*time.Minute))

	e.clock.Advance(ttl - 11*time.Minute)
	if got, _ := ts.AccessToken(ctx); got != old.AccessToken {
		t.Fatal("refreshed outside the leeway")
	}
	e.clock.Advance(2 * time.Minute)
	got, err := ts.AccessToken(ctx)
	if err != nil || got == old.AccessToken {
		t.Fatalf("inside the leeway: %v, refreshed=%v", err, got != old.AccessToken)
	}
	if n := e.transport.get("refresh_token"); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
	if _, err := oauth.NewTokenSource(cfg, oauth.NewMemoryStore(old), oauth.WithRefreshLeeway(-time.Second)); err == nil {
		t.Fatal("a negative leeway was accepted")
	}
}

func TestAPIExpiredBeforeKnownExpiryRefreshesOnceAndRetries(t *testing.T) {
	t.Run("expired code", func(t *testing.T) { testAPIExpiredRefreshesOnce(t, false) })
	// The real API was recorded answering an expired token with the bare
	// code and a "token is expired by …" message.
	t.Run("bare bad_access_token", func(t *testing.T) { testAPIExpiredRefreshesOnce(t, true) })
}

func testAPIExpiredRefreshesOnce(t *testing.T, bare bool) {
	e := newEnv(t)
	e.mu.Lock()
	e.bareExpired = bare
	e.mu.Unlock()
	ctx := context.Background()
	cfg := e.config(e.client)
	// Our clock runs two hours behind the server's: the server expires the
	// token while we still believe it valid.
	skewed := *cfg
	skewed.Clock = func() time.Time { return e.clock.Now().Add(-2 * time.Hour) }
	old := e.login(cfg)
	store := oauth.NewMemoryStore(old)
	ts, _ := oauth.NewTokenSource(&skewed, store)
	client := e.apiClient(ts)

	e.clock.Advance(ttl + time.Minute)
	if got, _ := ts.AccessToken(ctx); got != old.AccessToken {
		t.Fatal("the token source refreshed on its own; the test needs it to trust the old token")
	}
	if n := e.transport.get("refresh_token"); n != 0 {
		t.Fatalf("%d refreshes before the API refused the token", n)
	}
	// The API answers 401 expired; the client refreshes once and retries.
	who, err := client.WhoAmI(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if who.UserID != old.UserID {
		t.Fatalf("whoami = %+v", who)
	}
	if n := e.transport.get("refresh_token"); n != 1 {
		t.Fatalf("%d refreshes, want exactly 1", n)
	}
	// Later calls, even concurrent ones, use the refreshed token.
	_, errs := hammer(10, func() (string, error) {
		_, err := client.WhoAmI(ctx)
		return "", err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if n := e.transport.get("refresh_token"); n != 1 {
		t.Fatalf("%d refreshes, want exactly 1", n)
	}
	saved, _ := store.Load(ctx)
	if saved.AccessToken == old.AccessToken {
		t.Fatal("the refreshed token was not stored")
	}
	// Once per rejected token: a stale rejection returns the stored token.
	got, err := ts.RefreshExpired(ctx, old.AccessToken)
	if err != nil || got != saved.AccessToken {
		t.Fatalf("RefreshExpired(stale) = %v; want the stored token", err)
	}
	if n := e.transport.get("refresh_token"); n != 1 {
		t.Fatalf("a stale rejection triggered another refresh (%d)", n)
	}
}

// flakyStore fails Save while broken is set.
type flakyStore struct {
	*oauth.MemoryStore
	mu     sync.Mutex
	broken bool
}

func (s *flakyStore) Save(ctx context.Context, tok *oauth.Token) error {
	s.mu.Lock()
	broken := s.broken
	s.mu.Unlock()
	if broken {
		return errors.New("disk full")
	}
	return s.MemoryStore.Save(ctx, tok)
}

func (s *flakyStore) setBroken(b bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.broken = b
}

func TestRefreshedTokenIsSavedBeforeUse(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cfg := e.config(e.client)
	old := e.login(cfg)
	store := &flakyStore{MemoryStore: oauth.NewMemoryStore(old)}
	ts, _ := oauth.NewTokenSource(cfg, store)

	e.clock.Advance(ttl)
	store.setBroken(true)
	got, err := ts.AccessToken(ctx)
	if !errors.Is(err, oauth.ErrTokenNotSaved) || got != "" {
		t.Fatalf("AccessToken with a failing store = %q, %v; want ErrTokenNotSaved and no token", got, err)
	}
	for _, want := range []string{"may be lost", "log in again", "disk full"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	// Still broken: the pending token is retried, not a second refresh.
	if _, err := ts.AccessToken(ctx); !errors.Is(err, oauth.ErrTokenNotSaved) {
		t.Fatalf("second call: %v", err)
	}
	store.setBroken(false)
	got, err = ts.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	saved, _ := store.Load(ctx)
	if saved.AccessToken != got || got == old.AccessToken {
		t.Fatal("the refreshed token was not saved once the store recovered")
	}
	if n := e.transport.get("refresh_token"); n != 1 {
		t.Fatalf("%d refreshes, want 1: the refreshed token must not be dropped", n)
	}
	if _, err := e.whoami(got); err != nil {
		t.Fatal(err)
	}
}

func TestTwoTokenSourcesSharingAFile(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cfg := e.config(e.client)
	path := filepath.Join(t.TempDir(), "monzo", "token.json")
	first, _ := oauth.NewFileStore(path)
	if err := first.Save(ctx, e.login(cfg)); err != nil {
		t.Fatal(err)
	}
	// Two independent stores and sources on one file, as two processes
	// would have; flock excludes separate handles even in one process.
	var sources []*oauth.TokenSource
	for range 2 {
		s, _ := oauth.NewFileStore(path)
		ts, _ := oauth.NewTokenSource(cfg, s)
		sources = append(sources, ts)
	}
	e.clock.Advance(ttl)
	var i int
	var mu sync.Mutex
	toks, errs := hammer(20, func() (string, error) {
		mu.Lock()
		ts := sources[i%2]
		i++
		mu.Unlock()
		return ts.AccessToken(ctx)
	})
	for k, err := range errs {
		if err != nil {
			t.Fatalf("call %d: %v", k, err)
		}
		if toks[k] != toks[0] {
			t.Fatal("the two sources disagree on the token")
		}
	}
	if n := e.transport.get("refresh_token"); n != 1 {
		t.Fatalf("%d refreshes, want exactly 1", n)
	}
}

func TestNewTokenSourceNeedsStore(t *testing.T) {
	if _, err := oauth.NewTokenSource(nil, nil); err == nil {
		t.Fatal("nil store accepted")
	}
	ts, _ := oauth.NewTokenSource(nil, oauth.NewMemoryStore(nil))
	if _, err := ts.AccessToken(context.Background()); !errors.Is(err, oauth.ErrNoToken) {
		t.Fatalf("empty store: %v", err)
	}
	var _ monzo.ExpiredTokenRefresher = ts
}

func TestCancelledCallerDoesNotAbandonARefresh(t *testing.T) {
	e := newEnv(t)
	cfg := e.config(e.client)
	old := e.login(cfg)
	store := oauth.NewMemoryStore(old)
	ts, _ := oauth.NewTokenSource(cfg, store)

	arrived, release := make(chan struct{}), make(chan struct{})
	e.setOnGrant(func(grant string) {
		if grant == "refresh_token" {
			close(arrived)
			<-release
		}
	})
	e.clock.Advance(ttl)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := ts.AccessToken(ctx)
		errc <- err
	}()
	<-arrived // the refresh token is on the wire
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller: %v, want context.Canceled", err)
	}
	close(release)

	// The next caller waits for the detached refresh and gets its token.
	got, err := ts.AccessToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	saved, _ := store.Load(context.Background())
	if got == old.AccessToken || saved.AccessToken != got {
		t.Fatal("the refreshed token was not saved")
	}
	if n := e.transport.get("refresh_token"); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
	if _, err := e.whoami(got); err != nil {
		t.Fatal(err)
	}
}
