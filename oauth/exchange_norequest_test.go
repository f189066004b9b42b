package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/monzokit/monzo"
)

// countingServer answers every request with 500 and counts them, to prove
// that refused exchanges never reach the network.
func countingServer(t *testing.T) (*Config, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, "should not be called", http.StatusInternalServerError)
	}))
	t.Cleanup(srv.Close)
	return &Config{
		ClientID:     "oauth2client_x",
		ClientSecret: "mnzconf.SECRET",
		RedirectURL:  "http://127.0.0.1/cb",
		APIBaseURL:   srv.URL,
		HTTPClient:   srv.Client(),
	}, &n
}

func TestExchangeRefusesWithoutSendingARequest(t *testing.T) {
	cfg, n := countingServer(t)
	ctx := context.Background()
	good, err := NewState()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                   string
		code, returned, expect string
		want                   error
	}{
		{"state mismatch", "code-SECRET", good[:len(good)-1] + "x", good, ErrStateMismatch},
		{"state missing on redirect", "code-SECRET", "", good, ErrStateMismatch},
		{"no expected state", "code-SECRET", "", "", ErrStateMismatch},
		{"prefix of state", "code-SECRET", good[:10], good, ErrStateMismatch},
		{"empty code", "", good, good, ErrMissingCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := cfg.Exchange(ctx, tt.code, tt.returned, tt.expect)
			if !errors.Is(err, tt.want) || tok != nil {
				t.Fatalf("Exchange = %v, %v; want %v", tok, err, tt.want)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error leaks a secret: %v", err)
			}
		})
	}
	if errors.Is(ErrStateMismatch, ErrMissingCode) || errors.Is(ErrMissingCode, ErrStateMismatch) {
		t.Error("ErrStateMismatch and ErrMissingCode must be distinct")
	}
	if _, err := cfg.ExchangeCallback(ctx, "http://127.0.0.1/cb?code=c&state=evil", good); !errors.Is(err, ErrStateMismatch) {
		t.Errorf("ExchangeCallback with a forged state = %v", err)
	}
	if _, err := cfg.ExchangeCallback(ctx, "http://127.0.0.1/cb?error=access_denied&state="+good, good); !errors.Is(err, ErrAccessDenied) {
		t.Errorf("ExchangeCallback with access_denied = %v", err)
	}
	if _, err := cfg.Refresh(ctx, ""); !errors.Is(err, ErrCannotRefresh) {
		t.Errorf("Refresh(\"\") = %v, want ErrCannotRefresh", err)
	}
	if got := n.Load(); got != 0 {
		t.Fatalf("%d requests reached the server, want 0", got)
	}

	// The server is really there: a well-formed exchange does reach it.
	_, err = cfg.Exchange(ctx, "code-SECRET", good, good)
	var apiErr *monzo.Error
	if n.Load() != 1 || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusInternalServerError {
		t.Fatalf("a valid exchange should reach the server and return its 500 as a *monzo.Error: err=%v requests=%d", err, n.Load())
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error leaks a secret: %v", err)
	}
}

func TestExchangeNeedsSecret(t *testing.T) {
	cfg, n := countingServer(t)
	cfg.ClientSecret = ""
	if _, err := cfg.Exchange(context.Background(), "c", "s", "s"); err == nil || !strings.Contains(err.Error(), "ClientSecret") {
		t.Fatalf("Exchange without secret = %v", err)
	}
	if n.Load() != 0 {
		t.Fatal("a request was sent without a secret")
	}
}
