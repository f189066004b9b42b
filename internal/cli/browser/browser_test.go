package browser

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestOpenWithoutADisplayFailsAtOnce(t *testing.T) {
	err := open(context.Background(), "http://127.0.0.1/x", env(nil), "linux")
	if !errors.Is(err, ErrNoDisplay) {
		t.Errorf("no DISPLAY: %v, want ErrNoDisplay", err)
	}
	for _, v := range []string{"DISPLAY", "WAYLAND_DISPLAY"} {
		if name, _ := opener(env(map[string]string{v: ":0"}), "linux"); name != "xdg-open" {
			t.Errorf("with %s the opener is %q, want xdg-open", v, name)
		}
	}
}

func TestOpenReportsAFailingOpener(t *testing.T) {
	err := open(context.Background(), "http://127.0.0.1/x", env(map[string]string{"BROWSER": "false"}), "linux")
	if err == nil || !strings.Contains(err.Error(), "false failed") {
		t.Errorf("an opener exiting 1: %v, want a failure", err)
	}
	err = open(context.Background(), "http://127.0.0.1/x", env(map[string]string{"BROWSER": "no-such-browser-anywhere"}), "linux")
	if err == nil || !strings.Contains(err.Error(), "$BROWSER") {
		t.Errorf("a missing opener: %v", err)
	}
}

func TestOpenSucceedsWhenTheOpenerDoes(t *testing.T) {
	// $BROWSER beats the display check, and a list takes its first entry.
	if err := open(context.Background(), "http://127.0.0.1/x", env(map[string]string{"BROWSER": "true:firefox"}), "linux"); err != nil {
		t.Errorf("an opener exiting 0: %v", err)
	}
}
