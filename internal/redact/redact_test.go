package redact

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
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

func TestJSONEncodesTheLogDescription(t *testing.T) {
	v := slog.GroupValue(
		slog.String("secret", State("s3cret")),
		slog.Duration("wait", 90*time.Second),
		slog.Group("inner", slog.Int("n", 2), slog.Bool("ok", true)),
		slog.Any("nested", secretLogValuer("s3cret")),
	)
	got, err := JSON(v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"secret":"[redacted]","wait":"1m30s","inner":{"n":2,"ok":true},"nested":{"code":"[redacted]"}}`
	if string(got) != want {
		t.Errorf("JSON = %s, want %s", got, want)
	}
}

type secretLogValuer string

func (s secretLogValuer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("code", State(string(s))))
}
