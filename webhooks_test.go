package monzo_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
)

func TestWebhooksCreateListDelete(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	acc := srv.AccountID(monzo.AccountTypeRetail)

	hooks, err := srv.Client.Webhooks.List(ctx, acc)
	if err != nil {
		t.Fatal(err)
	}
	if hooks == nil || len(hooks) != 0 {
		t.Fatalf("fresh account: %#v, want an empty, non-nil list", hooks)
	}

	wh, err := srv.Client.Webhooks.Create(ctx, acc, "https://example.com/monzo?token=s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(wh.ID, "webhook_") || wh.AccountID != acc || wh.URL != "https://example.com/monzo?token=s3cret" || len(wh.Raw) == 0 {
		t.Fatalf("created %+v", wh)
	}

	// Another application of the same user registers its own webhook; each
	// application sees only its own.
	otherLogin := srv.LogIn(srv.RegisterClient("other app", true), "")
	srv.Approve(otherLogin)
	other := srv.NewClient(otherLogin)
	if _, err := other.Webhooks.Create(ctx, acc, "https://other.example.com/hook"); err != nil {
		t.Fatal(err)
	}

	hooks, err = srv.Client.Webhooks.List(ctx, acc)
	if err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 || hooks[0].ID != wh.ID || hooks[0].URL != wh.URL {
		t.Fatalf("list = %+v, want just %s", hooks, wh.ID)
	}

	// The other application cannot delete ours.
	if err := other.Webhooks.Delete(ctx, wh.ID); !errors.Is(err, monzo.ErrNotFound) {
		t.Fatalf("foreign delete: err = %v, want ErrNotFound", err)
	}
	if err := srv.Client.Webhooks.Delete(ctx, wh.ID); err != nil {
		t.Fatal(err)
	}
	if hooks, _ := srv.Client.Webhooks.List(ctx, acc); len(hooks) != 0 {
		t.Fatalf("after delete: %+v", hooks)
	}
	// Deleting again says it is gone.
	if err := srv.Client.Webhooks.Delete(ctx, wh.ID); !errors.Is(err, monzo.ErrNotFound) {
		t.Fatalf("second delete: err = %v, want ErrNotFound", err)
	}
}

func TestWebhooksCreateValidatesURL(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	acc := srv.AccountID(monzo.AccountTypeRetail)
	for _, bad := range []string{"", "/monzo", "example.com/monzo", "ftp://example.com/", "https://", "::"} {
		if _, err := srv.Client.Webhooks.Create(ctx, acc, bad); err == nil {
			t.Errorf("Create(%q) accepted", bad)
		}
	}
	// The error names the problem without repeating the secret.
	_, err := srv.Client.Webhooks.Create(ctx, acc, "ftp://example.com/monzo?token=hunter2")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error = %v", err)
	}
	if _, err := srv.Client.Webhooks.Create(ctx, "", "https://example.com/"); err == nil {
		t.Error("empty account id accepted")
	}
	if _, err := srv.Client.Webhooks.List(ctx, " "); err == nil {
		t.Error("blank account id accepted")
	}
	if err := srv.Client.Webhooks.Delete(ctx, ""); err == nil {
		t.Error("empty webhook id accepted")
	}
	if hooks := srv.Emulator.Webhooks(); len(hooks) != 0 {
		t.Fatalf("invalid calls reached the API: %+v", hooks)
	}
	// The emulator's own validation agrees (an unknown account).
	if _, err := srv.Client.Webhooks.Create(ctx, "acc_0000NotMine", "https://example.com/"); !errors.Is(err, monzo.ErrNotFound) {
		t.Errorf("foreign account: err = %v", err)
	}
}

// fastRetries retries quickly so tests do not wait.
var fastRetries = monzotest.WithClientOptions(monzo.WithRetryPolicy(monzo.RetryPolicy{
	MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxWait: time.Second,
}))

func TestWebhooksCreateIsNotRetried(t *testing.T) {
	srv := monzotest.NewServer(t, fastRetries)
	ctx := context.Background()
	acc := srv.AccountID(monzo.AccountTypeRetail)
	// The registration happens, but the response is lost in a 502.
	if err := srv.Emulator.InjectFault(emulator.Fault{Method: http.MethodPost, Path: "/webhooks", Status: http.StatusBadGateway, AfterHandling: true, Times: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Client.Webhooks.Create(ctx, acc, "https://example.com/hook"); err == nil {
		t.Fatal("Create succeeded through a 502")
	}
	if n := len(srv.Emulator.Webhooks()); n != 1 {
		t.Fatalf("%d webhooks registered, want 1: Create must not be retried", n)
	}
}

func TestWebhooksListAndDeleteAreRetried(t *testing.T) {
	srv := monzotest.NewServer(t, fastRetries)
	ctx := context.Background()
	acc := srv.AccountID(monzo.AccountTypeRetail)
	wh, err := srv.Client.Webhooks.Create(ctx, acc, "https://example.com/hook")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []emulator.Fault{
		{Method: http.MethodGet, Path: "/webhooks", Status: http.StatusServiceUnavailable},
		{Method: http.MethodDelete, Path: "/webhooks/" + wh.ID, Status: http.StatusInternalServerError},
	} {
		if err := srv.Emulator.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}
	if hooks, err := srv.Client.Webhooks.List(ctx, acc); err != nil || len(hooks) != 1 {
		t.Fatalf("List through a 503: %v %+v", err, hooks)
	}
	if err := srv.Client.Webhooks.Delete(ctx, wh.ID); err != nil {
		t.Fatalf("Delete through a 500: %v", err)
	}
	if n := len(srv.Emulator.Webhooks()); n != 0 {
		t.Fatalf("%d webhooks left", n)
	}
}
