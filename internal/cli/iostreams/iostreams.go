// Package iostreams holds the standard streams a command writes to and what
// it knows about them (is it a terminal, may it use colour).
package iostreams

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are a command's input and outputs.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	inTTY, outTTY, errTTY bool
	color                 bool

	// readPassword reads a line from the terminal without echo.
	readPassword func() ([]byte, error)
}

// System returns the process's streams. Colour is on only when stdout is a
// terminal, NO_COLOR is unset (https://no-color.org) and TERM is not "dumb".
func System() *IOStreams {
	return newSystem(os.Getenv)
}

func newSystem(getenv func(string) string) *IOStreams {
	outTTY := term.IsTerminal(int(os.Stdout.Fd()))
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		inTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		outTTY: outTTY,
		errTTY: term.IsTerminal(int(os.Stderr.Fd())),
		color:  ColorAllowed(outTTY, getenv),
		readPassword: func() ([]byte, error) {
			return term.ReadPassword(int(os.Stdin.Fd()))
		},
	}
}

// ColorAllowed is the colour rule: a terminal, NO_COLOR unset or empty (as
// no-color.org defines it) and TERM not "dumb".
func ColorAllowed(tty bool, getenv func(string) string) bool {
	return tty && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// Test returns streams backed by buffers, for tests: nothing is a terminal.
func Test() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// IsStdinTTY reports whether standard input is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.inTTY }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.outTTY }

// IsStderrTTY reports whether standard error is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.errTTY }

// CanPrompt reports whether the user can be asked questions: both stdin
// and stdout are terminals.
func (s *IOStreams) CanPrompt() bool { return s.inTTY && s.outTTY }

// SetStdinTTY overrides terminal detection (for tests).
func (s *IOStreams) SetStdinTTY(v bool) { s.inTTY = v }

// SetStdoutTTY overrides terminal detection (for tests).
func (s *IOStreams) SetStdoutTTY(v bool) { s.outTTY = v }

// SetStderrTTY overrides terminal detection (for tests).
func (s *IOStreams) SetStderrTTY(v bool) { s.errTTY = v }

// SetColorEnabled overrides the colour decision (for tests).
func (s *IOStreams) SetColorEnabled(v bool) { s.color = v }

// SetPasswordReader replaces the no-echo terminal reader (for tests).
func (s *IOStreams) SetPasswordReader(f func() ([]byte, error)) { s.readPassword = f }

// ReadPassword reads one line from the terminal without echoing it.
func (s *IOStreams) ReadPassword() ([]byte, error) {
	if s.readPassword == nil {
		return nil, io.ErrUnexpectedEOF
	}
	return s.readPassword()
}

// ColorEnabled reports whether output may use ANSI colour.
func (s *IOStreams) ColorEnabled() bool { return s.color }

// Bold wraps text in bold when colour is enabled.
func (s *IOStreams) Bold(text string) string { return s.style("1", text) }

// Green colours text green when colour is enabled.
func (s *IOStreams) Green(text string) string { return s.style("32", text) }

// Red colours text red when colour is enabled.
func (s *IOStreams) Red(text string) string { return s.style("31", text) }

// Yellow colours text yellow when colour is enabled.
func (s *IOStreams) Yellow(text string) string { return s.style("33", text) }

// Dim greys text out when colour is enabled.
func (s *IOStreams) Dim(text string) string { return s.style("2", text) }

func (s *IOStreams) style(code, text string) string {
	if !s.color || text == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}
