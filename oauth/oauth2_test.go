package oauth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/oauth"
	"golang.org/x/oauth2"
)

func TestOAuth2Interop(t *testing.T) {
	e := newEnv(t)
	cfg := e.config(e.client)
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, cfg.HTTPClient)

	// x/oauth2 can exchange a code from our URL.
	oc := cfg.OAuth2Config()
	state, _ := oauth.NewState()
	cb, err := oauth.ParseCallback(e.consent(oc.AuthCodeURL(state), "allow"))
	if err != nil || cb.State != state {
		t.Fatalf("callback: %+v, %v", cb, err)
	}
	xt, err := oc.Exchange(ctx, cb.Code)
	if err != nil {
		t.Fatal(err)
	}
	if xt.RefreshToken == "" || xt.Extra("user_id") == nil {
		t.Fatalf("x/oauth2 exchange lost fields: %+v", xt)
	}

	// Our TokenSource as an x/oauth2 source.
	tok := &oauth.Token{AccessToken: xt.AccessToken, RefreshToken: xt.RefreshToken, Expiry: e.clock.Now().Add(ttl), UserID: xt.Extra("user_id").(string), ClientID: e.client.ID, TokenType: "Bearer", Scope: "s"}
	ts, _ := oauth.NewTokenSource(cfg, oauth.NewMemoryStore(tok))
	got, err := ts.OAuth2().Token()
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken != tok.AccessToken || got.RefreshToken != tok.RefreshToken || !got.Expiry.Equal(tok.Expiry) || got.Extra("user_id") != tok.UserID || got.TokenType != "Bearer" {
		t.Fatalf("OAuth2().Token() = %+v", got)
	}

	// An x/oauth2 source as ours: success...
	client := e.apiClient(oauth.FromOAuth2(oauth2.StaticTokenSource(got)))
	if _, err := client.WhoAmI(context.Background()); err != nil {
		t.Fatal(err)
	}
	// ...and a refresh failure keeps Monzo's error code.
	e.clock.Advance(ttl)
	if _, err := cfg.Refresh(context.Background(), tok.RefreshToken); err != nil {
		t.Fatal(err)
	}
	spent := &oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Hour)}
	src := oauth.FromOAuth2(oc.TokenSource(ctx, spent))
	_, err = src.AccessToken(context.Background())
	if !errors.Is(err, monzo.ErrBadRefreshToken) {
		t.Fatalf("FromOAuth2 refresh failure: %v, want monzo.ErrBadRefreshToken", err)
	}
	var apiErr *monzo.Error
	var re *oauth2.RetrieveError
	if !errors.As(err, &apiErr) || apiErr.OAuthError != "invalid_grant" || !errors.As(err, &re) {
		t.Fatalf("error chain lost the *monzo.Error or the *oauth2.RetrieveError: %v", err)
	}
	assertNoLeak(t, err, tok.RefreshToken, e.client.Secret)
}
