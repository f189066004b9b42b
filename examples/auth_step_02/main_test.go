package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
	"github.com/monzokit/monzo/oauth"
)

// login runs step 1 and the consent page against the emulator and returns
// step 2's environment, with the redirect as MONZO_REDIRECTED_URL. The
// redirect's code and state are also under "code" and "state" (not
// variables step 2 reads) for the tests that use MONZO_CODE.
func login(t *testing.T, srv *monzotest.Server, consent emulator.Consent) map[string]string {
	t.Helper()
	client := srv.Emulator.DefaultClient()
	cfg := &oauth.Config{ClientID: client.ID, RedirectURL: client.RedirectURI, AuthURL: srv.URL}
	state, err := oauth.NewState()
	if err != nil {
		t.Fatal(err)
	}
	redirected, err := emulator.SubmitConsent(context.Background(), srv.HTTPClient, cfg.AuthCodeURL(state), consent)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"MONZO_CLIENT_ID":      client.ID,
		"MONZO_CLIENT_SECRET":  client.Secret,
		"MONZO_REDIRECT_URL":   client.RedirectURI,
		"MONZO_API_URL":        srv.URL,
		"MONZO_STATE":          state,
		"MONZO_REDIRECTED_URL": redirected.String(),
		"MONZO_TOKEN_FILE":     filepath.Join(t.TempDir(), "token.json"),
		"code":                 redirected.Query().Get("code"),
		"state":                redirected.Query().Get("state"),
	}
}

// useCode switches env from MONZO_REDIRECTED_URL to MONZO_CODE and
// MONZO_RETURNED_STATE.
func useCode(env map[string]string, returnedState string) {
	delete(env, "MONZO_REDIRECTED_URL")
	env["MONZO_CODE"] = env["code"]
	env["MONZO_RETURNED_STATE"] = returnedState
}

func runWith(env map[string]string, printTokens bool) (int, string) {
	var out bytes.Buffer
	code := run(context.Background(), func(k string) string { return env[k] }, &out, printTokens)
	return code, out.String()
}

func loadSaved(t *testing.T, path string) *oauth.Token {
	t.Helper()
	store, err := oauth.NewFileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := store.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// assertNoTokenFile fails if step 2 saved anything.
func assertNoTokenFile(t *testing.T, env map[string]string) {
	t.Helper()
	if _, err := os.Stat(env["MONZO_TOKEN_FILE"]); !os.IsNotExist(err) {
		t.Error("a token file was written although step 2 failed")
	}
}

// assertCodeUnspent proves a failed run sent no exchange: the single-use
// code still works with the right state.
func assertCodeUnspent(t *testing.T, env map[string]string) {
	t.Helper()
	good := map[string]string{}
	for k, v := range env {
		good[k] = v
	}
	useCode(good, env["state"])
	if code, out := runWith(good, false); code != 0 {
		t.Fatalf("the code was spent by the failed run (exit %d):\n%s", code, out)
	}
}

func TestExchangesRedirectedURLAndSaves(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	code, out := runWith(env, false)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	tok := loadSaved(t, env["MONZO_TOKEN_FILE"])
	if tok.RefreshToken == "" || tok.Expiry.IsZero() {
		t.Errorf("saved token lacks refresh token or expiry: %v", tok)
	}
	if strings.Contains(out, tok.AccessToken) || strings.Contains(out, tok.RefreshToken) || strings.Contains(out, env["code"]) {
		t.Errorf("output should redact the tokens and the code:\n%s", out)
	}
	for _, want := range []string{"saved to " + env["MONZO_TOKEN_FILE"], "MONZO_TOKEN_FILE", "approve access in the Monzo app"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestExchangesCodeAndReturnedState(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	useCode(env, env["state"])
	if code, out := runWith(env, false); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if tok := loadSaved(t, env["MONZO_TOKEN_FILE"]); tok.AccessToken == "" {
		t.Error("no token saved")
	}
}

func TestDefaultTokenFile(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	delete(env, "MONZO_TOKEN_FILE")
	dir := t.TempDir()
	t.Chdir(dir)
	code, out := runWith(env, false)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	want := filepath.Join(dir, "monzo-token.json")
	if tok := loadSaved(t, want); tok.AccessToken == "" {
		t.Error("no token saved")
	}
	if !strings.Contains(out, "saved to "+want) {
		t.Errorf("output does not name %s:\n%s", want, out)
	}
}

func TestPrintTokensOnRequest(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	code, out := runWith(env, true)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	tok := loadSaved(t, env["MONZO_TOKEN_FILE"])
	if !strings.Contains(out, "access_token = '"+tok.AccessToken+"'") || !strings.Contains(out, "refresh_token = '"+tok.RefreshToken+"'") {
		t.Errorf("-print-tokens did not print the tokens:\n%s", out)
	}
}

func TestStateMismatchBranch(t *testing.T) {
	tests := []struct {
		name  string
		setup func(env map[string]string)
	}{
		{"redirected URL with a forged state", func(env map[string]string) {
			env["MONZO_REDIRECTED_URL"] = env["MONZO_REDIRECT_URL"] + "?code=" + env["code"] + "&state=forged"
		}},
		{"redirected URL without a state", func(env map[string]string) {
			env["MONZO_REDIRECTED_URL"] = env["MONZO_REDIRECT_URL"] + "?code=" + env["code"]
		}},
		{"code with a forged returned state", func(env map[string]string) {
			useCode(env, "forged")
		}},
		{"code with step 1's state from another login", func(env map[string]string) {
			useCode(env, env["state"])
			other, _ := oauth.NewState()
			env["MONZO_STATE"] = other
		}},
		{"redirected URL without a code", func(env map[string]string) {
			env["MONZO_REDIRECTED_URL"] = env["MONZO_REDIRECT_URL"] + "?state=" + env["state"]
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := monzotest.NewServer(t)
			env := login(t, srv, emulator.Consent{})
			tt.setup(env)
			code, out := runWith(env, false)
			if code != 1 || !strings.Contains(out, "State code does not match") {
				t.Fatalf("exit %d, output %q", code, out)
			}
			if strings.Contains(out, env["code"]) {
				t.Errorf("output leaks the code: %q", out)
			}
			assertNoTokenFile(t, env)
			if env["MONZO_STATE"] == env["state"] {
				assertCodeUnspent(t, env)
			}
		})
	}
}

func TestAccessDeniedBranch(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{Deny: true})
	code, out := runWith(env, false)
	if code != 1 || !strings.Contains(out, "State code does not match") || !strings.Contains(out, "denied") {
		t.Fatalf("exit %d, output %q", code, out)
	}
	assertNoTokenFile(t, env)
}

func TestMissingReturnedState(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	useCode(env, "")
	code, out := runWith(env, false)
	if code != 1 || !strings.Contains(out, "MONZO_RETURNED_STATE is not set") || !strings.Contains(out, "MONZO_REDIRECTED_URL") {
		t.Fatalf("exit %d, output %q; want a message naming MONZO_RETURNED_STATE", code, out)
	}
	assertNoTokenFile(t, env)
	assertCodeUnspent(t, env)
}

func TestMissingInputs(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})

	noState := map[string]string{}
	for k, v := range env {
		noState[k] = v
	}
	delete(noState, "MONZO_STATE")
	if code, out := runWith(noState, false); code != 1 || !strings.Contains(out, "MONZO_STATE is not set") {
		t.Errorf("without MONZO_STATE: exit %d, output %q", code, out)
	}

	delete(env, "MONZO_REDIRECTED_URL")
	if code, out := runWith(env, false); code != 1 || !strings.Contains(out, "set MONZO_REDIRECTED_URL") {
		t.Errorf("without a redirect: exit %d, output %q", code, out)
	}
	assertNoTokenFile(t, env)
	assertCodeUnspent(t, env)
}

func TestServerErrorBranch(t *testing.T) {
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	if code, out := runWith(env, false); code != 0 {
		t.Fatalf("first exchange failed:\n%s", out)
	}
	code, out := runWith(env, false) // the code is single-use
	if code != 1 || !strings.Contains(out, "Monzo Server Error") {
		t.Fatalf("exit %d, output %q", code, out)
	}
	if strings.Contains(out, env["code"]) || strings.Contains(out, env["MONZO_CLIENT_SECRET"]) {
		t.Error("the error output leaks the code or the secret")
	}
}

func TestUnsafeTokenDirectoryStillShowsToken(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX permissions")
	}
	srv := monzotest.NewServer(t)
	env := login(t, srv, emulator.Consent{})
	dir := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	env["MONZO_TOKEN_FILE"] = filepath.Join(dir, "token.json")
	code, out := runWith(env, false)
	if code != 0 || !strings.Contains(out, "could not save the token") || !strings.Contains(out, "chmod 700 "+dir) || strings.Contains(out, "(redacted)") {
		t.Fatalf("exit %d, output %q; want the refusal, its fix and the tokens in full", code, out)
	}
	assertNoTokenFile(t, env)
}
