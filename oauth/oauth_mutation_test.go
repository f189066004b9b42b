package oauth_test

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test in this package
// asserted.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/oauth"
	"golang.org/x/oauth2"
)

// TestCallbackStringSaysWhetherACodeCameBack: the code itself is never
// printed, but the description still tells "no code" from "a code".
func TestCallbackStringSaysWhetherACodeCameBack(t *testing.T) {
	const code = "authcode-0123456789abcdef"
	with := fmt.Sprint(oauth.Callback{Code: code, State: "st"})
	without := fmt.Sprint(oauth.Callback{State: "st"})
	if strings.Contains(with, code) || !strings.Contains(with, "Code: [redacted]") {
		t.Errorf("with a code: %s, want Code: [redacted]", with)
	}
	if !strings.Contains(without, "Code: none") {
		t.Errorf("without a code: %s, want Code: none", without)
	}
}

// TestAuthorizationErrorMessages: a refusal reads as a refusal; any other
// error names Monzo's code; both say what to do next.
func TestAuthorizationErrorMessages(t *testing.T) {
	for _, tc := range []struct {
		err  oauth.AuthorizationError
		want string
	}{
		{oauth.AuthorizationError{Code: "access_denied"}, "oauth: access was denied (start the login again and approve the request)"},
		{oauth.AuthorizationError{Code: "access_denied", Description: "the user said no"}, "oauth: access was denied: the user said no (start the login again and approve the request)"},
		{oauth.AuthorizationError{Code: "server_error"}, "oauth: authorization failed: server_error (start the login again and approve the request)"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.err, got, tc.want)
		}
	}
}

// TestParseCallbackIgnoresTheFragment: parameters after "#" are not part of
// the redirect's query, even when the fragment starts right after "?".
func TestParseCallbackIgnoresTheFragment(t *testing.T) {
	for _, raw := range []string{
		"http://127.0.0.1:7777/callback?#state=s&code=c",
		"http://127.0.0.1:7777/callback?state=s#&code=c",
	} {
		if cb, err := oauth.ParseCallback(raw); !errors.Is(err, oauth.ErrMissingCode) {
			t.Errorf("ParseCallback(%q) = %+v, %v; want ErrMissingCode (the code is in the fragment)", raw, cb, err)
		}
	}
}

// TestTokenSourceDefaultAPIHost: a Config without APIBaseURL refreshes at
// Monzo's API host, and says so (monzo.NewClient compares it with the
// client's base URL before pairing them).
func TestTokenSourceDefaultAPIHost(t *testing.T) {
	ts, err := oauth.NewTokenSource(&oauth.Config{ClientID: "oauth2client_1", ClientSecret: "mnzconf.x", RedirectURL: "http://127.0.0.1:7777/callback"}, oauth.NewMemoryStore(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := ts.APIBaseURL(); got != oauth.DefaultAPIBaseURL {
		t.Errorf("APIBaseURL() = %q, want %q", got, oauth.DefaultAPIBaseURL)
	}
}

// TestTokenResponseGapsAreFilledSafely: a token response without client_id
// gets the Config's; one whose expires_in is missing, zero or negative has
// an unknown Expiry (zero) rather than one in the past or now.
func TestTokenResponseGapsAreFilledSafely(t *testing.T) {
	for _, tc := range []struct {
		name       string
		expiresIn  any // nil: removed from the response
		wantExpiry time.Time
	}{
		{"missing", nil, time.Time{}},
		{"zero", 0, time.Time{}},
		{"negative", -60, time.Time{}},
		{"one hour", 3600, start.Add(time.Hour)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			cfg := e.config(e.client)
			e.setRewrite(func(grant string, body map[string]any) {
				delete(body, "client_id")
				if tc.expiresIn == nil {
					delete(body, "expires_in")
				} else {
					body["expires_in"] = tc.expiresIn
				}
			})
			tok := e.login(cfg)
			if tok.ClientID != cfg.ClientID {
				t.Errorf("ClientID = %q, want the Config's %q", tok.ClientID, cfg.ClientID)
			}
			if !tok.Expiry.Equal(tc.wantExpiry) {
				t.Errorf("Expiry = %v, want %v", tok.Expiry, tc.wantExpiry)
			}
			if _, err := e.whoami(tok.AccessToken); err != nil {
				t.Errorf("the token does not work: %v", err)
			}
		})
	}
}

// TestOAuth2TokenTypeDefaultsToBearer: a token stored without a type (a
// BareToken, say) reaches x/oauth2 as a Bearer token.
func TestOAuth2TokenTypeDefaultsToBearer(t *testing.T) {
	for _, tc := range []struct{ stored, want string }{{"", "Bearer"}, {"Bearer", "Bearer"}, {"bearer", "bearer"}} {
		tok := oauth.BareToken("access-0123456789")
		tok.TokenType = tc.stored
		ts, err := oauth.NewTokenSource(nil, oauth.NewMemoryStore(tok))
		if err != nil {
			t.Fatal(err)
		}
		got, err := ts.OAuth2().Token()
		if err != nil {
			t.Fatal(err)
		}
		if got.TokenType != tc.want {
			t.Errorf("stored type %q: x/oauth2 TokenType %q, want %q", tc.stored, got.TokenType, tc.want)
		}
	}
}

// oauth2Source is an x/oauth2 TokenSource answering with fixed values.
type oauth2Source struct {
	tok *oauth2.Token
	err error
}

func (s oauth2Source) Token() (*oauth2.Token, error) { return s.tok, s.err }

// TestFromOAuth2RefusesNoTokenAndKeepsPlainErrors: a source that returns no
// token, or one without an access token, is an error (never an empty bearer
// token); a failure that is not an *oauth2.RetrieveError comes back as is.
func TestFromOAuth2RefusesNoTokenAndKeepsPlainErrors(t *testing.T) {
	for name, src := range map[string]oauth2Source{
		"nil token":            {},
		"token without access": {tok: &oauth2.Token{RefreshToken: "r"}},
	} {
		if got, err := oauth.FromOAuth2(src).AccessToken(context.Background()); err == nil || got != "" {
			t.Errorf("%s: AccessToken = %q, %v; want an error", name, got, err)
		}
	}
	down := errors.New("network is down")
	_, err := oauth.FromOAuth2(oauth2Source{err: down}).AccessToken(context.Background())
	if !errors.Is(err, down) || !strings.HasPrefix(err.Error(), "oauth: ") {
		t.Errorf("plain error: %v, want an oauth error wrapping %v", err, down)
	}
	if got, err := oauth.FromOAuth2(oauth2Source{tok: &oauth2.Token{AccessToken: "a"}}).AccessToken(context.Background()); err != nil || got != "a" {
		t.Errorf("good token: %q, %v", got, err)
	}
}

// TestFileStoreResolvesALinkedDirectoryBeforeTheFileExists: Path reports
// the resolved path even when the token file is not there yet and a
// directory on the way is a symbolic link.
func TestFileStoreResolvesALinkedDirectoryBeforeTheFileExists(t *testing.T) {
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(base, "target")
	if err := os.Mkdir(target, 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(base, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links unavailable: %v", err)
	}
	s, err := oauth.NewFileStore(filepath.Join(link, "monzo", "token.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(target, "monzo", "token.json"); s.Path() != want {
		t.Errorf("Path() = %q, want %q", s.Path(), want)
	}
}

// TestFileStoreLockSaysItGaveUpWaiting: a Lock whose context ends while
// another holder has the lock says it was waiting, and matches the
// context's error.
func TestFileStoreLockSaysItGaveUpWaiting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	holder, _ := oauth.NewFileStore(path)
	waiter, _ := oauth.NewFileStore(path)
	unlock, err := holder.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = waiter.Lock(ctx)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "waiting for the token file lock") {
		t.Fatalf("Lock with an ended context = %v, want a context.Canceled error saying it was waiting for the lock", err)
	}
}

// TestLogoutRefusesABadAPIBaseURL: Logout does not validate the whole
// Config, so the endpoint check itself must refuse an API host that is not
// an absolute URL, before anything is sent and without a panic.
func TestLogoutRefusesABadAPIBaseURL(t *testing.T) {
	for _, base := range []string{"api.monzo.com", "/relative", "http://[::1"} {
		cfg := &oauth.Config{ClientID: "oauth2client_1", RedirectURL: "http://127.0.0.1:7777/callback", APIBaseURL: base}
		err := cfg.Logout(context.Background(), "access-0123456789")
		if !errors.Is(err, monzo.ErrInvalidArgument) || !strings.Contains(err.Error(), "APIBaseURL") {
			t.Errorf("APIBaseURL %q: Logout = %v, want an invalid-argument error naming APIBaseURL", base, err)
		}
	}
}

// TestRedactedDescriptionsOfNilsAndOptionalParts: nil stores and sources
// describe and log themselves as "<nil>" instead of panicking inside a log
// call, and the descriptions say which optional parts are set.
func TestRedactedDescriptionsOfNilsAndOptionalParts(t *testing.T) {
	var (
		nilSource *oauth.TokenSource
		nilMemory *oauth.MemoryStore
		nilFile   *oauth.FileStore
	)
	for name, v := range map[string]slog.LogValuer{"TokenSource": nilSource, "MemoryStore": nilMemory, "FileStore": nilFile} {
		if got := v.LogValue().String(); got != "<nil>" {
			t.Errorf("nil %s logs %q, want <nil>", name, got)
		}
	}

	withParts := fmt.Sprint(oauth.Config{ClientID: "c", HTTPClient: http.DefaultClient, Clock: time.Now})
	without := fmt.Sprint(oauth.Config{ClientID: "c"})
	if !strings.Contains(withParts, "HTTPClient: set, Clock: set") || !strings.Contains(without, "HTTPClient: nil, Clock: nil") {
		t.Errorf("Config descriptions %q and %q do not say which parts are set", withParts, without)
	}

	path := filepath.Join(t.TempDir(), "token.json")
	fs, err := oauth.NewFileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	empty := oauth.NewMemoryStore(nil)
	ts, err := oauth.NewTokenSource(&oauth.Config{ClientID: "oauth2client_9", APIBaseURL: "https://api.example.com"}, empty)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		v    slog.LogValuer
		want string
	}{
		"FileStore":   {fs, fs.Path()},
		"MemoryStore": {empty, "token=none"},
		"TokenSource": {ts, "client_id=oauth2client_9 api_base_url=https://api.example.com"},
	} {
		if got := tc.v.LogValue().Resolve().String(); !strings.Contains(got, tc.want) {
			t.Errorf("%s logs %q, want it to contain %q", name, got, tc.want)
		}
	}
}

// TestFromOAuth2ConvertsEveryNon2xxAnswer: a 3xx answer to x/oauth2 is a
// Monzo error too, so errors.As finds its *monzo.Error.
func TestFromOAuth2ConvertsEveryNon2xxAnswer(t *testing.T) {
	for _, status := range []int{300, 400, 401} {
		re := &oauth2.RetrieveError{
			Response: &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}},
			Body:     []byte(`{"code":"bad_request","message":"no"}`),
		}
		_, err := oauth.FromOAuth2(oauth2Source{err: re}).AccessToken(context.Background())
		var apiErr *monzo.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
			t.Errorf("status %d: %v, want a *monzo.Error with that status", status, err)
		}
	}
}

// TestAbsurdExpiresInNeverExpiresTheToken: an expires_in too large for a
// time.Duration is clamped, so the token does not wrap around to an expiry
// in the past.
func TestAbsurdExpiresInNeverExpiresTheToken(t *testing.T) {
	for _, secs := range []float64{math.MaxInt64 / float64(time.Second), 1e12} {
		e := newEnv(t)
		e.setRewrite(func(grant string, body map[string]any) { body["expires_in"] = secs })
		tok := e.login(e.config(e.client))
		if !tok.Expiry.After(start.AddDate(200, 0, 0)) {
			t.Errorf("expires_in %v: Expiry %v, want centuries ahead", secs, tok.Expiry)
		}
	}
}

// TestZeroRefreshLeewayIsAllowed: a leeway of zero (refresh only once the
// token has expired) is valid; only a negative one is refused.
func TestZeroRefreshLeewayIsAllowed(t *testing.T) {
	store := oauth.NewMemoryStore(oauth.BareToken("access-0123456789"))
	if _, err := oauth.NewTokenSource(nil, store, oauth.WithRefreshLeeway(0)); err != nil {
		t.Errorf("WithRefreshLeeway(0): %v", err)
	}
	if _, err := oauth.NewTokenSource(nil, store, oauth.WithRefreshLeeway(-time.Nanosecond)); !errors.Is(err, monzo.ErrInvalidArgument) {
		t.Errorf("WithRefreshLeeway(-1ns): %v, want an invalid-argument error", err)
	}
}
