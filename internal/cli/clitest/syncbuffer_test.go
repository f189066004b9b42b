package clitest_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/monzokit/monzo/internal/cli/clitest"
)

// WaitFor returns once a later write completes the text, even when it
// arrives in pieces from another goroutine.
func TestSyncBufferWaitForWakesOnWrite(t *testing.T) {
	var b clitest.SyncBuffer
	b.Write([]byte("Waiting for "))
	go func() {
		b.Write([]byte("you to "))
		b.Write([]byte("approve\n"))
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got, err := b.WaitFor(ctx, "you to approve")
	if err != nil || !strings.HasSuffix(got, "Waiting for you to approve\n") {
		t.Fatalf("WaitFor = %q, %v", got, err)
	}
}

// Without the text, WaitFor ends with the context, saying what it saw.
func TestSyncBufferWaitForEndsWithTheContext(t *testing.T) {
	var b clitest.SyncBuffer
	b.Write([]byte("Logged in"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got, err := b.WaitFor(ctx, "approved")
	if !errors.Is(err, context.Canceled) || got != "Logged in" || !strings.Contains(err.Error(), "Logged in") {
		t.Fatalf("WaitFor = %q, %v", got, err)
	}
}
