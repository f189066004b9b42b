package monzo_test

// Tests added after mutation testing (see CONTRIBUTING.md): each one pins a
// behaviour that a surviving mutant showed no other test asserted.

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/monzokit/monzo"
	"github.com/monzokit/monzo/monzotest"
)

// TestDoRefusesURLShapedPathsEachOnItsOwn: each sign of a URL is enough to
// refuse a path on its own: a scheme with neither host nor opaque part
// ("https:/accounts") and a network-path reference with an empty authority
// ("///accounts"), which a sloppy check would read as the path /accounts.
func TestDoRefusesURLShapedPathsEachOnItsOwn(t *testing.T) {
	srv := monzotest.NewServer(t)
	c, counter := countingClient(t, srv)
	for _, path := range []string{"https:/accounts", "///accounts"} {
		err := c.Do(context.Background(), "GET", path, nil, nil)
		if !errors.Is(err, monzo.ErrInvalidArgument) || !strings.Contains(err.Error(), "not a URL") {
			t.Errorf("Do(GET, %q) = %v, want ErrInvalidArgument saying it is not a URL", path, err)
		}
	}
	if n := counter.count(""); n != 0 {
		t.Errorf("%d requests sent for URL-shaped paths", n)
	}
}
