package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
	"github.com/monzokit/monzo/oauth"
)

// login runs step 1 and the consent page against the emulator and returns
// step 2's environment.
func login(t *testing.T, srv *monzotest.Server) map[string]string {
	t.Helper()
	client := srv.Emulator.DefaultClient()
	cfg := &oauth.Config{ClientID: client.ID, RedirectURL: client.RedirectURI, AuthURL: srv.URL}
	state, _ := oauth.NewState()
	redirected, err := emulator.SubmitConsent(context.Background(), srv.HTTPClient, cfg.AuthCodeURL(state), emulator.Consent{})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"MONZO_CLIENT_ID":     client.ID,
		"MONZO_CLIENT_SECRET": client.Secret,
		"MONZO_REDIRECT_URL":  client.RedirectURI,
		"MONZO_API_URL":       srv.URL,
		"MONZO_STATE":         state,
		"MONZO_CODE":          redirected.Query().Get("code"),
		"MONZO_TOKEN_FILE":    filepath.Join(t.TempDir(), "token.json"),
	}
}

func TestExchangesAndSaves(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv)
	var out bytes.Buffer
	if code := run(context.Background(), func(k string) string { return env[k] }, &out, false); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	store, err := oauth.NewFileStore(env["MONZO_TOKEN_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	tok, err := store.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == "" || tok.Expiry.IsZero() {
		t.Errorf("saved token lacks refresh token or expiry: %v", tok)
	}
	if s := out.String(); strings.Contains(s, tok.AccessToken) || strings.Contains(s, tok.RefreshToken) || !strings.Contains(s, "approve access in the Monzo app") {
		t.Errorf("output should redact tokens and say to approve in the app:\n%s", s)
	}
}

func TestPrintTokensOnRequest(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv)
	var out bytes.Buffer
	if code := run(context.Background(), func(k string) string { return env[k] }, &out, true); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	store, _ := oauth.NewFileStore(env["MONZO_TOKEN_FILE"])
	tok, _ := store.Load(context.Background())
	if !strings.Contains(out.String(), "access_token = '"+tok.AccessToken+"'") {
		t.Errorf("-print-tokens did not print the access token")
	}
}

func TestStateMismatchBranch(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv)
	env["MONZO_REDIRECTED_URL"] = env["MONZO_REDIRECT_URL"] + "?code=" + env["MONZO_CODE"] + "&state=forged"
	var out bytes.Buffer
	if code := run(context.Background(), func(k string) string { return env[k] }, &out, false); code != 1 || !strings.Contains(out.String(), "State code does not match") {
		t.Fatalf("exit %d, output %q", code, out.String())
	}
	if _, err := os.Stat(env["MONZO_TOKEN_FILE"]); !os.IsNotExist(err) {
		t.Error("a token file was written despite the mismatch")
	}
}

func TestServerErrorBranch(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv)
	getenv := func(k string) string { return env[k] }
	if code := run(context.Background(), getenv, &bytes.Buffer{}, false); code != 0 {
		t.Fatal("first exchange failed")
	}
	var out bytes.Buffer // the code is single-use
	if code := run(context.Background(), getenv, &out, false); code != 1 || !strings.Contains(out.String(), "Monzo Server Error") {
		t.Fatalf("exit %d, output %q", code, out.String())
	}
	if strings.Contains(out.String(), env["MONZO_CODE"]) || strings.Contains(out.String(), env["MONZO_CLIENT_SECRET"]) {
		t.Error("the error output leaks the code or the secret")
	}
}
