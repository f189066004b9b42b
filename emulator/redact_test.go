package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// TestServerNeverShowsItsCSRFKey completes the module's secret-holder
// inventory (internal/redact's TestEverySecretHolderRedactsEverywhere,
// which checks *Server's description but cannot see the key): the key that
// signs consent forms never appears, in any encoding fmt could give it,
// under any verb, with either slog handler or with encoding/json.
func TestServerNeverShowsItsCSRFKey(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	key := s.csrfKey
	forms := []string{
		strings.Trim(fmt.Sprint(key), "[]"), // fmt's %v of a []byte: "12 34 …"
		hex.EncodeToString(key),
		strings.ToUpper(hex.EncodeToString(key)),
		base64.StdEncoding.EncodeToString(key)[:16],
		string(key),
	}
	var out strings.Builder
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		fmt.Fprintf(&out, verb+"\n", s)
		fmt.Fprintf(&out, verb+"\n", struct{ S *Server }{s})
	}
	for _, h := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var buf bytes.Buffer
		log := slog.New(h(&buf))
		log.Info("server", "s", s, "nested", struct{ S *Server }{s})
		out.Write(buf.Bytes())
	}
	data, err := json.Marshal(struct{ S *Server }{s})
	if err != nil {
		t.Fatal(err)
	}
	out.Write(data)
	for _, f := range forms {
		if strings.Contains(out.String(), f) {
			t.Fatalf("the CSRF key shows (as %q) in:\n%s", f, out.String())
		}
	}
	if !strings.Contains(out.String(), "CSRFKey: [redacted]") {
		t.Fatalf("the server's description should say it has a key, redacted:\n%s", out.String())
	}
}
