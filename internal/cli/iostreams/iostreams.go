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

	outTTY bool
	color  bool
}

// System returns the process's streams.
func System() *IOStreams {
	tty := term.IsTerminal(int(os.Stdout.Fd()))
	_, noColor := os.LookupEnv("NO_COLOR")
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, outTTY: tty, color: tty && !noColor && os.Getenv("TERM") != "dumb"}
}

// Test returns streams backed by buffers, for tests: nothing is a terminal.
func Test() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.outTTY }

// SetStdoutTTY overrides terminal detection (for tests).
func (s *IOStreams) SetStdoutTTY(v bool) { s.outTTY = v }

// ColorEnabled reports whether output may use ANSI colour.
func (s *IOStreams) ColorEnabled() bool { return s.color }

// Bold wraps text in bold when colour is enabled.
func (s *IOStreams) Bold(text string) string { return s.style("1", text) }

// Green colours text green when colour is enabled.
func (s *IOStreams) Green(text string) string { return s.style("32", text) }

// Yellow colours text yellow when colour is enabled.
func (s *IOStreams) Yellow(text string) string { return s.style("33", text) }

// Dim greys text out when colour is enabled.
func (s *IOStreams) Dim(text string) string { return s.style("2", text) }

func (s *IOStreams) style(code, text string) string {
	if !s.color {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}
