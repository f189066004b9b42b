package oauth_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/oauth"
)

func TestLoginAgainstEmulator(t *testing.T) {
	e := newEnv(t)
	cfg := e.config(e.client)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	tok := e.login(cfg)
	if tok.AccessToken == "" || !tok.CanRefresh() {
		t.Fatalf("token = %v, want an access and a refresh token", tok)
	}
	if want := start.Add(ttl); !tok.Expiry.Equal(want) {
		t.Errorf("Expiry = %v, want %v (login time + expires_in on the injected clock)", tok.Expiry, want)
	}
	if tok.ClientID != e.client.ID || !strings.HasPrefix(tok.UserID, "user_") || tok.TokenType != "Bearer" || tok.Scope == "" {
		t.Errorf("token metadata = %v", tok)
	}
	who, err := e.whoami(tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if who.UserID != tok.UserID || who.ClientID != e.client.ID {
		t.Errorf("whoami = %+v, token = %v", who, tok)
	}
	if n := e.server.get("authorization_code"); n != 1 {
		t.Errorf("%d code exchanges, want 1", n)
	}
}

func TestExchangeRefusalsAgainstEmulator(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cfg := e.config(e.client)

	t.Run("state mismatch sends nothing", func(t *testing.T) {
		state, _ := oauth.NewState()
		cb, err := oauth.ParseCallback(e.consent(cfg.AuthCodeURL(state), "allow"))
		if err != nil {
			t.Fatal(err)
		}
		other, _ := oauth.NewState()
		before := e.server.get("authorization_code")
		if _, err := cfg.Exchange(ctx, cb.Code, cb.State, other); !errors.Is(err, oauth.ErrStateMismatch) {
			t.Fatalf("Exchange with the wrong expected state = %v", err)
		}
		if _, err := cfg.Exchange(ctx, "", cb.State, state); !errors.Is(err, oauth.ErrMissingCode) {
			t.Fatalf("Exchange with an empty code = %v", err)
		}
		if e.server.get("authorization_code") != before {
			t.Fatal("a refused exchange reached the emulator")
		}
		// The code was not spent: the right state still works.
		if _, err := cfg.Exchange(ctx, cb.Code, cb.State, state); err != nil {
			t.Fatalf("Exchange after refusals: %v", err)
		}
	})

	t.Run("code reuse", func(t *testing.T) {
		state, _ := oauth.NewState()
		cb, _ := oauth.ParseCallback(e.consent(cfg.AuthCodeURL(state), "allow"))
		if _, err := cfg.Exchange(ctx, cb.Code, cb.State, state); err != nil {
			t.Fatal(err)
		}
		_, err := cfg.Exchange(ctx, cb.Code, cb.State, state)
		var apiErr *monzo.Error
		if !errors.As(err, &apiErr) {
			t.Fatalf("reused code: err = %v, want *monzo.Error", err)
		}
		if !apiErr.HasCode("bad_request.bad_authorization_code") || apiErr.OAuthError != "invalid_grant" || apiErr.StatusCode != http.StatusBadRequest {
			t.Errorf("reused code: %+v", apiErr)
		}
		if !errors.Is(err, monzo.ErrBadRequest) {
			t.Error("errors.Is(err, monzo.ErrBadRequest) = false")
		}
		assertNoLeak(t, err, cb.Code, e.client.Secret)
	})

	t.Run("redirect URI mismatch at exchange", func(t *testing.T) {
		state, _ := oauth.NewState()
		cb, _ := oauth.ParseCallback(e.consent(cfg.AuthCodeURL(state), "allow"))
		other := *cfg
		other.RedirectURL = "http://127.0.0.1/elsewhere"
		_, err := other.Exchange(ctx, cb.Code, cb.State, state)
		var apiErr *monzo.Error
		if !errors.As(err, &apiErr) || !apiErr.HasCode("bad_request.bad_param.redirect_uri") {
			t.Fatalf("mismatched redirect: %v", err)
		}
		assertNoLeak(t, err, cb.Code, e.client.Secret)
	})

	t.Run("redirect URI mismatch at the consent page", func(t *testing.T) {
		other := *cfg
		other.RedirectURL = "http://localhost/monzo"
		resp, err := e.srv.Client().Get(other.AuthCodeURL("s"))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "redirect_uri") {
			t.Fatalf("consent page with an unregistered redirect: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("wrong secret", func(t *testing.T) {
		state, _ := oauth.NewState()
		cb, _ := oauth.ParseCallback(e.consent(cfg.AuthCodeURL(state), "allow"))
		other := *cfg
		other.ClientSecret = "mnzconf.WRONGSECRET"
		_, err := other.Exchange(ctx, cb.Code, cb.State, state)
		var apiErr *monzo.Error
		if !errors.As(err, &apiErr) || apiErr.OAuthError != "invalid_client" || !errors.Is(err, monzo.ErrUnauthorized) {
			t.Fatalf("wrong secret: %v", err)
		}
		assertNoLeak(t, err, cb.Code, "WRONGSECRET")
	})

	t.Run("user denies", func(t *testing.T) {
		state, _ := oauth.NewState()
		redirected := e.consent(cfg.AuthCodeURL(state), "deny")
		before := e.server.get("authorization_code")
		_, err := cfg.ExchangeCallback(ctx, redirected, state)
		if !errors.Is(err, oauth.ErrAccessDenied) {
			t.Fatalf("denied: %v", err)
		}
		if e.server.get("authorization_code") != before {
			t.Fatal("a denied login reached the token endpoint")
		}
	})
}

func assertNoLeak(t *testing.T, err error, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("error %q contains a secret", err)
		}
	}
}

func TestRefreshRotation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cfg := e.config(e.client)
	tok1 := e.login(cfg)

	e.clock.Advance(ttl / 2)
	tok2, err := cfg.Refresh(ctx, tok1.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if tok2.AccessToken == tok1.AccessToken || tok2.RefreshToken == "" || tok2.RefreshToken == tok1.RefreshToken {
		t.Fatal("refresh did not rotate both tokens")
	}
	if want := e.clock.Now().Add(ttl); !tok2.Expiry.Equal(want) {
		t.Errorf("Expiry = %v, want %v", tok2.Expiry, want)
	}
	// The old access token is dead, the new one works.
	if _, err := e.whoami(tok1.AccessToken); !errors.Is(err, monzo.ErrBadAccessToken) {
		t.Errorf("old access token after refresh: %v", err)
	}
	if _, err := e.whoami(tok2.AccessToken); err != nil {
		t.Errorf("new access token: %v", err)
	}
	// The old refresh token is single-use.
	_, err = cfg.Refresh(ctx, tok1.RefreshToken)
	if !errors.Is(err, monzo.ErrBadRefreshToken) {
		t.Fatalf("reusing a refresh token: %v, want monzo.ErrBadRefreshToken", err)
	}
	var apiErr *monzo.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized || apiErr.OAuthError != "invalid_grant" {
		t.Errorf("reused refresh token: %+v", apiErr)
	}
	assertNoLeak(t, err, tok1.RefreshToken, e.client.Secret)
}

func TestRefreshWithoutNewRefreshTokenNeverReusesTheOld(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cfg := e.config(e.client)
	store := oauth.NewMemoryStore(e.login(cfg))
	e.setRewrite(func(grant string, body map[string]any) {
		if grant == "refresh_token" {
			delete(body, "refresh_token")
		}
	})
	ts, err := oauth.NewTokenSource(cfg, store)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(ttl)
	if _, err := ts.AccessToken(ctx); err != nil {
		t.Fatal(err)
	}
	saved, _ := store.Load(ctx)
	if saved.CanRefresh() {
		t.Fatal("the stored token kept a refresh token the server did not send")
	}
	e.clock.Advance(ttl)
	if _, err := ts.AccessToken(ctx); !errors.Is(err, oauth.ErrCannotRefresh) {
		t.Fatalf("at expiry without a refresh token: %v, want ErrCannotRefresh", err)
	}
	if n := e.server.get("refresh_token"); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
}

func TestNonConfidentialClient(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pub := e.emu.MustRegisterClient(emulator.ClientOptions{Name: "public", RedirectURI: "http://127.0.0.1:7777/callback"})
	cfg := e.config(pub)
	tok := e.login(cfg)
	if tok.CanRefresh() {
		t.Fatal("a non-confidential client got a refresh token")
	}
	ts, err := oauth.NewTokenSource(cfg, oauth.NewMemoryStore(tok))
	if err != nil {
		t.Fatal(err)
	}
	c := e.apiClient(ts)
	if _, err := c.WhoAmI(ctx); err != nil {
		t.Fatal(err)
	}
	// Inside the leeway but not expired: still served.
	e.clock.Advance(ttl - oauth.DefaultRefreshLeeway/2)
	if _, err := c.WhoAmI(ctx); err != nil {
		t.Fatalf("just before expiry: %v", err)
	}
	e.clock.Advance(oauth.DefaultRefreshLeeway)
	_, err = c.WhoAmI(ctx)
	if !errors.Is(err, oauth.ErrCannotRefresh) || !strings.Contains(err.Error(), "log in again") {
		t.Fatalf("after expiry: %v, want ErrCannotRefresh", err)
	}
	if n := e.transport.get("refresh_token"); n != 0 {
		t.Fatalf("%d refresh requests for a client that cannot refresh", n)
	}
}

func TestBareTokenExpiredByTheAPI(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok := e.login(e.config(e.client))
	// A playground token: only the access token is known.
	ts, err := oauth.NewTokenSource(nil, oauth.NewMemoryStore(oauth.BareToken(tok.AccessToken)))
	if err != nil {
		t.Fatal(err)
	}
	c := e.apiClient(ts)
	if _, err := c.WhoAmI(ctx); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(ttl)
	_, err = c.WhoAmI(ctx)
	if !errors.Is(err, monzo.ErrTokenExpired) || !errors.Is(err, oauth.ErrCannotRefresh) {
		t.Fatalf("expired bare token: %v, want monzo.ErrTokenExpired and oauth.ErrCannotRefresh", err)
	}
	if n := e.server.get("refresh_token"); n != 0 {
		t.Fatalf("%d refreshes of a bare token", n)
	}
}

func TestLogout(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cfg := e.config(e.client)
	tok := e.login(cfg)
	store := oauth.NewMemoryStore(tok)
	ts, _ := oauth.NewTokenSource(cfg, store)
	if err := ts.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Load(ctx); !errors.Is(err, oauth.ErrNoToken) {
		t.Fatalf("store after logout: %v, want ErrNoToken", err)
	}
	if _, err := e.whoami(tok.AccessToken); !errors.Is(err, monzo.ErrBadAccessToken) {
		t.Fatalf("access token after logout: %v", err)
	}
	if _, err := cfg.Refresh(ctx, tok.RefreshToken); !errors.Is(err, monzo.ErrBadRefreshToken) {
		t.Fatalf("refresh token after logout: %v", err)
	}
	if _, err := ts.AccessToken(ctx); !errors.Is(err, oauth.ErrNoToken) {
		t.Fatalf("AccessToken after logout: %v", err)
	}
	if err := ts.Logout(ctx); err != nil {
		t.Fatalf("second logout: %v", err)
	}
	// Revoking a token the server already refuses still forgets it.
	if err := store.Save(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := ts.Logout(ctx); err != nil {
		t.Fatalf("logout of a dead token: %v", err)
	}
	if _, err := store.Load(ctx); !errors.Is(err, oauth.ErrNoToken) {
		t.Fatal("a dead token was kept after logout")
	}
}

func TestLogoutKeepsTokenWhenServerUnreachable(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cfg := e.config(e.client)
	store := oauth.NewMemoryStore(e.login(cfg))
	down := *cfg
	down.APIBaseURL = "http://127.0.0.1:1" // nothing listens on port 1
	ts, _ := oauth.NewTokenSource(&down, store)
	if err := ts.Logout(ctx); err == nil {
		t.Fatal("logout against a dead server succeeded")
	}
	if _, err := store.Load(ctx); err != nil {
		t.Fatalf("the token was dropped although it was not revoked: %v", err)
	}
}
