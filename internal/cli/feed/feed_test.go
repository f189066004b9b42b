package feed_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/internal/cli/clitest"
)

func TestFeedPost(t *testing.T) {
	e := clitest.New(t)
	acct := e.Srv.AccountID(monzo.AccountTypeRetail)
	res := e.MustRun("feed", "post", "--title", "Backup done", "--image-url", "https://example.com/i.png", "--body", "all good", "--url", "https://example.com/r")
	e.Golden("post", res.Out)
	items := e.Srv.Emulator.FeedItems(acct)
	if len(items) != 1 {
		t.Fatalf("emulator has %d feed items, want 1", len(items))
	}
	it := items[0]
	if it.Params["title"] != "Backup done" || it.Params["body"] != "all good" || it.Params["image_url"] != "https://example.com/i.png" || it.URL != "https://example.com/r" {
		t.Errorf("posted %+v", it)
	}
	var got map[string]any
	res = e.MustRun("feed", "post", "--title", "Two", "--image-url", "https://example.com/i.png", "--json")
	if err := json.Unmarshal([]byte(res.Out), &got); err != nil || got["account_id"] != acct {
		t.Errorf("--json: %v %s", err, res.Out)
	}
	if n := len(e.Srv.Emulator.FeedItems(acct)); n != 2 {
		t.Errorf("emulator has %d feed items, want 2", n)
	}
}

func TestFeedPostBadInputSendsNothing(t *testing.T) {
	e := clitest.New(t)
	for _, args := range [][]string{
		{"feed", "post", "--image-url", "https://example.com/i.png"},
		{"feed", "post", "--title", "t"},
		{"feed", "post", "--title", "t", "--image-url", "not a url"},
		{"feed", "post", "--title", "t", "--image-url", "https://example.com/i.png", "--url", "example.com/r"},
		{"feed", "post", "extra", "--title", "t", "--image-url", "https://example.com/i.png"},
		{"feed", "bogus"},
	} {
		res := e.Refused(args...)
		if !strings.Contains(res.Err, "hint:") {
			t.Errorf("monzo %q: no hint:\n%s", args, res.Err)
		}
	}
}
