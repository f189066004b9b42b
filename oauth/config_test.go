package oauth

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestNewStateIsRandomAnd256Bits(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		s, err := NewState()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("state %q is not unpadded base64url: %v", s, err)
		}
		if len(raw) != 32 {
			t.Fatalf("state has %d bytes of entropy, want 32", len(raw))
		}
		if seen[s] {
			t.Fatalf("state %q repeated", s)
		}
		seen[s] = true
	}
}

func TestAuthCodeURL(t *testing.T) {
	cfg := &Config{
		ClientID:    "oauth2client_00009abc",
		RedirectURL: "http://127.0.0.1:8080/callback?x=1&y=a b",
	}
	got := cfg.AuthCodeURL("st&ate=1")
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "https" || u.Host != "auth.monzo.com" || u.Path != "/" {
		t.Errorf("URL %s: want https://auth.monzo.com/", got)
	}
	q := u.Query()
	want := map[string]string{
		"client_id":     cfg.ClientID,
		"redirect_uri":  cfg.RedirectURL,
		"response_type": "code",
		"state":         "st&ate=1",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q (URL %s)", k, q.Get(k), v, got)
		}
	}
	if len(q) != len(want) {
		t.Errorf("unexpected parameters in %s", got)
	}
}

func TestAuthCodeURLKeepsPathAndQuery(t *testing.T) {
	cfg := &Config{ClientID: "c", RedirectURL: "http://localhost/cb", AuthURL: "http://127.0.0.1:9999/emulator/auth?tenant=t1"}
	u, err := url.Parse(cfg.AuthCodeURL("s"))
	if err != nil {
		t.Fatal(err)
	}
	if u.Host != "127.0.0.1:9999" || u.Path != "/emulator/auth" {
		t.Errorf("host/path = %s%s, want 127.0.0.1:9999/emulator/auth", u.Host, u.Path)
	}
	if u.Query().Get("tenant") != "t1" || u.Query().Get("state") != "s" || u.Query().Get("client_id") != "c" {
		t.Errorf("query %q lost a parameter", u.RawQuery)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  *Config
		want string // substring; "" = valid
	}{
		{"valid", &Config{ClientID: "c", RedirectURL: "http://localhost/cb"}, ""},
		{"nil", nil, "nil *Config"},
		{"no client id", &Config{RedirectURL: "http://localhost/cb"}, "ClientID is empty"},
		{"no redirect", &Config{ClientID: "c"}, "RedirectURL is empty"},
		{"relative redirect", &Config{ClientID: "c", RedirectURL: "/cb"}, "RedirectURL \"/cb\" is not an absolute"},
		{"bad auth url", &Config{ClientID: "c", RedirectURL: "http://localhost/cb", AuthURL: "auth.monzo.com"}, "AuthURL"},
		{"bad api url", &Config{ClientID: "c", RedirectURL: "http://localhost/cb", APIBaseURL: "ftp://x"}, "APIBaseURL"},
		{"both missing", &Config{}, "ClientID is empty (copy the client id from https://developers.monzo.com); RedirectURL is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestSecretNeededOnlyForTokens(t *testing.T) {
	cfg := &Config{ClientID: "c", RedirectURL: "http://localhost/cb"}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate without secret: %v", err)
	}
	if err := cfg.validateForTokens(); err == nil || !strings.Contains(err.Error(), "ClientSecret is empty") {
		t.Fatalf("validateForTokens = %v, want a ClientSecret error", err)
	}
}

func TestOAuth2Config(t *testing.T) {
	cfg := &Config{ClientID: "c", ClientSecret: "s", RedirectURL: "http://localhost/cb", APIBaseURL: "http://127.0.0.1:1/prefix/"}
	oc := cfg.OAuth2Config()
	if oc.Endpoint.AuthURL != "https://auth.monzo.com/" {
		t.Errorf("AuthURL = %q", oc.Endpoint.AuthURL)
	}
	if oc.Endpoint.TokenURL != "http://127.0.0.1:1/prefix/oauth2/token" {
		t.Errorf("TokenURL = %q", oc.Endpoint.TokenURL)
	}
	if oc.Endpoint.AuthStyle != 1 { // oauth2.AuthStyleInParams
		t.Errorf("AuthStyle = %v, want AuthStyleInParams", oc.Endpoint.AuthStyle)
	}
	if oc.ClientID != "c" || oc.ClientSecret != "s" || oc.RedirectURL != "http://localhost/cb" {
		t.Errorf("credentials not copied: %+v", oc)
	}
	// Both build the same URL.
	a, _ := url.Parse(oc.AuthCodeURL("st"))
	b, _ := url.Parse(cfg.AuthCodeURL("st"))
	if a.Query().Encode() != b.Query().Encode() {
		t.Errorf("x/oauth2 URL %s differs from ours %s", a, b)
	}
}

// TestDefaultHTTPTimeout checks that a Config without an HTTPClient bounds
// its requests (a server that never answers must not block forever), and
// that a given HTTPClient is used as it is.
func TestDefaultHTTPTimeout(t *testing.T) {
	if got := (&Config{}).httpClient().Timeout; got != DefaultHTTPTimeout || got <= 0 {
		t.Errorf("default client timeout = %s, want %s", got, DefaultHTTPTimeout)
	}
	if got := (*Config)(nil).httpClient().Timeout; got != DefaultHTTPTimeout {
		t.Errorf("nil Config: timeout = %s, want %s", got, DefaultHTTPTimeout)
	}
	own := &http.Client{}
	if got := (&Config{HTTPClient: own}).httpClient(); got != own {
		t.Error("the Config's own HTTPClient was not used")
	}
}
