// Package browser opens URLs in the user's web browser and reports when it
// could not, so that callers can tell the user to open the URL themselves
// instead of waiting in silence.
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// ErrNoDisplay means there is no graphical session to open a browser in.
var ErrNoDisplay = errors.New("browser: no display (DISPLAY and WAYLAND_DISPLAY are unset)")

// exitWait is how long Open waits for the opener to fail. Openers such as
// xdg-open exit at once with an error when they cannot open anything; a
// browser started directly through $BROWSER keeps running, which counts
// as success.
const exitWait = 3 * time.Second

// Open opens url in the default browser. $BROWSER, when set, names the
// program to use. It returns an error when no opener exists, when on Linux
// there is no display, or when the opener exits with a failure status.
func Open(ctx context.Context, url string) error {
	return open(ctx, url, os.Getenv, runtime.GOOS)
}

func open(ctx context.Context, url string, getenv func(string) string, goos string) error {
	name, args := opener(getenv, goos)
	if name == "" {
		return ErrNoDisplay
	}
	cmd := exec.CommandContext(context.WithoutCancel(ctx), name, append(args, url)...)
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("browser: %s not found: set $BROWSER to your browser's command", name)
		}
		return fmt.Errorf("browser: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t := time.NewTimer(exitWait)
	defer t.Stop()
	select {
	case err := <-exited:
		if err != nil {
			return fmt.Errorf("browser: %s failed: %w", name, err)
		}
		return nil
	case <-t.C:
		return nil // still running: a browser in the foreground
	case <-ctx.Done():
		return ctx.Err()
	}
}

// opener picks the program that opens URLs, or "" when there is none to
// try (Linux without a display and without $BROWSER).
func opener(getenv func(string) string, goos string) (string, []string) {
	if b := getenv("BROWSER"); b != "" {
		// $BROWSER may be a list ("firefox:chromium"); take the first.
		b, _, _ = strings.Cut(b, ":")
		return b, nil
	}
	switch goos {
	case "darwin":
		return "open", nil
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler"}
	default:
		if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
			return "", nil
		}
		return "xdg-open", nil
	}
}
