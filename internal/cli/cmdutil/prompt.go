package cmdutil

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/monzokit/monzo/internal/cli/iostreams"
)

// ReadLine reads one line from r, giving up when ctx ends (Ctrl-C must
// not wait for a line that never comes). A last line without its newline
// counts; nothing at all is a UsageError.
func ReadLine(ctx context.Context, r io.Reader) (string, error) {
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		// One byte at a time: a buffered reader would keep what follows
		// the line, and the next question would find stdin empty.
		var line []byte
		b := make([]byte, 1)
		var err error
		for {
			var n int
			n, err = r.Read(b)
			if n == 1 {
				line = append(line, b[0])
				if b[0] == '\n' {
					err = nil
					break
				}
			}
			if err != nil {
				break
			}
		}
		if err == io.EOF && len(line) > 0 {
			err = nil
		}
		ch <- result{string(line), err}
	}()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case res := <-ch:
		if res.err == io.EOF {
			return "", Usagef("nothing on stdin")
		}
		return res.line, res.err
	}
}

// Confirm asks q as a yes/no question on standard error and reads the
// answer from standard input: only y or yes (any case) is yes; anything
// else, or nothing, is no. Only an interrupt is an error.
func Confirm(ctx context.Context, ios *iostreams.IOStreams, q string) (bool, error) {
	fmt.Fprintf(ios.ErrOut, "%s [y/N] ", q)
	line, err := ReadLine(ctx, ios.In)
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	answer := strings.ToLower(strings.TrimSpace(line))
	return err == nil && (answer == "y" || answer == "yes"), nil
}
