package redact

import (
	"fmt"
	"strings"
	"testing"
)

type secretHolder string

func (s secretHolder) Format(f fmt.State, verb rune) { Format(f, verb, "holder("+State(string(s))+")") }

func TestFormatHidesTheSecretUnderEveryVerb(t *testing.T) {
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%8.3s"} {
		out := fmt.Sprintf(verb, secretHolder("s3cret"))
		if strings.Contains(out, "s3cret") || !strings.Contains(out, "holder("+Placeholder+")") {
			t.Errorf("%s: %q", verb, out)
		}
	}
	if got := fmt.Sprintf("%q", secretHolder("x")); got != `"holder([redacted])"` {
		t.Errorf("%%q = %s", got)
	}
	if State("") != "none" || State("x") != Placeholder {
		t.Error("State")
	}
}
