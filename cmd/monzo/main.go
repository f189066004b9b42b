// Command monzo works with the Monzo API from the command line. Start with
// `monzo demo`, which walks through the OAuth flow against a built-in
// emulator.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/monzokit/monzo/internal/cli/iostreams"
	"github.com/monzokit/monzo/internal/cli/root"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := root.Main(ctx, iostreams.System(), os.Args[1:])
	stop()
	os.Exit(code)
}
