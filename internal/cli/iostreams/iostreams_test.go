package iostreams

import (
	"bytes"
	"strings"
	"testing"
)

func TestColourOnlyOnATerminalWithoutNoColor(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct {
		tty  bool
		env  map[string]string
		want bool
	}{
		{true, nil, true},
		{false, nil, false},
		{true, map[string]string{"NO_COLOR": "1"}, false},
		{true, map[string]string{"TERM": "dumb"}, false},
		{false, map[string]string{"NO_COLOR": ""}, false},
	} {
		if got := ColorAllowed(c.tty, env(c.env)); got != c.want {
			t.Errorf("ColorAllowed(tty=%v, %v) = %v, want %v", c.tty, c.env, got, c.want)
		}
	}
}

func TestTableAlignsOnATerminalAndTabsWhenPiped(t *testing.T) {
	ios, _, out, _ := Test()
	tb := ios.NewTable("A", "B")
	tb.AddRow("x", "tab\there")
	tb.AddRow("longer", "y")
	if err := tb.Render(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "x\ttab here\nlonger\ty\n" {
		t.Errorf("piped table = %q", got)
	}
	out.Reset()
	ios.SetStdoutTTY(true)
	ios.SetColorEnabled(true)
	tb.Render()
	if !strings.Contains(out.String(), "\x1b[1mA\x1b[0m") || !strings.Contains(out.String(), "longer  y") {
		t.Errorf("terminal table = %q", out.String())
	}
}

func TestSpinnerIsQuietOffATerminal(t *testing.T) {
	ios, _, _, errOut := Test()
	sp := ios.StartSpinner("waiting")
	sp.Stop()
	sp.Stop()
	if got := errOut.String(); got != "waiting\n" || bytes.ContainsAny([]byte(got), "\r\x1b") {
		t.Errorf("spinner off a terminal wrote %q", got)
	}
}

// Amount columns line up on the right on a terminal, headers included;
// piped output stays plain tab-separated values.
func TestTableRightAlignsAmounts(t *testing.T) {
	ios, _, out, _ := Test()
	tb := ios.NewTable("NAME", "AMOUNT", "NOTE").AlignRight(1)
	tb.AddRow("coffee", "-5.40 GBP", "a")
	tb.AddRow("salary", "3462.92 GBP", "b")
	ios.SetStdoutTTY(true)
	if err := tb.Render(); err != nil {
		t.Fatal(err)
	}
	want := "NAME         AMOUNT  NOTE\n" +
		"coffee    -5.40 GBP  a\n" +
		"salary  3462.92 GBP  b\n"
	if got := out.String(); got != want {
		t.Errorf("terminal table:\n%s\nwant:\n%s", got, want)
	}
	out.Reset()
	ios.SetStdoutTTY(false)
	tb.Render()
	if got := out.String(); got != "coffee\t-5.40 GBP\ta\nsalary\t3462.92 GBP\tb\n" {
		t.Errorf("piped table = %q", got)
	}
}
