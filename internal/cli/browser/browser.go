// Package browser opens URLs in the user's web browser.
package browser

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"runtime"
)

// Open opens url in the default browser. $BROWSER, when set, names the
// program to use.
func Open(ctx context.Context, url string) error {
	var cmd *exec.Cmd
	switch b := os.Getenv("BROWSER"); {
	case b != "":
		cmd = exec.CommandContext(ctx, b, url)
	case runtime.GOOS == "darwin":
		cmd = exec.CommandContext(ctx, "open", url)
	case runtime.GOOS == "windows":
		cmd = exec.CommandContext(ctx, "rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.CommandContext(ctx, "xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return errors.New("no browser found: open the URL yourself, or set $BROWSER")
		}
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
