package cmdutil_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/monzokit/monzo/internal/cli/cmdutil"
	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// Only y or yes is yes: a typo, an empty line or a closed stdin never
// moves money.
func TestConfirm(t *testing.T) {
	for in, want := range map[string]bool{
		"y\n": true, "yes\n": true, " YES \n": true, "y": true,
		"n\n": false, "\n": false, "": false, "yy\n": false, "no\n": false,
	} {
		ios, stdin, _, stderr := iostreams.Test()
		stdin.WriteString(in)
		got, err := cmdutil.Confirm(context.Background(), ios, "Move 5.00 GBP?")
		if err != nil || got != want {
			t.Errorf("answer %q: %v, %v; want %v", in, got, err, want)
		}
		if stderr.String() != "Move 5.00 GBP? [y/N] " {
			t.Errorf("asked %q", stderr.String())
		}
	}
}

// An interrupt ends the question at once, as an error.
func TestConfirmInterrupted(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	r, w := io.Pipe() // a terminal where nobody answers
	defer w.Close()
	ios.In = r
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if ok, err := cmdutil.Confirm(ctx, ios, "Move?"); ok || !errors.Is(err, context.Canceled) {
		t.Errorf("%v, %v; want no and context.Canceled", ok, err)
	}
}

// ReadLine counts a last line without its newline; nothing at all is bad
// input.
func TestReadLine(t *testing.T) {
	if got, err := cmdutil.ReadLine(context.Background(), strings.NewReader("tok")); err != nil || got != "tok" {
		t.Errorf("%q, %v", got, err)
	}
	var ue *cmdutil.UsageError
	if _, err := cmdutil.ReadLine(context.Background(), strings.NewReader("")); !errors.As(err, &ue) {
		t.Errorf("empty stdin: %v, want a usage error", err)
	}
}

// Two questions in a row each get their own line: reading the first
// answer must not swallow the second.
func TestReadLineLeavesTheNextLine(t *testing.T) {
	in := strings.NewReader("first\nsecond\nthird")
	for _, want := range []string{"first\n", "second\n", "third"} {
		got, err := cmdutil.ReadLine(context.Background(), in)
		if err != nil || got != want {
			t.Fatalf("ReadLine = %q, %v; want %q", got, err, want)
		}
	}
	if _, err := cmdutil.ReadLine(context.Background(), in); err == nil {
		t.Error("ReadLine after the last line: no error")
	}
}
