package oauth_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo/oauth"
)

func TestCallbackListener(t *testing.T) {
	l, err := oauth.ListenForCallback("http://127.0.0.1:0/callback")
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(l.RedirectURL, ":0/callback") || !strings.HasPrefix(l.RedirectURL, "http://127.0.0.1:") {
		t.Fatalf("RedirectURL = %q, want the real port", l.RedirectURL)
	}
	base := strings.TrimSuffix(l.RedirectURL, "/callback")
	resp, err := http.Get(base + "/elsewhere?code=x&state=y")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("other path: status %d, want 404", resp.StatusCode)
	}
	resp, err = http.Get(l.RedirectURL + "?code=authzcode_abc&state=s1")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "close this tab") || strings.Contains(string(page), "authzcode_abc") {
		t.Errorf("page = %q: want a closing message without the code", page)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cb, err := l.Wait(ctx)
	if err != nil || cb.Code != "authzcode_abc" || cb.State != "s1" {
		t.Fatalf("Wait = %+v, %v", cb, err)
	}
	if _, err := http.Get(l.RedirectURL); err == nil {
		t.Error("listener still answers after Wait")
	}
}

func TestCallbackListenerDenied(t *testing.T) {
	l, err := oauth.ListenForCallback("http://127.0.0.1:0/cb")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(l.RedirectURL + "?error=access_denied&state=s1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, err = l.Wait(context.Background())
	if !errors.Is(err, oauth.ErrAccessDenied) {
		t.Fatalf("Wait error = %v, want ErrAccessDenied", err)
	}
}

func TestCallbackListenerRefusesNonLoopback(t *testing.T) {
	for _, u := range []string{"https://127.0.0.1:0/cb", "http://example.com/cb", "not a url", "http://10.1.2.3:0/cb"} {
		if l, err := oauth.ListenForCallback(u); err == nil {
			l.Close()
			t.Errorf("ListenForCallback(%q) succeeded, want an error", u)
		}
	}
}

func TestCallbackListenerTimeout(t *testing.T) {
	l, err := oauth.ListenForCallback("http://127.0.0.1:0/cb")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait on a cancelled context = %v", err)
	}
}
