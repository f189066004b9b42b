package cmdline

import (
	"bytes"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	const usage = "usage: step [-h]\n"
	for _, c := range []struct {
		args           []string
		status         int
		ok             bool
		stdout, stderr string // what each must contain ("" : must be empty)
	}{
		{nil, 0, true, "", ""},
		{[]string{"-v"}, 0, true, "", ""},
		{[]string{"-h"}, 0, false, usage, ""},
		{[]string{"-nonsense"}, 2, false, "", "usage:"},
		{[]string{"extra"}, 2, false, "", `step: unexpected argument "extra": settings come from the environment`},
	} {
		var stdout, stderr bytes.Buffer
		flags := NewFlagSet("step", &stderr)
		flags.Bool("v", false, "a flag")
		status, ok := Parse(flags, c.args, usage, &stdout, &stderr)
		if status != c.status || ok != c.ok {
			t.Errorf("%q: %d, %v; want %d, %v", c.args, status, ok, c.status, c.ok)
		}
		for _, w := range []struct{ name, got, want string }{{"stdout", stdout.String(), c.stdout}, {"stderr", stderr.String(), c.stderr}} {
			if (w.want == "") != (w.got == "") || !strings.Contains(w.got, w.want) {
				t.Errorf("%q: %s %q, want it to hold %q", c.args, w.name, w.got, w.want)
			}
		}
	}
}
