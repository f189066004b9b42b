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
	// The browser's request waits for Wait to accept it.
	type answer struct {
		status int
		page   string
		err    error
	}
	got := make(chan answer, 1)
	go func() {
		resp, err := http.Get(l.RedirectURL + "?code=authzcode_abc&state=s1")
		if err != nil {
			got <- answer{err: err}
			return
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- answer{resp.StatusCode, string(page), nil}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cb, err := l.Wait(ctx, "s1")
	if err != nil || cb.Code != "authzcode_abc" || cb.State != "s1" {
		t.Fatalf("Wait = %+v, %v", cb, err)
	}
	a := <-got
	if a.err != nil || a.status != http.StatusOK || !strings.Contains(a.page, "close this tab") || strings.Contains(a.page, "authzcode_abc") {
		t.Errorf("page = %d %q, %v: want a closing message without the code", a.status, a.page, a.err)
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
	go func() {
		if resp, err := http.Get(l.RedirectURL + "?error=access_denied&state=s1"); err == nil {
			resp.Body.Close()
		}
	}()
	_, err = l.Wait(context.Background(), "s1")
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
	if _, err := l.Wait(ctx, "s1"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait on a cancelled context = %v", err)
	}
}

// TestCallbackListenerIgnoresForgedRedirects fires requests with a wrong or
// missing state (as any web page could) before the genuine redirect: each
// gets a 400 page, and Wait returns the genuine code.
func TestCallbackListenerIgnoresForgedRedirects(t *testing.T) {
	l, err := oauth.ListenForCallback("http://127.0.0.1:0/cb")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	const state = "the-real-state"
	type result struct {
		cb  oauth.Callback
		err error
	}
	done := make(chan result, 1)
	go func() {
		cb, err := l.Wait(context.Background(), state)
		done <- result{cb, err}
	}()
	for _, forged := range []string{
		"?code=forged&state=guess",
		"?code=forged",
		"?error=access_denied&state=guess",
		"?code=forged&state=" + state + "x",
	} {
		resp, err := http.Get(l.RedirectURL + forged)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(page), "<html") {
			t.Errorf("forged %s: %d %s %q, want a 400 HTML page", forged, resp.StatusCode, resp.Header.Get("Content-Type"), page)
		}
		select {
		case r := <-done:
			t.Fatalf("Wait returned after the forged request %s: %+v, %v", forged, r.cb, r.err)
		default:
		}
	}
	resp, err := http.Get(l.RedirectURL + "?code=genuine&state=" + state)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("genuine redirect: status %d", resp.StatusCode)
	}
	r := <-done
	if r.err != nil || r.cb.Code != "genuine" {
		t.Fatalf("Wait = %+v, %v; want the genuine code", r.cb, r.err)
	}
}

func TestCallbackListenerWaitNeedsState(t *testing.T) {
	l, err := oauth.ListenForCallback("http://127.0.0.1:0/cb")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Wait(context.Background(), ""); !errors.Is(err, oauth.ErrStateMismatch) {
		t.Fatalf("Wait with no state = %v, want ErrStateMismatch", err)
	}
}

func TestCallbackListenerCloseEndsWait(t *testing.T) {
	l, err := oauth.ListenForCallback("http://127.0.0.1:0/cb")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := l.Wait(context.Background(), "s")
		done <- err
	}()
	l.Close()
	if err := <-done; err == nil || !strings.HasPrefix(err.Error(), "oauth: ") {
		t.Fatalf("Wait after Close = %v, want an oauth error", err)
	}
}
