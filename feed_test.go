package monzo_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/emulator"
	"github.com/monzokit/monzo/monzotest"
)

func TestFeedItemValidate(t *testing.T) {
	valid := monzo.FeedItem{
		AccountID: "acc_1",
		Params:    monzo.BasicFeedParams{Title: "Hi", ImageURL: "https://example.com/i.png", BackgroundColor: "#FCF1EE", TitleColor: "#333333", BodyColor: "#abcdef"},
	}
	if err := valid.Validate(); err != nil {
		t.Fatalf("valid item: %v", err)
	}
	tests := []struct {
		name string
		edit func(*monzo.FeedItem)
		want string
	}{
		{"no account", func(i *monzo.FeedItem) { i.AccountID = "" }, "AccountID is required"},
		{"no title", func(i *monzo.FeedItem) { i.Params.Title = " " }, "Params.Title is required"},
		{"no image", func(i *monzo.FeedItem) { i.Params.ImageURL = "" }, "Params.ImageURL is required"},
		{"short colour", func(i *monzo.FeedItem) { i.Params.BackgroundColor = "#FFF" }, `Params.BackgroundColor "#FFF"`},
		{"no hash", func(i *monzo.FeedItem) { i.Params.TitleColor = "FFFFFF0" }, `Params.TitleColor "FFFFFF0"`},
		{"not hex", func(i *monzo.FeedItem) { i.Params.BodyColor = "#GGGGGG" }, `Params.BodyColor "#GGGGGG"`},
		{"relative image", func(i *monzo.FeedItem) { i.Params.ImageURL = "icon.png" }, `Params.ImageURL "icon.png": it is not an absolute http(s) URL`},
		{"image without host", func(i *monzo.FeedItem) { i.Params.ImageURL = "https:///i.png" }, `Params.ImageURL "https:///i.png"`},
		{"image not web", func(i *monzo.FeedItem) { i.Params.ImageURL = "file:///tmp/i.png" }, `Params.ImageURL "file:///tmp/i.png"`},
		{"link not web", func(i *monzo.FeedItem) { i.URL = "javascript:alert(1)" }, `URL "javascript:alert(1)"`},
		{"link unparsable", func(i *monzo.FeedItem) { i.URL = "http://[::1" }, `URL "http://[::1"`},
		{"link query not repeated", func(i *monzo.FeedItem) { i.URL = "/rent?sig=s3cr3t" }, `URL "/rent?sig=[redacted]"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			item := valid
			tt.edit(&item)
			err := item.Validate()
			if !errors.Is(err, monzo.ErrInvalidArgument) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want ErrInvalidArgument mentioning %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Fatalf("Validate() = %v repeats a query string", err)
			}
		})
	}
}

// TestFeedCreateIsNeverRetried proves a feed post, which is not idempotent,
// is sent once even when the server answers 503 and the policy allows
// several attempts. The same server and policy retry an idempotent call, so
// the test would notice a policy that never retries anything.
func TestFeedCreateIsNeverRetried(t *testing.T) {
	var feedPosts, deletes atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			feedPosts.Add(1)
		case "/transaction-receipts":
			deletes.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"code":"internal_service.unavailable","message":"try again"}`))
	}))
	defer ts.Close()
	client, err := monzo.NewClient(
		monzo.WithBaseURL(ts.URL),
		monzo.WithHTTPClient(ts.Client()),
		monzo.WithAccessToken("test-token"),
		monzo.WithRetryPolicy(monzo.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Microsecond, MaxDelay: time.Microsecond, MaxWait: time.Second}),
	)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	err = client.Feed.Create(ctx, monzo.FeedItem{AccountID: "acc_1", Params: monzo.BasicFeedParams{Title: "t", ImageURL: "https://example.com/i.png"}})
	var apiErr *monzo.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("Create: err = %v, want a 503 *monzo.Error", err)
	}
	if n := feedPosts.Load(); n != 1 {
		t.Fatalf("the server saw %d feed posts, want exactly 1 (feed items must never be retried)", n)
	}
	_ = client.Receipts.Delete(ctx, "r-1")
	if n := deletes.Load(); n != 5 {
		t.Fatalf("the server saw %d receipt deletes, want 5 (idempotent calls are retried)", n)
	}
}

func TestFeedCreateOnTheEmulator(t *testing.T) {
	srv := monzotest.NewServer(t)
	ctx := context.Background()
	acc := srv.AccountID(monzo.AccountTypeRetail)
	err := srv.Client.Feed.Create(ctx, monzo.FeedItem{
		AccountID: acc,
		URL:       "https://example.com/budget",
		Params: monzo.BasicFeedParams{
			Title:           "Over budget",
			ImageURL:        "https://example.com/icon.gif",
			Body:            "You spent £120 on eating out this month",
			BackgroundColor: "#FCF1EE",
			TitleColor:      "#333333",
			BodyColor:       "#FE5F55",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	items := srv.Emulator.FeedItems(acc)
	if len(items) != 1 {
		t.Fatalf("the emulator recorded %d items, want 1", len(items))
	}
	got := items[0]
	if got.Type != "basic" || got.URL != "https://example.com/budget" || got.Params["title"] != "Over budget" ||
		got.Params["image_url"] != "https://example.com/icon.gif" || got.Params["body"] != "You spent £120 on eating out this month" ||
		got.Params["background_color"] != "#FCF1EE" || got.Params["title_color"] != "#333333" || got.Params["body_color"] != "#FE5F55" {
		t.Errorf("recorded item = %+v", got)
	}
	// Optional params left empty are not sent at all.
	if err := srv.Client.Feed.Create(ctx, monzo.FeedItem{AccountID: acc, Params: monzo.BasicFeedParams{Title: "t", ImageURL: "https://example.com/i.png"}}); err != nil {
		t.Fatal(err)
	}
	if p := srv.Emulator.FeedItems(acc)[1].Params; len(p) != 2 {
		t.Errorf("params sent = %v, want only title and image_url", p)
	}

	// Server-side refusals come back as typed errors.
	err = srv.Client.Feed.Create(ctx, monzo.FeedItem{AccountID: "acc_nope", Params: monzo.BasicFeedParams{Title: "t", ImageURL: "https://example.com/i.png"}})
	if !errors.Is(err, monzo.ErrNotFound) {
		t.Errorf("unknown account: err = %v, want ErrNotFound", err)
	}
	err = srv.Client.Feed.Create(ctx, monzo.FeedItem{AccountID: acc, Type: "image", Params: monzo.BasicFeedParams{Title: "t", ImageURL: "https://example.com/i.png"}})
	var apiErr *monzo.Error
	if !errors.As(err, &apiErr) || !apiErr.HasCode("bad_request.bad_param.type") {
		t.Errorf("unsupported type: err = %v, want bad_request.bad_param.type", err)
	}
	// Client-side validation stops a bad item before any request.
	if err := srv.Client.Feed.Create(ctx, monzo.FeedItem{AccountID: acc}); err == nil {
		t.Error("an item without a title was accepted")
	}
	if n := len(srv.Emulator.FeedItems(acc)); n != 2 {
		t.Errorf("%d items recorded, want 2", n)
	}
}

// TestFeedCreateIsNotRetriedOnTheEmulator is TestFeedCreateIsNeverRetried
// against the emulator's injected faults: even a fault answered after the
// item was stored (the lost-response case) leads to exactly one item.
func TestFeedCreateIsNotRetriedOnTheEmulator(t *testing.T) {
	srv := monzotest.NewServer(t)
	client := srv.NewClient(srv.Login, monzo.WithRetryPolicy(monzo.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Microsecond, MaxDelay: time.Microsecond, MaxWait: time.Second}))
	acc := srv.AccountID(monzo.AccountTypeRetail)
	if err := srv.Emulator.InjectFault(emulator.Fault{Method: http.MethodPost, Path: "/feed", Status: http.StatusServiceUnavailable, Times: 5, AfterHandling: true}); err != nil {
		t.Fatal(err)
	}
	err := client.Feed.Create(context.Background(), monzo.FeedItem{AccountID: acc, Params: monzo.BasicFeedParams{Title: "t", ImageURL: "https://example.com/i.png"}})
	var apiErr *monzo.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("Create: err = %v, want a 503", err)
	}
	if n := srv.Emulator.FaultsServed(); n != 1 {
		t.Errorf("the emulator answered %d feed posts, want exactly 1", n)
	}
	if n := len(srv.Emulator.FeedItems(acc)); n != 1 {
		t.Errorf("%d items were posted, want 1", n)
	}
}
